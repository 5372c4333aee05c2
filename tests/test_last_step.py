"""The last step, from the Central Committee to the party: the expulsion from the Central
Committee uses up none of the case (``case_carries``, ``sanctions.charge_used``), and a leader
outside the bodies reads the members, not the body's last vote (``outside_reads_members``,
``Leader.outside_bodies``, ``Leader.perceived_agreement``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine import opposition, sanctions
from tests.test_rules import A, B, C, D, acts_taken, build, case_in_the_cc, set_factions

PLATFORM = 1  # the index of a platform among the acts
RUNGS = (sanctions.OFFICE, sanctions.DEMOTION, sanctions.POLITBURO,
         sanctions.CENTRAL_COMMITTEE, sanctions.PARTY)


# ---- one case for both expulsions ------------------------------------------------------

def test_the_central_committees_expulsion_uses_up_none_of_the_case():
    assert sanctions.charge_used(sanctions.CENTRAL_COMMITTEE, 0.5) == 0.0


@pytest.mark.parametrize("rung", [r for r in RUNGS if r != sanctions.CENTRAL_COMMITTEE])
def test_every_other_sanction_uses_up_the_relief(rung):
    assert sanctions.charge_used(rung, 0.5) == 0.5


def test_without_the_rule_the_central_committees_expulsion_uses_up_the_relief_too():
    assert sanctions.charge_used(sanctions.CENTRAL_COMMITTEE, 0.5, case_carries=False) == 0.5


@given(st.floats(0.01, 1.0), st.booleans())
@settings(max_examples=100, deadline=None)
def test_at_most_one_rung_is_exempt_and_only_with_the_rule(relief, carries):
    exempt = [r for r in RUNGS if sanctions.charge_used(r, relief, carries) == 0.0]
    assert exempt == ([sanctions.CENTRAL_COMMITTEE] if carries else [])


@pytest.mark.parametrize("carries, left", [(True, 8.0), (False, 4.0)])
def test_a_passed_expulsion_from_the_cc_keeps_or_halves_the_case(monkeypatch, carries, left):
    m, ld = case_in_the_cc(case_carries=carries)
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    assert sanctions.vote_sanction(m, C, m.faction[A], sanctions.CENTRAL_COMMITTEE,
                                   m.spec.assemblies[0])
    assert not ld.in_cc and ld.in_party
    assert ld.charge == pytest.approx(left)


def test_with_one_case_one_fresh_act_brings_the_expulsion_from_the_party(monkeypatch):
    """After the expulsion from the Central Committee a case of 8 against a party need of 10
    takes one platform (severity 2) with the rule, and is still short of it without."""
    expelled = {}
    for carries in (True, False):
        m, ld = case_in_the_cc(case_carries=carries, charge_need=(2.0, 2.5, 3.0, 5.0, 10.0))
        monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
        sanctions.vote_sanction(m, C, m.faction[A], sanctions.CENTRAL_COMMITTEE,
                                m.spec.assemblies[0])
        opposition.apply_act(m, C, PLATFORM, m.faction[A])
        ld.warned_at_rung = sanctions.CENTRAL_COMMITTEE  # no further condemnation first
        sanctions.move_sanctions(m, m.spec.assemblies[0])
        expelled[carries] = not ld.in_party
    assert expelled == {True: True, False: False}


# ---- outside the bodies, the members ----------------------------------------------------

def test_a_leader_in_the_central_committee_reads_the_last_vote():
    m = build()
    ld = m.leader_list[C]
    ld.support_seen = 0.05
    assert ld.in_cc and not ld.outside_bodies()
    assert ld.perceived_agreement(0.4) == 0.05


@pytest.mark.parametrize("seat", [1, 2])
def test_a_politburo_seat_alone_keeps_him_inside(seat):
    m = build()
    ld = m.leader_list[C]
    ld.in_cc = False
    m.politburo[C] = seat  # a candidate's seat (1) as much as a full member's (2)
    ld.support_seen = 0.05
    assert not ld.outside_bodies()
    assert ld.perceived_agreement(0.4) == 0.05


def test_a_sweep_out_of_both_bodies_uses_up_the_relief_once():
    """One near-unanimous vote takes the Politburo's seat and the Central Committee's: the
    first rung uses up half the case, the second, carried out in the same vote, none, with
    or without the rule."""
    for carries in (True, False):
        m, ld = case_in_the_cc(case_carries=carries, sweep_share=0.5)
        m.politburo[C] = 1
        ld.charge = 20.0
        assert sanctions.next_rung(m, C) == sanctions.POLITBURO
        sanctions.move_sanctions(m, m.spec.assemblies[0])
        assert m.politburo[C] == 0 and not ld.in_cc and ld.in_party
        assert ld.charge == pytest.approx(10.0)


def test_after_a_crushing_expulsion_from_the_cc_he_reads_the_members(monkeypatch):
    """The vote that expels him teaches him almost nobody is with him (2 of 59); out of the
    bodies he reads the members' own agreement instead; without the rule, the vote's."""
    for rule, expected in ((True, 0.4), (False, 2 / 59)):
        m, ld = case_in_the_cc(outside_reads_members=rule)
        monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (57, 2))
        assert sanctions.vote_sanction(m, C, m.faction[A], sanctions.CENTRAL_COMMITTEE,
                                       m.spec.assemblies[0])
        assert ld.support_seen == pytest.approx(2 / 59)
        assert ld.perceived_agreement(0.4) == pytest.approx(expected)


def test_out_of_both_bodies_he_reads_the_members_themselves():
    m = build()
    ld = m.leader_list[C]
    ld.in_cc = False
    m.politburo[C] = 0
    ld.support_seen = 0.05
    assert ld.outside_bodies()
    assert ld.perceived_agreement(0.4) == 0.4


def test_without_the_rule_the_last_vote_follows_him_out():
    m = build(outside_reads_members=False)
    ld = m.leader_list[C]
    ld.in_cc = False
    m.politburo[C] = 0
    ld.support_seen = 0.05
    assert not ld.outside_bodies()
    assert ld.perceived_agreement(0.4) == 0.05


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.booleans(), st.booleans())
@settings(max_examples=100, deadline=None)
def test_the_perception_is_the_vote_or_the_truth(seen, actual, in_cc, rule):
    m = build(outside_reads_members=rule)
    ld = m.leader_list[C]
    ld.in_cc = in_cc
    m.politburo[C] = 0
    ld.support_seen = seen
    got = ld.perceived_agreement(actual)
    assert got == (actual if rule and not in_cc else seen)


def _expelled_from_the_cc(**parameters):
    """C, out of both bodies, in a bloc that has organised (the street is open to him), after
    a crushing vote (support_seen 0.02); the members agree with him about evenly."""
    m = build(act_drive=5.0, act_cost=0.05, act_fear=0.0, act_temperature=0.02,
              sanction_dread=0.0, organise_gain=0.0, **parameters)
    set_factions(m, [[A, B], [C], [D]])
    ld = m.leader_list[C]
    ld.in_cc = False
    m.politburo[C] = 0
    ld.gravest_act = 3.0
    ld.support_seen = 0.02
    ruling = m.faction[A]
    m.positions[C] = m.faction_line(ruling)  # agreement 0.5: his line is the ruling one
    return m


def test_after_a_crushing_vote_the_expelled_member_still_turns_to_the_members():
    m = _expelled_from_the_cc()
    taken = acts_taken(m, 6)
    assert len(taken) == 6
    assert "street" in taken
    m = _expelled_from_the_cc(outside_reads_members=False)
    assert acts_taken(m, 6) == []


@pytest.mark.parametrize("in_cc, seat, expected", [
    (True, 0, True), (False, 1, True), (False, 2, True), (False, 0, False)])
def test_a_seat_in_either_body_is_a_seat_in_the_leadership(in_cc, seat, expected):
    m = build()
    ld = m.leader_list[C]
    ld.in_cc = in_cc
    m.politburo[C] = seat
    assert ld.has_seat() is expected
    assert ld.outside_bodies() is (not expected)
