"""Tests for the time split of the scorecard (``model/analysis/timesplit.py``, ``troika
validate --fit-until``): which side a criterion lands on, that the two parts make up the
whole, and the command's output."""

from __future__ import annotations

import copy
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.analysis import measures as ms
from model.analysis import timesplit as ts
from model.analysis.calibration import fitting_targets
from model.analysis.measures import measures_of
from model.analysis.outcomes import rate_text
from model.analysis.validation import validate
from model.cases import casefile as cf
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario

CASE = case_of("baseline")
SCENARIO = load_scenario("baseline")
HORIZON_END = "2049-12"
WORLD = SimpleNamespace(horizon=SimpleNamespace(end=HORIZON_END),
                        assemblies=[SimpleNamespace(name="Congress", date="2041-03")])


def measure(name: str = "m", **kw) -> ms.Measure:
    """A measure validated as a case file would validate it."""
    return ms.Measure(name, cf.CaseFile.model_validate({"measures": {name: kw}}).measures[name])


def event(window) -> ms.Measure:
    return measure(kind="event", event="expulsion", who=["A"], what="party", window=window)


def side(m: ms.Measure, split: str) -> str:
    return ts.sides({"c": ts.settled_month(m, WORLD)}, split)["c"]


# --------------------------------------------------------------------------------------
# the rule


def test_a_window_closed_before_the_split_is_in_sample():
    assert side(event(("2040-01", "2040-06")), "2040-12") == "in"


def test_a_window_closing_at_the_split_is_in_sample():
    assert side(event(("", "2040-12")), "2040-12") == "in"


def test_a_window_straddling_the_split_is_out_of_sample():
    assert side(event(("2040-06", "2041-06")), "2040-12") == "out"


def test_a_window_opening_after_the_split_is_out_of_sample():
    assert side(event(("2041-01", "2041-06")), "2040-12") == "out"


def test_a_vote_is_settled_at_its_assembly():
    tally = measure(kind="tally", assembly="Congress", count="no", target=10, within=5)
    assert side(tally, "2041-03") == "in"
    assert side(tally, "2041-02") == "out"


def test_an_assembly_dated_to_the_day_is_settled_in_its_month():
    world = SimpleNamespace(horizon=WORLD.horizon,
                            assemblies=[SimpleNamespace(name="Congress", date="2041-03-18")])
    tally = measure(kind="tally", assembly="Congress", count="no", target=10, within=5)
    assert ts.settled_month(tally, world) == "2041-03"
    assert ts.sides({"c": ts.settled_month(tally, world)}, "2041-03") == {"c": "in"}


def test_a_measure_over_the_whole_run_is_settled_at_its_end():
    throughout = measure(kind="holds_office", office="Chair", holder="A")
    stances = measure(kind="stances", recant=["A"], refuse=["B"])
    for m in (throughout, stances):
        assert ts.settled_month(m, WORLD) == HORIZON_END
        assert side(m, "2049-11") == "out"


def test_a_combination_is_settled_when_its_last_part_is():
    early, late = event(("", "2040-03")), event(("2040-01", "2042-05"))
    combo = ms.Measure("c", measure("c", kind="combination", all=["a", "b"]).spec,
                       (("a", early), ("b", late)))
    assert ts.settled_month(combo, WORLD) == "2042-05"


@given(a=st.integers(0, 119), length=st.integers(0, 60), s=st.integers(0, 179))
def test_in_sample_exactly_when_the_window_closes_by_the_split(a, length, s):
    def month(k: int) -> str:
        return f"{2040 + k // 12}-{k % 12 + 1:02d}"

    got = side(event((month(a), month(a + length))), month(s))
    assert got == ("in" if a + length <= s else "out")
    if a <= s < a + length:  # straddles: never in sample
        assert got == "out"


def test_a_criterion_date_overrides_its_measure():
    data = CASE.spec.model_dump()
    first = data["criteria"][0]
    first["date"] = "1927-06"
    case = cf.Case(CASE.name, CASE.folder, cf.CaseFile.model_validate(data), CASE.record)
    assert ts.settled_months(case, SCENARIO)[first["id"]] == "1927-06"
    assert ts.settled_months(CASE, SCENARIO)[first["id"]] != "1927-06"


def test_the_case_split_agrees_with_calibrations_targets():
    """A criterion measured by a fitting target is in sample exactly when calibrate
    --fit-until fits that target: the two commands split the record alike."""
    split = CASE.spec.fit_until
    assert split is not None
    side_of = ts.sides(ts.settled_months(CASE, SCENARIO), split)
    fitted = {t.measure.name for t in fitting_targets(CASE, split)}
    every = {t.measure.name for t in fitting_targets(CASE)}
    checked = 0
    for c in CASE.spec.criteria:
        if c.measure in every:
            assert side_of[c.id] == ("in" if c.measure in fitted else "out"), c.id
            checked += 1
    assert checked >= 4
    assert set(side_of.values()) == {"in", "out"}


def _months(first: str, last: str):
    y, m = int(first[:4]), int(first[5:7])
    while f"{y}-{m:02d}" <= last:
        yield f"{y}-{m:02d}"
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def test_at_any_split_a_fitted_criterion_is_in_sample_and_the_sample_only_grows():
    settled = ts.settled_months(CASE, SCENARIO)
    before: set[str] = set()
    for split in _months(SCENARIO.horizon.start, SCENARIO.horizon.end):
        fitted = ts.fitting_criteria(CASE, split)
        inside = {c for c, s in ts.sides(settled, split, fitted).items() if s == "in"}
        assert fitted <= inside, split
        assert before <= inside, split
        before = inside
    assert before == set(settled)  # at the end of the run everything is settled


def test_a_fitted_criterion_whose_window_straddles_the_split_is_in_sample():
    settled = {"war": "1925-07"}
    assert ts.sides(settled, "1925-03") == {"war": "out"}
    assert ts.sides(settled, "1925-03", {"war"}) == {"war": "in"}


def test_every_measure_of_the_case_is_settled_inside_the_horizon():
    h = SCENARIO.horizon
    for name, m in measures_of(CASE).items():
        assert h.start <= ts.settled_month(m, SCENARIO) <= h.end, name


# --------------------------------------------------------------------------------------
# the parts make up the whole


@pytest.fixture(scope="module")
def small():
    return validate(SCENARIO, 4, case=CASE, baselines=("random", "calendar"),
                    fit_until="1925-12")


def test_the_parts_partition_the_criteria(small):
    parts = small.parts()
    assert [p.side for p in parts] == ["out", "in"]
    ids = [i for p in parts for i in p.ids]
    assert sorted(ids) == sorted(r["id"] for r in small.model)
    assert len(set(ids)) == len(ids)


def test_the_parts_passed_counts_add_up_to_the_whole(small):
    parts = small.parts()
    rules = {"model": small.model, **small.baselines}
    for name, rows in rules.items():
        assert sum(p.passed()[name] for p in parts) == small.passed(rows), name


def test_the_parts_mean_scores_weigh_up_to_the_whole(small):
    scores = small.scores()
    whole = {name: mean for name, mean, _ in small.score_table()}
    for name, rows in scores.items():
        for s in ("brier", "log", "crps"):
            total, n = 0.0, 0
            for p in small.parts():
                k = sum(1 for r in rows if r["id"] in p.ids and r[s] is not None)
                mean = dict((nm, m) for nm, m, _ in p.table)[name][s]
                if k:
                    total += mean * k
                    n += k
            assert math.isclose(total / n, whole[name][s], rel_tol=1e-9), (name, s)


def test_a_hit_rate_just_under_its_bar_is_never_shown_at_it(small):
    """The parts' tables show a hit rate as the whole scorecard does: 0.599 against a bar of
    0.6 reads 0.59 in both, never 0.60 beside a "no"."""
    v = copy.deepcopy(small)
    row = next(r for r in v.model
               if r["decided_by"] == "hit rate" and r["criterion"] == "hit rate ≥ 0.6")
    row.update(hit_rate=0.599, shown=rate_text(0.599, 0.6), passed=False)
    for text in ("\n".join(ts.part_markdown(p) for p in v.parts()), v.markdown()):
        line = next(x for x in text.splitlines() if x.startswith(f"| {row['id']} |"))
        assert "0.59" in line and "0.60" not in line, line


def test_a_later_split_moves_criteria_into_sample():
    early = ts.sides(ts.settled_months(CASE, SCENARIO), "1923-12")
    late = ts.sides(ts.settled_months(CASE, SCENARIO), "1925-12")
    assert {c for c, s in early.items() if s == "in"} < {c for c, s in late.items()
                                                         if s == "in"}


def test_beats_every_needs_a_lower_mean_than_every_competitor():
    table = [("model", {"brier": 0.2, "log": 1.0, "crps": None}, {}),
             ("a", {"brier": 0.3, "log": 0.9, "crps": 5.0}, {}),
             ("b", {"brier": 0.4, "log": 2.0, "crps": 4.0}, {})]
    assert ts.beats_every(table) == {"brier": True, "log": False, "crps": None}


def test_a_perfect_competitor_cannot_be_beaten():
    table = [("model", {"brier": 0.0, "log": 0.1, "crps": 1.0}, {}),
             ("a", {"brier": 0.0, "log": 0.2, "crps": 2.0}, {})]
    assert ts.beats_every(table) == {"brier": False, "log": True, "crps": True}


def test_no_split_no_parts():
    v = validate(SCENARIO, 2, case=CASE, baselines=())
    assert v.parts() == []
    assert v.to_json()["time_split"] is None


# --------------------------------------------------------------------------------------
# the command


def troika(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model.cli.main", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180, check=False)


def test_validate_with_fit_until_prints_and_writes_both_parts(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("<!-- scorecard:start -->\nold\n<!-- scorecard:end -->\n\n"
                   "<!-- calendar-null:start -->\nold\n<!-- calendar-null:end -->\n")
    res = troika("validate", "--runs", "3", "--workers", "1", "--baselines", "calendar",
                 "--fit-until", "1924-12", "--out", "out", "--json", "v.json",
                 "--doc", str(doc), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "Out of sample: the" in out and "settled after 1924-12" in out
    assert "In sample: the" in out and "settled by 1924-12" in out
    assert out.index("Out of sample: the") < out.index("In sample: the")
    assert "Out of sample, does the model beat every competitor" in out
    data = json.loads((tmp_path / "v.json").read_text())["time_split"]
    assert data["fit_until"] == "1924-12"
    parts = data["out_of_sample"], data["in_sample"]
    assert sum(p["total"] for p in parts) == len(CASE.spec.criteria)
    for p in parts:
        assert set(p["proper_scores"]) == {"model", "calendar"}
        assert set(p["model_beats_every_competitor"]) == {"brier", "log", "crps"}
        for c in p["criteria"]:
            assert (c["settled"] <= "1924-12") == (p is data["in_sample"])
    md = (tmp_path / "out" / "scorecard.md").read_text()
    assert md.index("# Out of sample") < md.index("# In sample") < md.index("# The whole")
    null = doc.read_text().split("<!-- calendar-null:start -->")[1]
    assert "old" not in null.split("<!-- calendar-null:end -->")[0]
    assert null.index("| out of sample |") < null.index("| in sample |") < null.index(
        "| all criteria |")


def test_fit_until_none_turns_the_split_off(tmp_path):
    res = troika("validate", "--runs", "2", "--workers", "1", "--baselines", "",
                 "--fit-until", "none", "--out", "a", "--json", "a.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Out of sample" not in res.stdout
    assert json.loads((tmp_path / "a.json").read_text())["time_split"] is None


@pytest.mark.parametrize("bad", ["1925", "1925-13", "soon"])
def test_a_bad_fit_until_is_refused_in_one_line(tmp_path, bad):
    res = troika("validate", "--runs", "2", "--fit-until", bad, "--out", "o", cwd=tmp_path)
    assert res.returncode == 2
    assert "--fit-until" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------------------
# the document


def test_validation_doc_leads_with_the_scorecard_then_what_the_fit_rests_on():
    """docs/validation.md: the scorecard (whose block leads with the out-of-sample part) is
    the first generated section, then 'What the fit rests on' with the ablation, the
    calendar-only null and the robustness, before every other generated section."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "validation.md").read_text()
    starts = [doc.index(f"<!-- {name}:start -->") for name in
              ("scorecard", "ablation", "calendar-null", "robustness")]
    assert starts == sorted(starts)
    assert starts[0] < doc.index("## What the fit rests on") < starts[1]
    others = [m.start() for m in re.finditer(r"(?m)^<!-- [a-z-]+:start -->", doc)]
    assert min(others) == starts[0]
    assert max(starts) < sorted(others)[len(starts)]
