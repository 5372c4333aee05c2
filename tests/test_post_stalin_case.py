"""The second case, the post-Stalin succession (scenarios/post_stalin_1953): its case file is a
faithful translation of criteria.md. The recorded history, written as a run, hits every
criterion; the same history with one recorded outcome changed misses the criterion of that
outcome. No model run is needed for this (the engine's runs are tested below the line)."""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis.measures import month_label, month_number
from model.analysis.outcomes import RunOutcome, criteria_of, scorecard
from model.cases.casefile import load_case
from model.cases.scenario import SCENARIO_DIR, load_scenario

FOLDER = SCENARIO_DIR / "post_stalin_1953"
CASE = load_case(FOLDER)
NAMES = [ld.name for ld in load_scenario(FOLDER / "post_stalin.toml").leaders]
MONTHS = [month_label(k) for k in range(int(month_number("1953-02")),
                                        int(month_number("1957-12")) + 1)]
MAJORITY_1957 = ["Molotov", "Malenkov", "Kaganovich", "Bulganin", "Voroshilov", "Pervukhin",
                 "Saburov"]


def spans(*parts) -> list[str]:
    """Holders of every month from ``(name, first, last)`` spans, vacant elsewhere."""
    return [next((n for n, a, b in parts if a <= m <= b), "") for m in MONTHS]


def recorded(**changes) -> RunOutcome:
    """The record (record.csv) as one run, by month; ``changes`` replace parts of it."""
    holders = {
        "CC Secretariat": spans(("Malenkov", "1953-02", "1953-02"),
                                ("Khrushchev", "1953-03", "1957-12")),
        "Council of Ministers chairman": spans(("Malenkov", "1953-02", "1955-01"),
                                               ("Bulganin", "1955-02", "1957-12")),
        "Interior Ministry": spans(("Beria", "1953-02", "1953-05")),
        "Defence Ministry": spans(("Bulganin", "1953-02", "1955-01"),
                                  ("Zhukov", "1955-02", "1957-09")),
        "Army command": spans(("Zhukov", "1953-02", "1955-01")),
    }
    holders.update(changes.pop("holders", {}))
    events = {
        ("office_loss", "Malenkov", "CC Secretariat"): ["1953-03"],
        ("office_loss", "Beria", "Interior Ministry"): ["1953-06"],
        ("expulsion", "Beria", "Politburo"): ["1953-06"],
        ("expulsion", "Beria", "Central Committee"): ["1953-07"],
        ("expulsion", "Beria", "party"): ["1953-07"],
        ("office_loss", "Malenkov", "Council of Ministers chairman"): ["1955-02"],
        ("office_loss", "Zhukov", "Defence Ministry"): ["1957-10"],
        ("expulsion", "Zhukov", "Central Committee"): ["1957-10"],
    }
    for n in ("Molotov", "Malenkov", "Kaganovich", "Saburov"):
        events[("expulsion", n, "Politburo")] = ["1957-06"]
    for n in ("Molotov", "Malenkov", "Kaganovich"):
        events[("expulsion", n, "Central Committee")] = ["1957-06"]
    events.update(changes.pop("events", {}))
    events = {k: v for k, v in events.items() if v}
    factions = np.zeros((len(MONTHS), len(NAMES)), dtype=int)
    ruling = ["Khrushchev"] * len(MONTHS)
    june = MONTHS.index("1957-06")
    factions[june] = [0 if n in MAJORITY_1957 else 1 for n in NAMES]
    ruling[june] = "Molotov"
    assert not changes, changes
    return RunOutcome(seed="record", months=list(MONTHS), names=list(NAMES), factions=factions,
                      first={k: min(v) for k, v in events.items()}, tallies={},
                      recanted=set(), refused=set(), holders=holders, ruling=ruling,
                      months_of={k: sorted(v) for k, v in events.items()})


def hits(outcome: RunOutcome) -> dict[str, bool]:
    return {row["id"]: row["hit_rate"] == 1.0
            for row in scorecard([outcome], criteria_of(CASE))}


def test_the_case_file_states_the_criteria_of_criteria_md():
    groups = {c.id: c.group for c in CASE.spec.criteria}
    assert groups == {
        "beria_removed_1953": "main", "khrushchev_first_secretary_1953": "main",
        "malenkov_loses_premiership_1955": "main", "june_1957_reversal": "main",
        "anti_party_group_out_1957": "main", "zhukov_removed_1957": "main",
        "malenkov_leaves_secretariat_1953": "secondary", "bulganin_succeeds_1955": "secondary",
        "khrushchev_holds_secretariat": "secondary",
        "only_beria_expelled_from_party": "secondary",
        "zhukov_defence_minister_1955": "secondary"}
    assert all(c.threshold == 0.6 for c in CASE.spec.criteria)
    ids = set(CASE.record["id"])
    cited = {r for c in CASE.spec.criteria for r in c.record_ids}
    cited |= {e.record_id for e in CASE.spec.key_events}
    cited |= {m.record_id for m in CASE.spec.plots.event_marks}
    assert cited <= ids, sorted(cited - ids)


def test_the_record_as_a_run_hits_every_criterion():
    assert hits(recorded()) == dict.fromkeys(hits(recorded()), True)


@pytest.mark.parametrize("missed, change", [
    ("beria_removed_1953", {"events": {("expulsion", "Beria", "Central Committee"): [],
                                       ("expulsion", "Beria", "party"): ["1954-02"]}}),
    ("beria_removed_1953", {"holders": {"Interior Ministry": spans(("Beria", "1953-02",
                                                                    "1957-12"))}}),
    ("khrushchev_first_secretary_1953", {"holders": {"CC Secretariat": spans(
        ("Malenkov", "1953-02", "1954-02"), ("Khrushchev", "1954-03", "1957-12"))}}),
    ("malenkov_loses_premiership_1955", {"events": {
        ("expulsion", "Malenkov", "Politburo"): ["1955-01", "1957-06"]}}),
    ("june_1957_reversal", {"events": {("expulsion", "Molotov", "Politburo"): [],
                                       ("expulsion", "Malenkov", "Politburo"): [],
                                       ("expulsion", "Saburov", "Politburo"): []}}),
    ("anti_party_group_out_1957", {"events": {("expulsion", "Kaganovich", "party"):
                                              ["1957-06"]}}),
    ("zhukov_removed_1957", {"holders": {"Army command": spans(("Zhukov", "1953-02",
                                                               "1957-12"))}}),
    ("malenkov_leaves_secretariat_1953", {"events": {
        ("office_loss", "Malenkov", "Council of Ministers chairman"): ["1953-03"]}}),
    ("bulganin_succeeds_1955", {"holders": {"Council of Ministers chairman": spans(
        ("Malenkov", "1953-02", "1955-01"), ("Molotov", "1955-02", "1957-12"))}}),
    ("only_beria_expelled_from_party", {"events": {("expulsion", "Zhukov", "party"):
                                                   ["1957-11"]}}),
    ("zhukov_defence_minister_1955", {"holders": {"Defence Ministry": spans(
        ("Bulganin", "1953-02", "1956-01"), ("Zhukov", "1956-02", "1957-09"))}}),
])
def test_one_outcome_changed_misses_its_criterion(missed, change):
    got = hits(recorded(**change))
    assert not got[missed]


# --- every command runs on the case (small runs; the numbers are in docs/transfer.md) ---

def troika(*args: str):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], capture_output=True,
                          text=True, check=False)


def test_run_prints_the_cases_key_events_beside_its_record(tmp_path):
    res = troika("run", "post_stalin", "--seed", "1", "--out", str(tmp_path / "r"))
    assert res.returncode == 0, res.stderr
    assert "Beria loses the Interior Ministry" in res.stdout and "1953-06" in res.stdout
    assert "Trotsky" not in res.stdout
    rows = (tmp_path / "r" / "key_events.csv").read_text().splitlines()
    assert len(rows) == 1 + len(CASE.spec.key_events)
    assert {"coalitions.png", "power.png", "tallies.png"} <= {
        p.name for p in (tmp_path / "r").iterdir()}


def test_validate_ensemble_compare_on_the_case(tmp_path):
    import json
    res = troika("validate", "post_stalin", "--runs", "3", "--workers", "1", "--baselines",
                 "calendar", "--out", str(tmp_path / "v"), "--json", str(tmp_path / "v.json"))
    assert res.returncode == 0, res.stderr
    card = json.loads((tmp_path / "v.json").read_text())
    assert card["model"]["total"] == 11
    assert {g["group"]: g["needed"] for g in card["groups"]} == {
        "main": 6, "secondary": 4}
    res = troika("ensemble", "post_stalin", "--runs", "3", "--workers", "1", "--out",
                 str(tmp_path / "e"))
    assert res.returncode == 0, res.stderr
    head = (tmp_path / "e" / "runs.csv").read_text().splitlines()[0]
    assert "june_1957_reversal.hit" in head and "first_secretary_at_end" in head
    res = troika("compare", "post_stalin", "no_june_plenum_1957", "--runs", "2", "--workers",
                 "1", "--out", str(tmp_path / "c"))
    assert res.returncode == 0, res.stderr
    assert "no_june_plenum_1957" in (tmp_path / "c" / "compare.md").read_text()
