"""The sanction ladder as the runs climb it (model/analysis/ladder.py): the months of each
rung read from hand-built runs, the shares, the steps between rungs, who is listed, and the
table and files that troika validate writes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import numpy as np

from model.analysis.ladder import LADDER, ladder_markdown, ladder_rows, rung_months
from model.analysis.outcomes import RunOutcome
from model.analysis.validation import validate, write_validation
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario

NAMES = ["Ann", "Bob", "Cid"]


def run(**events) -> RunOutcome:
    """A run whose ``first`` holds the given ``(kind, who, what) -> month`` events, passed
    as keyword ``e0=((kind, who, what), month)``, ..."""
    first = dict(events.values())
    return RunOutcome(seed="t", months=["2040-01"], names=list(NAMES),
                      factions=np.zeros((1, len(NAMES)), dtype=int), first=first,
                      tallies={}, recanted=set(), refused=set(), holders={})


def test_the_first_office_is_the_earliest_of_the_offices_lost():
    o = run(a=(("office_loss", "Ann", "Press"), "2040-02"),
            b=(("office_loss", "Ann", "Army"), "2040-05"),
            c=(("expulsion", "Ann", "party"), "2040-09"))
    assert rung_months(o, "Ann") == ["2040-02", None, None, None, "2040-09"]
    assert rung_months(o, "Bob") == [None] * len(LADDER)


def test_shares_months_and_steps_over_runs():
    """Ann loses an office in all three runs, leaves the Central Committee in two and the
    party in one; each step counts from the latest rung above it that she reached."""
    runs = [
        run(a=(("office_loss", "Ann", "Army"), "2040-01"),
            b=(("expulsion", "Ann", "Central Committee"), "2040-07"),
            c=(("expulsion", "Ann", "party"), "2040-09")),
        run(a=(("office_loss", "Ann", "Army"), "2040-03"),
            b=(("expulsion", "Ann", "Central Committee"), "2040-05")),
        run(a=(("office_loss", "Ann", "Army"), "2040-02")),
    ]
    rows = {r["rung"]: r for r in ladder_rows(runs) if r["leader"] == "Ann"}
    assert list(rows) == ["first office lost", "out of the Central Committee",
                          "out of the party"]  # rungs no run reaches are left out
    office, cc, party = rows.values()
    assert (office["reached"], office["median"]) == (1.0, "2040-02")
    assert office["gap_median"] is None and office["gap_runs"] == 0
    assert cc["reached"] == round(2 / 3, 4)
    assert (cc["low"], cc["high"]) == ("2040-05", "2040-07")
    assert (cc["gap_low"], cc["gap_high"], cc["gap_runs"]) == (2, 6, 2)
    assert (party["reached"], party["gap_median"]) == (round(1 / 3, 4), 2)


def test_a_leader_is_listed_when_he_loses_a_seat_often_enough():
    """Bob is demoted in 1 run of 30: listed at a share of 1/30 or less, not above. Cid
    loses an office in every run but no seat (an office can go by a motion or a scheduled
    event): not listed."""
    ann = (("expulsion", "Ann", "Politburo"), "2040-01")
    cid = (("office_loss", "Cid", "Army"), "2040-01")
    runs = [run(a=ann, c=cid)] * 29
    runs.append(run(a=ann, b=(("demotion", "Bob", "Politburo"), "2040-01"), c=cid))
    assert {r["leader"] for r in ladder_rows(runs)} == {"Ann"}
    assert {r["leader"] for r in ladder_rows(runs, min_share=1 / 30)} == {"Ann", "Bob"}
    assert ladder_rows([]) == []


def test_a_step_counts_only_from_a_rung_reached_before_it():
    """An office lost after his removal from the Politburo is no rung above that removal:
    the removal's step counts from his demotion, and with no demotion it has none."""
    removed = (("expulsion", "Ann", "Politburo"), "2040-06")
    later_office = (("office_loss", "Ann", "Army"), "2040-09")
    demoted = (("demotion", "Ann", "Politburo"), "2040-02")
    rows = ladder_rows([run(a=removed, b=later_office, c=demoted)])
    assert {r["rung"]: r["gap_median"] for r in rows} == {
        "first office lost": None, "demoted to candidate": None, "out of the Politburo": 4}
    rows = ladder_rows([run(a=removed, b=later_office)])
    assert [(r["rung"], r["gap_runs"]) for r in rows] == [
        ("first office lost", 0), ("out of the Politburo", 0)]


def test_a_step_counts_from_the_latest_month_not_the_nearest_rung():
    """Demoted in February, his office lost in April, out of the Politburo in June: the
    removal comes 2 months after the latest step before it (the office), not 4 after the
    demotion, the rung just above it."""
    rows = ladder_rows([run(a=(("demotion", "Ann", "Politburo"), "2040-02"),
                            b=(("office_loss", "Ann", "Army"), "2040-04"),
                            c=(("expulsion", "Ann", "Politburo"), "2040-06"))])
    assert {r["rung"]: r["gap_median"] for r in rows}["out of the Politburo"] == 2


def test_months_are_observed_values_of_the_runs():
    """Four runs demote Ann in January, February, May and September: the median is an
    observed month (February, the lower middle), not an interpolation between two."""
    runs = [run(a=(("demotion", "Ann", "Politburo"), f"2040-{m:02d}")) for m in (1, 2, 5, 9)]
    row = next(r for r in ladder_rows(runs) if r["rung"] == "demoted to candidate")
    assert (row["median"], row["low"], row["high"]) == ("2040-02", "2040-01", "2040-09")


def test_the_table_has_a_row_per_leader_and_rung():
    rows = ladder_rows([run(a=(("office_loss", "Ann", "Army"), "2040-01"),
                            b=(("demotion", "Ann", "Politburo"), "2040-04"))])
    text = ladder_markdown(rows, 1)
    assert "| Ann | first office lost | 1.00 | 2040-01 | 2040-01 – 2040-01 | – | – |" in text
    assert "| Ann | demoted to candidate | 1.00 | 2040-04 | 2040-04 – 2040-04 | 3 | 3 – 3 |" \
        in text
    assert ladder_markdown([], 5) == ("No leader loses a seat (demotion or removal) in at "
                                      "least 5% of these 5 runs.\n")
    assert "| Ann | demoted to candidate | <0.01 |" in ladder_markdown(
        [{**rows[1], "reached": 0.001}], 1000)


def test_validate_writes_the_ladder(tmp_path):
    """``troika validate`` keeps the ladder of the model's runs and writes it as CSV and
    Markdown beside the scorecard (the example case's runs reach some rung)."""
    sc = load_scenario("triad")
    result = validate(sc, 6, case=case_of("triad"), workers=1, base_seed=3, baselines=())
    assert result.ladder
    for r in result.ladder:
        assert 0 < r["reached"] <= 1
        assert r["gap_runs"] <= round(r["reached"] * result.runs)
    write_validation(result, out_dir=tmp_path)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "ladder.csv").read_text())))
    assert len(rows) == len(result.ladder)
    assert (tmp_path / "ladder.md").read_text() == result.ladder_markdown()


def test_validate_splices_the_ladder_where_the_document_asks_for_it(tmp_path):
    """``--doc`` fills the ``ladder`` markers when the document has them; a document
    without them gets only its scorecard."""
    with_ladder = tmp_path / "with.md"
    without = tmp_path / "without.md"
    scorecard = "<!-- scorecard:start -->\nold\n<!-- scorecard:end -->\n"
    with_ladder.write_text(scorecard + "<!-- ladder:start -->\nold\n<!-- ladder:end -->\n")
    without.write_text(scorecard + "the rest\n")
    for doc in (with_ladder, without):
        res = subprocess.run([sys.executable, "-m", "model.cli.main", "validate", "triad",
                              "--runs", "4", "--workers", "1", "--baselines", "",
                              "--out", str(tmp_path / doc.stem), "--doc", str(doc)],
                             cwd=tmp_path, capture_output=True, text=True, timeout=180,
                             check=False)
        assert res.returncode == 0, res.stderr
    block = with_ladder.read_text().split("<!-- ladder:start -->")[1]
    assert block.startswith("\nThe sanction ladder over 4 runs") and "old" not in block
    assert without.read_text().endswith("<!-- scorecard:end -->\nthe rest\n")
    assert (tmp_path / "with" / "ladder.md").is_file()
