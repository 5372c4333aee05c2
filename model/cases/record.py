"""The recorded outcomes of the succession struggle, 1922-27, as a validated table.

The data live in ``scenarios/record.csv``, one row per dated fact taken from the shared
record [RECORD] and the seed text [seed] (see ``docs/references.md``). Each row carries a
source and a confidence code:

* ``V`` seen on a reference page;
* ``S`` stated in the seed;
* ``C`` sources disagree (``date_alt`` then holds the alternative date);
* ``M`` standard histories, not re-checked;

or a ``/``-separated combination such as ``S/V``.

Columns: ``id, date, date_alt, kind, who, what, value, source, confidence, note``. ``date_alt``
is the alternative date where sources disagree, or the end of a range (year-only facts run
from 1 January to 31 December; month-only facts use the first of the month). ``who`` lists
leaders separated by ``;``. For ``vote`` rows ``who`` names the minority or the target of the
vote and ``value`` is a tally such as ``559-65`` or ``unanimous``. For ``assembly`` rows
``value`` is the number of voting delegates; for ``party_size`` rows it is members plus
candidates; for ``expulsion`` rows of a group it is the number expelled.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "date_alt",
    "kind",
    "who",
    "what",
    "value",
    "source",
    "confidence",
    "note",
)

KINDS: frozenset[str] = frozenset(
    {
        "exogenous",
        "assembly",
        "vote",
        "alliance",
        "office_loss",
        "expulsion",
        "recantation",
        "refusal",
        "office_holder",
        "party_size",
        "demonstration",
    }
)

LEADERS: tuple[str, ...] = (
    "Lenin",
    "Trotsky",
    "Stalin",
    "Zinoviev",
    "Kamenev",
    "Bukharin",
    "Rykov",
    "Tomsky",
    "Kuybyshev",
    "Molotov",
    "Kalinin",
    "Rudzutak",
    "Frunze",
    "Voroshilov",
    "Dzerzhinsky",
)

OFFICES: tuple[str, ...] = (
    "General Secretary",
    "War Commissar",
    "Comintern chairman",
    "Leningrad organisation",
    "Moscow Soviet",
    "Sovnarkom chairman",
    "Pravda editor",
    "Trade unions",
    "Central Control Commission",
    "OGPU",
)

BODIES: tuple[str, ...] = ("Politburo", "Central Committee", "party")

ASSEMBLIES: tuple[str, ...] = (
    "12th Congress",
    "13th Congress",
    "14th Conference",
    "14th Congress",
    "15th Conference",
    "15th Congress",
)

CONFIDENCE_CODES: frozenset[str] = frozenset({"V", "S", "C", "M"})

DEFAULT_PATH: Path = Path(__file__).resolve().parents[2] / "scenarios" / "record.csv"

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TALLY_RE = re.compile(r"^(\d+)-(\d+)$")
_INT_RE = re.compile(r"^\d+$")
_GROUP_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# Which `what` values each kind accepts ("" = may be empty).
_WHAT_ALLOWED: dict[str, frozenset[str]] = {
    "assembly": frozenset(ASSEMBLIES),
    "vote": frozenset(ASSEMBLIES),
    "office_loss": frozenset(OFFICES),
    "expulsion": frozenset(BODIES),
    "office_holder": frozenset(OFFICES) | {"Politburo"},
    "party_size": frozenset({"party"}),
    "exogenous": frozenset(OFFICES) | frozenset(BODIES) | frozenset(ASSEMBLIES) | {""},
    "recantation": frozenset({""}),
    "refusal": frozenset({""}),
    "demonstration": frozenset({""}),
}


def _split(field: str) -> list[str]:
    """Split a ``;``-separated field into stripped, non-empty parts.

    Args:
        field: The raw field text.

    Returns:
        The parts, in order.
    """
    return [part.strip() for part in field.split(";") if part.strip()]


def _parse_date(text: str) -> pd.Timestamp:
    """Parse an ISO ``YYYY-MM-DD`` date, or an empty string as ``NaT``.

    Args:
        text: The field text.

    Returns:
        The date as a timestamp, ``NaT`` when ``text`` is empty.

    Raises:
        ValueError: If ``text`` is neither empty nor a valid ISO date.
    """
    if text == "":
        return pd.NaT
    if not _DATE_RE.match(text):
        raise ValueError(f"date {text!r} is not YYYY-MM-DD")
    return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))


def parse_tally(value: str) -> tuple[int, int] | None:
    """Parse a recorded vote tally.

    Args:
        value: A tally ``"<for>-<against>"`` such as ``"559-65"``, or ``"unanimous"``.

    Returns:
        ``(for, against)`` for a counted vote; ``None`` for a unanimous one.

    Raises:
        ValueError: If ``value`` is neither a tally nor ``"unanimous"``.

    Examples:
        >>> parse_tally("559-65")
        (559, 65)
        >>> parse_tally("unanimous") is None
        True
    """
    text = str(value).strip()
    if text == "unanimous":
        return None
    match = _TALLY_RE.match(text)
    if match is None:
        raise ValueError(f"vote value {value!r} is neither '<for>-<against>' nor 'unanimous'")
    return int(match.group(1)), int(match.group(2))


def _check_row(row: dict[str, str]) -> None:
    """Validate one row's fields (dates are checked separately).

    Args:
        row: The row's raw text fields, keyed by column.

    Raises:
        ValueError: Describing the first problem found.
    """
    if not _ID_RE.match(row["id"]):
        raise ValueError(f"id {row['id']!r} is not snake_case")
    kind = row["kind"]
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {sorted(KINDS)}")
    for name in _split(row["who"]):
        if name not in LEADERS:
            raise ValueError(f"who {name!r} is not a known leader")
    what, value = row["what"], row["value"]
    if kind == "alliance":
        if not _GROUP_RE.match(what):
            raise ValueError(f"alliance name {what!r} is not snake_case")
        if len(_split(row["who"])) < 2:
            raise ValueError("an alliance needs at least two leaders in who")
    elif what not in _WHAT_ALLOWED[kind]:
        raise ValueError(f"what {what!r} is not valid for kind {kind!r}")
    if kind == "vote":
        parse_tally(value)
    elif kind in ("assembly", "party_size") and not _INT_RE.match(value):
        raise ValueError(f"value {value!r} is not a whole number")
    elif value and kind in ("expulsion", "exogenous") and not _INT_RE.match(value):
        raise ValueError(f"value {value!r} is not a whole number")
    if kind in ("office_loss", "recantation", "refusal", "demonstration") and not row["who"]:
        raise ValueError(f"kind {kind!r} needs who")
    if kind == "expulsion" and not row["who"] and value == "":
        raise ValueError("an expulsion needs who or a number expelled in value")
    if not row["source"]:
        raise ValueError("source is empty")
    codes = row["confidence"].split("/")
    if not row["confidence"] or any(code not in CONFIDENCE_CODES for code in codes):
        raise ValueError(f"confidence {row['confidence']!r} is not a combination of V, S, C, M")


def load_record(path: str | Path | None = None) -> pd.DataFrame:
    """Load and validate the recorded outcomes.

    Args:
        path: The CSV file; defaults to the repository's ``scenarios/record.csv``.

    Returns:
        One row per recorded fact, with the columns of ``COLUMNS`` in order. ``date`` and
        ``date_alt`` are ``pandas.Timestamp`` (``NaT`` when empty); the other columns are
        strings, empty where the file leaves them empty.

    Raises:
        ValueError: ``"<file>: row <id>: <problem>"`` for a bad row, or
            ``"<file>: <problem>"`` when the header is wrong.
    """
    file = Path(path) if path is not None else DEFAULT_PATH
    raw = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(raw.columns) != COLUMNS:
        raise ValueError(f"{file}: columns {list(raw.columns)} != expected {list(COLUMNS)}")
    raw = raw.apply(lambda col: col.str.strip())

    seen: set[str] = set()
    dates: list[pd.Timestamp] = []
    date_alts: list[pd.Timestamp] = []
    for number, row in enumerate(raw.to_dict("records"), start=1):
        label = row["id"] or f"#{number} (no id)"
        try:
            if row["id"] in seen:
                raise ValueError("duplicate id")
            seen.add(row["id"])
            _check_row(row)
            date = _parse_date(row["date"])
            if pd.isna(date):
                raise ValueError("date is empty")
            date_alt = _parse_date(row["date_alt"])
        except ValueError as exc:
            raise ValueError(f"{file}: row {label}: {exc}") from exc
        dates.append(date)
        date_alts.append(date_alt)

    df = raw.copy()
    df["date"] = pd.Series(dates, index=df.index, dtype="datetime64[ns]")
    df["date_alt"] = pd.Series(date_alts, index=df.index, dtype="datetime64[ns]")
    return df


def record_row(df: pd.DataFrame, id: str) -> pd.Series:
    """Return the row with the given id.

    Args:
        df: A table from ``load_record``.
        id: The row's id, e.g. ``"congress14_vote"``.

    Returns:
        The row as a series indexed by column.

    Raises:
        KeyError: If no row has that id.
    """
    matches = df.loc[df["id"] == id]
    if matches.empty:
        raise KeyError(f"no record row with id {id!r}")
    return matches.iloc[0]
