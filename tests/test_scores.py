"""Tests for the proper scores of ``model/analysis/scores.py``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.analysis.outcomes import CRITERIA, RunOutcome, month_number
from model.analysis.scores import (
    brier,
    censor,
    crps_ensemble,
    horizon_cap,
    log_score,
    mean_scores,
    parse_recorded,
    recorded_value,
    score_criteria,
    skill,
    skill_rows,
)

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def crps_by_integral(x, y) -> float:
    """CRPS from its definition, ∫ (F_n(z) - 1{z >= y})² dz, integrated exactly: the
    integrand is constant between consecutive points of the ensemble and y."""
    x = np.sort(np.asarray(x, dtype=float))
    points = np.sort(np.append(x, y))
    total = 0.0
    for a, b in zip(points[:-1], points[1:], strict=True):
        if b <= a:
            continue
        mid = (a + b) / 2
        f = np.mean(x <= mid)
        total += (f - (1.0 if mid >= y else 0.0)) ** 2 * (b - a)
    return total


def crps_by_pairs(x, y) -> float:
    """CRPS in the energy form with the O(n²) double sum."""
    x = np.asarray(x, dtype=float)
    return float(np.mean(np.abs(x - y)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :])))


# ---- CRPS ----------------------------------------------------------------------------


def test_point_ensemble_scores_its_absolute_error():
    assert crps_ensemble([3.0], 7.5) == pytest.approx(4.5)
    assert crps_ensemble([3.0] * 9, 7.5) == pytest.approx(4.5)
    assert crps_ensemble([3.0] * 9, 3.0) == 0.0


def test_uniform_sample_against_its_mean_matches_the_closed_form():
    # For U(a, b) observed at its middle, CRPS = E|X - y| - ½E|X - X'| = (b-a)/4 - (b-a)/6
    # = (b - a)/12. A grid of n midpoints deviates by (b - a)/(6 n²).
    n = 1000
    a, b = 10.0, 34.0
    grid = a + (b - a) * (np.arange(n) + 0.5) / n
    assert crps_ensemble(grid, (a + b) / 2) == pytest.approx((b - a) / 12, abs=(b - a) / n**2)
    # against one end: E|X - a| = (b-a)/2, so CRPS = (b-a)/2 - (b-a)/6 = (b-a)/3
    assert crps_ensemble(grid, a) == pytest.approx((b - a) / 3, abs=(b - a) / n)


def test_fair_crps_is_unbiased_and_the_plain_one_is_not():
    # Random ensembles of 10 from U(0, 1) scored at 0.5: the fair CRPS averages to the
    # distribution's 1/12; the plain one exceeds it by E|X - X'| / (2n) = (1/3)/20.
    rng = np.random.default_rng(7)
    draws = rng.random((4000, 10))
    fair = np.mean([crps_ensemble(d, 0.5, fair=True) for d in draws])
    plain = np.mean([crps_ensemble(d, 0.5) for d in draws])
    assert fair == pytest.approx(1 / 12, abs=0.003)
    assert plain - 1 / 12 == pytest.approx(1 / 60, abs=0.003)


def test_sharp_and_wrong_scores_worse_than_spread_and_right():
    y = 100.0
    sharp_wrong = [130.0] * 20
    spread_right = np.linspace(80, 120, 20)
    assert crps_ensemble(sharp_wrong, y) > crps_ensemble(spread_right, y)
    # and sharp-and-right beats spread-and-right
    assert crps_ensemble([100.0] * 20, y) < crps_ensemble(spread_right, y)


@settings(max_examples=200, deadline=None)
@given(st.lists(finite, min_size=1, max_size=40), finite)
def test_sorted_form_equals_the_definition(x, y):
    fast = crps_ensemble(x, y)
    scale = 1.0 + max(abs(y), *(abs(v) for v in x))
    assert fast == pytest.approx(crps_by_pairs(x, y), abs=1e-9 * scale)
    assert fast == pytest.approx(crps_by_integral(x, y), abs=1e-9 * scale)
    assert fast >= -1e-9 * scale


@settings(max_examples=100, deadline=None)
@given(st.lists(finite, min_size=1, max_size=30), finite, finite)
def test_crps_is_translation_invariant_and_order_free(x, y, shift):
    base = crps_ensemble(x, y)
    tol = 1e-8 * (1.0 + abs(shift) + abs(y) + max(abs(v) for v in x))
    assert crps_ensemble([v + shift for v in x], y + shift) == pytest.approx(base, abs=tol)
    assert crps_ensemble(list(reversed(x)), y) == pytest.approx(base, abs=tol)


def test_crps_refuses_nan_and_empty():
    with pytest.raises(ValueError, match="censor"):
        crps_ensemble([1.0, math.nan], 1.0)
    with pytest.raises(ValueError, match="no samples"):
        crps_ensemble([], 1.0)


def test_censor_puts_never_beyond_the_horizon():
    assert list(censor([1.0, math.nan, 3.0], 99.0)) == [1.0, 99.0, 3.0]


# ---- yes/no outcomes -----------------------------------------------------------------


def test_brier_values():
    assert brier(1.0, False) == 1.0
    assert brier(0.0, True) == 1.0
    assert brier(1.0, True) == 0.0
    assert brier(0.5, True) == 0.25
    assert brier(0.8, True) == pytest.approx(0.04)
    with pytest.raises(ValueError):
        brier(1.2, True)


def test_log_score_floor():
    assert log_score(0.5, True) == pytest.approx(math.log(2))
    assert log_score(0.0, True) == math.inf
    # clipped at half a run out of ten: p = 1/20
    assert log_score(0.0, True, n=10) == pytest.approx(math.log(20))
    assert log_score(1.0, False, n=10) == pytest.approx(math.log(20))
    assert log_score(1.0, True, n=10) == pytest.approx(-math.log(1 - 1 / 20))
    # Jeffreys: (0 + 1/2) / (10 + 1)
    assert log_score(0.0, True, n=10, floor="jeffreys") == pytest.approx(math.log(22))
    with pytest.raises(ValueError, match="floor"):
        log_score(0.3, True, n=10, floor="laplace")


def test_skill():
    assert skill(0.5, 1.0) == 0.5
    assert skill(2.0, 1.0) == -1.0
    assert skill(0.0, 1.0) == 1.0
    assert math.isnan(skill(0.0, 0.0))
    assert skill(0.1, 0.0) == -math.inf


# ---- recorded values and criteria ----------------------------------------------------


def test_parse_recorded():
    assert parse_recorded("1925-01", "date") == month_number("1925-01")
    assert parse_recorded("1925", "date") == month_number("1925-01") + 5.5
    assert parse_recorded("1922-05..1923-12", "date") == (
        month_number("1922-05") + month_number("1923-12")) / 2
    assert parse_recorded("65", "count") == 65.0
    assert parse_recorded("yes", "share") == 1.0
    assert parse_recorded("No", "share") == 0.0
    with pytest.raises(ValueError):
        parse_recorded("1925–", "date")
    with pytest.raises(ValueError):
        parse_recorded("many", "count")


def test_recorded_value_precedence():
    c = SimpleNamespace(id="x", kind="date", recorded="1925-01")
    assert recorded_value(c) == month_number("1925-01")
    assert recorded_value(c, {"x": 5.0}) == 5.0
    assert recorded_value(SimpleNamespace(id="x", kind="date", recorded="?", truth=3)) == 3.0
    assert recorded_value(SimpleNamespace(id="x", kind="date", recorded="1925–")) is None
    assert recorded_value(SimpleNamespace(id="s", kind="share", recorded="yes")) is None


def outcome(seed: str, first: dict, tallies: dict | None = None) -> RunOutcome:
    months = [f"1925-{m:02d}" for m in range(1, 13)]
    return RunOutcome(seed=seed, months=months, names=["A", "B"],
                      factions=np.zeros((12, 2), dtype=int), first=first,
                      tallies=tallies or {}, recanted=set(), refused=set(), holders={})


@dataclass(frozen=True)
class Crit:
    id: str
    kind: str
    recorded: str

    def measure(self, o: RunOutcome):
        if self.kind == "count":
            t = o.tallies.get("congress")
            return (float(t[1]) if t else math.nan), bool(t)
        m = o.first.get(("expulsion", "A", "party"))
        if m is None:
            return math.nan, False
        return month_number(m), m <= "1925-06"


def test_score_criteria_censors_never_at_the_month_after_the_horizon():
    runs = [outcome("0", {("expulsion", "A", "party"): "1925-03"}), outcome("1", {})]
    rows = score_criteria(runs, [Crit("expelled", "date", "1925-03")])
    (row,) = rows
    # ensemble {y, cap} with cap = 1925-12 + 1 month: CRPS = (cap - y)/2 - (cap - y)/4
    cap = month_number("1926-01")
    assert horizon_cap(runs) == cap
    y = month_number("1925-03")
    assert row["crps"] == pytest.approx((cap - y) / 4)
    assert row["hit_rate"] == 0.5
    assert row["brier"] == 0.25
    assert row["log"] == pytest.approx(math.log(2))
    # a given cap moves the censored value
    far = score_criteria(runs, [Crit("expelled", "date", "1925-03")], cap=y + 20)[0]
    assert far["crps"] == pytest.approx(20 / 4)


def test_score_criteria_counts_missing_tally_as_zero():
    runs = [outcome("0", {}, {"congress": (500, 60, 0)}), outcome("1", {})]
    (row,) = score_criteria(runs, [Crit("dissent", "count", "65")])
    # ensemble {60, 0} against 65: E|X - y| = (5 + 65)/2, E|X - X'| = 60/2
    assert row["crps"] == pytest.approx(35 - 15)


def test_scores_of_the_model_on_the_criteria():
    from model.analysis.ensemble import run_ensemble
    from model.cases.scenario import load_scenario

    outs = run_ensemble(load_scenario("baseline"), 6)
    rows = score_criteria(outs, CRITERIA)
    assert [r["id"] for r in rows] == [c.id for c in CRITERIA]
    for r, c in zip(rows, CRITERIA, strict=True):
        assert 0.0 <= r["brier"] <= 1.0
        assert 0.0 <= r["log"] <= math.log(12) + 1e-12  # the floor: p >= 1/(2*6)
        if c.kind == "share":
            assert r["crps"] is None
        elif r["crps"] is not None:
            assert r["crps"] >= 0.0
    # the ensemble against itself has no skill; a perfect reference leaves NaN
    same = skill_rows(rows, rows)
    assert all(s["brier_skill"] in (0.0,) or math.isnan(s["brier_skill"]) for s in same)
    means = mean_scores(rows)
    assert set(means) == {"brier", "log", "crps"}
    assert means["brier"] == pytest.approx(np.mean([r["brier"] for r in rows]))
