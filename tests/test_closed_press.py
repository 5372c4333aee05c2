"""The press closes to a leader given the last warning (``press_closes``,
``Leader.press_closed``, ``acts.press_reach``): his platform then reaches only the
leadership, and organising is the way left to the members."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine import acts, opposition, sanctions
from tests.test_rules import A, B, C, D, acts_taken, build, set_factions

REACH = (0.2, 0.6, 0.8, 0.5, 1.0)  # criticism, platform, co-report, organise, street
CRITICISM, PLATFORM, CO_REPORT, ORGANISE, STREET = range(5)


def test_an_open_press_leaves_every_reach_as_it_is():
    assert acts.press_reach(REACH, closed=False).tolist() == list(REACH)


def test_a_closed_press_cuts_the_platform_to_the_reach_of_criticism():
    closed = acts.press_reach(REACH, closed=True)
    assert closed[PLATFORM] == REACH[CRITICISM]
    others = [k for k in range(5) if k != PLATFORM]
    assert closed[others].tolist() == [REACH[k] for k in others]


def test_press_reach_does_not_touch_its_argument():
    reach = np.array(REACH)
    acts.press_reach(reach, closed=True)
    assert reach.tolist() == list(REACH)


@given(st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5))
@settings(max_examples=200, deadline=None)
def test_a_closed_press_never_widens_a_reach(reach):
    closed = acts.press_reach(reach, closed=True)
    assert (closed <= np.array(reach)).all()
    assert closed[PLATFORM] <= reach[CRITICISM] or closed[PLATFORM] == reach[PLATFORM]


def test_the_press_closes_at_the_last_warning_and_not_before():
    m = build()
    ld = m.leader_list[C]
    for rung in (-1, sanctions.OFFICE, sanctions.DEMOTION, sanctions.POLITBURO):
        ld.condemned_at_rung = rung
        assert not ld.press_closed()
    for rung in (sanctions.CENTRAL_COMMITTEE, sanctions.PARTY):
        ld.condemned_at_rung = rung
        assert ld.press_closed()
    m = build(press_closes=False)
    m.leader_list[C].condemned_at_rung = sanctions.PARTY
    assert not m.leader_list[C].press_closed()


def _outsider(**parameters):
    """C, out of the leadership, in a bloc that has taken a platform before (so organising
    is open as the next level), values the platform above organising while the press is
    open: organising's own reach is below a printed platform's."""
    m = build(act_drive=5.0, act_cost=0.0, act_fear=0.0, act_temperature=0.01,
              sanction_dread=0.0, organise_gain=0.0, **parameters)
    set_factions(m, [[A, B], [C], [D]])
    m.positions[C] = [1.0, 1.0]
    ld = m.leader_list[C]
    ld.in_cc = False
    m.politburo[C] = 0
    ld.gravest_act = 2.0
    return m, ld


def test_a_closed_press_turns_a_leader_from_the_platform_to_organising():
    m, ld = _outsider()
    assert set(acts_taken(m, 6)) == {"platform"}
    m, ld = _outsider()
    ld.condemned_at_rung = sanctions.CENTRAL_COMMITTEE
    assert set(acts_taken(m, 1)) == {"organise"}


def test_without_the_rule_the_warned_leader_keeps_to_the_platform():
    m, ld = _outsider(press_closes=False)
    ld.condemned_at_rung = sanctions.CENTRAL_COMMITTEE
    assert set(acts_taken(m, 6)) == {"platform"}


def _member(**parameters):
    """C, in the Central Committee and the Politburo but outside the ruling faction, whose
    bloc has criticised before: criticism and the platform are both open to him."""
    m = build(act_drive=20.0, act_cost=0.1, act_fear=0.0, act_temperature=0.01,
              sanction_dread=0.0, organise_gain=0.0, **parameters)
    set_factions(m, [[A, B], [C], [D]])
    m.positions[C] = [1.0, 1.0]
    m.leader_list[C].gravest_act = 1.0
    return m, m.leader_list[C]


def test_a_closed_press_sends_a_member_of_the_leadership_back_to_criticism():
    m, ld = _member()
    assert set(acts_taken(m, 6)) == {"platform"}
    m, ld = _member()
    ld.condemned_at_rung = sanctions.CENTRAL_COMMITTEE
    assert set(acts_taken(m, 6)) == {"criticism"}


def test_a_refused_platform_moves_the_members_as_little_as_criticism():
    moved = {}
    for closed in (False, True):
        m, ld = _member()
        if closed:
            ld.condemned_at_rung = sanctions.CENTRAL_COMMITTEE
        before = m.apparatus.mood()
        ruling = m.faction[A]
        opposition.apply_act(m, C, PLATFORM, ruling)
        moved[closed] = float(np.linalg.norm(m.apparatus.mood() - before))
    assert moved[False] > 0.0
    assert moved[True] == pytest.approx(moved[False] * REACH[CRITICISM] / REACH[PLATFORM])
