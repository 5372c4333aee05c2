"""Tests for the opposition's acts, the sanctions that answer them, lines, coercion, purges,
positive ties and appointees (model/engine/acts.py, opposition.py, sanctions.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cases.scenario import load_scenario, validate
from model.engine import acts, opposition, sanctions, votes
from model.engine.coalitions import policy_distance, tie_bonus
from model.engine.model import SuccessionModel
from tests.test_rules import (
    A,
    B,
    C,
    D,
    build,
    scenario_dict,
    set_factions,
    set_power,
    strip_to_cc,
)

# ---- acts: pure functions -----------------------------------------------------------------


def test_grievance_rises_with_ambition_and_gap():
    assert acts.grievance(0.0, 0.0) == 0.0
    assert acts.grievance(1.0, 0.0) < acts.grievance(1.0, 0.5) < acts.grievance(1.0, 1.0)


def test_fear_vanishes_with_full_resolve_or_full_hope():
    assert acts.fear_of_sanction(1.0, 0.0, 2.0) == 0.0
    assert acts.fear_of_sanction(0.0, 1.0, 2.0) == 0.0
    assert acts.fear_of_sanction(0.0, 0.0, 2.0) == 2.0
    assert acts.fear_of_sanction(0.2, 0.3, 1.0) > acts.fear_of_sanction(0.6, 0.3, 1.0)


def test_act_values_trade_reach_against_severity():
    sev, reach = (1.0, 2.0, 2.0, 3.0, 4.0), (0.2, 0.6, 0.8, 0.5, 1.0)
    v = acts.act_values(1.0, 1.0, 0.0, 0.1, sev, reach, assembly_meets=True)
    assert v[0] == pytest.approx(0.2 - 0.1)
    assert v[4] == pytest.approx(1.0 - 0.4)
    feared = acts.act_values(1.0, 1.0, 1.0, 0.1, sev, reach, assembly_meets=True)
    assert np.all(feared < v)  # fear lowers every act, the severe ones most
    assert (v - feared)[4] > (v - feared)[0]


def test_co_report_only_when_an_assembly_meets():
    sev, reach = (1.0, 2.0, 2.0, 3.0, 4.0), (0.2, 0.6, 0.8, 0.5, 1.0)
    v = acts.act_values(1.0, 1.0, 0.0, 0.0, sev, reach, assembly_meets=False)
    assert v[acts.ACTS.index("co_report")] == -np.inf
    for nest in (1.0, 0.5, 0.05):
        for u in np.linspace(0, 0.999, 50):
            assert acts.logit_choice(v, 0.2, float(u), nest) != acts.ACTS.index("co_report")


@given(st.lists(st.one_of(st.floats(-3, 3), st.just(-np.inf)), min_size=5, max_size=5),
       st.floats(0.01, 2.0), st.floats(0.0, 0.999999), st.floats(0.01, 1.0))
@settings(max_examples=300, deadline=None)
def test_logit_choice_returns_quiet_or_an_available_act(values, temperature, u, nest):
    k = acts.logit_choice(np.array(values), temperature, u, nest)
    assert k == acts.QUIET or (0 <= k < 5 and np.isfinite(values[k]))


def test_logit_choice_frequencies_follow_the_logit():
    values = np.array([0.0, math.log(2.0) * 0.5, -np.inf, -np.inf, -np.inf])
    us = (np.arange(10_000) + 0.5) / 10_000
    picks = [acts.logit_choice(values, 0.5, float(u), 1.0) for u in us]
    # weights: quiet 1, criticism 1, platform 2 (exp(log 2 * 0.5 / 0.5))
    assert picks.count(acts.QUIET) / len(picks) == pytest.approx(0.25, abs=0.01)
    assert picks.count(1) / len(picks) == pytest.approx(0.5, abs=0.01)


def test_logit_choice_low_temperature_is_best_response():
    values = np.array([-1.0, 0.5, 0.2, -2.0, -3.0])
    assert all(acts.logit_choice(values, 0.01, u, 0.5) == 1 for u in (0.01, 0.5, 0.99))
    assert all(acts.logit_choice(-np.abs(values) - 1, 0.01, u, 0.5) == acts.QUIET
               for u in (0.01, 0.5, 0.99))


def test_nest_of_one_is_the_multinomial_logit():
    # with nest = 1 the chance of acting is the plain logit's: sum of exp(v/T) over 1 + it
    values = np.array([-0.1, -0.2, -np.inf, -0.4, 0.05])
    w = np.exp(values[np.isfinite(values)] / 0.15)
    assert acts.act_chance(values, 0.15, 1.0) == pytest.approx(w.sum() / (1.0 + w.sum()))


def test_a_close_substitute_does_not_raise_the_chance_of_acting_in_a_tight_nest():
    # the red bus / blue bus problem [Train2009]: a second act worth what the first is
    # worth doubles the plain logit's odds of acting; a nest of scale n multiplies them
    # by 2**n only
    one = np.array([-0.15, -np.inf, -np.inf, -np.inf, -np.inf])
    two = np.array([-0.15, -0.15, -np.inf, -np.inf, -np.inf])
    for nest in (1.0, 0.5, 0.1):
        odds = [acts.act_chance(v, 0.15, nest) / (1 - acts.act_chance(v, 0.15, nest))
                for v in (one, two)]
        assert odds[1] / odds[0] == pytest.approx(2.0 ** nest)  # 2 for the plain logit
    # five acts all worth less than quiet: the plain logit acts more often than not,
    # the nest about as often as for the best act alone
    five = np.array([-0.12, -0.15, -0.2, -0.3, -0.4])
    assert acts.act_chance(five, 0.15, 1.0) > 0.5
    assert acts.act_chance(five, 0.15, 0.25) < 0.35


@given(st.lists(st.floats(-3, 3), min_size=5, max_size=5), st.floats(0.01, 2.0),
       st.floats(0.05, 1.0), st.floats(0.05, 1.0))
@settings(max_examples=200, deadline=None)
def test_act_chance_grows_with_the_nest_and_stays_a_probability(values, temperature, a, b):
    v = np.array(values)
    lo, hi = sorted((a, b))
    p_lo, p_hi = acts.act_chance(v, temperature, lo), acts.act_chance(v, temperature, hi)
    assert 0.0 <= p_lo <= p_hi + 1e-12 <= 1.0 + 1e-12
    # never below the chance of the best act alone (a logistic of its value)
    with np.errstate(over="ignore"):
        best = 1.0 / (1.0 + np.exp(-max(values) / temperature))
    assert p_lo >= best - 1e-12


def test_a_vanishing_nest_scale_is_the_best_act_alone_not_nan():
    values = np.array([-0.2, 0.3, -np.inf, 0.1, -1.0])
    for nest, temperature in ((1e-200, 0.15), (0.5, 1e-200)):
        chance = acts.act_chance(values, temperature, nest)
        assert np.isfinite(chance)
        assert acts.logit_choice(values, temperature, 0.999, nest) == 1  # the best act
    with pytest.raises(ValueError, match="NaN"):
        acts.act_chance(np.array([np.nan, 0.0, 0.0, 0.0, 0.0]), 0.15, 0.5)


def test_nested_choice_frequencies_follow_the_nest():
    values = np.array([0.0, math.log(2.0) * 0.25, -np.inf, -np.inf, -np.inf])
    us = (np.arange(20_000) + 0.5) / 20_000
    picks = [acts.logit_choice(values, 0.5, float(u), nest=0.5) for u in us]
    # nest scale 0.25: weights 1 and 2 inside the nest; inclusive value 0.25 log 3
    act = 1.0 / (1.0 + math.exp(-0.25 * math.log(3.0) / 0.5))
    assert picks.count(acts.QUIET) / len(picks) == pytest.approx(1 - act, abs=0.005)
    assert picks.count(1) / len(picks) == pytest.approx(act * 2 / 3, abs=0.005)
    assert picks.count(0) / len(picks) == pytest.approx(act / 3, abs=0.005)


def test_agreement_and_standing_change():
    assert acts.agreement(0.1, 0.1, 4.0) == pytest.approx(0.5)
    assert acts.agreement(0.0, 0.5, 4.0) > 0.5 > acts.agreement(0.5, 0.0, 4.0)
    assert acts.standing_change(1.0, 0.5, 0.1) == 0.0
    assert acts.standing_change(1.0, 1.0, 0.1) == pytest.approx(0.1)
    assert acts.standing_change(0.5, 0.0, 0.1) == pytest.approx(-0.05)


# ---- acts in the model --------------------------------------------------------------------


def test_apply_act_raises_charge_and_moves_the_mood_toward_the_author():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    ruling = votes.ruling_faction(m)
    m.positions[C] = [1.0, 1.0]
    before = m.apparatus.mood().copy()
    k = acts.ACTS.index("platform")
    opposition.apply_act(m, C, k, ruling)
    assert m.leader_list[C].charge == m.params.act_severity[k]
    after = m.apparatus.mood()
    assert np.all(after > before)
    assert m.event_log[-1]["kind"] == "act" and m.event_log[-1]["what"] == "platform"


def test_only_leaders_outside_the_ruling_faction_act():
    m = build(act_cost=0.0, act_fear=0.0, act_temperature=0.01)
    set_factions(m, [[A, B], [C], [D]])
    m.positions[C] = [1.0, 1.0]
    opposition.take_acts(m)
    authors = {e["who"] for e in m.event_log if e["kind"] == "act"}
    assert "A" not in authors and "B" not in authors
    assert "C" in authors


def test_voice_is_the_blocs_renown_at_most_one():
    assert acts.voice([0.3]) == pytest.approx(0.3)
    assert acts.voice([0.3, 0.4]) == pytest.approx(0.7)
    assert acts.voice([0.9, 0.9, 0.9]) == 1.0
    assert acts.voice([]) == 0.0


def test_an_eroded_leader_is_still_heard_by_his_renown():
    """The campaign erodes prestige, not renown: a leader whose prestige is gone chooses as
    often to act as one whose prestige is intact, while a leader of no renown keeps quiet."""
    def act_rate(prestige: float, renown: float) -> float:
        m = build(act_cost=0.05, act_fear=0.0, act_temperature=0.01, organise_gain=0.0)
        set_factions(m, [[A, B], [C], [D]])
        m.positions[A] = m.positions[B] = [1.0, 1.0]  # the rulers' line, far from the mood
        ld = m.leader_list[C]
        ld.prestige, ld.renown = prestige, renown
        choices = [ld.choose_act(votes.ruling_faction(m), False) for _ in range(300)]
        return sum(k != acts.QUIET for k in choices) / len(choices)

    intact, eroded, unknown = act_rate(0.5, 0.5), act_rate(0.0, 0.5), act_rate(0.5, 0.0)
    assert eroded == pytest.approx(intact, abs=0.1)
    assert unknown < 0.1 < intact


def test_recanted_leader_does_not_act():
    m = build(act_cost=0.0, act_fear=0.0, act_temperature=0.01)
    set_factions(m, [[A, B], [C], [D]])
    m.leader_list[C].recanted = True
    assert not opposition.may_act(m, C, votes.ruling_faction(m))


def test_charges_decay():
    m = build(charge_decay=0.25)
    m.leader_list[C].charge = 4.0
    opposition.decay_charges(m)
    assert m.leader_list[C].charge == pytest.approx(3.0)


def test_campaign_hits_only_those_with_a_charge_and_grows_with_it():
    m = build(campaign_rate=0.01, factionalism=0.0)
    set_factions(m, [[A, B], [C], [D]])
    m.leader_list[C].charge = 2.0
    m.leader_list[D].charge = 0.0
    pc, pd = m.leader_list[C].prestige, m.leader_list[D].prestige
    opposition.run_campaign(m)
    assert m.leader_list[C].prestige < pc
    assert m.leader_list[D].prestige == pd


def campaign_loss(bloc_followings, factionalism=3.0):
    """Share of prestige the campaign takes this month from leader C, whose bloc is C
    with D (when two followings are given) and whose members have these followings."""
    m = build(campaign_rate=0.01, factionalism=factionalism)
    set_factions(m, [[A, B], [C, D]] if len(bloc_followings) == 2 else [[A, B], [C], [D]])
    for j, f in zip((C, D)[:len(bloc_followings)], bloc_followings, strict=True):
        m.leader_list[j].charge = 2.0
        m.leader_list[j].following = f
    before = m.leader_list[C].prestige
    opposition.run_campaign(m)
    return 1.0 - m.leader_list[C].prestige / before


def test_organisation_is_the_blocs_following_at_most_one():
    m = build()
    set_factions(m, [[A, B], [C, D]])
    m.leader_list[C].following, m.leader_list[D].following = 0.25, 0.5
    assert opposition.organisation(m, m.faction[C]) == pytest.approx(0.75)
    m.leader_list[D].following = 0.9
    assert opposition.organisation(m, m.faction[C]) == 1.0
    # a following outside the bloc is not the bloc's
    m.leader_list[C].following = m.leader_list[D].following = 0.0
    m.leader_list[A].following = 0.8
    assert opposition.organisation(m, m.faction[C]) == 0.0


def test_an_unorganised_bloc_draws_no_heavier_campaign_than_a_lone_leader():
    alone = campaign_loss([0.0])
    assert alone > 0
    assert campaign_loss([0.0, 0.0]) == pytest.approx(alone)


def test_an_organised_bloc_draws_heavier_fire_the_more_it_is_organised():
    unorganised = campaign_loss([0.0, 0.0])
    half = campaign_loss([0.25, 0.25])
    full = campaign_loss([0.5, 0.5])
    assert unorganised < half < full
    # with factionalism off, organisation does not matter
    assert campaign_loss([0.5, 0.5], factionalism=0.0) == pytest.approx(unorganised)
    # a bloc organised past the full following draws no more than a fully organised one
    assert campaign_loss([0.9, 0.9]) == pytest.approx(full)


# ---- sanctions ----------------------------------------------------------------------------


def test_next_rung_walks_the_ladder():
    m = build()
    assert m.institutions.offices_of(C)
    assert sanctions.next_rung(m, C) == sanctions.OFFICE
    for k in m.institutions.offices_of(C):
        m.offices[k].holder = -1
    assert sanctions.next_rung(m, C) == sanctions.DEMOTION  # a full member
    m.politburo[C] = 1
    assert sanctions.next_rung(m, C) == sanctions.POLITBURO
    m.politburo[C] = 0
    assert sanctions.next_rung(m, C) == sanctions.CENTRAL_COMMITTEE
    m.leader_list[C].in_cc = False
    assert sanctions.next_rung(m, C) == sanctions.PARTY
    m.leader_list[C].in_party = False
    assert sanctions.next_rung(m, C) == sanctions.BEYOND


def test_charge_need_grows_with_standing_above_the_ruler():
    m = build(standing_premium=2.0, charge_scale=1.0)
    set_factions(m, [[A, B], [C], [D]])
    m.leader_list[A].prestige = 0.5
    m.leader_list[C].prestige = 0.4
    base = m.params.charge_need[0]
    assert sanctions.needed_charge(m, C, 0) == pytest.approx(base)
    m.leader_list[C].prestige = 0.9
    assert sanctions.needed_charge(m, C, 0) == pytest.approx(base * (1 + 2.0 * 0.4))


def test_no_sanction_without_a_sufficient_charge():
    m = build(standing_premium=0.0, charge_scale=1.0)
    set_factions(m, [[A, B], [C], [D]])
    m.leader_list[C].charge = m.params.charge_need[0] * 0.99
    assert not sanctions.charge_suffices(m, C, sanctions.OFFICE)
    m.leader_list[C].charge = m.params.charge_need[0]
    assert sanctions.charge_suffices(m, C, sanctions.OFFICE)


def test_sanction_vote_grows_likelier_with_the_charge():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    ruling = votes.ruling_faction(m)
    m.leader_list[C].charge = 1.0
    low = votes.cc_vote_probabilities(m, C, ruling, 0).mean()
    m.leader_list[C].charge = 6.0
    high = votes.cc_vote_probabilities(m, C, ruling, 0).mean()
    assert high > low


def test_demotion_makes_a_candidate_and_a_passed_sanction_uses_up_charge():
    m = build(charge_relief=0.5, sweep_share=1.0)
    set_factions(m, [[A, B, D], [C]])
    for k in m.institutions.offices_of(C):
        m.offices[k].holder = -1
    m.leader_list[C].charge = 10.0
    m.leader_list[C].prestige = 0.0
    plenum = m.spec.assemblies[0]
    sanctions.move_sanctions(m, plenum)
    assert m.politburo[C] == 1
    assert m.leader_list[C].charge == pytest.approx(5.0)
    assert m.leader_list[C].defeated
    assert any(e["kind"] == "demotion" and e["who"] == "C" for e in m.event_log)


def test_a_near_unanimous_vote_takes_two_rungs():
    m = build(sweep_share=0.5, charge_relief=0.0, standing_premium=0.0)
    set_factions(m, [[A, B, D], [C]])
    for k in m.institutions.offices_of(C):
        m.offices[k].holder = -1
    m.leader_list[C].charge = 20.0
    m.leader_list[C].prestige = 0.0
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    assert m.politburo[C] == 0
    assert any(e["kind"] == "expulsion" and e["what"] == "Politburo" for e in m.event_log)


def test_exile_needs_refusal_and_the_security_office():
    m = build(coercion_rate=1.0)
    set_factions(m, [[A, B], [C], [D]])
    ld = m.leader_list[C]
    ld.in_party, ld.refused = False, True
    sanctions.exile_refusers(m)
    assert not ld.exiled  # no security office in this scenario
    d = scenario_dict(coercion_rate=1.0)
    d["offices"].append({"name": "Police", "kind": "police", "weight": 0.1})
    m = SuccessionModel(validate(d, "t.toml"), rng=0)
    set_factions(m, [[A, B], [C], [D]])
    ld = m.leader_list[C]
    ld.in_party, ld.refused = False, True
    sanctions.exile_refusers(m)
    assert ld.exiled
    assert m.event_log[-1]["kind"] == "exile"


def test_recantation_clears_the_charge():
    m = build()
    ld = m.leader_list[C]
    ld.resolve, ld.charge, ld.in_party = 0.0, 5.0, False
    sanctions.answer_defeat(m, C, "")
    assert ld.recanted and ld.charge == 0.0


# ---- lines, purges, ties, appointees ------------------------------------------------------


def test_review_line_moves_toward_the_mood_when_shifts_are_cheap():
    m = build(line_shift_cost=0.0, decision_temperature=0.0, w_mood=1.0)
    set_factions(m, [[A, B, C, D]])
    m.positions[A] = [0.0, 0.0]
    line = m.leader_list[A].review_line(votes.ruling_faction(m), np.array([0.8, 0.0]))
    assert line is not None and line[0] > 0.0 and line[1] == 0.0


def test_review_line_keeps_the_line_when_shifts_are_dear():
    m = build(line_shift_cost=100.0, decision_temperature=0.0)
    set_factions(m, [[A, B, C, D]])
    assert m.leader_list[A].review_line(votes.ruling_faction(m), np.array([0.8, 0.8])) is None


def test_review_line_keeps_the_line_as_often_as_any_shift_when_all_are_worth_the_same():
    """Every alternative draws its own noise: with five lines of equal worth (no mood, no
    distinction, no cost) the kept line wins about one review in five; with noise on the
    four shifts alone it would win one in sixteen."""
    m = build(line_shift_cost=0.0, decision_temperature=0.05, w_mood=0.0,
              line_distinction=0.0)
    set_factions(m, [[A, B, C, D]])
    m.positions[A] = [0.0, 0.0]
    n = 2000
    kept = sum(m.leader_list[A].review_line(votes.ruling_faction(m), np.zeros(2)) is None
               for _ in range(n))
    assert 0.16 < kept / n < 0.24


def test_the_baseline_contenders_shift_their_lines_a_few_times_in_five_years():
    """``line_review_rate``'s grounds: lines changed a few times in five years, not every
    other month (the 0.15 first set gave about 8 shifts a run each). Over the baseline's
    run the lines do move (at least one shift in two contenders' runs), and no contender
    shifts more than five times a run on average ("a few")."""
    sc = load_scenario("baseline")
    runs = 20
    shifts: dict[str, int] = {}
    for seed in range(runs):
        m = SuccessionModel(sc, rng=seed, collect_data=False)
        m.run()
        for ld in m.leader_list:
            if ld.is_contender:
                shifts.setdefault(ld.name, 0)
        for e in m.event_log:
            if e["kind"] == "line_shift":
                shifts[e["who"]] += 1
    per_run = [n / runs for n in shifts.values()]
    assert sum(per_run) / len(per_run) >= 0.5
    assert max(per_run) <= 5.0


def test_opposition_line_moves_away_from_the_rulers():
    m = build(line_shift_cost=0.0, decision_temperature=0.0, w_mood=0.0, line_distinction=1.0)
    set_factions(m, [[A, B], [C], [D]])
    m.positions[:] = 0.0
    m.positions[A] = m.positions[B] = [0.5, 0.0]
    line = m.leader_list[C].review_line(votes.ruling_faction(m), np.array([0.0, 0.0]))
    assert line is not None and line[0] < 0.0


def test_purge_shrinks_opposition_led_regions_only():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    m.leader_list[C].charge = 5.0  # C is the patron of R0
    before = m.apparatus.members.copy()
    opposition.purge(m, 0.2)
    assert m.apparatus.members[0] == pytest.approx(before[0] * 0.8)
    assert np.array_equal(m.apparatus.members[1:], before[1:])


def test_tie_bonus_is_the_strongest_tie_to_a_partner():
    ties = np.zeros((3, 3))
    ties[0, 1], ties[0, 2] = 0.3, 0.6
    assert tie_bonus(0, [0, 1, 2], ties) == 0.6
    assert tie_bonus(0, [0], ties) == 0.0


def test_positive_ties_load_from_the_scenario():
    d = scenario_dict()
    d["relations"] = [{"kind": "tie", "a": "A", "b": "D", "value": 0.7}]
    m = SuccessionModel(validate(d, "t.toml"), rng=0)
    assert m.ties[A, D] == 0.7 and m.ties[D, A] == 0.7
    assert m.animosity[A, D] == 0.0


def test_unsuited_office_goes_to_an_appointee():
    d = scenario_dict()
    d["offices"].append({"name": "Police", "kind": "police", "weight": 0.1, "appointee": True})
    m = SuccessionModel(validate(d, "t.toml"), rng=0)
    set_factions(m, [[A, B, C, D]])
    set_power(m, [1.0, 0.5, 0.4, 0.2])
    police = m.offices[-1]
    assert m.institutions.choose_successor(police) == -1
    m.leader_list[B].suited = ("police",)
    assert m.institutions.choose_successor(police) == B


def test_decision_noise_is_zero_at_zero_temperature_and_drawn_from_the_model_rng():
    m = build(decision_temperature=0.0)
    state = m.rng.bit_generator.state
    assert m.decision_noise() == 0.0
    assert m.rng.bit_generator.state == state
    m1, m2 = build(rng=5, decision_temperature=0.1), build(rng=5, decision_temperature=0.1)
    assert [m1.decision_noise() for _ in range(5)] == [m2.decision_noise() for _ in range(5)]


def test_condemnation_when_the_charge_falls_short_of_a_sanction():
    m = build(standing_premium=0.0, censure_need=1.0)
    set_factions(m, [[A, B, D], [C]])
    ld = m.leader_list[C]
    ld.charge, ld.prestige = 1.2, 0.0
    prestige = ld.prestige = 0.3
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    kinds = [e["kind"] for e in m.event_log if e["who"] == "C"]
    assert kinds and kinds[-1] in ("condemnation", "censure_failed")
    assert m.institutions.offices_of(C)  # nothing taken
    if kinds[-1] == "condemnation":
        assert ld.prestige < prestige
    sanctions.move_sanctions(m, m.spec.assemblies[0])  # once per rung
    assert len([e for e in m.event_log if e["who"] == "C"]) == len(kinds)


def test_no_condemnation_below_the_censure_need():
    m = build(standing_premium=0.0, censure_need=1.0)
    set_factions(m, [[A, B, D], [C]])
    m.leader_list[C].charge = 0.9
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    assert not [e for e in m.event_log if e["who"] == "C"]


def test_congress_vote_keeps_each_delegation_and_they_add_up():
    m = build()
    congress = m.spec.assemblies[1]
    yes, no, absent = votes.congress_vote(m, congress)
    by_region = m.region_votes[congress.name]
    assert set(by_region) == set(m.apparatus.names)
    assert sum(y for y, _ in by_region.values()) == yes
    assert sum(n for _, n in by_region.values()) == no


# ---- a larger body overturns a smaller one ------------------------------------------------


def test_cc_majority_faction_counts_leaders_and_clients():
    m = build()
    set_factions(m, [[A, B], [C], [D]])
    m.institutions.cc_patrons = np.array([C] * 20 + [A] * 3)
    assert votes.cc_majority_faction(m) == m.faction[C]
    m.institutions.cc_patrons = np.array([-1] * 20 + [A] * 3)
    assert votes.cc_majority_faction(m) == -1  # unattached seats belong to nobody


def test_failed_sanction_charges_its_movers_and_the_cc_majority_overturns():
    m = build(standing_premium=0.0, misjudgement=0.0, sanction_margin=0.5,
              failed_motion_charge=10.0, cc_discipline=1.0, sweep_share=1.0)
    set_factions(m, [[A, B, D], [C]])
    m.institutions.cc_patrons = np.array([C] * 30)  # C's clients fill the Central Committee
    ld = m.leader_list[C]
    ld.charge, ld.prestige = 50.0, 0.0
    for k in m.institutions.offices_of(C):
        m.offices[k].holder = -1
    m.misjudgement = lambda: 1.0  # the rulers badly overrate their support...
    failed = sanctions.move_sanctions(m, m.spec.assemblies[0])
    assert failed  # ...and C's clients vote no
    assert m.leader_list[A].charge >= 10.0 and m.leader_list[B].charge >= 10.0
    m.overturn(m.spec.assemblies[0])
    assert any(e["kind"] == "overturn" for e in m.event_log)


def test_outside_the_bodies_only_the_outside_channels_remain():
    inside = acts.available_acts(in_leadership=True, assembly_meets=True)
    assert inside.all()
    outside = acts.available_acts(in_leadership=False, assembly_meets=True)
    assert not outside[acts.ACTS.index("criticism")]
    assert not outside[acts.ACTS.index("co_report")]
    assert outside[acts.ACTS.index("platform")] and outside[acts.ACTS.index("street")]


def test_organising_builds_a_following_that_adds_to_power_and_decays():
    m = build(organise_gain=0.5, w_following=1.0, charge_decay=0.1)
    set_factions(m, [[A, B], [C], [D]])
    ruling = votes.ruling_faction(m)
    m.update_power()
    before = m.power[C]
    opposition.apply_act(m, C, acts.ORGANISE, ruling)
    following = m.leader_list[C].following
    assert 0.0 < following <= 0.5
    m.update_power()
    assert m.power[C] > before
    opposition.decay_charges(m)
    assert m.leader_list[C].following == pytest.approx(following * 0.9)


def test_higher_drive_favours_the_acts_of_wider_reach():
    sev, reach = (1.0, 2.0, 2.0, 3.0, 4.0), (0.2, 0.6, 0.8, 0.5, 1.0)
    low = acts.act_values(0.2, 1.0, 0.0, 0.1, sev, reach, False)
    high = acts.act_values(2.0, 1.0, 0.0, 0.1, sev, reach, False)
    assert int(np.argmax(low)) == acts.ACTS.index("criticism")
    assert int(np.argmax(high)) == acts.ACTS.index("street")


# ---- the two further competitors ----------------------------------------------------------


def test_calendar_null_freezes_the_first_months_coalitions():
    m = build()
    m.coalition_rule = "calendar"
    m.step()
    first = m.faction.copy()
    for _ in range(5):
        m.step()
    active = [ld.idx for ld in m.leader_list if ld.active]
    # nobody changes faction by coalition decisions after the first month
    assert not any(e["kind"] in ("coalition", "leaves", "dropped") and e["step"] > 1
                   for e in m.event_log)
    assert all((m.faction[i] == m.faction[j]) == (first[i] == first[j])
               for i in active for j in active)


def test_expected_utility_baseline_partitions_the_active_leaders():
    m = build()
    m.coalition_rule = "expected_utility"
    m.step()
    active = [ld.idx for ld in m.leader_list if ld.active]
    assert all(m.faction[i] >= 0 for i in active)


def test_forum_is_widest_before_a_congress():
    m = build(forum_weight=1.0, forum_months=2)
    congress_step = m.spec.step_of(m.spec.assemblies[1].date) + 1
    plenum_step = m.spec.step_of(m.spec.assemblies[0].date) + 1
    for step, expected in ((congress_step, 2.0), (congress_step - 2, 2.0),
                           (plenum_step, 1.5), (congress_step + 1, 1.0)):
        m.steps = step
        assert opposition.forum_of(m) == expected, step


def test_the_paramount_is_the_one_leader_above_all_at_the_start():
    m = build(paramount_shadow=True)
    assert sanctions.paramount(m) == A  # 0.8 against 0.6, 0.5, 0.3
    m.leader_list[A].prestige = 0.1  # what counts is the standing at the start
    assert sanctions.paramount(m) == A
    d = scenario_dict(paramount_shadow=True)
    d["leaders"][1]["prestige"] = 0.8  # two share the top: nobody is paramount
    assert sanctions.paramount(SuccessionModel(validate(d, "t.toml"), rng=0)) == -1


def test_no_sanction_against_a_politburo_member_while_the_paramount_lives():
    m = build(paramount_shadow=True, standing_premium=0.0, censure_need=1.0)
    set_factions(m, [[A, B, D], [C]])
    for k in m.institutions.offices_of(C):
        m.offices[k].holder = -1
    ld = m.leader_list[C]
    ld.charge, ld.prestige = 50.0, 0.0
    assert m.politburo[C] == 2 and sanctions.under_shadow(m, C)
    m.leader_list[A].health = 0.0  # ill or well, he lives: the shadow holds
    assert sanctions.under_shadow(m, C)
    m.leader_list[A].health = 1.0
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    assert m.politburo[C] == 2  # nothing taken
    assert [e["kind"] for e in m.event_log if e["who"] == "C"][-1] in (
        "condemnation", "censure_failed")  # but condemned (or the vote failed)
    m.leader_list[A].alive = False  # he dies: the succession is open
    assert not sanctions.under_shadow(m, C)
    off = build(paramount_shadow=False, standing_premium=0.0, censure_need=1.0)
    set_factions(off, [[A, B, D], [C]])  # the same case without the rule is sanctioned
    for k in off.institutions.offices_of(C):
        off.offices[k].holder = -1
    off.leader_list[C].charge, off.leader_list[C].prestige = 50.0, 0.0
    sanctions.move_sanctions(off, off.spec.assemblies[0])
    assert off.politburo[C] < 2


def test_the_shadow_covers_only_the_politburo_and_can_be_switched_off():
    m = build(paramount_shadow=True)
    m.politburo[C] = 0
    assert not sanctions.under_shadow(m, C)  # outside the Politburo: no protection
    m.politburo[C] = 1
    assert sanctions.under_shadow(m, C)  # a candidate member is protected too
    assert not sanctions.under_shadow(m, A)  # the paramount casts it, it does not cover him
    off = build(paramount_shadow=False)
    assert not sanctions.under_shadow(off, C)


def test_condemnation_needs_more_against_a_leader_above_the_rulers():
    m = build(standing_premium=2.0, censure_need=1.0)
    set_factions(m, [[B, D], [C], [A]])
    m.leader_list[B].prestige = 0.5
    m.leader_list[C].prestige = 0.5
    m.leader_list[C].charge = 1.2
    assert sanctions.censure_suffices(m, C, m.faction[B])
    m.leader_list[C].prestige = 0.9  # 0.4 above the ruler: needs 1.0 * (1 + 2 * 0.4) = 1.8
    assert not sanctions.censure_suffices(m, C, m.faction[B])
    m.leader_list[C].charge = 1.8
    assert sanctions.censure_suffices(m, C, m.faction[B])


def test_a_passed_condemnation_uses_up_charge_unless_switched_off():
    for closes in (True, False):
        m = build(standing_premium=0.0, censure_need=1.0, charge_relief=0.5,
                  condemnation_closes=closes)
        set_factions(m, [[A, B, D], [C]])
        ld = m.leader_list[C]
        ld.charge, ld.prestige = 1.2, 0.0
        for _ in range(50):  # a failed vote leaves the charge: try again
            if sanctions.condemn(m, C, m.faction[A], m.spec.assemblies[0]):
                break
            assert ld.charge == pytest.approx(1.2)
        else:
            pytest.fail("no condemnation passed in 50 votes")
        assert ld.charge == pytest.approx(0.6 if closes else 1.2)


def test_under_the_shadow_a_sufficient_case_is_condemned_again_at_the_same_rung():
    m = build(paramount_shadow=True, standing_premium=0.0, censure_need=1.0, charge_scale=1.0)
    set_factions(m, [[A, B, D], [C]])
    for k in m.institutions.offices_of(C):
        m.offices[k].holder = -1
    ld = m.leader_list[C]
    ld.prestige = 0.0
    ld.warned_at_rung = sanctions.next_rung(m, C)  # already condemned at this rung
    ld.charge = m.params.charge_need[sanctions.DEMOTION] * 0.9  # short of the rung
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    assert not [e for e in m.event_log if e["who"] == "C"]  # no second warning
    ld.charge = m.params.charge_need[sanctions.DEMOTION] * 2  # enough for the rung
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    kinds = [e["kind"] for e in m.event_log if e["who"] == "C"]
    assert kinds and kinds[-1] in ("condemnation", "censure_failed")
    assert m.politburo[C] == 2  # condemned, not demoted


def test_the_shadow_lifts_when_the_paramount_leaves_the_party_or_the_politburo():
    m = build(paramount_shadow=True)
    assert sanctions.under_shadow(m, C)
    m.leader_list[A].in_party = False
    assert not sanctions.under_shadow(m, C)
    m.leader_list[A].in_party = True
    m.politburo[A] = 0  # a paramount without a seat shields nobody
    assert not sanctions.under_shadow(m, C)


def test_under_the_shadow_an_office_is_not_taken_either():
    m = build(paramount_shadow=True, standing_premium=0.0, censure_need=1.0, charge_scale=1.0)
    set_factions(m, [[A, B, D], [C]])
    ld = m.leader_list[C]
    assert m.institutions.offices_of(C)
    ld.prestige, ld.charge = 0.0, 50.0
    held = list(m.institutions.offices_of(C))
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    assert list(m.institutions.offices_of(C)) == held
    assert not [e for e in m.event_log if e["kind"] == "office_loss"]


# ---- sanctions make enemies ---------------------------------------------------------------

def _enmity_model(**parameters):
    """C against the faction of A, B and D, whose leader is B (the strongest, not its first
    member): the grudge must go to the faction's leader."""
    m = build(standing_premium=0.0, censure_need=1.0, charge_scale=1.0, sanction_grudge=0.3,
              grudge_weight=1.0, **parameters)
    set_factions(m, [[A, B, D], [C]])
    set_power(m, [0.1, 0.5, 0.3, 0.1])
    assert m.faction_leader_index(m.faction[A]) == B
    ld = m.leader_list[C]
    ld.charge, ld.prestige = 6.0, 0.0
    return m


@pytest.mark.parametrize("vote", ["condemn", "sanction"])
def test_a_passed_vote_makes_its_movers_leader_and_its_target_enemies(monkeypatch, vote):
    m = _enmity_model()
    before = m.animosity.copy()
    value_before = m.leader_list[B].coalition_value([A, B, C, D], 0.0)
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    if vote == "condemn":
        assert sanctions.condemn(m, C, m.faction[A], m.spec.assemblies[0])
    else:
        assert sanctions.vote_sanction(m, C, m.faction[A], sanctions.next_rung(m, C),
                                       m.spec.assemblies[0])
    assert m.animosity[C, B] == pytest.approx(before[C, B] + 0.3)
    assert m.animosity[B, C] == pytest.approx(before[B, C] + 0.3)
    assert (~np.isclose(m.animosity, before)).sum() == 2  # only these two
    # the mover's leader now values a coalition with his target less
    assert m.leader_list[B].coalition_value([A, B, C, D], 0.0) < value_before


@pytest.mark.parametrize("vote", ["condemn", "sanction"])
def test_a_failed_vote_makes_no_enemies(monkeypatch, vote):
    m = _enmity_model()
    before = m.animosity.copy()
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (0, 10))
    if vote == "condemn":
        assert not sanctions.condemn(m, C, m.faction[A], m.spec.assemblies[0])
    else:
        assert not sanctions.vote_sanction(m, C, m.faction[A], sanctions.next_rung(m, C),
                                           m.spec.assemblies[0])
    assert np.array_equal(m.animosity, before)


def test_one_vote_that_takes_two_rungs_makes_enemies_once(monkeypatch):
    m = _enmity_model(sweep_share=0.5, sanction_margin=0.5, misjudgement=0.0)
    m.politburo[C] = 1  # a candidate: the office, then the seat, in the same vote
    before = m.animosity.copy()
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 0))
    monkeypatch.setattr(sanctions, "cc_vote_probabilities", lambda *a: np.ones(5))
    m.leader_list[C].charge = 40.0
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    kinds = [e["kind"] for e in m.event_log if e["who"] == "C"]
    assert "office_loss" in kinds and "expulsion" in kinds  # two rungs, one vote
    assert m.animosity[C, B] == pytest.approx(before[C, B] + 0.3)


def test_a_passed_sanction_makes_enemies_at_most_one_and_none_when_switched_off():
    for g, expected in ((0.3, 1.0), (0.0, 0.9)):
        m = build(sanction_grudge=g)
        set_factions(m, [[A, B, D], [C]])
        r = m.faction_leader_index(m.faction[A])
        m.animosity[C, r] = m.animosity[r, C] = 0.9
        sanctions.sanction_enmity(m, C, m.faction[A])
        assert m.animosity[C, r] == pytest.approx(expected)
        assert m.animosity[r, C] == pytest.approx(expected)


def test_no_enmity_without_a_ruling_faction_or_against_oneself():
    m = build(sanction_grudge=0.3)
    set_factions(m, [[A, B, D], [C]])
    before = m.animosity.copy()
    sanctions.sanction_enmity(m, C, -1)
    r = m.faction_leader_index(m.faction[A])
    sanctions.sanction_enmity(m, r, m.faction[A])
    assert np.array_equal(m.animosity, before)


# ---- votes teach: a leader judges his support by the last vote on him ---------------------


@pytest.mark.parametrize("vote", ["condemn", "sanction"])
@pytest.mark.parametrize("tally", [(9, 1), (6, 4), (3, 7)])
def test_a_vote_on_a_leader_teaches_him_the_share_that_stood_with_him(monkeypatch, vote, tally):
    m = _enmity_model()
    ld = m.leader_list[C]
    assert ld.support_seen is None
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: tally)
    if vote == "condemn":
        sanctions.condemn(m, C, m.faction[A], m.spec.assemblies[0])
    else:
        sanctions.vote_sanction(m, C, m.faction[A], sanctions.next_rung(m, C),
                                m.spec.assemblies[0])
    yes, no = tally
    assert ld.support_seen == pytest.approx(no / (yes + no))  # passed or failed alike
    assert m.leader_list[D].support_seen is None  # the others learn nothing


def test_votes_teach_nothing_when_switched_off(monkeypatch):
    m = _enmity_model(votes_teach=False)
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (9, 1))
    sanctions.condemn(m, C, m.faction[A], m.spec.assemblies[0])
    assert m.leader_list[C].support_seen is None


def test_perceived_agreement_is_the_truth_before_any_vote_then_the_lesson():
    m = build()
    ld = m.leader_list[C]
    assert ld.perceived_agreement(0.4) == 0.4
    ld.observe_vote(19, 1)
    assert ld.perceived_agreement(0.4) == pytest.approx(0.05)


def test_the_lesson_of_a_vote_fades_toward_the_truth_at_the_charge_decay():
    m = build(charge_decay=0.25)
    ld = m.leader_list[C]
    ld.observe_vote(10, 0)
    for month in range(1, 4):
        ld.forget_vote(0.4)
        assert ld.support_seen == pytest.approx(0.4 * (1 - 0.75 ** month))


def test_decay_charges_lets_the_lesson_of_a_vote_fade_toward_the_members_agreement():
    m = build(charge_decay=0.5)
    set_factions(m, [[A, B], [C], [D]])
    ld = m.leader_list[C]
    ld.observe_vote(10, 0)
    ruling = votes.ruling_faction(m)
    mood = m.apparatus.mood()
    actual = acts.agreement(policy_distance(m.positions[C], mood),
                            policy_distance(m.faction_line(ruling), mood),
                            m.params.delegate_policy_sharpness)
    assert actual > 0.0
    opposition.decay_charges(m)
    assert ld.support_seen == pytest.approx(0.5 * actual)  # half the way from 0


def test_the_lesson_stays_when_no_faction_rules():
    m = build(charge_decay=0.5)
    set_factions(m, [[A], [B], [C], [D]])
    m.leader_list[C].observe_vote(3, 1)
    assert votes.ruling_faction(m) < 0  # no Politburo majority
    opposition.decay_charges(m)
    assert m.leader_list[C].support_seen == pytest.approx(0.25)


def test_an_empty_vote_teaches_nothing():
    m = build()
    ld = m.leader_list[C]
    ld.observe_vote(0, 0)
    assert ld.support_seen is None


def test_a_crushing_vote_silences_a_leader_who_would_otherwise_act():
    """After a vote in which nobody stood with him, a leader who acted when he believed the
    members agreed with him keeps quiet: he expects his acts to move nobody."""
    def act_rate(seen) -> float:
        m = build(act_cost=0.05, act_fear=0.0, act_temperature=0.01, organise_gain=0.0)
        set_factions(m, [[A, B], [C], [D]])
        m.positions[A] = m.positions[B] = [1.0, 1.0]  # the rulers' line, far from the mood
        ld = m.leader_list[C]
        ld.support_seen = seen
        choices = [ld.choose_act(votes.ruling_faction(m), False) for _ in range(300)]
        return sum(k != acts.QUIET for k in choices) / len(choices)

    assert act_rate(None) > 0.5
    assert act_rate(0.0) < 0.05


# ---- a warning deters: the dread of the sanction ------------------------------------------


def test_would_bring_sanction_is_the_charge_plus_the_acts_severity_against_the_need():
    sev = (1.0, 2.0, 2.0, 3.0, 4.0)
    assert acts.would_bring_sanction(0.5, sev, 2.0).tolist() == [False, True, True, True, True]
    assert acts.would_bring_sanction(0.0, sev, 5.0).tolist() == [False] * 5
    assert acts.would_bring_sanction(3.0, sev, 4.0).all()  # at the need counts


@given(st.floats(0, 10), st.floats(0, 10), st.lists(st.floats(0, 5), min_size=5, max_size=5))
@settings(max_examples=200, deadline=None)
def test_a_graver_act_brings_the_sanction_whenever_a_lighter_one_does(charge, need, sev):
    near = acts.would_bring_sanction(charge, sev, need)
    for i in range(5):
        for j in range(5):
            if near[i] and sev[j] >= sev[i]:
                assert near[j]


def _warned(**parameters):
    """C, outside the ruling faction, holds an office (his next rung, need 2.0 with the
    premium and the scale at 1) and carries a charge of 0.5: every act but criticism would
    bring the case to the need."""
    parameters.setdefault("sanction_dread", 1.0)
    m = build(standing_premium=0.0, charge_scale=1.0, **parameters)
    set_factions(m, [[A, B, D], [C]])
    ld = m.leader_list[C]
    ld.charge = 0.5
    assert sanctions.next_rung(m, C) == sanctions.OFFICE
    assert sanctions.needed_charge(m, C, sanctions.OFFICE) == pytest.approx(2.0)
    return m, ld, votes.ruling_faction(m)


def test_no_dread_before_a_warning():
    m, ld, ruling = _warned()
    assert ld.condemned_at_rung == -1
    assert not ld.dread(ruling, 0.0).any()


@pytest.mark.parametrize("tally, warned", [((10, 2), True), ((2, 10), False)])
def test_only_a_condemnation_that_passes_is_a_warning(monkeypatch, tally, warned):
    """A condemnation the Central Committee votes down tells him the majority will not bear
    it: no dread; one it passes does."""
    m, ld, ruling = _warned(censure_need=0.1)
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: tally)
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    assert ld.warned_at_rung == sanctions.OFFICE  # moved once at this rung either way
    assert (ld.condemned_at_rung == sanctions.OFFICE) is warned
    assert bool(ld.dread(ruling, 0.0).any()) is warned


def test_a_warned_leader_dreads_exactly_the_acts_that_would_bring_the_sanction():
    m, ld, ruling = _warned()
    ld.condemned_at_rung = sanctions.OFFICE
    # resolve 0.5, no hope: 1.0 x (1 - 0.5) x (1 - 0) on each act that reaches the need
    assert ld.dread(ruling, 0.0).tolist() == pytest.approx([0.0, 0.5, 0.5, 0.5, 0.5])
    # a strong bloc allays it as it allays the fear of sanction
    assert ld.dread(ruling, 0.6).tolist() == pytest.approx([0.0, 0.2, 0.2, 0.2, 0.2])


def test_a_warning_at_another_rung_a_switched_off_rule_or_the_shadow_bring_no_dread():
    m, ld, ruling = _warned()
    ld.condemned_at_rung = sanctions.DEMOTION  # a warning at another rung than his next
    assert not ld.dread(ruling, 0.0).any()
    m, ld, ruling = _warned(sanction_dread=0.0)
    ld.condemned_at_rung = sanctions.OFFICE
    assert not ld.dread(ruling, 0.0).any()
    m, ld, ruling = _warned(paramount_shadow=True)  # A, the paramount, lives in the Politburo
    ld.condemned_at_rung = sanctions.OFFICE
    assert sanctions.under_shadow(m, C)
    assert not ld.dread(ruling, 0.0).any()


def test_from_the_central_committees_rung_the_dread_weighs_the_blocs_case():
    """Out of the Politburo, C's next rung is the Central Committee, judged on his bloc's
    strongest charge: a partner's case at the need makes every act dreaded, as the
    sanction's rule would judge it."""
    m, ld, ruling = _warned()
    set_factions(m, [[A, B], [C, D]])
    for o in m.institutions.offices:
        if o.holder == C:
            o.holder = -1  # his office gone
    m.politburo[C] = 0  # and his Politburo seat
    rung = sanctions.next_rung(m, C)
    assert rung == sanctions.CENTRAL_COMMITTEE
    need = sanctions.needed_charge(m, C, rung, ruling)
    ld.condemned_at_rung = rung
    ld.charge = 0.0
    m.leader_list[D].charge = 0.0
    assert not ld.dread(ruling, 0.0).any()  # no act of severity <= 4 reaches the need
    m.leader_list[D].charge = need
    assert ld.dread(ruling, 0.0).all()
    assert sanctions.case_charge(m, C, rung) == need
    assert sanctions.case_charge(m, C, sanctions.OFFICE) == 0.0  # his own case below it


def test_a_warned_leader_close_to_the_sanction_keeps_quiet_where_he_would_act():
    def act_rate(warned: bool) -> float:
        m, ld, ruling = _warned(act_drive=1.0, act_cost=0.05, act_fear=0.0,
                                act_temperature=0.05, organise_gain=0.0, sanction_dread=2.0)
        m.set_line(A, (1.0, 1.0))  # the rulers' line, far from the mood
        m.set_line(B, (1.0, 1.0))
        ld.gravest_act = 4.0  # he has used every form of act before (escalation)
        if warned:
            ld.condemned_at_rung = sanctions.OFFICE
        choices = [ld.choose_act(ruling, False) for _ in range(300)]
        return sum(k not in (acts.QUIET, acts.ACTS.index("criticism"))
                   for k in choices) / len(choices)

    assert act_rate(False) > 0.5
    assert act_rate(True) < 0.1


def test_a_warning_stands_at_its_own_rung_and_the_last_one_before_both_expulsions():
    S = sanctions
    for rung in range(S.BEYOND):
        assert S.warning_stands(rung, rung)
        assert S.warning_stands(rung, rung, final_warning=False)
    assert S.warning_stands(S.CENTRAL_COMMITTEE, S.PARTY)
    assert not S.warning_stands(S.CENTRAL_COMMITTEE, S.PARTY, final_warning=False)
    # no other warning carries to another rung, and none runs backwards
    for warned in (-1, *range(S.BEYOND)):
        for rung in range(S.BEYOND):
            carries = warned != rung and S.warning_stands(warned, rung)
            assert carries == (warned == S.CENTRAL_COMMITTEE and rung == S.PARTY)


def _out_of_the_cc(**parameters):
    """C, out of the Politburo and the Central Committee (his next rung the party's), was
    warned and condemned at the Central Committee's rung; his charge suffices for a
    condemnation, not for the expulsion."""
    m = build(standing_premium=0.0, charge_scale=1.0, censure_need=1.0,
              sanction_dread=1.0, **parameters)
    strip_to_cc(m, C)
    ld = m.leader_list[C]
    ld.in_cc = False
    assert sanctions.next_rung(m, C) == sanctions.PARTY
    ld.warned_at_rung = ld.condemned_at_rung = sanctions.CENTRAL_COMMITTEE
    ld.prestige = 0.0
    ld.charge = 0.5 * m.params.charge_need[sanctions.PARTY]
    return m, ld


@pytest.mark.parametrize("final", [True, False])
def test_no_new_warning_between_the_two_expulsions(monkeypatch, final):
    """With the final warning the party's rung needs no condemnation of its own, and the
    charge is not spent on one; without it a condemnation comes first and halves it."""
    m, ld = _out_of_the_cc(final_warning=final, charge_relief=0.5, condemnation_closes=True)
    monkeypatch.setattr(sanctions, "cc_vote", lambda *a: (10, 2))  # any vote passes
    before = ld.charge
    sanctions.move_sanctions(m, m.spec.assemblies[0])
    condemned = [e for e in m.event_log if e["who"] == "C" and e["kind"] == "condemnation"]
    assert bool(condemned) is not final
    assert ld.charge == pytest.approx(before if final else before / 2)
    assert ld.in_party  # short of the expulsion's need either way


@pytest.mark.parametrize("final", [True, False])
def test_the_dread_of_the_expulsion_follows_the_final_warning(final):
    m, ld = _out_of_the_cc(final_warning=final)
    ruling = votes.ruling_faction(m)
    dread = ld.dread(ruling, 0.0)
    # the party's need is 7 here (charge_scale 1, no premium) and the charge 3.5: only the
    # street (severity 4) reaches it; without the final warning he has not been warned at
    # this rung and dreads nothing
    assert sanctions.needed_charge(m, C, sanctions.PARTY, ruling) == pytest.approx(7.0)
    assert ld.charge == pytest.approx(3.5)
    street_only = [False, False, False, False, True]
    assert (dread > 0).tolist() == (street_only if final else [False] * 5)


# ---- the co-report given at its assembly (co_report_at_assembly) ---------------------------


def _co_report_month(monkeypatch, at_assembly: bool | None, kinds=("plenum", "congress"),
                     **overrides):
    """C, outside the ruling faction, chooses a co-report this month, and assemblies of
    ``kinds`` meet on the 5th, 12th, 20th ... of the month. Returns the model and C's charge
    as each assembly moved its sanctions and as each congress or conference voted on the
    report. ``at_assembly`` None leaves the switch at its default; ``overrides`` are further
    parameters."""
    from model.engine.spec import AssemblySpec

    switch = {} if at_assembly is None else {"co_report_at_assembly": at_assembly}
    m = build(**switch, **overrides)
    set_factions(m, [[A, B], [C], [D]])
    monkeypatch.setattr(type(m.leader_list[C]), "choose_act",
                        lambda self, *a: acts.CO_REPORT if self.idx == C else acts.QUIET)
    seen = []
    monkeypatch.setattr(sanctions, "move_sanctions",
                        lambda model, a, **k: seen.append((a.kind, model.leader_list[C].charge)))

    def report_vote(model, a):
        seen.append(("report", model.leader_list[C].charge))
        return 1, 0, 0

    monkeypatch.setattr(votes, "congress_vote", report_vote)
    days = (5, 12, 20, 27)[:len(kinds)]
    m.assemblies_at = {m.steps: [
        AssemblySpec(name=f"{kind} {day}", kind=kind, date=f"2000-03-{day:02d}",
                     **({} if kind == "plenum" else {"delegates": 100}))
        for kind, day in zip(kinds, days, strict=True)]}
    m.late_events_at = {}
    opposition.take_acts(m)
    m.hold_assemblies()
    return m, seen


@pytest.mark.parametrize("kind", ["congress", "conference"])
def test_a_co_report_at_its_assembly_is_unseen_by_an_earlier_plenum(monkeypatch, kind):
    """With ``co_report_at_assembly`` the co-report is charged when the congress or
    conference meets, before its vote on the report: the plenum before it sees no charge,
    the report's vote and the assembly's sanctions see the act's severity, and the act is
    logged once."""
    m, seen = _co_report_month(monkeypatch, at_assembly=True, kinds=("plenum", kind))
    severity = m.params.act_severity[acts.CO_REPORT]
    assert seen == [("plenum", 0.0), ("report", pytest.approx(severity)),
                    (kind, pytest.approx(severity))]
    assert [e["what"] for e in m.event_log if e["kind"] == "act"] == ["co_report"]
    assert m.co_reports == []


def test_a_co_report_is_given_once_at_the_first_of_two_assemblies(monkeypatch):
    """Two conferences in one month: the co-report is given at the first, and charged once;
    a plenum after them sees it."""
    m, seen = _co_report_month(monkeypatch, at_assembly=True,
                               kinds=("conference", "conference", "plenum"))
    severity = m.params.act_severity[acts.CO_REPORT]
    assert [charge for _, charge in seen] == pytest.approx([severity] * 5)
    assert len([e for e in m.event_log if e["kind"] == "act"]) == 1


def test_without_the_switch_a_co_report_is_charged_before_every_assembly(monkeypatch):
    """The co-report's old order (the switch off, as in scenario acts_at_month_start): the
    co-report takes effect when it is chosen, before the month's assemblies, so the plenum
    held before the congress already judges the speech given at it."""
    m, seen = _co_report_month(monkeypatch, at_assembly=False)
    severity = m.params.act_severity[acts.CO_REPORT]
    assert seen == [("plenum", pytest.approx(severity)), ("report", pytest.approx(severity)),
                    ("congress", pytest.approx(severity))]


def test_by_default_a_co_report_waits_for_its_assembly_and_the_ablation_restores_the_old_order(
        monkeypatch):
    """The defaults hold the co-report back to its assembly, so the plenum before the
    congress sees no charge; the rule family ``co_report_at_assembly`` switched off (as
    ``troika ablate`` does) charges it before the plenum again."""
    from model.engine.rules import rule_family

    m, seen = _co_report_month(monkeypatch, at_assembly=None)
    severity = m.params.act_severity[acts.CO_REPORT]
    assert seen[0] == ("plenum", 0.0)
    assert seen[1:] == [("report", pytest.approx(severity)), ("congress", pytest.approx(severity))]
    m, seen = _co_report_month(monkeypatch, at_assembly=None,
                               **rule_family("co_report_at_assembly").off)
    assert seen[0] == ("plenum", pytest.approx(severity))


@pytest.mark.parametrize("change", ["recanted", "dead", "no seat"])
def test_a_co_report_lapses_when_its_author_may_no_longer_give_it(change):
    """A co-report waiting for its assembly is not given by a leader who has recanted, died
    or lost the seat a co-report needs since he chose it; the others are."""
    m = build(co_report_at_assembly=True)
    set_factions(m, [[A, B], [C], [D]])
    m.co_reports = [C, D]
    ld = m.leader_list[C]
    if change == "recanted":
        ld.recanted = True
    elif change == "dead":
        ld.alive = False
    else:
        ld.in_cc = False
        m.politburo[C] = 0
    opposition.give_co_reports(m)
    authors = [e["who"] for e in m.event_log if e["kind"] == "act"]
    assert authors == ["D"]
    assert ld.charge == 0.0
    assert m.co_reports == []


def test_a_co_report_left_waiting_lapses_at_the_end_of_the_month(monkeypatch):
    """A co-report still waiting when the month's assemblies are over (none of them a
    congress or conference) is not carried into the next month."""
    m, seen = _co_report_month(monkeypatch, at_assembly=True, kinds=("plenum",))
    assert seen == [("plenum", 0.0)]
    assert m.co_reports == []
    assert not [e for e in m.event_log if e["kind"] == "act"]
