"""The recorded outcomes of a case, as a validated table.

The data live in the case folder (``scenarios/bolshevik_1922/record.csv`` for 1922-27), one
row per dated fact, each with a source and a confidence code:

* ``V`` seen on a reference page;
* ``S`` stated in the seed;
* ``C`` sources disagree (``date_alt`` then holds the alternative date);
* ``M`` standard histories, not re-checked;

or a ``/``-separated combination such as ``S/V``.

Columns: ``id, date, date_alt, kind, who, what, value, source, confidence, note``. ``date_alt``
is the alternative date where sources disagree, or the end of a range (year-only facts run
from 1 January to 31 December; month-only facts use the first of the month). ``who`` lists
leaders separated by ``;``. For ``vote`` rows ``who`` names the minority or the target of the
vote and ``value`` is a tally such as ``559-65`` or ``unanimous``; ``what`` is the assembly,
or a body (``Politburo``, ``Central Committee``) for a vote inside it, such as a Presidium
majority against its first secretary (7-4, June 1957, in the second case's record). For
``assembly`` rows ``value`` is the number of voting delegates (empty when not recorded, as for
most plenums); for ``party_size`` rows it is members plus candidates; for ``expulsion`` rows
of a group it is the number expelled. An ``execution`` row is a leader's death by sentence
(Beria, December 1953); a ``speech`` row a leader's recorded speech, at an assembly (``what``)
or outside one (Khrushchev's closed report at the 20th Congress, February 1956). The engine
produces neither: they are recorded for the reader and for later criteria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
        "condemnation",
        "execution",
        "speech",
    }
)


@dataclass(frozen=True)
class Vocabulary:
    """The names a record may use: the leaders, offices and assemblies of its case's
    baseline scenario (the bodies are the model's own)."""

    leaders: frozenset[str]
    offices: frozenset[str]
    assemblies: frozenset[str]


BODIES: tuple[str, ...] = ("Politburo", "Central Committee", "party")

CONFIDENCE_CODES: frozenset[str] = frozenset({"V", "S", "C", "M"})

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TALLY_RE = re.compile(r"^(\d+)-(\d+)$")
_INT_RE = re.compile(r"^\d+$")
_GROUP_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _what_allowed(kind: str, v: Vocabulary) -> frozenset[str]:
    """Which ``what`` values each kind accepts ("" = may be empty)."""
    bodies = frozenset(BODIES)
    return {
        "assembly": v.assemblies,
        "vote": v.assemblies | frozenset(BODIES[:2]),
        "office_loss": v.offices,
        "expulsion": bodies,
        "office_holder": v.offices | {"Politburo"},
        "party_size": frozenset({"party"}),
        "exogenous": v.offices | bodies | v.assemblies | {""},
        "recantation": frozenset({""}),
        "refusal": frozenset({""}),
        "demonstration": frozenset({""}),
        "condemnation": frozenset({""}),
        "execution": frozenset({""}),
        "speech": v.assemblies | {""},
    }[kind]


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


def _check_row(row: dict[str, str], vocabulary: Vocabulary | None) -> None:
    """Validate one row's fields (dates are checked separately).

    Args:
        row: The row's raw text fields, keyed by column.
        vocabulary: The names the row may use (``None``: any name).

    Raises:
        ValueError: Describing the first problem found.
    """
    if not _ID_RE.match(row["id"]):
        raise ValueError(f"id {row['id']!r} is not snake_case")
    kind = row["kind"]
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {sorted(KINDS)}")
    for name in _split(row["who"]):
        if vocabulary is not None and name not in vocabulary.leaders:
            raise ValueError(f"who {name!r} is not a known leader")
    what, value = row["what"], row["value"]
    if kind == "alliance":
        if not _GROUP_RE.match(what):
            raise ValueError(f"alliance name {what!r} is not snake_case")
        if len(_split(row["who"])) < 2:
            raise ValueError("an alliance needs at least two leaders in who")
    elif vocabulary is not None and what not in _what_allowed(kind, vocabulary):
        raise ValueError(f"what {what!r} is not valid for kind {kind!r}")
    if kind == "vote":
        parse_tally(value)
    elif kind == "party_size" and not _INT_RE.match(value):
        raise ValueError(f"value {value!r} is not a whole number")
    elif kind == "assembly" and value and not _INT_RE.match(value):
        raise ValueError(f"value {value!r} is not a whole number")
    elif value and kind in ("expulsion", "exogenous") and not _INT_RE.match(value):
        raise ValueError(f"value {value!r} is not a whole number")
    if kind in ("office_loss", "recantation", "refusal", "demonstration", "execution",
                "speech") and not row["who"]:
        raise ValueError(f"kind {kind!r} needs who")
    if kind == "expulsion" and not row["who"] and value == "":
        raise ValueError("an expulsion needs who or a number expelled in value")
    if not row["source"]:
        raise ValueError("source is empty")
    codes = row["confidence"].split("/")
    if not row["confidence"] or any(code not in CONFIDENCE_CODES for code in codes):
        raise ValueError(f"confidence {row['confidence']!r} is not a combination of V, S, C, M")


def load_record(path: str | Path, vocabulary: Vocabulary | None = None) -> pd.DataFrame:
    """Load and validate the recorded outcomes.

    Args:
        path: The CSV file (a case's record, e.g. ``scenarios/<case>/record.csv``).
        vocabulary: The leaders, offices and assemblies the rows may name (the case's
            baseline scenario); ``None`` checks the structure only.

    Returns:
        One row per recorded fact, with the columns of ``COLUMNS`` in order. ``date`` and
        ``date_alt`` are ``pandas.Timestamp`` (``NaT`` when empty); the other columns are
        strings, empty where the file leaves them empty.

    Raises:
        ValueError: ``"<file>: row <id>: <problem>"`` for a bad row, or
            ``"<file>: <problem>"`` when the header is wrong.
    """
    file = Path(path)
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
            _check_row(row, vocabulary)
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
