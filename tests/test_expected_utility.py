"""Tests for Bueno de Mesquita's expected-utility model (``model/engine/expected_utility.py``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine.expected_utility import (
    challenge_round,
    eu_coalitions,
    expected_utility,
    expected_utility_with_risk,
    median_position,
    pairwise_votes,
    principal_projection,
    risk_exponents,
    run_rounds,
    success_probability,
    utilities,
    weighted_median,
)

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
weight = st.floats(min_value=0.01, max_value=10.0, allow_nan=False)


@st.composite
def actors(draw, min_size=2, max_size=8):
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    c = draw(st.lists(weight, min_size=n, max_size=n))
    x = draw(st.lists(unit, min_size=n, max_size=n))
    s = draw(st.lists(st.floats(min_value=0.05, max_value=1.0), min_size=n, max_size=n))
    return np.array(c), np.array(x), np.array(s)


# ---- the median voter ----------------------------------------------------------------


def test_weighted_median_values():
    assert weighted_median([0.0, 0.5, 1.0], [1, 1, 1]) == 0.5
    assert weighted_median([0.0, 0.5, 1.0], [3, 1, 1]) == 0.0
    assert weighted_median([1.0, 0.0, 0.5], [1, 1, 3]) == 0.5  # order of input is free
    assert weighted_median([0.2, 0.9], [1, 1]) == pytest.approx(0.55)  # exact split
    assert weighted_median([0.0, 0.5, 1.0], [1, 0, 1]) == 0.5  # zero weight skipped
    assert weighted_median([0.3], [2]) == 0.3
    with pytest.raises(ValueError):
        weighted_median([0.1, 0.2], [0, 0])
    # capability and salience multiply
    assert median_position([1, 1, 4], [0.1, 0.2, 0.9], [1, 1, 0.25]) == 0.2
    assert median_position([1, 1, 4], [0.1, 0.2, 0.9], [1, 1, 1.0]) == 0.9


@settings(max_examples=200, deadline=None)
@given(actors())
def test_the_median_beats_or_ties_every_position(a):
    c, x, s = a
    mu = median_position(c, x, s)
    w = c * s
    for y in x:
        # net vote for mu over y
        assert np.sum(w * (np.abs(x - y) - np.abs(x - mu))) >= -1e-9


# ---- probabilities and expected utilities --------------------------------------------


@settings(max_examples=100, deadline=None)
@given(actors())
def test_probabilities(a):
    c, x, s = a
    p = success_probability(c, x, s)
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diag(p) == 0)
    off = ~np.eye(len(x), dtype=bool)
    assert np.allclose((p + p.T)[off], 1.0)


def test_probability_follows_the_votes():
    # a strong actor near 0.2 makes 0.2 prevail over 0.8
    c, x, s = [5, 1, 1], [0.2, 0.8, 0.25], [1, 1, 1]
    p = success_probability(c, x, s)
    assert p[0, 1] > 0.5 > p[1, 0]
    assert p[2, 1] > 0.5
    v = pairwise_votes(c, x, s)
    assert v[0, 1] == pytest.approx(-v[1, 0]) and v[0, 1] > 0
    assert np.all(np.diag(v) == 0)


def test_symmetric_actors_have_symmetric_expected_utilities():
    # two equal actors placed symmetrically about an equal third at the centre
    c, x, s = [1, 1, 1], [0.2, 0.8, 0.5], [0.7, 0.7, 0.7]
    eu = expected_utility(c, x, s)
    assert eu[0, 1] == pytest.approx(eu[1, 0])
    assert eu[0, 2] == pytest.approx(eu[1, 2])
    assert eu[2, 0] == pytest.approx(eu[2, 1])


@settings(max_examples=100, deadline=None)
@given(actors(), st.sampled_from([1.0, "endogenous"]))
def test_mirroring_the_issue_changes_nothing(a, risk):
    # x -> 1 - x preserves every distance, and the median mirrors with the positions
    c, x, s = a
    eu = expected_utility_with_risk(c, x, s, risk)
    mirrored = expected_utility_with_risk(c, 1 - x, s, risk)
    assert np.allclose(eu, mirrored, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(actors(), st.sampled_from([1.0, 0.5, 2.0, "endogenous"]))
def test_an_actor_never_challenges_itself(a, risk):
    c, x, s = a
    eu = expected_utility_with_risk(c, x, s, risk)
    assert np.all(np.diag(eu) == 0)
    # one actor alone moves nowhere
    assert challenge_round([1.0], [0.3], [1.0])[0] == 0.3


def test_utilities_at_risk_one():
    # r = 1: U_s = 2d, U_f = -2d, U_sq = 0
    u = utilities([0.0, 0.25, 1.0], mu=0.25, r=1.0)
    d = np.abs(np.array([0.0, 0.25, 1.0])[:, None] - np.array([0.0, 0.25, 1.0])[None, :])
    assert np.allclose(u["Us"], 2 * d)
    assert np.allclose(u["Uf"], -2 * d)
    assert np.allclose(u["Usq"], 0)
    assert np.all(u["Ub"] >= u["Uw"])


def test_expected_utility_by_hand():
    # Two actors, r = 1, Q = 1: EU_ij = s_j (P U_s + (1 - P) U_f) + (1 - s_j) U_s with
    # U_s = 2d, U_f = -2d. Votes: each votes for itself with weight c s d, so
    # P_01 = c0 s0 / (c0 s0 + c1 s1) = 3 * 0.5 / (3 * 0.5 + 1 * 1) = 0.6.
    c, x, s = [3, 1], [0.0, 0.5], [0.5, 1.0]
    eu = expected_utility(c, x, s)
    d = 0.5
    assert eu[0, 1] == pytest.approx(1.0 * (0.6 * 2 * d - 0.4 * 2 * d) + 0.0)
    assert eu[1, 0] == pytest.approx(0.5 * (0.4 * 2 * d - 0.6 * 2 * d) + 0.5 * 2 * d)


def test_risk_exponents():
    eu = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0]])
    # dangers (column sums): 0.5, 1.0, 0.0 -> R = 0, 1, -1 -> r = 1, 1/2, 2
    assert np.allclose(risk_exponents(eu), [1.0, 0.5, 2.0])
    assert np.allclose(risk_exponents(np.zeros((3, 3))), 1.0)
    with pytest.raises(ValueError, match="risk"):
        expected_utility_with_risk([1, 1], [0, 1], [1, 1], "cautious")


# ---- rounds ----------------------------------------------------------------------------


def test_a_dominant_actor_attracts_the_others():
    c, x, s = [10, 1, 1, 1, 1], [0.8, 0.1, 0.3, 0.5, 0.95], [0.8] * 5
    path = run_rounds(c, x, s, 10)
    gaps = np.abs(path[:, 1:] - path[:, [0]]).mean(axis=1)
    assert np.all(np.diff(gaps) < 0)  # every round brings the others closer
    assert gaps[-1] < 0.25 * gaps[0]
    assert np.all(path[:, 0] == 0.8)  # the dominant actor does not move
    # endogenous risk too
    path = run_rounds(c, x, s, 10, risk="endogenous")
    gaps = np.abs(path[:, 1:] - path[:, [0]]).mean(axis=1)
    assert gaps[-1] < 0.25 * gaps[0]


@settings(max_examples=100, deadline=None)
@given(actors())
def test_moves_stay_between_the_positions(a):
    c, x, s = a
    new = challenge_round(c, x, s)
    assert np.all(new >= x.min() - 1e-12) and np.all(new <= x.max() + 1e-12)


def test_equal_actors_at_one_position_stay():
    assert np.array_equal(challenge_round([1, 1], [0.4, 0.4], [1, 1]), [0.4, 0.4])


# ---- coalitions ----------------------------------------------------------------------


def test_two_camps_make_two_blocs():
    c, x, s = [1] * 6, [0.1, 0.15, 0.2, 0.8, 0.85, 0.9], [0.9] * 6
    assert eu_coalitions(c, x, s) == [[0, 1, 2], [3, 4, 5]]


def test_the_other_side_of_the_median_is_another_bloc():
    c, x, s = [10, 1, 1, 1, 1], [0.8, 0.1, 0.3, 0.5, 0.95], [0.8] * 5
    blocs = eu_coalitions(c, x, s)
    assert sorted(i for b in blocs for i in b) == list(range(5))  # a partition
    assert [4] in blocs  # above the median of 0.8, alone
    assert blocs[0][0] == 0  # the strongest founds the first bloc


def test_confronting_actors_are_not_in_one_bloc():
    # low salience makes near-equals confront each other (both expect to gain)
    c, x, s = [1, 1.05, 1], [0.1, 0.2, 0.9], [0.3, 0.3, 0.3]
    eu = expected_utility(c, x, s)
    assert eu[0, 1] > 0 and eu[1, 0] > 0
    blocs = eu_coalitions(c, x, s)
    assert not any({0, 1} <= set(b) for b in blocs)


def test_no_challenge_rule_is_stricter():
    c, x, s = [1] * 6, [0.1, 0.15, 0.2, 0.8, 0.85, 0.9], [0.9] * 6
    strict = eu_coalitions(c, x, s, rule="no_challenge")
    loose = eu_coalitions(c, x, s)
    assert len(strict) >= len(loose)
    with pytest.raises(ValueError, match="rule"):
        eu_coalitions(c, x, s, rule="friends")


@settings(max_examples=100, deadline=None)
@given(actors(), st.sampled_from(["no_confrontation", "no_challenge"]))
def test_blocs_partition_the_actors_without_hostile_pairs(a, rule):
    c, x, s = a
    blocs = eu_coalitions(c, x, s, rule=rule)
    assert sorted(i for b in blocs for i in b) == list(range(len(x)))
    eu = expected_utility(c, x, s)
    for b in blocs:
        for i in b:
            for j in b:
                if i != j:
                    assert not (eu[i, j] > 0 and eu[j, i] > 0)


def test_bad_inputs():
    with pytest.raises(ValueError):
        expected_utility([1, 1], [0.1], [1, 1])
    with pytest.raises(ValueError):
        expected_utility([1, -1], [0.1, 0.2], [1, 1])
    with pytest.raises(ValueError):
        expected_utility([1, 1], [0.1, 0.2], [1, 1.5])


# ---- projection ----------------------------------------------------------------------


def test_principal_projection():
    line = np.array([[-1.0, -0.5], [0.0, 0.0], [0.5, 0.25], [1.0, 0.5]])
    t = principal_projection(line)
    assert t[0] == 0.0 and t[-1] == 1.0
    assert np.all(np.diff(t) > 0)  # order along the line kept, increasing with x
    assert np.allclose(principal_projection(line[::-1]), t[::-1])
    assert np.allclose(principal_projection([[0.3, 0.3], [0.3, 0.3]]), 0.5)
    vertical = principal_projection([[0.0, -1.0], [0.0, 1.0], [0.0, 0.0]])
    assert np.allclose(vertical, [0.0, 1.0, 0.5])
