"""Tests for model.engine.aes: the Acemoglu-Egorov-Sonin (2008) ruling-coalition solver.

The solver is checked against (1) an independent brute-force implementation of the
recursive definition in exact rational arithmetic (near-ties included), (2) properties
published in AES (2008), and (3) its error handling.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.engine.aes import (
    MAX_PLAYERS,
    indices_to_mask,
    mask_to_indices,
    power_sums,
    ruling_coalition,
    ruling_coalition_members,
    self_enforcing,
)

# --------------------------------------------------------------------------------------
# Brute-force reference: the recursive definition, straight from AES (2008), O(3^n).
# --------------------------------------------------------------------------------------


def _gamma(powers, mask: int) -> Fraction:
    # Exact rational sum of the powers as given (a float is a dyadic rational): the
    # definition's arithmetic, independent of the order of the players.
    return sum((Fraction(float(p)) for i, p in enumerate(powers) if mask >> i & 1),
               Fraction(0))


def _proper_nonempty_submasks(mask: int):
    sub = (mask - 1) & mask
    while sub:
        yield sub
        sub = (sub - 1) & mask


def brute_self_enforcing(powers, alpha: float) -> dict[int, bool]:
    """SE flag per non-empty mask by the literal definition: singletons are SE; X is SE
    iff no proper subset Z that is SE has gamma(Z) > alpha * gamma(X)."""
    n = len(powers)
    masks = sorted(range(1, 1 << n), key=lambda m: bin(m).count("1"))
    gamma = {m: _gamma(powers, m) for m in masks}
    se: dict[int, bool] = {}
    for x in masks:
        if bin(x).count("1") == 1:
            se[x] = True
            continue
        threshold = Fraction(alpha) * gamma[x]
        se[x] = not any(
            se[z] and gamma[z] > threshold for z in _proper_nonempty_submasks(x)
        )
    return se


def brute_ruling(powers, alpha: float) -> int:
    """Least-power SE coalition winning within N; ties -> smallest mask."""
    n = len(powers)
    full = (1 << n) - 1
    se = brute_self_enforcing(powers, alpha)
    threshold = Fraction(alpha) * _gamma(powers, full)
    cands = [y for y in range(1, full + 1) if se[y] and _gamma(powers, y) > threshold]
    return min(cands, key=lambda y: (_gamma(powers, y), y))


def _largest_mersenne_leq(n: int) -> int:
    """Largest 2^k - 1 <= n."""
    return (1 << (n + 1).bit_length() - 1) - 1


def _nearly_equal_exact(n: int, rng: np.random.Generator) -> np.ndarray:
    """Powers 2^30 + 2^pi(i): nearly equal (relative spread < 1e-4), every subset sum is
    distinct and exactly representable, so the game is generic with exact arithmetic."""
    return 2.0**30 + 2.0 ** rng.permutation(n).astype(np.float64)


alphas = st.one_of(
    st.sampled_from([0.5, 0.6, 2 / 3, 0.75]),
    st.floats(min_value=0.5, max_value=0.95, allow_nan=False),
)
float_powers = st.lists(
    st.floats(min_value=0.01, max_value=100.0, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=8,
)

# --------------------------------------------------------------------------------------
# (1) Agreement with the brute-force reference
# --------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(powers=float_powers, alpha=alphas)
def test_matches_bruteforce_hypothesis(powers, alpha):
    ref = brute_self_enforcing(powers, alpha)
    se = self_enforcing(np.array(powers), alpha)
    assert not se[0]
    assert [bool(se[m]) for m in range(1, 1 << len(powers))] == [
        ref[m] for m in range(1, 1 << len(powers))
    ]
    assert ruling_coalition(np.array(powers), alpha) == brute_ruling(powers, alpha)


@pytest.mark.parametrize("seed", range(40))
def test_matches_bruteforce_seeded_generic(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    powers = rng.lognormal(0.0, 1.0, n)
    alpha = float(rng.choice([0.5, rng.uniform(0.5, 0.95)]))
    ref = brute_self_enforcing(list(powers), alpha)
    se = self_enforcing(powers, alpha)
    assert all(bool(se[m]) == ref[m] for m in ref)
    assert ruling_coalition(powers, alpha) == brute_ruling(list(powers), alpha)


@settings(max_examples=100, deadline=None)
@given(powers=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=7))
def test_matches_bruteforce_with_exact_ties(powers):
    # Small integer powers with alpha = 1/2 produce many exact ties; all arithmetic is
    # exact, so the strict "winning" inequality and the smallest-mask tie-break must agree.
    p = np.array(powers, dtype=float)
    ref = brute_self_enforcing(powers, 0.5)
    se = self_enforcing(p, 0.5)
    assert all(bool(se[m]) == ref[m] for m in ref)
    assert ruling_coalition(p, 0.5) == brute_ruling(powers, 0.5)


# Powers with two decimals, as a scenario would write them: their float sums are full of
# near-ties (e.g. 1.17 + 0.72 and 1.89 are equal as floats only by luck of rounding).
decimal_powers = st.lists(st.integers(min_value=1, max_value=300).map(lambda k: k / 100),
                          min_size=2, max_size=7)
tie_alphas = st.sampled_from([0.5, 0.6, 2 / 3, 0.75, 0.8])


@settings(max_examples=150, deadline=None)
@given(powers=decimal_powers, alpha=tie_alphas)
def test_matches_exact_reference_on_decimal_near_ties(powers, alpha):
    ref = brute_self_enforcing(powers, alpha)
    se = self_enforcing(np.array(powers), alpha)
    assert all(bool(se[m]) == ref[m] for m in ref)
    assert ruling_coalition(np.array(powers), alpha) == brute_ruling(powers, alpha)


@settings(max_examples=150, deadline=None)
@given(others=st.lists(st.floats(min_value=0.01, max_value=10.0), min_size=2, max_size=6),
       data=st.data(), ulps=st.integers(min_value=-3, max_value=3),
       alpha=st.sampled_from([0.5, 2 / 3]))
def test_matches_exact_reference_when_a_player_is_a_coalition_give_or_take_an_ulp(
        others, data, ulps, alpha):
    # One more player whose power is the float sum of some others (scaled by alpha / (1 -
    # alpha), where he is exactly pivotal) moved by a few units in the last place: the
    # comparisons of the walk are decided by less than its float error.
    subset = data.draw(st.sets(st.sampled_from(range(len(others))), min_size=1))
    pivot = float(sum(others[i] for i in sorted(subset))) * alpha / (1 - alpha)
    for _ in range(abs(ulps)):
        pivot = math.nextafter(pivot, math.inf if ulps > 0 else 0.0)
    powers = [*others, pivot]
    ref = brute_self_enforcing(powers, alpha)
    se = self_enforcing(np.array(powers), alpha)
    assert all(bool(se[m]) == ref[m] for m in ref)
    assert ruling_coalition(np.array(powers), alpha) == brute_ruling(powers, alpha)


@settings(max_examples=150, deadline=None)
@given(powers=decimal_powers, alpha=tie_alphas, data=st.data())
def test_ruling_coalition_does_not_depend_on_the_order_of_the_players(powers, alpha, data):
    # Without exact ties in power among the winning SE coalitions of least power the answer
    # is one set of players, however they are numbered.
    order = data.draw(st.permutations(range(len(powers))))
    ref = brute_ruling(powers, alpha)
    g = _gamma(powers, ref)
    full = (1 << len(powers)) - 1
    se = brute_self_enforcing(powers, alpha)
    threshold = Fraction(alpha) * _gamma(powers, full)
    assume(sum(1 for y in se if se[y] and _gamma(powers, y) > threshold
               and _gamma(powers, y) == g) == 1)
    members = ruling_coalition_members([powers[k] for k in order], alpha)
    assert sorted(order[k] for k in members) == mask_to_indices(ref)


def test_the_issue_example_is_the_same_coalition_in_either_order():
    # {1, 4, 5} has 1.89 + 1.17 + 0.72 = 3.78 > 7.46 / 2 and is SE: player 1's 1.89 is
    # exactly half of it (1.17 + 0.72 == 1.89 also in binary floats), not more. Summed in
    # float in the given order, 1.89 + 1.17 + 0.72 rounds below twice 1.89, so a float
    # solver finds player 1 winning within {1, 4, 5} and answers {1, 2, 3} (3.95).
    powers = [0.46, 1.89, 0.93, 1.13, 1.17, 0.72, 1.16]
    assert Fraction(1.17) + Fraction(0.72) == Fraction(1.89)
    assert ruling_coalition_members(powers, 0.5) == [1, 4, 5]
    assert ruling_coalition_members(powers[::-1], 0.5) == [1, 2, 5]  # the same players


def test_tie_break_smallest_mask():
    # Three equal players, majority rule: a singleton has 1 of 3 (not winning), each pair
    # is SE (neither member has strictly more than half of it) and winning (2 > 1.5), so N
    # is not SE; the three pairs tie at power 2 and the smallest mask {0, 1} is chosen.
    se = self_enforcing(np.ones(3))
    assert se[0b011] and se[0b101] and se[0b110]
    assert not se[0b111]
    assert ruling_coalition(np.ones(3)) == 0b011


# --------------------------------------------------------------------------------------
# (2) Published properties (AES 2008)
# --------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    a=st.floats(min_value=0.01, max_value=100.0),
    b=st.floats(min_value=0.01, max_value=100.0),
)
def test_two_player_coalitions_not_self_enforcing(a, b):
    assume(abs(a - b) > 1e-9 * max(a, b))  # genericity: no (near-)tie between the two
    se = self_enforcing(np.array([a, b]), 0.5)
    assert not se[0b11]
    # ... so the stronger player rules alone.
    assert ruling_coalition(np.array([a, b]), 0.5) == (0b01 if a > b else 0b10)


@pytest.mark.parametrize("seed", range(10))
def test_no_pair_self_enforcing_in_larger_game(seed):
    rng = np.random.default_rng(100 + seed)
    powers = rng.uniform(0.1, 10.0, 7)
    se = self_enforcing(powers, 0.5)
    for i, j in itertools.combinations(range(7), 2):
        assert not se[(1 << i) | (1 << j)]


@pytest.mark.parametrize("seed", range(10))
def test_three_player_self_enforcing_iff_no_member_has_majority(seed):
    rng = np.random.default_rng(200 + seed)
    powers = rng.uniform(0.1, 10.0, 7)
    se = self_enforcing(powers, 0.5)
    seen = set()
    for trio in itertools.combinations(range(7), 3):
        p = powers[list(trio)]
        expected = bool(p.max() <= p.sum() / 2)
        seen.add(expected)
        assert bool(se[indices_to_mask(trio)]) == expected
    assert seen == {True, False}  # both cases actually exercised


@settings(max_examples=100, deadline=None)
@given(
    p=st.lists(st.floats(min_value=0.01, max_value=10.0), min_size=3, max_size=3, unique=True),
)
def test_three_player_game(p):
    powers = np.array(p)
    total = powers.sum()
    # Genericity: no near-equal pair, no member with (almost) exactly half the power.
    assume(all(abs(x - y) > 1e-9 * total for x, y in itertools.combinations(p, 2)))
    assume(abs(powers.max() - total / 2) > 1e-9 * total)
    expected = bool(powers.max() <= total / 2)
    assert bool(self_enforcing(powers, 0.5)[0b111]) == expected
    if expected:
        assert ruling_coalition(powers, 0.5) == 0b111


@settings(max_examples=100, deadline=None)
@given(
    others=st.lists(st.floats(min_value=0.01, max_value=10.0), min_size=0, max_size=7),
    alpha=alphas,
    position=st.integers(min_value=0, max_value=7),
    margin=st.floats(min_value=0.01, max_value=10.0),
)
def test_player_with_more_than_alpha_rules_alone(others, alpha, position, margin):
    pos = min(position, len(others))
    rest = float(sum(others))
    # share = d / (d + rest) > alpha  <=>  d > alpha / (1 - alpha) * rest
    d = alpha / (1 - alpha) * rest * (1 + margin) + 0.01
    powers = np.array(others[:pos] + [d] + others[pos:])
    assert d > alpha * powers.sum()
    assert ruling_coalition(powers, alpha) == 1 << pos
    assert ruling_coalition_members(powers, alpha) == [pos]


@pytest.mark.parametrize("n", range(2, 17))
def test_nearly_equal_powers_ruling_size_is_mersenne(n):
    # AES: with (nearly) equal powers and majority rule, self-enforcing coalitions have
    # size 2^k - 1, and the ruling coalition of N has the largest such size <= |N|.
    rng = np.random.default_rng(n)
    for powers in (
        _nearly_equal_exact(n, rng),
        1.0 + 1e-4 * rng.uniform(0.0, 1.0, n),
    ):
        size = len(mask_to_indices(ruling_coalition(powers, 0.5)))
        assert size in {1, 3, 7, 15}
        assert size == _largest_mersenne_leq(n)


def test_nearly_equal_examples():
    rng = np.random.default_rng(7)
    assert len(ruling_coalition_members(_nearly_equal_exact(4, rng))) == 3
    assert len(ruling_coalition_members(_nearly_equal_exact(8, rng))) == 7
    assert len(ruling_coalition_members(_nearly_equal_exact(3, rng))) == 3
    assert len(ruling_coalition_members(_nearly_equal_exact(2, rng))) == 1


def test_nearly_equal_all_self_enforcing_sizes_are_mersenne():
    n = 11
    powers = _nearly_equal_exact(n, np.random.default_rng(3))
    se = self_enforcing(powers, 0.5)
    for mask in range(1, 1 << n):
        assert bool(se[mask]) == (bin(mask).count("1") in {1, 3, 7})


@pytest.mark.parametrize("seed", range(25))
def test_ruling_coalition_is_winning_self_enforcing_and_minimal(seed):
    rng = np.random.default_rng(300 + seed)
    n = int(rng.integers(1, 13))
    powers = rng.lognormal(0.0, 0.7, n)
    alpha = float(rng.choice([0.5, 2 / 3, rng.uniform(0.5, 0.9)]))
    se = self_enforcing(powers, alpha)
    g = power_sums(powers)
    full = (1 << n) - 1
    r = ruling_coalition(powers, alpha)
    assert 0 < r <= full
    assert se[r]
    assert g[r] > alpha * g[full]
    # No lighter SE coalition is winning within N.
    winning_se = [m for m in range(1, full + 1) if se[m] and g[m] > alpha * g[full]]
    assert g[r] == min(g[m] for m in winning_se)
    # N rules itself iff it is self-enforcing.
    assert (r == full) == bool(se[full])
    # A self-enforcing coalition is its own ruling coalition (Phi(X) = X).
    members = mask_to_indices(r)
    assert ruling_coalition(powers[members], alpha) == (1 << len(members)) - 1


def test_singletons_self_enforcing_and_empty_not():
    powers = np.array([3.0, 1.0, 4.0, 1.5])
    se = self_enforcing(powers, 0.5)
    assert se.dtype == bool and se.shape == (16,)
    assert not se[0]
    assert all(se[1 << i] for i in range(4))


def test_larger_game_runs_and_is_consistent():
    rng = np.random.default_rng(11)
    powers = rng.uniform(0.5, 2.0, 16)
    r = ruling_coalition(powers)
    se = self_enforcing(powers)
    g = power_sums(powers)
    assert se[r] and g[r] > 0.5 * g[-1]


# --------------------------------------------------------------------------------------
# Helpers and API
# --------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(powers=st.lists(st.floats(min_value=0.01, max_value=100.0), min_size=1, max_size=9))
def test_power_sums(powers):
    g = power_sums(np.array(powers))
    assert g.shape == (1 << len(powers),)
    assert g[0] == 0.0
    for mask in range(1 << len(powers)):
        assert g[mask] == pytest.approx(sum(powers[i] for i in mask_to_indices(mask)))


@given(idx=st.sets(st.integers(min_value=0, max_value=40)))
def test_mask_roundtrip(idx):
    mask = indices_to_mask(idx)
    assert mask_to_indices(mask) == sorted(idx)
    assert indices_to_mask(mask_to_indices(mask)) == mask


def test_mask_helpers_examples():
    assert mask_to_indices(0) == []
    assert mask_to_indices(0b1011) == [0, 1, 3]
    assert indices_to_mask([]) == 0
    assert indices_to_mask([3, 0, 1]) == 0b1011


def test_members_with_names():
    # Player "b" holds 10 of 13.5 > 1/2: rules alone.
    powers = [1.0, 10.0, 2.5]
    assert ruling_coalition_members(powers) == [1]
    assert ruling_coalition_members(powers, names=["a", "b", "c"]) == ["b"]
    # No player has a majority of 3 distinct powers -> N is SE and rules.
    assert ruling_coalition_members([2.0, 3.0, 4.0], names=("x", "y", "z")) == ["x", "y", "z"]


def test_accepts_lists_and_int_arrays():
    assert ruling_coalition([2, 3, 4]) == 0b111
    assert ruling_coalition(np.array([2, 3, 4])) == 0b111


# --------------------------------------------------------------------------------------
# (3) Error cases
# --------------------------------------------------------------------------------------


ALL_SOLVERS = [
    lambda p, a=0.5: power_sums(p),
    self_enforcing,
    ruling_coalition,
    ruling_coalition_members,
]


@pytest.mark.parametrize("fn", ALL_SOLVERS)
def test_too_many_players(fn):
    with pytest.raises(ValueError, match="too many players"):
        fn(np.ones(MAX_PLAYERS + 1))


@pytest.mark.parametrize("fn", ALL_SOLVERS)
@pytest.mark.parametrize("bad", [[1.0, 0.0], [1.0, -2.0], [1.0, float("nan")], [np.inf, 1.0]])
def test_bad_powers(fn, bad):
    with pytest.raises(ValueError):
        fn(np.array(bad))


@pytest.mark.parametrize("fn", ALL_SOLVERS)
def test_nonpositive_power_message(fn):
    with pytest.raises(ValueError, match="strictly positive"):
        fn(np.array([1.0, 0.0, 2.0]))


@pytest.mark.parametrize("fn", ALL_SOLVERS)
@pytest.mark.parametrize("bad", [[], [[1.0, 2.0], [3.0, 4.0]]])
def test_bad_shape(fn, bad):
    with pytest.raises(ValueError):
        fn(np.array(bad))


@pytest.mark.parametrize("fn", [self_enforcing, ruling_coalition, ruling_coalition_members])
@pytest.mark.parametrize("alpha", [0.49, 0.0, 1.0, 1.5, -0.5, float("nan")])
def test_bad_alpha(fn, alpha):
    with pytest.raises(ValueError, match="alpha"):
        fn(np.array([1.0, 2.0, 3.0]), alpha)


def test_alpha_boundaries_accepted():
    self_enforcing(np.array([1.0, 2.0]), 0.5)
    self_enforcing(np.array([1.0, 2.0]), math.nextafter(1.0, 0.0))


def test_names_length_mismatch():
    with pytest.raises(ValueError, match="names"):
        ruling_coalition_members([1.0, 2.0, 3.0], names=["a", "b"])


def test_negative_mask_and_index():
    with pytest.raises(ValueError):
        mask_to_indices(-1)
    with pytest.raises(ValueError):
        indices_to_mask([0, -1])
