"""Tests for the contingency measures of ``model/analysis/histories.py``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.analysis.histories import (
    contingency,
    contingency_markdown,
    entropy_bits,
    event_spread,
    history,
    history_counts,
    period,
)
from model.analysis.outcomes import RunOutcome

DROP = ("dropped", "Zinoviev", "Stalin")
WAR = ("office_loss", "Trotsky", "War Commissar")
PARTY = ("expulsion", "Trotsky", "party")
RECANT = ("recantation", "Kamenev", "")


def run(seed: str, first: dict) -> RunOutcome:
    months = [f"{1922 + k // 12}-{k % 12 + 1:02d}" for k in range(72)]
    return RunOutcome(seed=seed, months=months, names=["A"], factions=np.zeros((72, 1), int),
                      first=first, tallies={}, recanted=set(), refused=set(), holders={})


def test_history_orders_by_month_then_event_and_skips_other_kinds():
    o = run("0", {PARTY: "1927-11", WAR: "1925-01", DROP: "1925-01",
                  ("appointment", "Frunze", "War Commissar"): "1925-01",
                  ("coalition", "Kamenev", "Trotsky, Kamenev"): "1926-06"})
    assert history(o) == (("1925-01", *DROP), ("1925-01", *WAR), ("1927-11", *PARTY))
    assert history(o, "order") == (DROP, WAR, PARTY)
    assert history(o, kinds=("expulsion",)) == (("1927-11", *PARTY),)


def test_quarters_merge_months_and_order_by_event_within_a_quarter():
    a = run("a", {WAR: "1925-01", DROP: "1925-03"})
    b = run("b", {WAR: "1925-02", DROP: "1925-01"})
    assert history(a) != history(b)
    assert history(a, "quarter") == history(b, "quarter") == (
        ("1925-Q1", *DROP), ("1925-Q1", *WAR))
    # but the order of events tells them apart
    assert history(a, "order") == (WAR, DROP)
    assert history(b, "order") == (DROP, WAR)


def test_period():
    assert period("1925-03", "quarter") == "1925-Q1"
    assert period("1925-04", "quarter") == "1925-Q2"
    assert period("1925-12", "quarter") == "1925-Q4"
    assert period("1925-12", "month") == "1925-12"
    assert period("1925-12", "order") == ""
    with pytest.raises(ValueError, match="resolution"):
        period("1925-12", "year")
    with pytest.raises(ValueError, match="resolution"):
        history(run("0", {}), "year")


def test_one_history_for_all_runs():
    runs = [run(str(k), {WAR: "1925-01", PARTY: "1927-11"}) for k in range(10)]
    c = contingency(runs)
    assert c["distinct"] == 1
    assert c["distinct_per_100"] == 10.0
    assert c["entropy_bits"] == 0.0
    assert c["top_share"] == 1.0
    assert c["top_history"] == (("1925-01", *WAR), ("1927-11", *PARTY))


def test_every_run_its_own_history():
    runs = [run(str(k), {WAR: f"1925-{k + 1:02d}"}) for k in range(8)]
    c = contingency(runs)
    assert c["distinct"] == 8
    assert c["distinct_per_100"] == 100.0
    assert c["entropy_bits"] == pytest.approx(3.0)  # log2 8
    assert c["max_entropy_bits"] == pytest.approx(3.0)
    assert c["top_share"] == 1 / 8
    # by quarter, months 1-3, 4-6, 7-8: three histories of 3, 3, 2 runs
    q = contingency(runs, "quarter")
    assert q["distinct"] == 3
    expected = -(2 * (3 / 8) * math.log2(3 / 8) + (2 / 8) * math.log2(2 / 8))
    assert q["entropy_bits"] == pytest.approx(expected)
    assert q["top_share"] == 3 / 8
    assert q["top_history"] == (("1925-Q1", *WAR),)  # tie with Q2 broken by sort order
    assert contingency(runs, "order")["distinct"] == 1


def test_two_equal_halves_have_one_bit():
    runs = [run("a", {WAR: "1925-01"})] * 5 + [run("b", {})] * 5
    c = contingency(runs)
    assert c["distinct"] == 2
    assert c["entropy_bits"] == pytest.approx(1.0)
    assert c["entropy_bits_mm"] == pytest.approx(1.0 + 1 / (2 * 10 * math.log(2)))
    assert history_counts(runs)[()] == 5


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=60))
def test_entropy_bounds(labels):
    runs = [run(str(k), {WAR: f"1925-{x + 1:02d}"}) for k, x in enumerate(labels)]
    c = contingency(runs)
    assert 0.0 <= c["entropy_bits"] <= math.log2(c["distinct"]) + 1e-12
    assert c["top_share"] >= 1 / c["distinct"] - 1e-12
    assert c["distinct"] == len(set(labels))


def test_entropy_bits_refuses_empty():
    with pytest.raises(ValueError):
        entropy_bits([])
    assert entropy_bits([4, 0, 4]) == pytest.approx(1.0)


def test_event_spread():
    runs = [run(str(k), {WAR: f"1925-{k + 1:02d}"}) for k in range(10)]
    runs += [run("x", {PARTY: "1927-11"})] + [run(f"n{k}", {}) for k in range(9)]
    rows = event_spread(runs)
    assert [(r["kind"], r["who"], r["what"]) for r in rows] == [WAR, PARTY]
    war, party = rows
    assert war["share"] == 0.5
    # order statistics of months 1..10 of 1925: 5% -> 1st, 50% -> 5th, 95% -> 10th
    assert (war["p5"], war["p50"], war["p95"]) == ("1925-01", "1925-05", "1925-10")
    assert party["share"] == 0.05
    assert party["p5"] == party["p50"] == party["p95"] == "1927-11"
    assert [r["what"] for r in event_spread(runs, min_share=0.1)] == ["War Commissar"]


def test_markdown_report():
    runs = [run(str(k), {WAR: "1925-01", RECANT: "1927-10"}) for k in range(3)]
    md = contingency_markdown(runs)
    assert "| month | 1 | 33.3 | 0.00 |" in md
    assert "Trotsky loses War Commissar" in md
    assert "Kamenev recants" in md


def test_histories_of_model_runs():
    from model.analysis.ensemble import run_ensemble
    from model.cases.scenario import load_scenario

    outs = run_ensemble(load_scenario("baseline"), 12)
    month, quarter, order = (contingency(outs, r) for r in ("month", "quarter", "order"))
    # coarser time can only merge histories
    assert month["distinct"] >= quarter["distinct"] >= 1
    assert month["distinct"] >= order["distinct"] >= 1
    assert all(0 < c["runs"] == 12 for c in (month, quarter, order))
    spread = event_spread(outs)
    assert spread and all(0 < r["share"] <= 1 and r["p5"] <= r["p50"] <= r["p95"]
                          for r in spread)
