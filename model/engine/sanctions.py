"""Sanctions: the ruling coalition moves them in the Central Committee, each a vote that can
fail, and the defeated answer (recant or refuse). Motions put from outside the struggle (a
counterfactual's premise) are voted here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.engine.votes import (
    cc_vote,
    cc_vote_probabilities,
    is_opposition,
    logistic,
    ruling_faction,
)

if TYPE_CHECKING:
    from model.engine.model import SuccessionModel

RUNGS = ("office", "Politburo", "Central Committee", "party")


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
        if ld.rung == 0 and not model.institutions.offices_of(t):
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
        held = model.institutions.offices_of(t)
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
    k = model.institutions.office_index(motion.office)
    if model.offices[k].holder != t or not model.leader_list[t].active:
        model.log_event("motion_lapsed", motion.leader, motion.office, "", assembly.name)
        return False
    label = model.faction[t]
    gap = model.leader_list[t].prestige - model.params.motion_reference_prestige
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
        model.institutions.vacate_office(k, "motion", assembly)
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
        k = model.institutions.office_index(what)
        model.institutions.vacate_office(k, reason="removed", assembly=assembly)
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
        model.institutions.expel_from_party(t, assembly)
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
