"""Opposition acts: what a leader outside the ruling coalition may do, and what it costs.

A leader outside the ruling coalition chooses each month among keeping quiet and five acts
of rising severity: criticism inside the leadership, an open letter or platform, a co-report
at an assembly (only when one meets), organising a faction with its own press and
followers, and an appeal to the membership in the streets. "Despite interdictions,
organized factions continued to exist" [seed]; the record pairs each sanction with an act:
the October 1923 letter and the Declaration of the 46 with their condemnation, the
"literary discussion" with the loss of the War Commissariat, the forest meeting with
Zinoviev's removal from the Politburo, the platform and the illegal press with the Central
Committee, the demonstrations of 7 November 1927 with the party [calendar].

The choice is a nested logit (quantal response [McKelveyPalfrey1995]; the nest
[McFadden1978]): a leader weighs his grievance, his voice and the risk, and chooses with
noise, because he cannot know what an act will bring; whether to break discipline at all is
one decision, which act another. These are pure functions;
:class:`~model.engine.leaders.Leader` calls them.
"""

from __future__ import annotations

import math

import numpy as np

ACTS = ("criticism", "platform", "co_report", "organise", "street")
CRITICISM = ACTS.index("criticism")
PLATFORM = ACTS.index("platform")
CO_REPORT = ACTS.index("co_report")
ORGANISE = ACTS.index("organise")
QUIET = -1
MIN_SCALE = 1e-9  # the smallest logit scale used: below it, the limit (best response)


def grievance(ambition: float, policy_gap: float) -> float:
    """What drives a leader outside the ruling coalition to act: his ambition (he is shut
    out of power) and his policy gap to the ruling line (he has something to say), each on
    0..1, averaged. "Trotsky's adherents campaigned for greater freedom of criticism" and a
    different line [seed]."""
    return 0.5 * (ambition + policy_gap)


def voice(renowns) -> float:
    """How far a bloc's acts are heard: its members' renown together, at most 1 (the united
    opposition spoke louder than any of its leaders). Renown is a leader's standing before
    the struggle, which the campaign against him does not undo: it erodes his present
    standing (prestige: his support, his power, the votes), not his name. The opposition of
    1927, with a few thousand votes in a party of over a million, still published its
    platform and brought its demonstrations into the streets of Moscow and Leningrad
    [calendar; RECORD]."""
    return min(1.0, float(sum(renowns)))


def fear_of_sanction(resolve: float, hope: float, weight: float) -> float:
    """The weight a leader puts on the risk of sanction per unit of an act's severity:
    larger for the irresolute and for the isolated (little hope of support). Resolve is the
    propensity to resist [seed: the Trotskyists "refused to yield", Zinoviev and Kamenev
    "renounced their views"]; hope is his bloc's share of power against the rulers."""
    return weight * (1.0 - resolve) * (1.0 - min(max(hope, 0.0), 1.0))


def would_bring_sanction(charge: float, severity, need: float,
                         others: float = 0.0) -> np.ndarray:
    """Which acts would leave the case against a leader at ``need``, the charge the next
    sanction needs, or past it: the charge against him now plus the act's severity (each
    act adds its severity to the charge, :func:`model.engine.opposition.apply_act`), or
    ``others``, his partners' strongest charge, where the rung judges the bloc's case
    (:func:`model.engine.sanctions.partners_charge`)."""
    return np.maximum(others, charge + np.asarray(severity, dtype=float)) >= need


def available_acts(in_leadership: bool, assembly_meets: bool) -> np.ndarray:
    """Which acts a leader can take: criticism inside the leadership and a co-report need a
    seat in the Central Committee or the Politburo (and the co-report an assembly meeting
    this month); a platform, a faction and the street need only party membership. A leader
    shut out of the bodies has only the outside channels left: the opposition of 1927,
    out of the Politburo, turned to the platform, the illegal press and the street
    [calendar]."""
    ok = np.ones(len(ACTS), dtype=bool)
    ok[CRITICISM] = in_leadership
    ok[CO_REPORT] = in_leadership and assembly_meets
    return ok


def press_reach(reach, closed: bool) -> np.ndarray:
    """Each act's reach for a leader to whom the party press is open, or ``closed``: a
    platform the press will not print reaches no further than criticism inside the
    leadership, to which it is still sent; the other acts keep theirs, the organised
    faction's own press and the street among them.

    The Opposition's platform was submitted on 3 September 1927 with a demand that it be
    printed; a joint session of the Politburo and the Presidium of the Central Control
    Commission refused on 8 September, and the opposition's illegal press was raided on
    12-13 September [calendar]. A closed press leaves organising as the way to the
    members [Tarrow1998].
    """
    out = np.asarray(reach, dtype=float).copy()
    if closed:
        out[PLATFORM] = min(out[PLATFORM], out[CRITICISM])
    return out


def repertoire(severity, gravest: float, available: np.ndarray) -> np.ndarray:
    """Which acts a bloc's repertoire holds: those no graver than the next level of
    severity above ``gravest``, the gravest act its members have taken so far (0 before
    any), among the ``available`` ones; if none of those is available, the mildest
    available act (a leader shut out of the leadership starts with a platform).

    Contention escalates along a known repertoire: a group uses the forms it has used
    before and innovates at their edge, one step at a time [Tilly1978; Tarrow1998]. The
    oppositions of 1923-27 climbed the ban's ladder a rung at a time: the letter of 8
    October 1923 and the Declaration of the 46, the "literary discussion" of 1924, the
    Platform of the Four and the co-report at the 14th Congress in 1925, the forest meeting
    of June 1926, and only in 1927 the illegal press and the demonstrations of 7 November
    [calendar].
    """
    sev = np.asarray(severity, dtype=float)
    ok = np.asarray(available, dtype=bool)
    above = sev[sev > gravest]
    reach = float(above.min()) if above.size else float(sev.max())
    held = ok & (sev <= reach)
    if not held.any() and ok.any():
        held = ok & (sev <= float(sev[ok].min()))
    return held


def act_values(drive: float, voice: float, fear: float, cost: float,
               severity, reach, assembly_meets: bool, receptive: float = 1.0,
               in_leadership: bool = True, gain=None, gravest: float | None = None
               ) -> np.ndarray:
    """Value of each act, relative to keeping quiet (value 0).

    ``drive·voice·receptive·reach − (cost + fear)·severity``: an act is worth what it can
    move (a leader's grievance, carried as far as his prestige, the members' readiness to
    listen to his line and the act's reach) less its effort and risk, both growing with its
    severity; ``gain`` adds what an act builds beyond the message (a faction's following).
    Acts not available (:func:`available_acts`) are ``-inf``, and so, when ``gravest`` is
    given (the gravest act of his bloc so far), are those beyond its repertoire
    (:func:`repertoire`).
    """
    sev = np.asarray(severity, dtype=float)
    values = drive * voice * receptive * np.asarray(reach, dtype=float) - (cost + fear) * sev
    if gain is not None:
        values = values + np.asarray(gain, dtype=float)
    ok = available_acts(in_leadership, assembly_meets)
    if gravest is not None:
        ok = repertoire(sev, gravest, ok)
    values[~ok] = -np.inf
    return values


def logit_choice(values: np.ndarray, temperature: float, u: float, nest: float) -> int:
    """Choose among keeping quiet (value 0, returned as :data:`QUIET`) and the acts by a
    nested logit, from one uniform draw ``u``: first whether to act at all, then which act.

    The acts are close substitutes: every one of them breaks the discipline of the 1921
    ban on factions, and what a leader cannot foresee about one (how the apparatus will
    answer, whether the members will listen) he cannot foresee about the others. A plain
    multinomial logit treats them as independent alternatives, so that five acts, each
    worth less than keeping quiet, are together chosen more often than quiet (the
    independence of irrelevant alternatives; the "red bus, blue bus" problem). The nested
    logit [McFadden1978; Train2009, ch. 4] puts the acts in one nest of scale
    ``nest·temperature``: the chance of acting at all is the logistic of the nest's
    inclusive value ``s·log Σ exp(v_k / s)`` over ``temperature``, and within the nest an act
    is chosen by a logit of scale ``s``. ``nest = 1`` is the plain multinomial logit; as
    ``nest`` falls toward 0 the decision to act rests on the best act alone.

    ``u`` below the chance of keeping quiet keeps quiet; above it, its rescaled remainder
    picks the act (inverse CDF).
    """
    chance, weights = _nest(values, temperature, nest)
    quiet = 1.0 - chance
    if u < quiet or quiet >= 1.0:
        return QUIET
    cdf = np.cumsum(weights) / weights.sum()
    k = int(np.searchsorted(cdf, (u - quiet) / (1.0 - quiet), side="right"))
    return min(k, len(weights) - 1)


def nest_weights(values: np.ndarray, scale: float) -> np.ndarray:
    """Within the nest, each available act's logit weight ``exp((v_k - max v) / scale)``
    (0 for an act not available)."""
    finite = np.isfinite(values)
    top = float(values[finite].max())
    return np.where(finite, np.exp((np.where(finite, values, top) - top) / scale), 0.0)


def act_chance(values: np.ndarray, temperature: float, nest: float) -> float:
    """The chance of acting at all (:func:`logit_choice`): the logistic of the nest's
    inclusive value ``s·log Σ exp(v_k / s)``, ``s = nest·temperature``, over
    ``temperature``; 0 when no act is available (every value -inf). A scale below
    :data:`MIN_SCALE` counts as that scale (the best act alone, as the limit)."""
    return _nest(values, temperature, nest)[0]


def _nest(values, temperature: float, nest: float) -> tuple[float, np.ndarray | None]:
    """The chance of acting at all and the acts' weights within the nest (None when no act
    is available): :func:`act_chance` and :func:`logit_choice` share them."""
    v = np.asarray(values, dtype=float)
    if np.isnan(v).any():
        raise ValueError(f"act values must not be NaN, got {v}")
    finite = np.isfinite(v)
    if not finite.any():
        return 0.0, None
    s = max(nest * temperature, MIN_SCALE)
    temperature = max(temperature, MIN_SCALE)
    weights = nest_weights(v, s)
    inclusive = float(v[finite].max()) + s * math.log(float(weights.sum()))
    return 1.0 / (1.0 + math.exp(min(-inclusive / temperature, 700.0))), weights


def agreement(own_distance: float, ruling_distance: float, sharpness: float) -> float:
    """Share of members who side with a leader against the ruling line: the logistic of how
    much closer his line is to their mood than the ruling line (the free delegates' rule of
    :func:`model.engine.votes.free_vote_yes`)."""
    return 1.0 / (1.0 + math.exp(-sharpness * (ruling_distance - own_distance)))


def standing_change(reach: float, agree: float, effect: float) -> float:
    """An act raises its author's prestige when the members agree with him and costs it
    when they do not: ``effect·reach·(2·agree − 1)``."""
    return effect * reach * (2.0 * agree - 1.0)
