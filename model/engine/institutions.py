"""Offices, bodies, votes and sanctions.

The Politburo decides by faction, the Central Committee and the congresses by the loyalty
and policy of their members and delegates. Sanctions are motions the ruling coalition moves
in the Central Committee; each is a vote that can fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.engine.coalitions import MAX_POLICY_DISTANCE, coalition_centre, policy_distance

if TYPE_CHECKING:
    from model.engine.model import SuccessionModel

RUNGS = ("office", "Politburo", "Central Committee", "party")


@dataclass
class Office:
    """An office: a power base. ``holder`` is a leader index or -1 (vacant, or held by an
    appointee outside the modelled leaders)."""

    name: str
    kind: str
    weight: float
    holder: int
    region: int = -1


def logistic(x):
    """The logistic function (works on scalars and arrays)."""
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------------------
# the ruling coalition


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
    """Whether leader ``i`` stands in opposition to the ruling faction.

    Outside the ruling faction, not recanted, in a bloc led by a contender for the
    succession (a lone Kalinin is a bystander, not an opposition), and either in a bloc of
    two or more, or already sanctioned and unrepentant, or of enough standing to be a rival
    alone (Trotsky in 1923–25 was an opposition of one, with "forces ... scattered" [seed]).
    """
    ld = model.leader_list[i]
    if not ld.active or ruling < 0 or model.faction[i] == ruling or ld.recanted:
        return False
    contender = model.params.contender_ambition
    bloc = model.members(model.faction[i])
    if not any(model.leader_list[j].ambition >= contender for j in bloc):
        return False
    return len(bloc) >= 2 or ld.rung > 0 or ld.prestige >= model.params.opposition_prestige


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
        return np.full(len(mood), float(logistic(p.official_line_bias + bias + 2.0)))
    ruling_line = model.faction_line(ruling)
    opp_line = coalition_centre(opposing, model.power + 1e-9, model.positions)
    d_rule = np.hypot(*(mood - ruling_line).T) / MAX_POLICY_DISTANCE
    d_opp = np.hypot(*(mood - opp_line).T) / MAX_POLICY_DISTANCE
    return logistic(p.official_line_bias + bias + p.delegate_policy_sharpness * (d_opp - d_rule))


# --------------------------------------------------------------------------------------
# the Central Committee


def cc_vote_probabilities(model: SuccessionModel, target: int, ruling: int) -> np.ndarray:
    """Probability of a 'yes' from each Central Committee vote on a sanction against
    ``target``: the leaders who sit in it, then the rank-and-file seats by their patron."""
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
    bias = -model.params.prestige_vote_weight * gap
    free = float(free_vote_yes(model, model.apparatus.mood()[None, :], ruling, opposing, bias)[0])
    seat_p = np.where(stance > 0, 1.0, np.where(stance < 0, 0.0, free))
    return np.concatenate([np.array(probs), seat_p])


def cc_vote(model: SuccessionModel, target: int, ruling: int) -> tuple[int, int]:
    """Cast the Central Committee's votes on a sanction: returns (yes, no)."""
    probs = cc_vote_probabilities(model, target, ruling)
    yes = int((model.rng.random(probs.size) < probs).sum())
    return yes, int(probs.size - yes)


def sanction_allowed(model: SuccessionModel, target: int) -> bool:
    """The party tolerates the next sanction against ``target`` only if his prestige has
    fallen low enough for that rung.

    Legitimacy: Trotsky was removed as War Commissar in January 1925 but "kept in the
    Politburo against Zinoviev's and Kamenev's wish to expel him" [RECORD]; he left the
    Politburo in 1926 and the party only in November 1927 [seed]. Each rung needs a lower
    standing than the one before (``Parameters.prestige_limits``). Expulsion from the
    Central Committee and the party is judged by the mean standing of the target's bloc:
    "Trotsky and Zinoviev were immediately expelled from the party" together [seed].
    """
    ld = model.leader_list[target]
    if ld.rung >= len(RUNGS):
        return False
    standing = ld.prestige
    if ld.rung >= 2:
        bloc = [model.leader_list[j] for j in model.members(model.faction[target])]
        standing = sum(b.prestige for b in bloc) / len(bloc)
    return standing <= model.params.prestige_limits[ld.rung]


def move_sanctions(model: SuccessionModel, assembly) -> None:
    """The ruling coalition moves the next sanction against each opposition leader.

    "The winning coalition acts in the bodies": removal from office, from the Politburo,
    from the Central Committee, from the party, one rung per leader per meeting, and only
    where the expected vote clears ``sanction_margin`` [seed: "engineered his removal as
    commissar of war"; "Trotsky was expelled from the Politburo"; "Trotsky and Zinoviev
    were immediately expelled from the party"].
    """
    ruling = ruling_faction(model)
    if ruling < 0:
        return
    targets = [
        ld.idx for ld in model.leader_list if is_opposition(model, ld.idx, ruling)
    ]
    targets.sort(key=lambda i: -model.power[i])
    for t in targets:
        ld = model.leader_list[t]
        if ld.rung == 0 and not model.offices_of(t):
            ld.rung = 1
        if ld.rung == 1 and model.politburo[t] == 0:
            ld.rung = 2
        if ld.rung == 2 and not ld.in_cc:
            ld.rung = 3
        if not sanction_allowed(model, t):
            continue
        expected = float(cc_vote_probabilities(model, t, ruling).mean())
        if expected < model.params.sanction_margin:
            continue
        yes, no = cc_vote(model, t, ruling)
        what = _sanction_object(model, t)
        passed = yes > no
        model.record_tally(assembly, f"sanction: {ld.name} from {what}", yes, no, 0,
                           kind="sanction")
        if passed:
            ld.prestige *= 1.0 - model.params.defeat_prestige_cost
            apply_sanction(model, t, what, assembly)
        else:
            model.log_event("sanction_failed", ld.name, what, f"{yes}-{no}", assembly.name)


def _sanction_object(model: SuccessionModel, t: int) -> str:
    """What the next sanction against ``t`` takes away: his weightiest office, or a seat."""
    ld = model.leader_list[t]
    if ld.rung == 0:
        held = model.offices_of(t)
        return model.offices[max(held, key=lambda k: model.offices[k].weight)].name
    return RUNGS[ld.rung]


def vote_motion(model: SuccessionModel, motion, assembly) -> bool:
    """Vote a motion put before the Central Committee from outside the struggle (a
    counterfactual's premise, e.g. Lenin's postscript acted on: "Lenin recommended that
    Stalin be removed from that position" [seed]). Returns whether it passed.

    The target's faction votes against; every other vote is free, with the motion's
    ``support`` (the authority behind it) as a logit bias and the target's standing against
    it. If it passes, the office goes to the ruling coalition's choice, never back to him.
    """
    t = model.index[motion.leader]
    k = next(k for k, o in enumerate(model.offices) if o.name == motion.office)
    if model.offices[k].holder != t or not model.leader_list[t].active:
        model.log_event("motion_lapsed", motion.leader, motion.office, "", assembly.name)
        return False
    label = model.faction[t]
    gap = model.leader_list[t].prestige - 0.5
    free = float(logistic(motion.support - model.params.prestige_vote_weight * gap))
    probs = [0.0 if model.faction[ld.idx] == label else free
             for ld in model.leader_list if ld.active and ld.in_cc]
    probs += [0.0 if pt >= 0 and model.faction[pt] == label else free
              for pt in model.cc_patrons]
    p = np.array(probs)
    yes = int((model.rng.random(p.size) < p).sum())
    no = int(p.size - yes)
    model.record_tally(assembly, f"motion: {motion.leader} from {motion.office}", yes, no, 0,
                       kind="motion")
    if yes > no:
        model.vacate_office(k, "motion", assembly)
        model.log_event("office_loss", motion.leader, motion.office, "removed by motion",
                        assembly.name)
        return True
    model.log_event("motion_failed", motion.leader, motion.office, f"{yes}-{no}",
                    assembly.name)
    return False


def apply_sanction(model: SuccessionModel, t: int, what: str, assembly) -> None:
    """Carry out a sanction that passed and let the defeated leader answer it."""
    ld = model.leader_list[t]
    if ld.rung == 0:
        k = next(k for k, o in enumerate(model.offices) if o.name == what)
        model.vacate_office(k, reason="removed", assembly=assembly)
        model.log_event("office_loss", ld.name, what, "removed by vote", assembly.name)
        return
    if ld.rung == 1:
        model.politburo[t] = 0
        model.log_event("expulsion", ld.name, "Politburo", "", assembly.name)
        ld.rung = 2
    elif ld.rung == 2:
        ld.in_cc = False
        model.log_event("expulsion", ld.name, "Central Committee", "", assembly.name)
        ld.rung = 3
    elif ld.rung == 3:
        model.expel_from_party(t, assembly)
        ld.rung = 4
        answer_defeat(model, t, assembly.name)


def answer_defeat(model: SuccessionModel, t: int, where: str) -> None:
    """The defeated leader recants or refuses (see :meth:`Leader.decide_recant`).

    Called when he is expelled from the party and again each month after, until he recants:
    capitulation can come later ("A day later the opposition split" [seed]). Only the first
    refusal is logged.
    """
    ld = model.leader_list[t]
    if ld.recanted or not ld.alive:
        return
    ruling = ruling_faction(model)
    bloc = model.last_faction.get(t, [t])
    bloc_power = float(sum(model.power[j] for j in bloc if model.leader_list[j].active))
    rule_power = model.faction_power(ruling) if ruling >= 0 else 0.0
    hope = bloc_power / (bloc_power + rule_power) if bloc_power + rule_power > 0 else 0.0
    if ld.decide_recant(hope):
        ld.recanted = True
        ld.prestige *= 1.0 - model.params.recantation_prestige_cost
        model.log_event("recantation", ld.name, "", "renounces his views", where)
    elif not ld.refused:
        ld.refused = True
        model.log_event("refusal", ld.name, "", "refuses to recant; exiled", where)


# --------------------------------------------------------------------------------------
# congresses


def congress_vote(model: SuccessionModel, assembly) -> tuple[int, int, int]:
    """The congress votes on the Central Committee's report: returns (yes, no, absent).

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
    yes = int(model.rng.binomial(present, np.clip(p_yes, 0.0, 1.0)).sum())
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


def elect_central_committee(model: SuccessionModel, size: int) -> np.ndarray:
    """Draw the patrons of the rank-and-file Central Committee seats from the delegates.

    The circular flow: the congress elects the Central Committee, and the delegates were
    picked by the secretaries [Daniels1957]. Each seat goes to a patron's client with
    probability proportional to the loyalty-weighted membership he controls; the rest are
    unattached.
    """
    app = model.apparatus
    n = len(model.leader_list)
    leaders_in = sum(1 for ld in model.leader_list if ld.active and ld.in_cc)
    seats = max(size - leaders_in, 0)
    weights = np.zeros(n + 1)
    held = app.patron >= 0
    active = np.array([ld.active for ld in model.leader_list])
    ok = held.copy()
    ok[held] = active[app.patron[held]]
    np.add.at(weights, app.patron[ok], app.members[ok] * app.loyalty[ok])
    weights[n] = (app.members * np.where(ok, 1.0 - app.loyalty, 1.0)).sum()
    draws = model.rng.choice(n + 1, size=seats, p=weights / weights.sum())
    return np.where(draws == n, -1, draws).astype(np.int64)


def fill_politburo(model: SuccessionModel, size: int, assembly) -> None:
    """After a congress the new Central Committee fills the Politburo's vacancies from the
    ruling coalition, candidates first, then by power (the 1927 Politburo of Stalin's allies
    [RECORD])."""
    ruling = ruling_faction(model)
    if ruling < 0:
        return
    members = [ld.idx for ld in model.leader_list if ld.active and model.politburo[ld.idx] == 2]
    free = size - len(members)
    if free <= 0:
        return
    pool = [j for j in model.members(ruling) if model.politburo[j] < 2]
    pool.sort(key=lambda j: (-model.politburo[j], -model.power[j]))
    for j in pool[:free]:
        model.politburo[j] = 2
        model.leader_list[j].in_cc = True
        model.log_event("promotion", model.leader_list[j].name, "Politburo", "", assembly.name)


def choose_successor(model: SuccessionModel, office: Office, exclude: int = -1) -> int:
    """The ruling coalition gives a vacant office to one of its own.

    A member suited to the office kind if there is one (Frunze, then Voroshilov, at the War
    Commissariat [RECORD]), else the member with the least office weight; ties go to power.
    A regional organisation goes to an appointee of the Secretariat (-1): Kirov in
    Leningrad [RECORD].
    """
    if office.kind == "regional":
        return -1
    ruling = ruling_faction(model)
    if ruling < 0:
        return -1
    pool = [j for j in model.members(ruling) if model.leader_list[j].active and j != exclude]
    if not pool:
        return -1
    suited = [j for j in pool if office.kind in model.leader_list[j].suited]
    if suited:
        return max(suited, key=lambda j: (model.power[j], -j))
    return min(pool, key=lambda j: (model.office_weight(j), -model.power[j], j))
