"""The baseline coalition rules that the validation scores the leaders' own decisions
against: the same machinery (offices, votes, sanctions), another way of forming factions.
"""

from __future__ import annotations

from model.engine.aes import ruling_coalition_members


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


BASELINE_RULES = {
    "random": random_coalitions,
    "bandwagon": bandwagon_coalition,
    "aes": aes_coalition,
}
