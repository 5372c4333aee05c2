"""Each kind of assembly takes only the sanctions its charter gives it
(``sanctions.body_may_take``, ``bodies_chartered``): a plenum any rung, a congress the
Central Committee's seat and the party card, a conference none; where the case suffices for
a rung the body may not take, it condemns instead."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.engine import sanctions, votes
from model.engine.spec import AssemblySpec
from tests.test_rules import A, C, D, build, case_in_the_cc, set_factions

RUNGS = (sanctions.OFFICE, sanctions.DEMOTION, sanctions.POLITBURO,
         sanctions.CENTRAL_COMMITTEE, sanctions.PARTY)
KINDS = ("plenum", "congress", "conference")


# ---- the charter ------------------------------------------------------------------------

@pytest.mark.parametrize("rung", RUNGS)
def test_a_plenum_may_take_every_rung(rung):
    assert sanctions.body_may_take("plenum", rung)


@pytest.mark.parametrize("rung, may", [
    (sanctions.OFFICE, False), (sanctions.DEMOTION, False), (sanctions.POLITBURO, False),
    (sanctions.CENTRAL_COMMITTEE, True), (sanctions.PARTY, True),
])
def test_a_congress_may_take_the_central_committee_and_the_party_only(rung, may):
    assert sanctions.body_may_take("congress", rung) is may


@pytest.mark.parametrize("rung", RUNGS)
def test_a_conference_may_take_no_rung(rung):
    assert not sanctions.body_may_take("conference", rung)


@given(st.sampled_from(KINDS), st.sampled_from(RUNGS))
@settings(max_examples=60, deadline=None)
def test_without_the_charter_every_body_may_take_every_rung(kind, rung):
    assert sanctions.body_may_take(kind, rung, chartered=False)


@given(st.sampled_from(RUNGS))
@settings(max_examples=20, deadline=None)
def test_what_a_smaller_body_may_take_a_larger_may_too(rung):
    """Conference ⊆ congress ⊆ plenum: no rung is open to a conference and closed to a
    congress, or open to a congress and closed to a plenum."""
    may = [sanctions.body_may_take(k, rung) for k in ("conference", "congress", "plenum")]
    assert may == sorted(may)


# ---- what the body does with a case that suffices --------------------------------------

def _case_for_the_politburo(**parameters):
    """C, a full member of the Politburo without an office, with a case that suffices for
    his demotion; the rulers win every vote and see it."""
    m, ld = case_in_the_cc(**parameters)
    m.politburo[C] = 2
    assert sanctions.next_rung(m, C) == sanctions.DEMOTION
    assert sanctions.charge_suffices(m, C, sanctions.DEMOTION, m.faction[A])
    return m, ld


def _assembly(kind):
    extra = {} if kind == "plenum" else {"delegates": 100}
    return AssemblySpec(name=f"A {kind}", kind=kind, date="2000-03", **extra)


def _kinds_of_events(m, who="C"):
    return [e["kind"] for e in m.event_log if e["who"] == who]


@pytest.mark.parametrize("kind", ["congress", "conference"])
def test_a_body_that_may_not_demote_condemns_instead(monkeypatch, kind):
    m, ld = _case_for_the_politburo()
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly(kind))
    assert m.politburo[C] == 2
    assert _kinds_of_events(m) == ["condemnation"]
    assert ld.charge == pytest.approx(4.0)  # the condemnation closes half the case


@pytest.mark.parametrize("kind", ["congress", "conference"])
def test_the_condemnation_in_place_of_the_rung_comes_even_after_a_warning(monkeypatch, kind):
    """Not the warning once per rung: a warned leader whose case suffices for the rung is
    condemned again at a body that may not take it, as under the paramount's shadow."""
    m, ld = _case_for_the_politburo()
    ld.warned_at_rung = sanctions.DEMOTION
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly(kind))
    assert _kinds_of_events(m) == ["condemnation"]
    assert m.politburo[C] == 2


def test_a_partners_case_does_not_condemn_a_member_who_has_done_little(monkeypatch):
    """From the Central Committee's rung a bloc is judged on its strongest case; at a body
    that may not take the rung, that case alone does not condemn a member whose own charge
    is short of a condemnation."""
    m, ld = _case_for_the_politburo()
    m.politburo[C] = 0
    set_factions(m, [[A], [C, D]])
    ld.charge = 1.0  # an opposition's (at least opposition_charge), short of a condemnation
    m.leader_list[D].charge = 50.0
    assert votes.is_opposition(m, C, m.faction[A])
    assert sanctions.charge_suffices(m, C, sanctions.CENTRAL_COMMITTEE, m.faction[A])
    assert not sanctions.censure_suffices(m, C, m.faction[A])
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly("conference"))
    assert "condemnation" not in _kinds_of_events(m, "C")
    assert ld.condemned_at_rung != sanctions.CENTRAL_COMMITTEE


def test_a_plenum_demotes(monkeypatch):
    m, ld = _case_for_the_politburo()
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly("plenum"))
    assert m.politburo[C] == 1
    assert _kinds_of_events(m) == ["demotion"]


@pytest.mark.parametrize("kind", KINDS)
def test_without_the_charter_any_body_demotes(monkeypatch, kind):
    m, ld = _case_for_the_politburo(bodies_chartered=False)
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly(kind))
    assert m.politburo[C] == 1


@pytest.mark.parametrize("kind, expelled", [("congress", True), ("conference", False)])
def test_a_congress_expels_from_the_central_committee_and_a_conference_does_not(
        monkeypatch, kind, expelled):
    m, ld = _case_for_the_politburo()
    m.politburo[C] = 0
    assert sanctions.next_rung(m, C) == sanctions.CENTRAL_COMMITTEE
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly(kind))
    assert ld.in_cc is not expelled
    assert ld.in_party
    assert _kinds_of_events(m) == (["expulsion"] if expelled else ["condemnation"])


@pytest.mark.parametrize("kind, expelled", [("congress", True), ("conference", False)])
def test_a_congress_expels_from_the_party_and_a_conference_does_not(monkeypatch, kind,
                                                                     expelled):
    m, ld = _case_for_the_politburo()
    m.politburo[C] = 0
    ld.in_cc = False
    assert sanctions.next_rung(m, C) == sanctions.PARTY
    ld.charge = 40.0
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly(kind))
    assert ld.in_party is not expelled


def test_a_conference_takes_no_office_and_condemns_instead(monkeypatch):
    m, ld = _case_for_the_politburo()
    m.institutions.offices[0].holder = C
    assert sanctions.next_rung(m, C) == sanctions.OFFICE
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    sanctions.move_sanctions(m, _assembly("conference"))
    assert m.institutions.offices_of(C)
    assert _kinds_of_events(m) == ["condemnation"]


def test_after_a_failed_sanction_a_congress_does_not_overturn_the_politburo(monkeypatch):
    """The Central Committee's majority overturns the Politburo's only where the body may
    take Politburo seats: at a plenum, not at a congress."""
    for kind, overturned in (("congress", False), ("plenum", True)):
        m = build()
        monkeypatch.setattr(sanctions, "move_sanctions", lambda *a, **k: True)
        monkeypatch.setattr(votes, "cc_majority_faction", lambda model: model.faction[C])
        m.assemblies_at = {m.steps: [_assembly(kind)]}
        m.late_events_at = {}
        m.hold_assemblies()
        logged = [e for e in m.event_log if e["kind"] == "overturn"]
        assert bool(logged) is overturned
