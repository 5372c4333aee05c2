"""Tests for the leaders' decisions and the institutional rules on small hand-built scenarios.

Each test builds a minimal scenario (4 leaders, a few regions, offices including the
Secretariat), then sets the state it needs (factions, powers) by hand and calls one rule.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cases.scenario import validate
from model.engine import opposition, sanctions, votes
from model.engine.model import SuccessionModel

A, B, C, D = 0, 1, 2, 3


def scenario_dict(n_regions: int = 3, **parameters) -> dict:
    """A minimal valid scenario: A holds the Secretariat, B the army, C the city office
    shielding region R0; D is a low-ambition bystander."""
    patrons = ["C", "B", "A"] + ["B"] * max(0, n_regions - 3)
    return {
        "name": "test",
        "horizon": {"start": "2000-01", "end": "2000-12"},
        "leaders": [
            {"name": "A", "prestige": 0.8, "economy": 0.0, "world": 0.0, "resolve": 0.5,
             "ambition": 0.9, "politburo": "member", "suited": ["appointments"]},
            {"name": "B", "prestige": 0.6, "economy": 0.0, "world": 0.0, "resolve": 0.5,
             "ambition": 0.7, "politburo": "member", "suited": ["military"]},
            {"name": "C", "prestige": 0.5, "economy": 0.0, "world": 0.0, "resolve": 0.5,
             "ambition": 0.6, "politburo": "member", "suited": ["government"]},
            {"name": "D", "prestige": 0.3, "economy": 0.0, "world": 0.0, "resolve": 0.5,
             "ambition": 0.1, "politburo": "candidate"},
        ],
        "offices": [
            {"name": "Secretariat", "kind": "appointments", "weight": 0.2, "holder": "A"},
            {"name": "Army", "kind": "military", "weight": 0.3, "holder": "B"},
            {"name": "Government", "kind": "government", "weight": 0.2},
            {"name": "City", "kind": "regional", "weight": 0.1, "holder": "C", "region": "R0"},
            {"name": "Paper", "kind": "press", "weight": 0.1, "holder": "D"},
        ],
        "regions": [
            {"name": f"R{k}", "members": 1000 * (k + 1), "patron": patrons[k], "loyalty": 0.8}
            for k in range(n_regions)
        ],
        "bodies": {"politburo_size": 5, "central_committee_size": 12},
        "assemblies": [
            {"name": "Plenum 1", "kind": "plenum", "date": "2000-03"},
            {"name": "Congress", "kind": "congress", "date": "2000-06", "delegates": 100,
             "central_committee_size": 12, "politburo_size": 5},
            {"name": "Plenum 2", "kind": "plenum", "date": "2000-09"},
        ],
        "parameters": parameters,
    }


def build(n_regions: int = 3, rng: int = 0, **parameters) -> SuccessionModel:
    """The toy model. Its leader A stands above all in prestige, so the paramount leader's
    shadow (which has its own tests) is off unless a test asks for it."""
    parameters.setdefault("paramount_shadow", False)
    scenario = validate(scenario_dict(n_regions, **parameters), "test.toml")
    return SuccessionModel(scenario, rng=rng)


def set_power(m: SuccessionModel, powers, feared: int | None = None) -> None:
    m.power = np.array(powers, dtype=float)
    m.power_changed()
    if feared is not None:
        m.feared = feared


def set_factions(m: SuccessionModel, groups: list[list[int]]) -> None:
    for label, group in enumerate(groups, start=100):
        for i in group:
            m.set_faction(i, label)
    for ld in m.leader_list:
        ld.joined = -100  # long past the minimum tenure


def acts_taken(m: SuccessionModel, months: int, who: str = "C") -> list[str]:
    """Run ``months`` months of the opposition's acts alone (``opposition.take_acts``) and
    list, in order, the acts ``who`` took."""
    for _ in range(months):
        opposition.take_acts(m)
    return [e["what"] for e in m.event_log if e["kind"] == "act" and e["who"] == who]


def strip_to_cc(m: SuccessionModel, i: int) -> None:
    """Leave leader ``i`` in opposition to A's faction with no office and no Politburo seat:
    his next rung is the Central Committee's (or the party's once he is out of it)."""
    set_factions(m, [[A, B, D], [i]])
    for o in m.institutions.offices:
        if o.holder == i:
            o.holder = -1
    m.politburo[i] = 0


def case_in_the_cc(**parameters):
    """C, out of the Politburo but in the Central Committee (his next rung the Central
    Committee's), with a case that suffices for it; the rulers win every vote. The common
    start of the last-step and charter tests."""
    parameters.setdefault("sweep_share", 1.0)
    m = build(standing_premium=0.0, charge_scale=1.0, sanction_margin=0.5, misjudgement=0.0,
              charge_relief=0.5, **parameters)
    strip_to_cc(m, C)
    ld = m.leader_list[C]
    assert sanctions.next_rung(m, C) == sanctions.CENTRAL_COMMITTEE
    ld.prestige = 0.0
    ld.charge = 8.0
    return m, ld


def test_helper_builds_a_valid_model():
    m = build()
    assert len(m.leader_list) == 4
    assert m.institutions.holder_of_kind("appointments") == A
    m.run()
    assert m.steps == m.n_steps


# ---- Leader.prune_surplus --------------------------------------------------------------


@pytest.mark.parametrize("rival_power", [0.1, 3.0])
def test_prune_surplus_only_when_rival_beaten(rival_power):
    m = build(switch_cost=0.0)
    set_factions(m, [[A, B, C], [D]])
    set_power(m, [5.0, 3.0, 3.0, rival_power], feared=A)
    beaten = rival_power < m.params.enemy_beaten_share * m.total_power
    pruned = m.leader_list[A].prune_surplus()
    assert pruned == beaten
    if beaten:
        assert len(m.members(m.faction[A])) == 2
        dropped = next(j for j in (B, C) if m.faction[j] != m.faction[A])
        assert m.animosity[dropped, A] >= m.params.betrayal_grudge
    else:
        assert m.members(m.faction[A]) == [A, B, C]


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_prune_surplus_threshold_is_the_parameter(share):
    """Same state; only ``enemy_beaten_share`` changes whether he may prune."""
    m = build(switch_cost=0.0, enemy_beaten_share=share)
    set_factions(m, [[A, B, C], [D]])
    set_power(m, [5.0, 3.0, 3.0, 0.5], feared=A)
    assert m.leader_list[A].prune_surplus() == (share == 1.0)


def _beaten_enemy(charge: float, **parameters) -> SuccessionModel:
    """A, B and C rule; D, the strongest outside bloc, has lost a vote and carries
    ``charge``."""
    m = build(switch_cost=0.0, standing_premium=0.0, **parameters)
    set_factions(m, [[A, B, C], [D]])
    set_power(m, [5.0, 3.0, 3.0, 2.0], feared=A)
    m.leader_list[D].defeated = True
    m.leader_list[D].charge = charge
    return m


@pytest.mark.parametrize("charge, beaten", [(0.0, True), (1.4, True), (1.6, False),
                                            (5.0, False)])
def test_a_defeated_enemy_counts_as_beaten_only_once_he_stops_fighting(charge, beaten):
    # censure_need 1.5 (standing premium off): below it his case no longer merits a
    # condemnation, and only then may the coalition's leader drop a partner
    m = _beaten_enemy(charge, censure_need=1.5)
    rivals = [m.faction[D]]
    assert m.leader_list[A].enemy_beaten(rivals, 2.0) is beaten
    assert m.leader_list[A].prune_surplus() is beaten


def test_the_enemys_silence_is_judged_as_a_condemnation_would_be():
    """A bloc counts as quiet when its case no longer suffices for a condemnation, and a
    leader of greater standing than the rulers needs a graver case for that: at the same
    charge he counts as quiet where a lesser one does not."""
    def beaten(prestige: float) -> bool:
        m = _beaten_enemy(1.6, censure_need=1.5)
        m.params = m.params.model_copy(update={"standing_premium": 1.0})
        m.leader_list[A].prestige = 0.5
        m.leader_list[D].prestige = prestige
        return m.leader_list[A].enemy_beaten([m.faction[D]], 2.0)

    assert beaten(0.9)  # need 1.5 x (1 + 0.4) = 2.1 > 1.6
    assert not beaten(0.4)  # below the ruler: need 1.5 <= 1.6


def test_an_enemy_who_has_lost_no_vote_is_never_beaten_however_quiet():
    m = _beaten_enemy(0.0)
    m.leader_list[D].defeated = False
    assert not m.leader_list[A].enemy_beaten([m.faction[D]], 2.0)


def test_without_quiet_enemy_a_lost_vote_alone_counts():
    m = _beaten_enemy(5.0, quiet_enemy=False)
    assert m.leader_list[A].enemy_beaten([m.faction[D]], 2.0)


def test_any_fighting_member_keeps_his_bloc_unbeaten():
    m = _beaten_enemy(0.0, censure_need=1.5)
    set_factions(m, [[A, B], [C, D]])
    set_power(m, [5.0, 3.0, 3.0, 2.0], feared=A)
    top = m.faction[D]
    m.leader_of(top).defeated = True  # the bloc's leader (C) has lost a vote
    m.leader_list[D].charge = 3.0  # his partner fights on
    assert not m.leader_list[A].enemy_beaten([top], 5.0)
    m.leader_list[D].charge = 0.0
    assert m.leader_list[A].enemy_beaten([top], 5.0)


def test_prune_surplus_respects_min_tenure():
    m = build(switch_cost=0.0, enemy_beaten_share=1.0)
    set_factions(m, [[A, B, C], [D]])
    for j in (B, C):
        m.leader_list[j].joined = m.steps  # just joined
    set_power(m, [5.0, 3.0, 3.0, 0.5], feared=A)
    assert not m.leader_list[A].prune_surplus()


# ---- solidarity: the partners who side with a dropped leader ----------------------------


def _lined_up(xs, **parameters) -> SuccessionModel:
    """All four in one faction, on the economy axis at ``xs``; no decision noise."""
    m = build(switch_cost=0.0, decision_temperature=0.0, **parameters)
    set_factions(m, [[A, B, C, D]])
    for i, x in enumerate(xs):
        m.set_line(i, (x, 0.0))
    return m


def test_in_solidarity_are_the_partners_closer_to_the_dropped_than_to_the_dropper():
    m = _lined_up([0.0, 1.0, 0.8, -1.0])  # C stands by B; D by A
    assert m.in_solidarity(B, A) == [C]
    assert m.in_solidarity(D, A) == []
    m.set_line(C, (0.5, 0.0))  # halfway is not closer
    assert m.in_solidarity(B, A) == []


@pytest.mark.parametrize("exit_", [True, False])
def test_a_dropped_partner_takes_those_in_solidarity_with_him(exit_):
    m = _lined_up([0.0, 1.0, 0.8, -1.0], solidarity_exit=exit_)
    m.expel_from_faction(B, by=A)
    # both share the grudge, with or without the exit
    assert m.animosity[B, A] >= m.params.betrayal_grudge
    assert m.animosity[C, A] >= m.params.betrayal_grudge
    assert m.animosity[D, A] == 0.0
    assert m.members(m.faction[A]) == ([A, D] if exit_ else [A, C, D])
    assert m.members(m.faction[B]) == ([B, C] if exit_ else [B])
    # the new bloc counts as formed now: neither can be dropped or walk out at once
    assert (m.leader_list[C].joined == m.steps) is exit_
    assert (m.leader_list[B].joined == m.steps) is exit_


def test_without_solidarity_the_partner_leaves_with_him_but_bears_no_grudge():
    m = _lined_up([0.0, 1.0, 0.8, -1.0], solidarity=False)
    m.expel_from_faction(B, by=A)
    assert m.faction[C] == m.faction[B]
    assert m.animosity[C, A] == 0.0


@pytest.mark.parametrize("exit_", [True, False])
def test_prune_surplus_weighs_a_drop_with_those_who_would_go_too(exit_):
    """B and C side with each other: dropping either takes both, which would leave A
    alone against a bloc stronger than he is, so with the exit he keeps them; without it
    he drops one, as before."""
    m = _lined_up([0.0, 0.5, 0.6, -1.0], enemy_beaten_share=1.0, solidarity_exit=exit_)
    set_factions(m, [[A, B, C], [D]])
    set_power(m, [5.0, 3.0, 3.0, 0.5], feared=A)
    assert m.in_solidarity(B, A) == [C] and m.in_solidarity(C, A) == [B]
    assert m.leader_list[A].prune_surplus() is not exit_
    sizes = sorted(len(m.members(lb)) for lb in m.labels())
    assert sizes == ([1, 3] if exit_ else [1, 1, 2])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1.0, 1.0), min_size=4, max_size=4), st.sampled_from([B, C, D]))
def test_no_one_closer_to_the_dropped_stays_behind(xs, j):
    """Whatever the lines, after a drop nobody left with the dropper stands closer to the
    dropped leader than to him, and the dropped leader's new faction is exactly he and
    those in solidarity with him."""
    m = _lined_up(xs)
    going = [j, *m.in_solidarity(j, A)]
    m.expel_from_faction(j, by=A)
    assert sorted(m.members(m.faction[j])) == sorted(going)
    for k in m.members(m.faction[A]):
        if k != A:
            assert not (np.linalg.norm(m.positions[k] - m.positions[j])
                        < np.linalg.norm(m.positions[k] - m.positions[A]))


# ---- Leader.defect -----------------------------------------------------------------------


def _defect_setup(grudge: float) -> SuccessionModel:
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    m.animosity[B, A] = grudge
    set_power(m, [2.0, 1.0, 1.0, 1.0], feared=C)
    return m


def test_defect_walks_out_of_a_hated_dominated_coalition():
    m = _defect_setup(grudge=1.0)
    label = m.faction[A]
    assert m.leader_list[B].defect()
    assert m.faction[B] != label
    assert m.members(m.faction[B]) == [B]
    assert m.members(label) == [A]


def test_defect_stays_without_cause():
    m = _defect_setup(grudge=0.0)
    assert not m.leader_list[B].defect()
    assert m.faction[A] == m.faction[B]


def test_defect_not_before_min_tenure_nor_alone():
    m = _defect_setup(grudge=1.0)
    m.leader_list[B].joined = m.steps
    assert not m.leader_list[B].defect()
    assert not m.leader_list[C].defect()  # alone: nothing to leave


def test_defect_follows_the_value_comparison():
    for grudge in (0.0, 0.3, 0.6, 1.0):
        m = _defect_setup(grudge)
        ld = m.leader_list[B]
        stay = ld.current_value()
        alone = ld.coalition_value([B], max([*m.faction_powers(exclude=m.faction[B]), 2.0]))
        assert ld.defect() == (alone > stay + m.params.switch_cost)


# ---- Leader.propose_coalition / accepts --------------------------------------------------


def _propose_setup(grudge: float) -> SuccessionModel:
    # isolate the share, win and grudge terms from the tuning of the other cost terms
    m = build(apprehension_weight=0.0, successor_fear=0.0)
    set_factions(m, [[A], [B], [C], [D]])
    m.animosity[A, B] = grudge
    set_power(m, [2.0, 1.5, 1.5, 0.5], feared=A)
    return m


def test_propose_coalition_without_grudge_includes_b():
    m = _propose_setup(grudge=0.0)
    assert m.leader_list[A].propose_coalition()
    assert m.faction[B] == m.faction[A]


def test_propose_coalition_excludes_a_hated_partner():
    m = _propose_setup(grudge=1.0)
    assert m.leader_list[A].propose_coalition()  # he still forms a coalition...
    assert m.faction[B] != m.faction[A]  # ...but without the partner he hates
    assert m.faction[C] == m.faction[A]


def test_accepts_iff_value_rises():
    m = _propose_setup(grudge=0.0)
    power_of = {lb: m.faction_power(lb) for lb in m.labels()}
    members = [A, C]
    c = m.leader_list[C]
    rival = max(pw for lb, pw in power_of.items() if not set(m.members(lb)) & set(members))
    expected = c.coalition_value(members, rival) > c.current_value()
    assert c.accepts(members, int(m.faction[C]), power_of) == expected
    # a strong grudge against the proposer makes him refuse
    m.animosity[C, A] = 1.0
    m.params = m.params.model_copy(update={"grudge_weight": 5.0})
    assert not c.accepts(members, int(m.faction[C]), power_of)


def test_accepts_a_winning_coalition_when_weak_and_exposed():
    m = _propose_setup(grudge=0.0)
    power_of = {lb: m.faction_power(lb) for lb in m.labels()}
    assert m.leader_list[C].accepts([A, C], int(m.faction[C]), power_of)


# ---- Leader.decide_recant ----------------------------------------------------------------


def test_decide_recant_full_resolve_never_recants():
    m = build()
    ld = m.leader_list[B]
    ld.resolve = 1.0
    assert not any(ld.decide_recant(hope) for hope in np.linspace(0, 1, 200))


def test_decide_recant_no_resolve_no_hope_always_recants():
    m = build()
    ld = m.leader_list[B]
    ld.resolve = 0.0
    assert all(ld.decide_recant(0.0) for _ in range(200))
    assert all(ld.decide_recant(-0.5) for _ in range(20))  # hope is clipped to [0, 1]


def test_decide_recant_full_hope_never_recants():
    m = build()
    ld = m.leader_list[B]
    ld.resolve = 0.0
    assert not any(ld.decide_recant(1.0) for _ in range(200))


def test_decide_recant_uses_model_rng():
    outcomes = []
    for _ in range(2):
        m = build(rng=7)
        m.leader_list[B].resolve = 0.5
        outcomes.append([m.leader_list[B].decide_recant(0.2) for _ in range(50)])
    assert outcomes[0] == outcomes[1]
    assert 0 < sum(outcomes[0]) < 50


# ---- institutions.ruling_faction ---------------------------------------------------------


def test_ruling_faction_needs_politburo_majority():
    m = build()
    set_factions(m, [[A], [B], [C], [D]])
    assert votes.ruling_faction(m) == -1
    set_factions(m, [[A, B], [C], [D]])
    assert votes.ruling_faction(m) == m.faction[A]


def test_ruling_faction_candidates_do_not_count():
    m = build()
    set_factions(m, [[A, D], [B], [C]])  # D is only a candidate: 1 of 3 full votes
    assert votes.ruling_faction(m) == -1


def test_ruling_faction_inactive_members_do_not_count():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    m.leader_list[B].health = 0.0
    # A alone against C: one of two votes is no majority
    assert votes.ruling_faction(m) == -1


# ---- votes.is_opposition ------------------------------------------------------------------


def test_quiet_leader_outside_is_not_opposition_whatever_his_ambition():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    ruling = votes.ruling_faction(m)
    m.leader_list[C].prestige = 1.0
    assert not votes.is_opposition(m, C, ruling)


def test_any_leader_who_acted_is_opposition_even_a_follower():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    ruling = votes.ruling_faction(m)
    m.leader_list[D].charge = m.params.opposition_charge  # D has ambition 0.1
    assert votes.is_opposition(m, D, ruling)
    m.leader_list[D].charge = m.params.opposition_charge * 0.99
    assert not votes.is_opposition(m, D, ruling)


def test_rulers_recanted_and_nobody_ruling_are_not_opposition():
    m = build()
    set_factions(m, [[A, B], [C, D]])
    ruling = votes.ruling_faction(m)
    for ld in m.leader_list:
        ld.charge = 10.0
    assert votes.is_opposition(m, C, ruling)
    assert not votes.is_opposition(m, A, ruling)
    assert not votes.is_opposition(m, C, -1)
    m.leader_list[C].recanted = True
    assert not votes.is_opposition(m, C, ruling)


# ---- institutions.cc_vote ----------------------------------------------------------------


def test_cc_vote_tally_adds_up_to_voters():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    ruling = votes.ruling_faction(m)
    voters = sum(1 for ld in m.leader_list if ld.active and ld.in_cc) + len(m.cc_patrons)
    for _ in range(20):
        yes, no = votes.cc_vote(m, C, ruling)
        assert yes >= 0 and no >= 0
        assert yes + no == voters
    probs = votes.cc_vote_probabilities(m, C, ruling)
    assert probs.size == voters
    assert ((probs >= 0) & (probs <= 1)).all()


# ---- institutions.congress_vote ----------------------------------------------------------


def test_congress_vote_adds_up_to_delegates():
    m = build(n_regions=5)
    set_factions(m, [[A, B], [C], [D]])
    congress = m.spec.assemblies[1]
    for _ in range(20):
        yes, no, absent = votes.congress_vote(m, congress)
        assert min(yes, no, absent) >= 0
        assert yes + no + absent == congress.delegates


def test_congress_vote_near_unanimous_without_opposition():
    m = build(n_regions=5)
    set_factions(m, [[A, B, C, D]])
    congress = m.spec.assemblies[1]
    ruling = votes.ruling_faction(m)
    assert not any(votes.is_opposition(m, i, ruling) for i in range(4))
    yes = no = 0
    for _ in range(20):
        y, n, _absent = votes.congress_vote(m, congress)
        yes, no = yes + y, no + n
    assert no <= 0.1 * (yes + no)


# ---- institutions.elect_central_committee ------------------------------------------------


@pytest.mark.parametrize("size", [2, 4, 12, 30])
def test_elect_central_committee_seat_count(size):
    m = build()
    leaders_in = sum(1 for ld in m.leader_list if ld.active and ld.in_cc)
    seats = m.institutions.elect_central_committee(size)
    assert seats.size == max(size - leaders_in, 0)
    assert ((seats >= -1) & (seats < len(m.leader_list))).all()


def test_elect_central_committee_skips_inactive_patrons():
    m = build()
    m.leader_list[B].health = 0.0
    seats = m.institutions.elect_central_committee(200)
    assert B not in seats


# ---- institutions.choose_successor -------------------------------------------------------


def test_choose_successor_prefers_suited_member_of_ruling_faction():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    set_power(m, [5.0, 1.0, 1.0, 1.0])
    army = m.offices[1]
    assert army.kind == "military"
    assert m.institutions.choose_successor(army) == B  # suited, though weaker than A
    government = m.offices[2]  # C is suited but outside the ruling faction
    assert m.institutions.choose_successor(government) in (A, B)


def test_choose_successor_least_office_weight_when_none_suited():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    set_power(m, [5.0, 1.0, 1.0, 1.0])
    paper = m.offices[4]
    assert m.institutions.choose_successor(paper) == min(
        (A, B), key=lambda j: m.institutions.office_weight(j)
    )


def test_choose_successor_regional_and_no_ruler():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    assert m.institutions.choose_successor(m.offices[3]) == -1  # regional office
    set_factions(m, [[A], [B], [C], [D]])
    assert m.institutions.choose_successor(m.offices[1]) == -1  # nobody rules


# ---- SuccessionModel.run_secretariat -----------------------------------------------------


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.5])
def test_run_secretariat_replaces_at_most_the_rate(rate):
    m = build(n_regions=10, appointment_rate=rate)
    set_factions(m, [[A], [B], [C], [D]])
    limit = math.ceil(rate * m.apparatus.size)
    shielded = 0  # R0 is shielded by C's City office
    replaced_total = 0
    for _ in range(30):
        before = m.apparatus.patron.copy()
        m.run_secretariat()
        after = m.apparatus.patron
        replaced = np.flatnonzero((after == A) & (before != A))
        assert replaced.size <= limit
        assert shielded not in replaced
        assert after[shielded] == before[shielded]
        replaced_total += replaced.size
    assert replaced_total > 0
    assert m.apparatus.patron[shielded] == C


def test_run_secretariat_no_appointments_without_active_secretary():
    m = build(n_regions=10, appointment_rate=0.5)
    m.leader_list[A].health = 0.0
    before = m.apparatus.patron.copy()
    m.run_secretariat()
    assert not ((m.apparatus.patron == A) & (before != A)).any()


# ---- SuccessionModel.update_power --------------------------------------------------------


@pytest.mark.parametrize("how", ["ill", "dead", "expelled"])
def test_update_power_zero_for_inactive(how):
    m = build()
    ld = m.leader_list[B]
    if how == "ill":
        ld.health = m.params.active_health / 2
    elif how == "dead":
        ld.alive = False
    else:
        ld.in_party = False
    m.update_power()
    assert m.power[B] == 0.0
    assert (m.power[[A, C, D]] > 0).all()
    assert m.total_power == pytest.approx(m.power.sum())


def test_a_contender_is_a_leader_of_ambition_at_least_the_parameter():
    """``Leader.is_contender`` is the one place the contender line is drawn: D (ambition
    0.1) is no contender at the default line; raising the line above B's ambition (0.7)
    takes B out, and a line at his ambition keeps him in; the model's ``contender`` list
    follows the same line."""
    m = build()
    assert [ld.is_contender for ld in m.leader_list] == [True, True, True, False]
    m = build(contender_ambition=0.75)
    assert [ld.is_contender for ld in m.leader_list] == [True, False, False, False]
    assert m.contender == [True, False, False, False]
    m = build(contender_ambition=0.7)  # the line itself: B's ambition reaches it
    assert [ld.is_contender for ld in m.leader_list] == [True, True, False, False]


def test_commands_force_is_holding_an_army_or_police_office():
    """``Institutions.commands_force``: B holds the army, A the Secretariat, D the paper;
    a police office commands force too; a vacated army commands nothing for its old
    holder."""
    m = build()
    assert [m.institutions.commands_force(i) for i in range(4)] == [False, True, False, False]
    spec = scenario_dict()
    spec["offices"][4]["kind"] = "police"  # D's paper becomes the police
    m = SuccessionModel(validate(spec, "test.toml"), rng=0)
    assert [m.institutions.commands_force(i) for i in range(4)] == [False, True, False, True]
    m = build()
    m.institutions.vacate_office(m.institutions.office_index("Army"), "test",
                                 m.spec.assemblies[0])
    assert not m.institutions.commands_force(B)


def test_the_presumed_successor_is_first_the_contender_who_commands_force():
    """With the heir's bar at 0.5 both A (prestige 0.8, the Secretariat) and B (0.6, the
    army) are heirs: B, the would-be Bonaparte, is the one feared; with ``force_feared``
    off standing decides and A is. A force holder below the bar, defeated in a vote or
    recanted is nobody's presumed successor, and the most prestigious heir is feared
    instead."""
    assert build(heir_prestige=0.5).strongest_aspirant() == B
    assert build(heir_prestige=0.5, force_feared=False).strongest_aspirant() == A
    assert build(heir_prestige=0.65).strongest_aspirant() == A  # B (0.6) is below the bar
    for fall in ("defeated", "recanted"):
        m = build(heir_prestige=0.5)
        setattr(m.leader_list[B], fall, True)
        assert m.strongest_aspirant() == A
    m = build(heir_prestige=0.5)
    m.institutions.vacate_office(m.institutions.office_index("Army"), "test",
                                 m.spec.assemblies[0])
    assert m.strongest_aspirant() == A


def test_of_two_heirs_who_command_force_the_more_prestigious_is_feared():
    """When two contenders command force, standing decides between them: C given a police
    office and a prestige above B's is feared; at B's prestige, the tie goes to the lower
    index (B)."""
    spec = scenario_dict(heir_prestige=0.5, paramount_shadow=False)
    spec["offices"][3] = {"name": "Police", "kind": "police", "weight": 0.1, "holder": "C"}
    spec["regions"][0]["patron"] = "C"
    spec["leaders"][2]["prestige"] = 0.7
    assert SuccessionModel(validate(spec, "test.toml"), rng=0).strongest_aspirant() == C
    spec["leaders"][2]["prestige"] = 0.6
    assert SuccessionModel(validate(spec, "test.toml"), rng=0).strongest_aspirant() == B
