"""Sanctions: the ruling coalition answers opposition acts in the Central Committee.

A leader's acts build a charge against him (:mod:`model.engine.acts`); at a plenum,
conference or congress the ruling coalition moves the next rung of sanctions against an
opposition leader once the charge has reached that rung's need and the expected vote is safe,
where the body may take that rung (a plenum any, a congress the two expulsions, a conference
none; elsewhere it condemns instead).
Each sanction is a vote that can fail; a passed sanction uses up part of the charge, so the
next needs fresh offences (but the expulsion from the Central Committee and the party's are
judged on one case); a near-unanimous vote takes two rungs at once. The rungs: an
office, demotion from full to candidate member of the Politburo, removal from the
Politburo, from the Central Committee, from the party. Expelled leaders recant or refuse,
and the security office may exile those who refuse. Motions put from outside the struggle (a
counterfactual's premise) are voted here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model.engine.coalitions import policy_distance
from model.engine.spec import SECURITY_KIND
from model.engine.votes import (
    cc_vote,
    cc_vote_probabilities,
    is_opposition,
    logistic,
    ruling_faction,
)

if TYPE_CHECKING:
    from model.engine.model import SuccessionModel

OFFICE, DEMOTION, POLITBURO, CENTRAL_COMMITTEE, PARTY, BEYOND = range(6)
RUNGS = ("office", "demotion", "Politburo", "Central Committee", "party")


def next_rung(model: SuccessionModel, t: int) -> int:
    """The next sanction the ruling coalition can move against leader ``t``: one of his
    offices while he holds any, then demotion (if a full Politburo member), removal from
    the Politburo (if in it), from the Central Committee (if in it), from the party; then
    none (:data:`BEYOND`).

    The ladder of the record: "engineered his removal as commissar of war"; Kamenev
    "moved from full member to candidate"; "Trotsky was expelled from the Politburo"; "from
    the Central Committee"; "from the party" [seed; calendar].
    """
    ld = model.leader_list[t]
    if not ld.in_party:
        return BEYOND
    if model.institutions.offices_of(t):
        return OFFICE
    seat = model.politburo[t]
    if seat == 2:
        return DEMOTION
    if seat == 1:
        return POLITBURO
    if ld.in_cc:
        return CENTRAL_COMMITTEE
    return PARTY


def charge_suffices(model: SuccessionModel, t: int, rung: int, ruling: int | None = None) -> bool:
    """The ruling coalition moves a rung only once the case against the leader (his charge,
    in units of act severity) has reached the rung's need (``Parameters.charge_need``):
    each recorded sanction answered an act of matching gravity [calendar]. Expulsion from
    the Central Committee and the party is judged on the bloc's strongest case: "Trotsky
    and Zinoviev were immediately expelled from the party" together [seed]."""
    if rung >= BEYOND:
        return False
    return case_charge(model, t, rung) >= needed_charge(model, t, rung, ruling)


def case_charge(model: SuccessionModel, t: int, rung: int) -> float:
    """The case on which rung ``rung`` against leader ``t`` is judged: his charge, or a
    partner's if stronger where the rung judges the bloc (:func:`partners_charge`,
    :func:`charge_suffices`)."""
    return max(model.leader_list[t].charge, partners_charge(model, t, rung))


def partners_charge(model: SuccessionModel, t: int, rung: int) -> float:
    """The strongest charge among leader ``t``'s partners in his faction from the Central
    Committee's rung on, where a rung is judged on the bloc's case; 0 below it (charges are
    never negative)."""
    if rung < CENTRAL_COMMITTEE:
        return 0.0
    return max((model.leader_list[j].charge for j in model.members(model.faction[t])
                if j != t), default=0.0)


def warning_stands(warned: int, rung: int, final_warning: bool = True) -> bool:
    """Whether a warning given at rung ``warned`` (a condemnation moved or passed there)
    stands at rung ``rung``: a warning stands at its own rung until a sanction moves him
    on; with ``final_warning`` a warning at the Central Committee's rung stands at the
    party's too, so that one last warning comes before both expulsions.

    The ban on factions put expulsion from the Central Committee and from the party side by
    side as its extreme measure: members of the Central Committee it allowed "to reduce ...
    to the status of candidates and, as an extreme measure, to expel ... from the party"
    [RCP1921]; the joint plenum of July-August 1927 gave Trotsky and Zinoviev a "final
    severe warning", and no further condemnation came between their expulsion from the
    Central Committee (23 October 1927) and from the party three weeks later, after the
    demonstrations of 7 November:
    "Trotsky and Zinoviev were immediately expelled from the party" [calendar; seed].

    What carries is the warning as :func:`move_sanctions` and :meth:`Leader.dread` each
    read it: a condemnation moved at the Central Committee's rung, passed or not, means no
    further one is moved before the expulsion from the party; only one that passed is
    dreaded there. A leader swept out of the Politburo and the Central Committee in one
    vote was warned, if at all, at the Politburo's rung, so his party rung has a warning of
    its own (carrying it across the sweep changes little: docs/model.md §7.5)."""
    if warned == rung:
        return True
    return final_warning and warned == CENTRAL_COMMITTEE and rung == PARTY


def paramount(model: SuccessionModel) -> int:
    """The paramount leader: the one whose prestige at the start stood above every other's
    (-1 when two or more share the top). "Although a collective of prominent Communists
    nominally guided the party ..., Lenin commanded such prestige and authority that even
    such brilliant theoreticians as Trotsky and ... Bukharin generally yielded to his will"
    [seed]."""
    start = sorted(((ld.prestige, ld.name) for ld in model.spec.leaders), reverse=True)
    if len(start) < 2 or start[0][0] <= start[1][0]:
        return -1
    return model.index[start[0][1]]


def under_shadow(model: SuccessionModel, t: int) -> bool:
    """Whether the paramount leader's shadow protects leader ``t`` from sanctions: while the
    paramount leader (:func:`paramount`) lives, ill or well, and keeps his seat in the
    Politburo, the ruling
    coalition takes nothing from another member of the Politburo; it may condemn, not
    remove. The succession is not open while he lives, and he might return and side with
    the accused: "Lenin recovered late in 1922 and found fault with the troika" [seed]. The
    first sanction of the record against a Politburo member, the War Commissariat, came a
    year after Lenin's death; the first condemnation (October 1923) while he lived
    [calendar]. Under the shadow a case that would suffice for a sanction is condemned
    instead, at every assembly where it suffices (:func:`move_sanctions`): the October 1923
    plenum and the 13th Conference of January 1924 both condemned the opposition of 1923
    while Lenin lived [calendar]. Switched off by ``paramount_shadow = false``."""
    m = model
    if not m.params.paramount_shadow or m.politburo[t] == 0:
        return False
    top = paramount(m)
    if top < 0 or top == t:
        return False
    ld = m.leader_list[top]
    return ld.alive and ld.in_party and m.politburo[top] > 0


def body_may_take(kind: str, rung: int, chartered: bool = True) -> bool:
    """Whether an assembly of ``kind`` may take the sanction ``rung``: a plenum of the
    Central Committee any of them; a congress a seat in the Central Committee or
    membership of the party; a conference none. Without ``chartered`` every body may take
    every rung.

    The Central Committee takes a Politburo seat or an office: the congress "did not elect
    the Politburo" [Archontology]; the "organisational plenum of the new CC" did (April
    1923), and it was the plenum of 1 January 1926, not the 14th Congress, that moved
    Kamenev "from full member to candidate"; the War Commissariat went at the plenum of
    January 1925 [calendar]. A congress was "formally empowered to elect the Central
    Committee" [ERH2004], and the 15th Congress expelled 75 leading oppositionists from the
    party [calendar]. Conferences "issued policy declarations in the form of resolutions,
    but did not conduct elections to the top party leadership" [ERH2004]. Where the case
    suffices for a rung the body may not take, it condemns instead
    (:func:`move_sanctions`): the 13th Conference condemned the "petty-bourgeois deviation"
    (confirmed by the 13th Congress) and the 15th Conference the "social-democratic
    deviation" (confirmed by the joint plenum of 3 November 1926) [calendar].
    """
    if not chartered or kind == "plenum":
        return True
    if kind == "congress":
        return rung in (CENTRAL_COMMITTEE, PARTY)
    return False


def censure_suffices(model: SuccessionModel, t: int, ruling: int) -> bool:
    """Whether the case against leader ``t`` suffices for a condemnation: ``censure_need``,
    raised like every rung's need by ``standing_premium`` per unit of his prestige above
    the ruling leader's (:func:`needed_charge`): the troika did not condemn Lenin's December
    1922 letters, it condemned Trotsky's of October 1923 [seed; calendar]."""
    p = model.params
    return model.leader_list[t].charge >= p.censure_need * premium(model, t, ruling)


def premium(model: SuccessionModel, t: int, ruling: int | None = None) -> float:
    """``1 + standing_premium`` × leader ``t``'s prestige above the ruling leader's (the
    leader of ``ruling``, by default the Politburo's ruling faction)."""
    p = model.params
    ruling = ruling_faction(model) if ruling is None else ruling
    ruler = model.leader_list[model.faction_leader_index(ruling)].prestige if ruling >= 0 else 0.0
    above = max(0.0, model.leader_list[t].prestige - ruler)
    return 1.0 + p.standing_premium * above


def needed_charge(model: SuccessionModel, t: int, rung: int, ruling: int | None = None) -> float:
    """The charge a sanction of ``rung`` needs against leader ``t``: the rung's need (times
    ``charge_scale``), raised
    by ``standing_premium`` per unit of his prestige above the ruling leader's. A leader of
    greater standing than the rulers (``ruling``, the faction that moves the sanction: by
    default the Politburo's ruling one) needs a graver case: the majority "kept [Trotsky] in the
    Politburo against Zinoviev's and Kamenev's wish to expel him" [RECORD]."""
    p = model.params
    return p.charge_scale * p.charge_need[rung] * premium(model, t, ruling)


def move_sanctions(model: SuccessionModel, assembly, mover: int | None = None) -> bool:
    """The ruling coalition (or ``mover``, a faction that has overturned it) moves the next
    sanction against each opposition leader whose charge suffices, where the vote it
    expects, as it perceives it (``misjudgement``), clears ``sanction_margin``; strongest
    targets first; under the paramount's shadow (:func:`under_shadow`), or at a body whose
    charter does not give it that rung (:func:`body_may_take`), a case that would suffice is
    condemned instead, if his own case suffices for a condemnation (a bloc's case, which
    judges the last two rungs, does not condemn a member who has done little himself).
    "The winning coalition acts in the bodies" [seed]. Returns whether a sanction failed.

    A failed sanction is itself a factional act: each member of the faction that moved it
    is charged ``failed_motion_charge`` (the anti-party group's defeat of June 1957 is the
    second case's example).
    """
    ruling = ruling_faction(model) if mover is None else mover
    if ruling < 0:
        return False
    targets = [ld.idx for ld in model.leader_list if is_opposition(model, ld.idx, ruling)]
    targets.sort(key=lambda i: -model.power[i])
    failed = False
    for t in targets:
        if not model.leader_list[t].in_party:
            continue
        rung = next_rung(model, t)
        ld = model.leader_list[t]
        held_back = under_shadow(model, t) or not body_may_take(
            assembly.kind, rung, model.params.bodies_chartered)
        suffices = charge_suffices(model, t, rung, ruling)
        if held_back or not suffices:
            # a warning once per rung (the Central Committee's and the party's share one);
            # under the shadow, or where the body may not take the rung, also in place of
            # the sanction
            if censure_suffices(model, t, ruling) and (
                    (held_back and suffices)
                    or not warning_stands(ld.warned_at_rung, rung, model.params.final_warning)):
                if condemn(model, t, ruling, assembly):
                    ld.condemned_at_rung = rung
                ld.warned_at_rung = rung
            continue
        expected = float(cc_vote_probabilities(model, t, ruling, rung).mean())
        if expected + model.misjudgement() < model.params.sanction_margin:
            continue
        passed = vote_sanction(model, t, ruling, rung, assembly)
        if not passed:
            failed = True
            for j in model.members(ruling):
                model.leader_list[j].charge += model.params.failed_motion_charge
            break
        if expected >= model.params.sweep_share:
            rung = next_rung(model, t)
            if (rung in (POLITBURO, CENTRAL_COMMITTEE) and charge_suffices(model, t, rung, ruling)
                    and body_may_take(assembly.kind, rung, model.params.bodies_chartered)):
                apply_sanction(model, t, rung, assembly, detail="in the same vote")
    return failed


def condemn(model: SuccessionModel, t: int, ruling: int, assembly) -> bool:
    """Condemn a leader's acts without taking anything from him: when the charge suffices
    for a condemnation (:func:`censure_suffices`) but not for the next rung, once per rung
    (the Central Committee's and the party's share one, :func:`warning_stands`), as a
    warning before the sanction; or, under the paramount's shadow or at a body that may not
    take the rung (:func:`body_may_take`), in place of the sanction the case would suffice
    for, at every assembly where it does
    (:func:`move_sanctions`). It is a vote that can fail and, if it passes, costs him
    prestige. The joint plenum of October 1923 "condemned Trotsky's 8 Oct letter and the
    Declaration of the 46 as factional", the 13th Conference the "petty-bourgeois
    deviation"; the plenum of July 1927 gave a "final severe warning" before the expulsions
    [calendar]. A passed condemnation closes the case for the acts it condemned, as a passed
    sanction does: it uses up ``charge_relief`` of the charge (``condemnation_closes``), so
    the next step needs fresh offences; after the 13th Conference condemned the discussion of
    1923, the War Commissariat went only after the "literary discussion" of late 1924 [calendar]."""
    ld = model.leader_list[t]
    yes, no = cc_vote(model, t, ruling, OFFICE)
    model.record_tally(assembly, f"condemnation: {ld.name}", yes, no, 0, kind="censure")
    ld.observe_vote(yes, no)
    if yes <= no:
        model.log_event("censure_failed", ld.name, "", f"{yes}-{no}", assembly.name)
        return False
    ld.prestige *= 1.0 - model.params.defeat_prestige_cost
    if model.params.condemnation_closes:
        ld.charge *= 1.0 - model.params.charge_relief
    sanction_enmity(model, t, ruling)
    model.log_event("condemnation", ld.name, "", f"{yes}-{no}", assembly.name)
    return True


def vote_sanction(model: SuccessionModel, t: int, ruling: int, rung: int, assembly) -> bool:
    """Vote one sanction in the Central Committee; carry it out if it passes (at a cost in
    prestige, "defeat breeds defeat", and in the charge it used up)."""
    ld = model.leader_list[t]
    yes, no = cc_vote(model, t, ruling, rung)
    what = sanction_object(model, t, rung)
    model.record_tally(assembly, f"sanction: {ld.name} from {what}", yes, no, 0,
                       kind="sanction")
    ld.observe_vote(yes, no)
    if yes <= no:
        model.log_event("sanction_failed", ld.name, what, f"{yes}-{no}", assembly.name)
        return False
    ld.prestige *= 1.0 - model.params.defeat_prestige_cost
    ld.charge *= 1.0 - charge_used(rung, model.params.charge_relief, model.params.case_carries)
    ld.defeated = True
    sanction_enmity(model, t, ruling)
    apply_sanction(model, t, rung, assembly)
    return True


def charge_used(rung: int, relief: float, case_carries: bool = True) -> float:
    """The share of the charge that a passed sanction of ``rung`` uses up: ``relief``, so
    that the next step needs fresh offences; but with ``case_carries`` the expulsion from the
    Central Committee uses up none, and the expulsion from the party is judged on the same
    case and what is added to it.

    The ban on factions knew one extreme measure against members of the Central
    Committee, "to expel them from the party" [RCP1921], and the two expulsions of the
    record came three weeks apart: Trotsky and Zinoviev, expelled from the Central Committee
    on 23 October 1927, after the platform and the illegal press of September, were expelled
    from the party in mid-November, after the demonstrations of 7 November "brought the
    struggle to a head. Trotsky and Zinoviev were immediately expelled from the party"
    [seed; calendar: 21-23 Oct and 12-14 Nov 1927]. :func:`warning_stands` already lets the
    last warning stand for both rungs; a rung that used up half the case would ask for a
    second escalation within those three weeks.
    """
    if case_carries and rung == CENTRAL_COMMITTEE:
        return 0.0
    return relief


def sanction_enmity(model: SuccessionModel, t: int, ruling: int) -> None:
    """A passed sanction or condemnation makes its target and the leader of the faction that
    moved it enemies, both ways: each bears the other ``sanction_grudge`` more animosity (at
    most 1). The struggle hardens the sides: "Stalin's counterattack against Trotsky's
    vigorous criticism was likewise strong"; "certain leaders were dethroned and others
    appointed in their stead solely on the basis of their attitude toward Trotsky"; "Stalin
    saw to it that no friends or supporters of Trotsky advanced to prominent position"
    [seed]. The mover's grudge weighs against the target's return to the ruling coalition
    (a faction that would bring him in must win its leader's consent,
    :meth:`~model.engine.leaders.Leader.accepts`, which weighs his strongest grudge toward a
    partner); the target's, against his return of his own will.
    Grudges fade as every grudge does (``grudge_decay``)."""
    r = model.faction_leader_index(ruling) if ruling >= 0 else -1
    g = model.params.sanction_grudge
    if r < 0 or r == t or g <= 0:
        return
    a = model.animosity
    a[t, r] = min(1.0, a[t, r] + g)
    a[r, t] = min(1.0, a[r, t] + g)
    model.state_changed()


def sanction_object(model: SuccessionModel, t: int, rung: int) -> str:
    """What a sanction takes away: his weightiest office, or a seat."""
    if rung == OFFICE:
        held = model.institutions.offices_of(t)
        return model.offices[max(held, key=lambda k: model.offices[k].weight)].name
    if rung in (DEMOTION, POLITBURO):
        return "Politburo"
    return RUNGS[rung]


def apply_sanction(model: SuccessionModel, t: int, rung: int, assembly,
                   detail: str = "") -> None:
    """Carry out a sanction that passed; expulsion from the party is answered at once."""
    ld = model.leader_list[t]
    inst = model.institutions
    what = sanction_object(model, t, rung)
    if rung == OFFICE:
        inst.vacate_office(inst.office_index(what), reason="removed", assembly=assembly)
        model.log_event("office_loss", ld.name, what, "removed by vote", assembly.name)
    elif rung == DEMOTION:
        inst.politburo[t] = 1
        model.log_event("demotion", ld.name, "Politburo", "to candidate member", assembly.name)
    elif rung == POLITBURO:
        inst.politburo[t] = 0
        model.log_event("expulsion", ld.name, "Politburo", detail, assembly.name)
    elif rung == CENTRAL_COMMITTEE:
        ld.in_cc = False
        model.log_event("expulsion", ld.name, "Central Committee", detail, assembly.name)
    elif rung == PARTY:
        inst.expel_from_party(t, assembly)
        answer_defeat(model, t, assembly.name)
    model.state_changed()


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


def news_since_refusal(hope_then: float, hope_now: float, gap_then: float,
                       gap_now: float) -> float:
    """What has changed, in [0, 1], since an expelled leader last refused to recant: the
    fall of his bloc's hope, plus the share of the distance between his line and the ruling
    line that has closed (none if there was no distance). A rise of hope or a wider gap is
    no news for recanting.

    The wave of capitulations among the expelled Left Oppositionists came in 1929: "The
    Stalinist left turn (plus the strengthening of repression) brought disorder in 1929 into
    the ranks of the Left Opposition" [Sedov1936]. Rakovsky, who stayed, named both causes
    of the crisis: on one side "mass arrests, provocations everywhere", on the other "a
    certain division in the Opposition caused by the 'Left course'" [Rakovsky1929].
    """
    fall = max(0.0, hope_then - hope_now)
    closed = max(0.0, 1.0 - gap_now / gap_then) if gap_then > 0 else 0.0
    return min(1.0, fall + closed)


def defeat_hope(model: SuccessionModel, t: int) -> float:
    """An expelled leader's hope: the power of the members of his last bloc still active in
    the party, as a share of theirs and the ruling coalition's together."""
    ruling = ruling_faction(model)
    bloc = model.last_faction.get(t, [t])
    bloc_power = float(sum(model.power[j] for j in bloc if model.leader_list[j].active))
    rule_power = model.faction_power(ruling) if ruling >= 0 else 0.0
    return bloc_power / (bloc_power + rule_power) if bloc_power + rule_power > 0 else 0.0


def answer_defeat(model: SuccessionModel, t: int, where: str) -> None:
    """The defeated leader recants or refuses (see :meth:`Leader.decide_recant`).

    Called when he is expelled from the party and again each month after, until he recants:
    capitulation can come later ("A day later the opposition split" [seed]). After a refusal
    he weighs only the news since (:meth:`Leader.reconsider_recant`; ``refusal_binds``),
    and in a month with no ruling faction, no ruling line to measure news by, he does not
    weigh it at all. Only the first refusal is logged.
    """
    ld = model.leader_list[t]
    if ld.recanted or not ld.alive:
        return
    ruling = ruling_faction(model)
    binds = ld.refused and model.params.refusal_binds
    if binds and ruling < 0:
        return  # no ruling line, no news to read: he stands where he stood
    hope = defeat_hope(model, t)
    gap = policy_distance(model.positions[t], model.faction_line(ruling)) if ruling >= 0 else 0.0
    if binds:
        recants = ld.reconsider_recant(hope, gap)
    else:
        recants = ld.decide_recant(hope)
    if recants:
        ld.recanted = True
        ld.charge = 0.0
        ld.prestige *= 1.0 - model.params.recantation_prestige_cost
        model.log_event("recantation", ld.name, "", "renounces his views", where)
        return
    ld.stand = ((hope, gap) if ld.stand is None
                else (min(ld.stand[0], hope), min(ld.stand[1], gap)))
    if not ld.refused:
        ld.refused = True
        model.log_event("refusal", ld.name, "", "refuses to recant", where)


def exile_refusers(model: SuccessionModel) -> None:
    """The security office, at the ruling coalition's behest, exiles an expelled leader who
    refuses to recant, with a monthly chance ``coercion_rate``: the OGPU deported Trotsky to
    Alma-Ata in January 1928 [calendar]. It acts only while the office is held by a member of
    the ruling coalition or by an appointee outside the modelled leaders."""
    ruling = ruling_faction(model)
    if ruling < 0:
        return
    police = model.institutions.holder_of_kind(SECURITY_KIND)
    if police >= 0 and model.faction[police] != ruling:
        return
    if police < 0 and not any(o.kind == SECURITY_KIND for o in model.offices):
        return
    for ld in model.leader_list:
        if (ld.alive and not ld.in_party and ld.refused and not ld.recanted and not ld.exiled
                and model.rng.random() < model.params.coercion_rate):
            ld.exiled = True
            model.log_event("exile", ld.name, "", "deported by the security office", "")
