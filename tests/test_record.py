"""Tests for the recorded outcomes table (``scenarios/bolshevik_1922/record.csv``,
``model/cases/record.py``)."""

from __future__ import annotations

import pandas as pd
import pytest

from model.cases.record import (
    BODIES,
    COLUMNS,
    KINDS,
    Vocabulary,
    load_record,
    parse_tally,
    record_row,
)
from model.cases.scenario import SCENARIO_DIR, load_scenario

CASE = SCENARIO_DIR / "bolshevik_1922"
DEFAULT_PATH = CASE / "record.csv"
_BASE = load_scenario(CASE / "baseline.toml")
LEADERS = frozenset(ld.name for ld in _BASE.leaders)
OFFICES = frozenset(o.name for o in _BASE.offices)
ASSEMBLIES = frozenset(a.name for a in _BASE.assemblies)
VOCABULARY = Vocabulary(LEADERS, OFFICES, ASSEMBLIES)

REQUIRED_IDS = (
    "troika_forms",
    "seven_forms",
    "trotsky_loses_war",
    "troika_breaks",
    "stalin_right_alliance",
    "united_opposition",
    "zinoviev_loses_leningrad",
    "kamenev_loses_moscow_soviet",
    "trotsky_expelled_politburo",
    "zinoviev_loses_comintern",
    "trotsky_expelled_cc",
    "zinoviev_expelled_cc",
    "trotsky_expelled_party",
    "zinoviev_expelled_party",
    "oppositionists_expelled_75",
    "zinoviev_recants",
    "kamenev_recants",
    "trotsky_refuses",
    "processions",
    "congress14_vote",
    "kamenev_demoted_politburo",
    "party_size_1923_04",
    "party_size_1924_05",
    "party_size_1925_12",
    "party_size_1927_12",
    "holder_end_general_secretary",
)


@pytest.fixture(scope="module")
def record() -> pd.DataFrame:
    return load_record(DEFAULT_PATH, VOCABULARY)


def test_default_file_loads(record: pd.DataFrame) -> None:
    assert DEFAULT_PATH.is_file()
    assert tuple(record.columns) == COLUMNS
    assert len(record) > 0
    assert set(record["kind"]) <= KINDS


def test_ids_unique(record: pd.DataFrame) -> None:
    assert record["id"].is_unique


def test_who_names_allowed(record: pd.DataFrame) -> None:
    for _, row in record.iterrows():
        for name in filter(None, (part.strip() for part in row["who"].split(";"))):
            assert name in LEADERS, (row["id"], name)


def test_what_names_allowed(record: pd.DataFrame) -> None:
    known = set(OFFICES) | set(BODIES) | set(ASSEMBLIES)
    for _, row in record.iterrows():
        if row["kind"] != "alliance" and row["what"]:
            assert row["what"] in known, (row["id"], row["what"])


def test_dates_in_period(record: pd.DataFrame) -> None:
    low, high = pd.Timestamp("1917-01-01"), pd.Timestamp("1929-12-31")
    assert record["date"].notna().all()
    assert record["date"].between(low, high).all()
    alts = record["date_alt"].dropna()
    assert alts.between(low, high).all()


def test_congress14_vote_fits_delegates(record: pd.DataFrame) -> None:
    tally = parse_tally(record_row(record, "congress14_vote")["value"])
    assert tally == (559, 65)
    congress = record[(record["kind"] == "assembly") & (record["what"] == "14th Congress")]
    assert len(congress) == 1
    assert sum(tally) <= int(congress.iloc[0]["value"])


def test_required_ids_exist(record: pd.DataFrame) -> None:
    missing = sorted(set(REQUIRED_IDS) - set(record["id"]))
    assert not missing


def test_holder_ids_cover_offices(record: pd.DataFrame) -> None:
    holders = record[record["kind"] == "office_holder"]
    for _, row in holders.iterrows():
        if row["what"] in OFFICES:
            slug = row["what"].lower().replace(" ", "_")
            assert row["id"].startswith("holder_") and row["id"].endswith("_" + slug)
    # every office has its holder at the end of the record (the latest of its rows)
    ends = holders[holders["id"].str.startswith("holder_end_")]
    assert set(ends["what"]) == set(OFFICES)
    for office, rows in holders[holders["what"].isin(OFFICES)].groupby("what"):
        latest = rows.sort_values("date", kind="stable").iloc[-1]
        assert latest["id"] == "holder_end_" + office.lower().replace(" ", "_")


def test_parse_tally() -> None:
    assert parse_tally("559-65") == (559, 65)
    assert parse_tally("unanimous") is None
    with pytest.raises(ValueError):
        parse_tally("most")


def test_record_row_missing(record: pd.DataFrame) -> None:
    with pytest.raises(KeyError):
        record_row(record, "no_such_row")


def _write(tmp_path, body: str):
    path = tmp_path / "bad_record.csv"
    path.write_text(",".join(COLUMNS) + "\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "row_id"),
    [
        (
            "good_row,1925-12-18,,vote,,14th Congress,559-65,seed,S,\n"
            "bad_kind,1925-12-18,,coup,,,,seed,S,\n",
            "bad_kind",
        ),
        ("bad_date,1925-13-45,,exogenous,Lenin,,,seed,S,\n", "bad_date"),
        ("bad_who,1925-12-18,,recantation,Sokolnikov,,,seed,S,\n", "bad_who"),
        ("bad_tally,1925-12-18,,vote,,14th Congress,most,seed,S,\n", "bad_tally"),
        ("bad_conf,1925-12-18,,recantation,Kamenev,,,seed,X,\n", "bad_conf"),
        ("nobody_shot,1925-12-18,,execution,,,,seed,S,\n", "nobody_shot"),
        ("shot_in_office,1925-12-18,,execution,Kamenev,General Secretary,,seed,S,\n",
         "shot_in_office"),
        ("silent,1925-12-18,,speech,,14th Congress,,seed,S,\n", "silent"),
        ("speech_nowhere,1925-12-18,,speech,Kamenev,Sovnarkom chairman,,seed,S,\n",
         "speech_nowhere"),
        ("vote_in_party,1925-12-18,,vote,Kamenev,party,7-4,seed,S,\n", "vote_in_party"),
        ("big_plenum,1925-12-18,,assembly,,14th Congress,many,seed,S,\n", "big_plenum"),
    ],
)
def test_malformed_csv_raises(tmp_path, body: str, row_id: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(ValueError) as info:
        load_record(path, VOCABULARY)
    message = str(info.value)
    assert str(path) in message
    assert f"row {row_id}" in message


def test_wrong_columns_raise(tmp_path) -> None:
    path = tmp_path / "bad_header.csv"
    path.write_text("id,date\nx,1925-01-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad_header.csv"):
        load_record(path)


def test_without_a_vocabulary_any_name_goes(tmp_path) -> None:
    path = _write(tmp_path, "someone,2040-01-01,,recantation,Sokolnikov,,,seed,S,\n")
    assert list(load_record(path)["who"]) == ["Sokolnikov"]
    with pytest.raises(ValueError, match="not a known leader"):
        load_record(path, VOCABULARY)


def test_executions_speeches_and_votes_in_a_body_load(tmp_path) -> None:
    """The kinds a second case needs: a death by sentence, a recorded speech at an assembly
    or outside one, a vote inside the Politburo or the Central Committee (a tally with the
    minority or target in ``who``), and an assembly whose size is not recorded."""
    path = _write(tmp_path, (
        "shot,1926-01-01,,execution,Kamenev,,,seed,S,\n"
        "report,1925-12-18,,speech,Kamenev,14th Congress,,seed,S,\n"
        "letter,1925-10-01,,speech,Trotsky,,,seed,S,\n"
        "pb_vote,1926-07-01,,vote,Zinoviev,Politburo,7-4,seed,S,\n"
        "cc_vote,1926-07-01,,vote,Zinoviev,Central Committee,unanimous,seed,S,\n"
        "sized_later,1925-12-18,,assembly,,14th Congress,,seed,S,\n"))
    df = load_record(path, VOCABULARY)
    assert list(df["kind"]) == ["execution", "speech", "speech", "vote", "vote", "assembly"]
    assert parse_tally(record_row(df, "pb_vote")["value"]) == (7, 4)
