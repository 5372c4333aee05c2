"""Tests for the pure coalition rules in model.engine.coalitions: each asserts its docstring."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine.coalitions import (
    apprehension,
    coalition_centre,
    exposure,
    grudge_cost,
    policy_cost,
    policy_distance,
    share_of_spoils,
    successor_threat,
    win_probability,
)

unit = st.floats(-1.0, 1.0, allow_nan=False)
point = st.tuples(unit, unit).map(np.array)


# ---- win_probability -----------------------------------------------------------------


@pytest.mark.parametrize("softness", [0.01, 0.06, 0.5])
def test_win_probability_is_half_at_half_share(softness):
    assert win_probability(0.5, softness) == pytest.approx(0.5)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.01, 1.0))
def test_win_probability_increasing_and_bounded(a, b, softness):
    lo, hi = sorted((a, b))
    p_lo, p_hi = win_probability(lo, softness), win_probability(hi, softness)
    assert 0.0 <= p_lo <= p_hi <= 1.0


def test_win_probability_strictly_increasing_near_majority():
    shares = np.linspace(0.3, 0.7, 9)
    probs = [win_probability(s, 0.06) for s in shares]
    assert all(b > a for a, b in zip(probs, probs[1:], strict=False))
    assert probs[0] < 0.5 < probs[-1]


def test_win_probability_symmetric_about_majority():
    for d in (0.05, 0.1, 0.3):
        assert win_probability(0.5 + d, 0.06) + win_probability(0.5 - d, 0.06) == (
            pytest.approx(1.0)
        )


# ---- policy_distance -----------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(point)
def test_policy_distance_zero_for_same_point(a):
    assert policy_distance(a, a) == 0.0


def test_policy_distance_one_for_opposite_corners():
    assert policy_distance(np.array([-1.0, -1.0]), np.array([1.0, 1.0])) == pytest.approx(1.0)
    assert policy_distance(np.array([-1.0, 1.0]), np.array([1.0, -1.0])) == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(point, point)
def test_policy_distance_symmetric_and_in_unit_interval(a, b):
    d = policy_distance(a, b)
    assert d == pytest.approx(policy_distance(b, a))
    assert 0.0 <= d <= 1.0 + 1e-12


# ---- coalition_centre ----------------------------------------------------------------


def test_coalition_centre_is_power_weighted():
    positions = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    powers = np.array([3.0, 1.0, 5.0])
    centre = coalition_centre([0, 1], powers, positions)
    np.testing.assert_allclose(centre, [(3 * -1 + 1 * 1) / 4, 0.0])
    # moves toward the stronger member
    powers2 = np.array([1.0, 3.0, 5.0])
    assert coalition_centre([0, 1], powers2, positions)[0] > 0


def test_coalition_centre_of_one_is_his_position():
    positions = np.array([[0.2, -0.4], [0.9, 0.9]])
    np.testing.assert_allclose(coalition_centre([0], np.array([0.5, 1.0]), positions),
                               positions[0])


def test_coalition_centre_with_no_power_is_plain_mean():
    positions = np.array([[-1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(coalition_centre([0, 1], np.zeros(2), positions), [0.0, 0.5])


# ---- share_of_spoils -----------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.01, 10.0), min_size=1, max_size=6))
def test_share_of_spoils_sums_to_one(powers):
    pw = np.array(powers)
    members = list(range(len(pw)))
    shares = [share_of_spoils(i, members, pw) for i in members]
    assert sum(shares) == pytest.approx(1.0)
    assert all(0.0 <= s <= 1.0 for s in shares)


def test_share_of_spoils_proportional_to_power_and_ignores_outsiders():
    pw = np.array([1.0, 3.0, 100.0])
    assert share_of_spoils(0, [0, 1], pw) == pytest.approx(0.25)
    assert share_of_spoils(1, [0, 1], pw) == pytest.approx(0.75)


def test_share_of_spoils_zero_power_coalition():
    assert share_of_spoils(0, [0, 1], np.zeros(2)) == 0.0


# ---- policy_cost ---------------------------------------------------------------------


def test_policy_cost_alone_is_zero():
    positions = np.array([[-1.0, -1.0], [1.0, 1.0]])
    assert policy_cost(0, [0], np.ones(2), positions) == 0.0


def test_policy_cost_is_distance_to_partners_line():
    positions = np.array([[-1.0, -1.0], [1.0, 1.0], [1.0, 1.0]])
    pw = np.array([1.0, 1.0, 2.0])
    # partners sit at the opposite corner: maximal cost, whatever his own power
    assert policy_cost(0, [0, 1, 2], pw, positions) == pytest.approx(1.0)
    # a partner at his own position costs nothing
    positions2 = np.array([[0.3, 0.3], [0.3, 0.3]])
    assert policy_cost(0, [0, 1], pw[:2], positions2) == pytest.approx(0.0)


def test_policy_cost_grows_with_gap():
    pw = np.ones(2)
    near = policy_cost(0, [0, 1], pw, np.array([[0.0, 0.0], [0.2, 0.0]]))
    far = policy_cost(0, [0, 1], pw, np.array([[0.0, 0.0], [0.8, 0.0]]))
    assert 0.0 < near < far


# ---- grudge_cost ---------------------------------------------------------------------


def test_grudge_cost_is_max_animosity_toward_partners():
    anim = np.zeros((4, 4))
    anim[0, 1] = 0.2
    anim[0, 2] = 0.7
    anim[0, 3] = 0.9  # not a partner
    anim[1, 0] = 1.0  # the other direction does not count
    assert grudge_cost(0, [0, 1, 2], anim) == pytest.approx(0.7)
    assert grudge_cost(0, [0, 1], anim) == pytest.approx(0.2)


def test_grudge_cost_alone_is_zero():
    anim = np.full((3, 3), 0.8)
    assert grudge_cost(1, [1], anim) == 0.0


# ---- apprehension --------------------------------------------------------------------


def test_apprehension_zero_below_threshold():
    pw = np.array([1.0, 1.0, 1.0])
    assert apprehension(0, [0, 1, 2], pw, threshold=0.45) == 0.0


def test_apprehension_positive_when_partner_dominates():
    pw = np.array([1.0, 8.0, 1.0])
    value = apprehension(0, [0, 1, 2], pw, threshold=0.45)
    assert value == pytest.approx(0.8 - 0.45)
    # the dominant partner himself is not apprehensive of the weaker ones
    assert apprehension(1, [0, 1, 2], pw, threshold=0.45) == 0.0


def test_apprehension_alone_or_powerless_is_zero():
    assert apprehension(0, [0], np.array([1.0, 5.0]), threshold=0.1) == 0.0
    assert apprehension(0, [0, 1], np.zeros(2), threshold=0.1) == 0.0


def test_apprehension_increases_with_partner_power():
    vals = [apprehension(0, [0, 1], np.array([1.0, p]), 0.45) for p in (2.0, 4.0, 8.0)]
    assert vals[0] < vals[1] < vals[2]


# ---- successor_threat ----------------------------------------------------------------


def test_successor_threat_is_feared_share_of_all_power():
    pw = np.array([1.0, 2.0, 1.0, 4.0])  # index 3 is outside the coalition
    assert successor_threat(0, [0, 1], pw, feared=1) == pytest.approx(2.0 / 8.0)


def test_successor_threat_zero_when_feared_absent_or_self_or_none():
    pw = np.array([1.0, 2.0, 3.0])
    assert successor_threat(0, [0, 1], pw, feared=2) == 0.0
    assert successor_threat(0, [0, 1], pw, feared=0) == 0.0
    assert successor_threat(0, [0, 1], pw, feared=-1) == 0.0


def test_successor_threat_zero_without_power():
    assert successor_threat(0, [0, 1], np.zeros(2), feared=1) == 0.0


# ---- exposure ------------------------------------------------------------------------


def test_exposure_zero_with_no_rival():
    assert exposure(1.0, 0.0, 0.9) == 0.0


def test_exposure_decreasing_in_own_power():
    vals = [exposure(own, 2.0, 0.8) for own in (0.0, 0.5, 1.0, 4.0)]
    assert all(b < a for a, b in zip(vals, vals[1:], strict=False))
    assert vals[0] == pytest.approx(0.8)  # powerless: fully exposed to the rival's win


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 5.0), st.floats(0.01, 5.0), st.floats(0.0, 1.0))
def test_exposure_scales_with_rival_win(own, rival, win):
    assert exposure(own, rival, win) == pytest.approx(win * exposure(own, rival, 1.0))
    assert 0.0 <= exposure(own, rival, win) <= win + 1e-12
