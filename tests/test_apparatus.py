"""Tests for model.engine.apparatus.Apparatus, built by hand from numpy arrays."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine.apparatus import NO_PATRON, Apparatus


def make(members, patron, loyalty=None, deference=None, shield=None) -> Apparatus:
    n = len(members)
    return Apparatus(
        names=[f"R{k}" for k in range(n)],
        members=np.array(members, dtype=float),
        patron=np.array(patron, dtype=np.int64),
        loyalty=np.array(loyalty if loyalty is not None else [0.7] * n, dtype=float),
        deference=np.array(deference if deference is not None else [0.8] * n, dtype=float),
        economy=np.linspace(-0.5, 0.5, n),
        world=np.zeros(n),
        shield_office=np.array(shield if shield is not None else [-1] * n, dtype=np.int64),
    )


# ---- patronage_share -----------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 100_000), st.integers(-1, 3), st.floats(0.0, 1.0)),
        min_size=1,
        max_size=8,
    )
)
def test_patronage_share_sums_to_at_most_one(rows):
    app = make([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    share = app.patronage_share(4)
    assert share.shape == (4,)
    assert (share >= 0).all()
    assert share.sum() <= 1.0 + 1e-12


def test_patronage_share_full_loyalty_is_membership_share():
    app = make([100, 300, 600], [0, 1, 1], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(app.patronage_share(3), [0.1, 0.9, 0.0])


def test_patronage_share_is_loyalty_weighted():
    app = make([100, 100, 200], [0, 1, NO_PATRON], [1.0, 0.5, 1.0])
    share = app.patronage_share(2)
    np.testing.assert_allclose(share, [100 / 400, 0.5 * 100 / 400])
    assert share[0] == pytest.approx(2 * share[1])


# ---- recruit -------------------------------------------------------------------------


def test_recruit_grows_members_by_exactly_the_recruits_in_proportion():
    app = make([100, 300, 600], [0, 1, 2])
    before = app.members.copy()
    app.recruit(500, deference=0.9)
    assert app.members.sum() == pytest.approx(before.sum() + 500)
    np.testing.assert_allclose(app.members - before, 500 * before / before.sum())
    # proportional split keeps the regions' shares unchanged
    np.testing.assert_allclose(app.members / app.members.sum(), before / before.sum())


def test_recruit_mixes_deference_by_headcount():
    app = make([100, 300], [0, 1], deference=[0.5, 0.7])
    app.recruit(400, deference=1.0)
    # each region doubles: half old members, half recruits
    np.testing.assert_allclose(app.deference, [(0.5 + 1.0) / 2, (0.7 + 1.0) / 2])


def test_recruit_deference_moves_toward_recruits_and_stays_between():
    app = make([100, 300, 50], [0, 1, 2], deference=[0.2, 0.6, 0.9])
    old = app.deference.copy()
    app.recruit(1000, deference=0.95)
    assert (app.deference >= old - 1e-12).all()
    assert (app.deference <= 0.95 + 1e-12).all()


# ---- orphan_secretaries --------------------------------------------------------------


def test_orphan_secretaries_decay_only_for_gone_patrons():
    app = make([100, 100, 100], [0, 1, NO_PATRON], [0.8, 0.8, 0.8])
    gone = np.array([True, False])
    app.orphan_secretaries(gone, decay=0.1)
    np.testing.assert_allclose(app.loyalty, [0.72, 0.8, 0.8])
    np.testing.assert_array_equal(app.patron, [0, 1, NO_PATRON])


def test_orphan_secretaries_region_orphaned_below_threshold():
    app = make([100, 100], [0, 0], [0.055, 0.2])
    gone = np.array([True])
    app.orphan_secretaries(gone, decay=0.1)  # 0.0495 < 0.05, 0.18 stays
    np.testing.assert_array_equal(app.patron, [NO_PATRON, 0])


def test_orphan_secretaries_eventually_orphans_everyone_of_a_gone_patron():
    app = make([100, 100, 100], [0, 0, 1], [1.0, 0.6, 1.0])
    gone = np.array([True, False])
    for _ in range(200):
        app.orphan_secretaries(gone, decay=0.1)
    np.testing.assert_array_equal(app.patron, [NO_PATRON, NO_PATRON, 1])
    assert app.loyalty[2] == 1.0


# ---- replacement_targets -------------------------------------------------------------


def hostility_for(n_leaders, hostile=(), allied=(), orphan=2.0):
    h = np.full(n_leaders + 1, 2.0)
    for j in hostile:
        h[j] = 3.0
    for j in allied:
        h[j] = 1.0
    h[-1] = orphan
    return h


def test_replacement_targets_order_hostile_orphan_allied():
    # leaders: 0 appointer, 1 ally, 2 enemy
    app = make([50, 60, 70, 80, 90], [1, NO_PATRON, 2, 0, 1])
    targets = app.replacement_targets(0, hostility_for(3, hostile=[2], allied=[1]),
                                      np.zeros(5, dtype=bool))
    kinds = [app.patron[t] for t in targets]
    assert 0 not in kinds  # never his own regions
    assert kinds[0] == 2
    assert kinds[1] == NO_PATRON
    assert set(kinds[2:]) == {1}
    # within a class larger regions come first
    assert list(targets[2:]) == [4, 0]


def test_replacement_targets_skip_shielded_and_own():
    app = make([10, 20, 30, 40], [2, 2, 0, NO_PATRON])
    shielded = np.array([False, True, False, False])
    targets = app.replacement_targets(0, hostility_for(3, hostile=[2]), shielded)
    assert 1 not in targets
    assert 2 not in targets
    assert list(targets) == [0, 3]


def test_replacement_targets_empty_when_all_own_or_shielded():
    app = make([10, 20], [0, 1])
    targets = app.replacement_targets(0, hostility_for(2), np.array([False, True]))
    assert targets.size == 0


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 1000), st.integers(-1, 3), st.booleans()),
             min_size=1, max_size=10),
    st.integers(0, 3),
)
def test_replacement_targets_never_own_or_shielded(rows, appointer):
    app = make([r[0] for r in rows], [r[1] for r in rows])
    shielded = np.array([r[2] for r in rows])
    h = hostility_for(4, hostile=[(appointer + 1) % 4], allied=[(appointer + 2) % 4])
    targets = app.replacement_targets(appointer, h, shielded)
    assert not (app.patron[targets] == appointer).any()
    assert not shielded[targets].any()
    expected = {k for k in range(len(rows)) if rows[k][1] != appointer and not rows[k][2]}
    assert set(targets.tolist()) == expected
    prio = h[app.patron[targets]]
    assert (np.diff(prio) <= 0).all()  # most urgent first


# ---- allocate_delegates --------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 200_000), min_size=1, max_size=30), st.integers(1, 2000))
def test_allocate_delegates_exact_total_and_proportional(members, total):
    app = make(members, [NO_PATRON] * len(members))
    seats = app.allocate_delegates(total)
    assert seats.dtype.kind == "i"
    assert int(seats.sum()) == total
    assert (seats >= 0).all()
    quota = total * app.members / app.members.sum()
    assert (np.abs(seats - quota) < 1.0).all()


def test_allocate_delegates_equal_regions_equal_seats():
    app = make([100, 100, 100, 100], [NO_PATRON] * 4)
    np.testing.assert_array_equal(app.allocate_delegates(40), [10, 10, 10, 10])
