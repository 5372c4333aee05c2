"""The baseline coalition rules that the validation scores the leaders' own decisions
against: the same machinery (offices, votes, sanctions), another way of forming factions.
"""

from __future__ import annotations

from model.engine.aes import ruling_coalition_members
from model.engine.expected_utility import eu_coalitions, principal_projection


def random_coalitions(model) -> None:
    """Baseline: each month every active leader, with probability ``random_move_rate``,
    moves to a random faction or stands alone (no reasons at all)."""
    labels = model.labels()
    for ld in model.leader_list:
        if not ld.active or model.random.random() >= model.params.random_move_rate:
            continue
        choice = model.random.randrange(len(labels) + 1)
        model.set_faction(ld.idx, labels[choice] if choice < len(labels) else model._new_label())


def bandwagon_coalition(model) -> None:
    """Baseline "largest power wins": everyone joins the most powerful leader."""
    active = [ld.idx for ld in model.leader_list if ld.active]
    if not active:
        return
    top = max(active, key=lambda i: (model.power[i], -i))
    model.set_faction(active, model.faction[top])


def aes_coalition(model) -> None:
    """Baseline: the static Acemoglu-Egorov-Sonin ruling coalition [AES2008] of the current
    powers (majority rule) rules; everyone else stands alone."""
    active = [ld.idx for ld in model.leader_list if ld.active and model.power[ld.idx] > 0]
    if not active:
        return
    members = [active[k] for k in ruling_coalition_members(model.power[active], 0.5)]
    label = model._new_label()
    for i in active:
        model.set_faction(i, label if i in members else model._new_label())


def expected_utility_coalitions(model) -> None:
    """Baseline: the blocs of Bueno de Mesquita's expected-utility model [BdM1994;
    ScholzCalbertSmith2011] (:func:`model.engine.expected_utility.eu_coalitions`), with
    capability = power, the policy positions projected on their first principal axis and
    salience = ambition, recomputed each month."""
    active = [ld.idx for ld in model.leader_list if ld.active and model.power[ld.idx] > 0]
    if len(active) < 2:
        return
    positions = principal_projection(model.positions[active], model.power[active])
    salience = [max(model.leader_list[i].ambition, 1e-6) for i in active]
    for bloc in eu_coalitions(model.power[active], positions, salience):
        members = [active[k] for k in bloc]
        label = model._new_label()
        model.set_faction(members, label)


def frozen_coalitions(model) -> None:
    """The calendar-only null [Janssen2009]: the leaders form their coalitions once, in
    the first month, by their own rules, and never change them; only the exogenous
    calendar and the acts and sanctions act after that. It measures how much of the fit
    the scenario's dates give for free."""
    if model.steps <= 1:
        model.agents.shuffle_do("decide_coalition")


BASELINE_RULES = {
    "random": random_coalitions,
    "bandwagon": bandwagon_coalition,
    "aes": aes_coalition,
    "expected_utility": expected_utility_coalitions,
    "calendar": frozen_coalitions,
}
