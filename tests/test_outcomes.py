"""Tests for the reduction of a run and the validation criteria (``model/outcomes.py``).

The criteria are tested on hand-built :class:`RunOutcome` objects, so that each test states
the history it describes and whether the criterion, as written in ``docs/validation.md``,
should count it as a hit.
"""

from __future__ import annotations

import math
import pickle
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.analysis import outcomes as _outcomes
from model.analysis.measures import break_step, measures_of
from model.analysis.outcomes import (
    NEVER,
    RunOutcome,
    criteria_of,
    month_label,
    month_number,
    reduce_run,
)
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel

# The criteria of the 1922-27 case as its case file declares them
# (scenarios/bolshevik_1922/case.toml): each measure by its name, as ``oc.<name>``.
CASE = case_of("baseline")
CRITERIA = criteria_of(CASE)
oc = SimpleNamespace(**measures_of(CASE),
                     troika_break_step=lambda o: break_step(o, ("Stalin", "Zinoviev", "Kamenev")))


def scorecard(outcomes):
    return _outcomes.scorecard(outcomes, CRITERIA)

NAMES = ["Lenin", "Trotsky", "Stalin", "Zinoviev", "Kamenev", "Bukharin", "Rykov", "Tomsky"]


def month_range(start: str = "1922-04", end: str = "1927-12") -> list[str]:
    return [month_label(k) for k in range(int(month_number(start)), int(month_number(end)) + 1)]


def make(groups=None, *, months=None, first=None, tallies=None, recanted=(), refused=(),
         holders=None, inactive=None) -> RunOutcome:
    """A hand-built outcome. ``groups(month)`` lists the alliances of that month (tuples of
    names); everyone else stands alone. ``inactive(month)`` lists leaders not active."""
    months = months if months is not None else month_range()
    factions = np.zeros((len(months), len(NAMES)), dtype=int)
    for k, m in enumerate(months):
        labels = {n: 100 + i for i, n in enumerate(NAMES)}  # each alone
        for g, members in enumerate(groups(m) if groups else []):
            for n in members:
                labels[n] = g
        for n in (inactive(m) if inactive else []):
            labels[n] = -1
        factions[k] = [labels[n] for n in NAMES]
    return RunOutcome(
        seed="test",
        months=months,
        names=list(NAMES),
        factions=factions,
        first=dict(first or {}),
        tallies=dict(tallies or {}),
        recanted=set(recanted),
        refused=set(refused),
        holders=dict(holders or {}),
    )


def between(a: str, b: str, *members: str):
    """Alliance of ``members`` from month ``a`` through month ``b`` (inclusive)."""
    return lambda m: [members] if a <= m <= b else []


def union(*fs):
    return lambda m: [g for f in fs for g in f(m)]


TROIKA = ("Stalin", "Zinoviev", "Kamenev")
RIGHT = ("Stalin", "Bukharin", "Rykov", "Tomsky")
UNITED = ("Trotsky", "Zinoviev", "Kamenev")
WAR = ("office_loss", "Trotsky", "War Commissar")
PB = ("expulsion", "Trotsky", "Politburo")


# --------------------------------------------------------------------------------------
# month numbers and the RunOutcome helpers


def test_month_number_round_trip():
    for m in ("1922-01", "1925-12", "1927-06"):
        assert month_label(month_number(m)) == m
    assert month_number("1926-01") - month_number("1925-12") == 1
    assert month_label(month_number("1925-06") + 0.4) == "1925-06"


def test_allied_and_allied_steps():
    o = make(between("1923-01", "1923-03", *TROIKA),
             inactive=lambda m: ["Lenin"] if m >= "1924-01" else [])
    k = o.months.index("1923-02")
    assert o.allied(TROIKA, k)
    assert not o.allied(TROIKA, o.months.index("1923-04"))
    assert not o.allied(("Stalin", "Trotsky"), k)
    assert o.allied(("Stalin",), k)
    # an inactive leader is never allied, not even with himself
    assert not o.allied(("Lenin",), o.months.index("1924-06"))
    steps = o.allied_steps(TROIKA)
    assert [o.months[s] for s in steps] == ["1923-01", "1923-02", "1923-03"]
    assert o.step_of("1923-01") == steps[0]
    assert o.step_of("2000-01") == len(o.months)


def test_allied_steps_excluding():
    o = make(union(between("1922-06", "1922-12", "Trotsky", *TROIKA),
                   between("1923-01", "1923-12", *TROIKA)))
    assert o.allied_steps(TROIKA, excluding=("Trotsky",))[0] == o.months.index("1923-01")
    assert o.allied_steps(TROIKA)[0] == o.months.index("1922-06")


# --------------------------------------------------------------------------------------
# each criterion, hit and miss


def test_troika_formed():
    value, hit = oc.troika_formed(make(between("1922-06", "1925-03", *TROIKA)))
    assert hit and value == month_number("1922-06")
    value, hit = oc.troika_formed(make(between("1924-01", "1925-03", *TROIKA)))
    assert not hit and value == month_number("1924-01")
    # with Trotsky in the same faction it is not a troika against him
    value, hit = oc.troika_formed(make(between("1922-06", "1925-03", "Trotsky", *TROIKA)))
    assert not hit and math.isnan(value)
    value, hit = oc.troika_formed(make())
    assert not hit and math.isnan(value)


def test_troika_breaks():
    value, hit = oc.troika_breaks(make(between("1922-06", "1925-04", *TROIKA)))
    assert hit and value == month_number("1925-05")
    value, hit = oc.troika_breaks(make(between("1922-06", "1924-05", *TROIKA)))
    assert not hit and value == month_number("1924-06")
    value, hit = oc.troika_breaks(make(between("1922-06", "1926-02", *TROIKA)))
    assert not hit and value == month_number("1926-03")
    # never formed, or never broken: no date
    for o in (make(), make(between("1922-06", "1927-12", *TROIKA))):
        value, hit = oc.troika_breaks(o)
        assert not hit and math.isnan(value)
    assert oc.troika_break_step(make()) is None


def test_trotsky_loses_war():
    value, hit = oc.trotsky_loses_war(make(first={WAR: "1925-01"}))
    assert hit and value == month_number("1925-01")
    value, hit = oc.trotsky_loses_war(make(first={WAR: "1925-01", PB: "1926-10"}))
    assert hit
    # lost after (or as) he left the Politburo: not as recorded
    assert not oc.trotsky_loses_war(make(first={WAR: "1925-01", PB: "1924-10"}))[1]
    assert not oc.trotsky_loses_war(make(first={WAR: "1925-01", PB: "1925-01"}))[1]
    # outside January 1925 +- 6 months
    value, hit = oc.trotsky_loses_war(make(first={WAR: "1926-01"}))
    assert not hit and value == month_number("1926-01")
    assert oc.trotsky_loses_war(make(first={WAR: "1924-07"}))[1]
    assert not oc.trotsky_loses_war(make(first={WAR: "1924-06"}))[1]
    value, hit = oc.trotsky_loses_war(make())
    assert not hit and math.isnan(value)


def test_congress14_dissent():
    value, hit = oc.congress14_dissent(make(tallies={"14th Congress": (559, 65, 41)}))
    assert hit and value == 65
    assert oc.congress14_dissent(make(tallies={"14th Congress": (600, 45, 20)}))[1]
    assert oc.congress14_dissent(make(tallies={"14th Congress": (600, 85, 0)}))[1]
    value, hit = oc.congress14_dissent(make(tallies={"14th Congress": (640, 10, 15)}))
    assert not hit and value == 10
    assert not oc.congress14_dissent(make(tallies={"14th Congress": (500, 86, 79)}))[1]
    # another assembly's tally does not count
    value, hit = oc.congress14_dissent(make(tallies={"15th Congress": (800, 65, 33)}))
    assert not hit and math.isnan(value)


def test_stalin_right():
    value, hit = oc.stalin_right(make(between("1925-01", "1927-12", *RIGHT)))
    assert hit and value == 1.0
    # a single month apart in 1926-27 is a miss
    broken = make(union(between("1925-01", "1926-05", *RIGHT),
                        between("1926-07", "1927-12", *RIGHT)))
    value, hit = oc.stalin_right(broken)
    assert not hit and 0 < value < 1
    # Tomsky missing from the alliance
    value, hit = oc.stalin_right(make(between("1925-01", "1927-12", *RIGHT[:3])))
    assert not hit and value == 0
    # a run that stops before 1926
    value, hit = oc.stalin_right(make(between("1922-04", "1925-12", *RIGHT),
                                      months=month_range(end="1925-12")))
    assert not hit and value == 0


def test_united_opposition():
    value, hit = oc.united_opposition(make(between("1926-03", "1927-06", *UNITED)))
    assert hit and value == month_number("1926-03")
    assert oc.united_opposition(make(between("1925-10", "1926-01", *UNITED)))[1]
    value, hit = oc.united_opposition(make(between("1927-01", "1927-10", *UNITED)))
    assert not hit and value == month_number("1927-01")
    value, hit = oc.united_opposition(make(between("1926-03", "1927-06", *UNITED[:2])))
    assert not hit and math.isnan(value)


def test_united_opposition_excludes_stalin():
    """Three leaders in Stalin's own faction are not an opposition."""
    with_stalin = make(between("1926-03", "1927-06", *UNITED, "Stalin"))
    assert not oc.united_opposition(with_stalin)[1]


def test_trotsky_leaves_politburo():
    value, hit = oc.trotsky_leaves_politburo(make(first={PB: "1926-10"}))
    assert hit and value == month_number("1926-10")
    assert oc.trotsky_leaves_politburo(make(first={PB: "1927-04"}))[1]
    assert not oc.trotsky_leaves_politburo(make(first={PB: "1925-06"}))[1]
    assert not oc.trotsky_leaves_politburo(make(first={PB: "1927-05"}))[1]
    value, hit = oc.trotsky_leaves_politburo(make())
    assert not hit and math.isnan(value)


def test_expelled_from_party():
    t, z = ("expulsion", "Trotsky", "party"), ("expulsion", "Zinoviev", "party")
    value, hit = oc.expelled_from_party(make(first={t: "1927-11", z: "1927-10"}))
    assert hit and value == month_number("1927-11")  # the later of the two
    value, hit = oc.expelled_from_party(make(first={t: "1927-11"}))
    assert not hit and math.isnan(value)
    value, hit = oc.expelled_from_party(make(first={t: "1928-02", z: "1927-10"}))
    assert not hit and value == month_number("1928-02")


def test_recantations():
    assert oc.recantations(make(recanted={"Zinoviev", "Kamenev"}, refused={"Trotsky"})) == (
        1.0, True)
    assert not oc.recantations(make(recanted={"Zinoviev"}, refused={"Trotsky"}))[1]
    assert not oc.recantations(make(recanted={"Zinoviev", "Kamenev", "Trotsky"}))[1]
    value, hit = oc.recantations(make(recanted={"Zinoviev", "Kamenev"}))
    assert not hit and value == 0.0


def test_stalin_general_secretary():
    n = len(month_range())
    assert oc.stalin_general_secretary(make(holders={"General Secretary": ["Stalin"] * n}))[1]
    vacant = ["Stalin"] * (n - 1) + [""]
    assert not oc.stalin_general_secretary(make(holders={"General Secretary": vacant}))[1]
    other = ["Stalin"] * 10 + ["Zinoviev"] * (n - 10)
    assert not oc.stalin_general_secretary(make(holders={"General Secretary": other}))[1]
    assert oc.stalin_general_secretary(make()) == (0.0, False)


def test_every_criterion_has_a_known_kind_and_unique_id():
    assert len({c.id for c in CRITERIA}) == len(CRITERIA)
    assert {c.kind for c in CRITERIA} <= {"date", "count", "share"}
    for c in CRITERIA:
        _, hit = c.measure(make())
        assert isinstance(hit, bool | np.bool_)


# --------------------------------------------------------------------------------------
# scorecard


def _row(rows: list[dict], cid: str) -> dict:
    return next(r for r in rows if r["id"] == cid)


def with_dissent(values) -> list[RunOutcome]:
    return [make(tallies={"14th Congress": (600, int(v), 0)}) for v in values]


def test_scorecard_rows_follow_the_criteria():
    rows = scorecard([make(), make()])
    assert [r["id"] for r in rows] == [c.id for c in CRITERIA]
    for r in rows:
        assert set(r) >= {"id", "statement", "recorded", "median", "low", "high", "hit_rate",
                          "criterion", "passed"}
        assert 0 <= r["hit_rate"] <= 1
        assert isinstance(r["passed"], bool)


def test_scorecard_hit_rate_and_threshold():
    n = len(month_range())
    gs = {"General Secretary": ["Stalin"] * n}
    lost = {"General Secretary": ["Stalin"] * (n - 1) + ["Zinoviev"]}
    row = _row(scorecard([make(holders=gs)] * 3 + [make(holders=lost)]),
               "stalin_general_secretary")
    assert row["hit_rate"] == 0.75 and row["passed"]
    row = _row(scorecard([make(holders=gs)] * 2 + [make(holders=lost)] * 2),
               "stalin_general_secretary")
    assert row["hit_rate"] == 0.5 and not row["passed"]


def test_scorecard_dated_median_and_interval_count_never_as_latest():
    runs = [make(first={WAR: "1925-01"})] * 3 + [make()] * 2
    row = _row(scorecard(runs), "trotsky_loses_war")
    assert row["median"] == "1925-01"
    assert row["low"] == "1925-01"
    assert row["high"] == NEVER
    assert row["hit_rate"] == 0.6 and row["passed"]
    row = _row(scorecard([make()] * 2 + [make(first={WAR: "1925-03"})]), "trotsky_loses_war")
    assert row["median"] == NEVER and not row["passed"]
    spread = [make(first={WAR: m}) for m in ("1924-08", "1925-01", "1925-02", "1925-06")]
    row = _row(scorecard(spread), "trotsky_loses_war")
    assert "1924-08" <= row["low"] <= row["median"] <= row["high"] <= "1925-06"


def test_scorecard_congress14_ensemble_tests():
    def both(values):
        rows = scorecard(with_dissent(values))
        return (_row(rows, "congress14_interval"), _row(rows, "congress14_median"))

    # centred on the record: both pass
    interval, median = both([55, 60, 63, 65, 66, 70, 75])
    assert interval["passed"] and median["passed"]
    assert interval["low"] <= 65 <= interval["high"]
    # far below the record: both fail
    interval, median = both([0, 1, 2, 3, 4, 5])
    assert not interval["passed"] and not median["passed"]
    # tight cluster within 20 of 65 but not covering it: the median test alone passes
    interval, median = both([80, 81, 82, 83, 84])
    assert not interval["passed"] and median["passed"]
    assert abs(median["median"] - 65) <= 20
    # very wide spread with a distant median: the interval test alone passes
    interval, median = both([0, 1, 2, 3, 4, 5, 6, 150])
    assert interval["passed"] and not median["passed"]
    # the ensemble test decides, not the hit rate
    assert interval["hit_rate"] == 0
    # no 14th Congress at all
    rows = scorecard([make()] * 3)
    assert not _row(rows, "congress14_interval")["passed"]
    assert not _row(rows, "congress14_median")["passed"]
    assert _row(rows, "congress14_median")["median"] is None


def test_ensemble_verdict_says_why_with_the_numbers_it_judged():
    rows = scorecard(with_dissent([80, 81, 82, 83, 84]))
    interval, median = _row(rows, "congress14_interval"), _row(rows, "congress14_median")
    # every run within ±20 of 65 (hit rate 1) and still the interval test fails: the row says
    # which test decided and with which numbers, so the two cannot be read as contradicting
    assert interval["hit_rate"] == 1.0 and not interval["passed"]
    assert interval["decided_by"] == "ensemble"
    assert interval["why"] == "5–95% interval 80–84 excludes 65"
    assert interval["shown"] == "80–84"
    assert median["passed"] and median["why"] == "median 82 is 17 from 65 (within 20)"
    rows = scorecard(with_dissent([0, 1, 2, 3]))
    assert _row(rows, "congress14_median")["why"] == "median 1 is 64 from 65 (more than 20)"
    assert _row(scorecard([make()] * 2), "congress14_interval")["why"] == "no run has a value"


def test_hit_rate_rule_says_why():
    gs = {"General Secretary": ["Stalin"] * len(month_range())}
    lost = {"General Secretary": ["Zinoviev"] * len(month_range())}
    row = _row(scorecard([make(holders=gs)] * 3 + [make(holders=lost)] * 2),
               "stalin_general_secretary")
    assert row["decided_by"] == "hit rate" and row["why"] == "hit rate 0.60 ≥ 0.6"
    row = _row(scorecard([make(holders=gs)] + [make(holders=lost)] * 2),
               "stalin_general_secretary")
    assert row["why"] == "hit rate 0.33 < 0.6" and not row["passed"]


def test_count_interval_in_whole_delegates():
    # 10 runs: numpy's default (linear) quantiles would give 64.95..78.05
    values = [64, 65, 66, 68, 70, 71, 72, 74, 76, 79]
    row = _row(scorecard(with_dissent(values)), "congress14_interval")
    for x in (row["median"], row["low"], row["high"]):
        assert float(x).is_integer() and x in values
    assert row["low"] <= 65 <= row["high"] and row["passed"]


@given(st.lists(st.integers(0, 300), min_size=1, max_size=40))
@settings(max_examples=60, deadline=None)
def test_interval_shown_is_the_interval_tested(values):
    row = _row(scorecard(with_dissent(values)), "congress14_interval")
    assert row["passed"] == (row["low"] <= 65 <= row["high"])
    assert float(row["low"]).is_integer() and float(row["high"]).is_integer()
    med = _row(scorecard(with_dissent(values)), "congress14_median")
    assert med["passed"] == (abs(med["median"] - 65) <= 20)


@given(st.integers(0, 2000), st.integers(1, 2000), st.floats(0.0, 1.0))
@settings(max_examples=300, deadline=None)
def test_rate_text_never_crosses_the_threshold(k, n, threshold):
    rate = min(k, n) / n
    shown = float(_outcomes.rate_text(rate, threshold))
    assert (shown >= threshold) == (rate >= threshold)
    assert abs(shown - rate) < 0.01


def test_rate_text_examples():
    assert _outcomes.rate_text(0.599, 0.6) == "0.59"
    assert _outcomes.rate_text(0.6, 0.6) == "0.60"
    assert _outcomes.rate_text(0.996, 1.0) == "0.99"
    assert _outcomes.rate_text(0.456, 0.6) == "0.46"


def test_title_of_wraps_and_cuts():
    assert _outcomes.title_of("the troika breaks during 1925") == "The troika breaks during 1925"
    long = ("Trotsky loses the War Commissariat within ±6 months of January 1925 and is "
            "still in the Politburo then")
    title = _outcomes.title_of(long, width=30, lines=2)
    lines = title.split("\n")
    assert len(lines) == 2 and all(len(x) <= 30 for x in lines)
    assert lines[0].startswith("Trotsky loses") and lines[1].endswith("…")


def test_scorecard_of_no_runs():
    rows = scorecard([])
    assert all(r["hit_rate"] == 0 for r in rows)
    assert all(r["median"] is None for r in rows)


# --------------------------------------------------------------------------------------
# reduce_run on a real run


@pytest.fixture(scope="module")
def real():
    scenario = load_scenario("baseline")
    model = SuccessionModel(load_scenario("baseline"), rng=1).run()
    return scenario, model, reduce_run(model, seed=1)


def test_reduce_run_shapes(real):
    _, model, o = real
    assert o.seed == "1"
    assert o.names == [ld.name for ld in model.leader_list]
    assert o.factions.shape == (len(o.months), len(o.names))
    assert len(o.months) == len(model.faction_history)
    steps = [month_number(m) for m in o.months]
    assert steps == list(range(int(steps[0]), int(steps[0]) + len(steps)))
    assert set(o.recanted).isdisjoint(o.refused)
    assert set(o.recanted) | set(o.refused) <= set(o.names)
    for office, holders in o.holders.items():
        assert len(holders) == len(o.months), office
        assert set(holders) <= set(o.names) | {""}


def test_reduce_run_tallies_every_congress_and_conference(real):
    scenario, _, o = real
    assemblies = {a.name for a in scenario.assemblies if a.kind in ("congress", "conference")}
    assert set(o.tallies) == assemblies
    by_name = {a.name: a for a in scenario.assemblies}
    for name, (yes, no, absent) in o.tallies.items():
        assert min(yes, no, absent) >= 0
        assert yes + no + absent <= by_name[name].delegates


def test_reduce_run_first_months_are_run_months(real):
    _, model, o = real
    assert o.first
    assert set(o.first.values()) <= set(o.months)
    for e in model.event_log:
        key = (e["kind"], e["who"], e["what"])
        assert o.first[key] <= e["month"]


def test_reduce_run_is_picklable_and_scorable(real):
    _, _, o = real
    back = pickle.loads(pickle.dumps(o))
    assert np.array_equal(back.factions, o.factions)
    assert back.first == o.first and back.tallies == o.tallies
    rows = scorecard([o])
    assert all(r["hit_rate"] in (0.0, 1.0) for r in rows)


def test_scorecard_text_and_markdown_give_the_reason():
    from model.analysis.validation import Validation

    outs = with_dissent([80, 81, 82, 83, 84])
    v = Validation(scenario="x", runs=5, base_seed=1, model=scorecard(outs), baselines={},
                   outcomes=outs, baseline_outcomes={}, criteria=CRITERIA)
    line = next(x for x in v.text().splitlines() if x.startswith("congress14_interval"))
    assert "1.00*" in line and "NO" in line and "80–84 excludes 65" in line
    assert "80..84" in line  # the interval in whole delegates
    md = v.markdown()
    assert "**no**: 5–95% interval 80–84 excludes 65" in md
    assert "information only" in md


def test_hit_text_shows_the_decided_rate_and_stars_an_ensemble_decision():
    assert _outcomes.hit_text({"hit_rate": 0.599, "decided_by": "hit rate",
                               "shown": _outcomes.rate_text(0.599, 0.6)}) == "0.59"
    row = {"hit_rate": 0.2996, "decided_by": "ensemble", "shown": "13–93"}
    assert _outcomes.hit_text(row) == "0.30*"
    assert _outcomes.hit_text(row, star=False) == "0.30"
