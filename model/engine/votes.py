"""Votes: who rules, who stands in opposition, and how the bodies vote.

The Politburo decides by faction, the Central Committee and the congresses by the loyalty
and policy of their members and delegates; every vote is drawn from the model's generator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.engine.coalitions import MAX_POLICY_DISTANCE, coalition_centre, policy_distance

if TYPE_CHECKING:
    from model.engine.model import SuccessionModel


def logistic(x):
    """The logistic function (works on scalars and arrays)."""
    return 1.0 / (1.0 + np.exp(-x))


def ruling_faction(model: SuccessionModel) -> int:
    """The faction that holds a majority of the active full Politburo members, or -1.

    The Politburo decides by faction: a bloc with a majority of its full members rules;
    without one, no faction can move sanctions or fill offices. "All questions were decided
    in advance at that secret centre" [seed; Trotsky1930].
    """
    votes: dict[int, float] = {}
    for ld in model.leader_list:
        if ld.active and model.politburo[ld.idx] == 2:
            label = int(model.faction[ld.idx])
            votes[label] = votes.get(label, 0.0) + 1.0
    if not votes:
        return -1
    best = max(votes, key=lambda lb: (votes[lb], model.faction_power(lb)))
    return best if votes[best] > sum(votes.values()) / 2 else -1


def is_opposition(model: SuccessionModel, i: int, ruling: int) -> bool:
    """Whether leader ``i`` stands in opposition to the ruling faction: active, outside it,
    not recanted, and with a charge of at least ``opposition_charge`` against him, i.e. he
    has acted against it (:mod:`model.engine.acts`).

    An opposition is made by its acts, not by its members' ambition: any leader or bloc
    outside the ruling coalition that speaks, writes or organises against it becomes one
    ("Despite interdictions, organized factions continued to exist" [seed]); a quiet one is
    a bystander.
    """
    ld = model.leader_list[i]
    if not ld.active or ruling < 0 or model.faction[i] == ruling or ld.recanted:
        return False
    return ld.charge >= model.params.opposition_charge


def cc_majority_faction(model: SuccessionModel) -> int:
    """The faction that commands a majority of the Central Committee, or -1: its leaders
    who sit in it, and the rank-and-file seats whose patron belongs to it. The larger body
    can overturn the smaller: in June 1957 the Central Committee plenum reversed the
    Presidium majority [second case's record]."""
    votes: dict[int, int] = {}
    total = 0
    for ld in model.leader_list:
        if ld.active and ld.in_cc:
            label = int(model.faction[ld.idx])
            votes[label] = votes.get(label, 0) + 1
            total += 1
    for pt in model.cc_patrons.tolist():
        total += 1
        if pt >= 0 and model.leader_list[pt].active:
            label = int(model.faction[pt])
            votes[label] = votes.get(label, 0) + 1
    if not votes:
        return -1
    best = max(votes, key=lambda lb: (votes[lb], -lb))
    return best if votes[best] * 2 > total else -1


def stance_toward(model: SuccessionModel, patron: int, ruling: int, target_label: int) -> int:
    """How a follower of ``patron`` votes on a motion of the ruling faction.

    +1 for (the patron is in the ruling faction, or has recanted), -1 against (the patron is
    in the target's faction), 0 free (no patron, or a bystander): a secretary "connected
    with the Moscow 'seven' by strict discipline" [seed] votes as his patron does.
    """
    if patron < 0:
        return 0
    ld = model.leader_list[patron]
    if not ld.active:
        return 0
    label = model.faction[patron]
    if label == ruling or ld.recanted:
        return 1
    if label == target_label:
        return -1
    return 0


def free_vote_yes(
    model: SuccessionModel, mood: np.ndarray, ruling: int, opposing: list[int], bias: float = 0.0
):
    """Probability that a free voter (no patron's lead) backs the ruling line.

    Policy closeness decides, with a bias toward the Central Committee's official line: "The
    kind of 'party democracy' that Trotsky advocated was contrary to the decisions of the
    party congresses" [seed]. ``mood`` is an ``(k, 2)`` array of voters' positions; ``bias``
    adds to the logit (a target's standing, in a sanction vote).
    """
    p = model.params
    mood = np.atleast_2d(mood)
    if not opposing:
        return np.full(len(mood),
                       float(logistic(p.official_line_bias + bias + p.unopposed_line_bias)))
    ruling_line = model.faction_line(ruling)
    opp_line = coalition_centre(opposing, model.power + 1e-9, model.positions)
    d_rule = np.hypot(*(mood - ruling_line).T) / MAX_POLICY_DISTANCE
    d_opp = np.hypot(*(mood - opp_line).T) / MAX_POLICY_DISTANCE
    return logistic(p.official_line_bias + bias + p.delegate_policy_sharpness * (d_opp - d_rule))


def cc_vote_probabilities(model: SuccessionModel, target: int, ruling: int,
                          rung: int = 0) -> np.ndarray:
    """Probability of a 'yes' from each Central Committee vote on a sanction of ``rung``
    against ``target``: the leaders who sit in it, then the rank-and-file seats by their
    patron.

    Leaders vote with their faction (a bystander with the closer line). A seat whose patron
    is for (against) the motion follows him with probability ``cc_discipline`` and otherwise
    votes free; a free vote leans to the official line, against a target of higher standing
    than the ruling leader, and toward the sanction as far as the charge exceeds the rung's
    need: "the Central Committee ... condemned" the acts, not the man [calendar].
    """
    p = model.params
    target_label = model.faction[target]
    probs = []
    opposing = model.members(target_label)
    for ld in model.leader_list:
        if not (ld.active and ld.in_cc):
            continue
        s = stance_toward(model, ld.idx, ruling, target_label)
        if s == 0:
            s = 1 if policy_distance(
                model.positions[ld.idx], model.faction_line(ruling)
            ) <= policy_distance(model.positions[ld.idx], model.positions[target]) else -1
        probs.append(1.0 if s > 0 else 0.0)
    stance = np.array(
        [stance_toward(model, int(pt), ruling, target_label) for pt in model.cc_patrons]
    )
    gap = model.leader_list[target].prestige - model.leader_list[
        model.faction_leader_index(ruling)
    ].prestige
    need = p.charge_need[min(rung, len(p.charge_need) - 1)]
    bias = -p.prestige_vote_weight * gap + p.charge_weight * (
        model.leader_list[target].charge - need
    )
    free = float(free_vote_yes(model, model.apparatus.mood()[None, :], ruling, opposing, bias)[0])
    d = p.cc_discipline
    seat_p = np.where(stance > 0, d + (1 - d) * free,
                      np.where(stance < 0, (1 - d) * free, free))
    return np.concatenate([np.array(probs), seat_p])


def cc_vote(model: SuccessionModel, target: int, ruling: int,
            rung: int = 0) -> tuple[int, int]:
    """Cast the Central Committee's votes on a sanction: returns (yes, no)."""
    probs = cc_vote_probabilities(model, target, ruling, rung)
    yes = int((model.rng.random(probs.size) < probs).sum())
    return yes, int(probs.size - yes)


def congress_vote(model: SuccessionModel, assembly) -> tuple[int, int, int]:
    """The congress votes on the Central Committee's report: returns (yes, no, absent);
    each region delegation's (yes, no) is kept in ``model.region_votes[assembly]``.

    Each region's delegates follow their secretary's lead with probability
    loyalty × deference; the others vote by policy closeness with a bias toward the
    official line. "The Stalinist apparatus demonstrated itself in complete control of the
    proceedings" [seed]: the 559–65 of the 14th Congress is what this produces, not an input.
    """
    app = model.apparatus
    p = model.params
    seats = app.allocate_delegates(assembly.delegates)
    ruling = ruling_faction(model)
    opposing = [
        ld.idx for ld in model.leader_list if is_opposition(model, ld.idx, ruling)
    ]
    absent = model.rng.binomial(seats, p.absence_rate)
    present = seats - absent
    stance = np.array([_region_stance(model, int(pt), ruling, opposing) for pt in app.patron])
    follow = app.loyalty * app.deference * (stance != 0)
    moods = np.column_stack([app.economy, app.world])
    free_yes = free_vote_yes(model, moods, ruling, opposing)
    p_yes = follow * (stance > 0) + (1.0 - follow) * free_yes
    yes_by_region = model.rng.binomial(present, np.clip(p_yes, 0.0, 1.0))
    model.region_votes[assembly.name] = {
        name: (int(y), int(n - y))
        for name, y, n in zip(app.names, yes_by_region.tolist(), present.tolist(), strict=True)
    }
    yes = int(yes_by_region.sum())
    total_present = int(present.sum())
    return yes, total_present - yes, int(absent.sum())


def _region_stance(model: SuccessionModel, patron: int, ruling: int, opposing: list[int]):
    if patron < 0 or not model.leader_list[patron].active:
        return 0
    if patron in opposing:
        return -1
    if model.faction[patron] == ruling or model.leader_list[patron].recanted:
        return 1
    return 0
