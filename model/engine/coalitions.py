"""Pure functions on coalitions: power sums, winning, shares, and the terms of a leader's
value for a coalition. Each term is one rule family of ``docs/model.md`` with its evidence.

A coalition is a list (or array) of leader indices; ``powers`` is the vector of current
powers; ``positions`` an ``(n, 2)`` array of policy positions (economy, world).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

MAX_POLICY_DISTANCE = 2.0 * math.sqrt(2.0)


def win_probability(share: float, softness: float) -> float:
    """Probability that a coalition with ``share`` of the active leaders' power is decisive.

    Majority rule with a soft edge: the Politburo and the Central Committee decide by
    majority, but who will vote with whom on a given day is uncertain [AES2008, with a
    logistic contest in place of the sharp threshold].
    """
    return 1.0 / (1.0 + math.exp(-(share - 0.5) / softness))


def policy_distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Euclidean distance between two policy positions, scaled to [0, 1]."""
    return math.hypot(a[0] - b[0], a[1] - b[1]) / MAX_POLICY_DISTANCE


def coalition_centre(members: Sequence[int], powers: Sequence[float],
                     positions: Sequence[Sequence[float]], exclude: int = -1
                     ) -> tuple[float, float]:
    """Power-weighted mean policy position of a coalition (its line), leaving out
    ``exclude``; the plain mean when the members have no power."""
    total = x = y = 0.0
    count = 0
    for j in members:
        if j == exclude:
            continue
        w = float(powers[j])
        pos = positions[j]
        total += w
        x += w * pos[0]
        y += w * pos[1]
        count += 1
    if total > 0:
        return x / total, y / total
    if count == 0:
        raise ValueError("coalition_centre: no members")
    xs = [positions[j] for j in members if j != exclude]
    return sum(p[0] for p in xs) / count, sum(p[1] for p in xs) / count


def share_of_spoils(i: int, members: Sequence[int], powers: np.ndarray,
                    total: float | None = None) -> float:
    """A member's payoff share in a ruling coalition: his power over the coalition's power.

    ``total`` (the coalition's power) may be passed when already known. Acemoglu, Egorov &
    Sonin [AES2008]: within the ruling coalition, payoffs are
    proportional to power. This makes the strongest player an unattractive partner ("the
    strongest player is often excluded") and surplus partners a cost (minimum winning
    coalitions [Riker1962; Gamson1961]).
    """
    if total is None:
        total = float(sum(powers[j] for j in members))
    return float(powers[i]) / total if total > 0 else 0.0


def policy_cost(i: int, members: Sequence[int], powers: np.ndarray, positions: np.ndarray):
    """Distance from a leader to the line of a coalition he would belong to.

    Policy affinity: alliances cost more across a policy gap. Stalin's "socialism in one
    country ... distanced Stalin from the left and won support from Bukharin and the party's
    right wing" [seed].
    """
    if all(j == i for j in members):
        return 0.0
    return policy_distance(positions[i], coalition_centre(members, powers, positions, i))


def grudge_cost(i: int, members: Sequence[int], animosity: np.ndarray) -> float:
    """The strongest animosity a leader bears toward any partner in the coalition.

    Personal enmities predate 1922 and bar some alliances until a common threat wears them
    down: Zinoviev and Kamenev "made amends with Trotsky" only in 1926 [seed].
    """
    row = animosity[i]
    return max((float(row[j]) for j in members if j != i), default=0.0)


def tie_bonus(i: int, members: Sequence[int], ties: np.ndarray) -> float:
    """Positive ties: the strongest tie of friendship or patronage toward a partner, the
    mirror of :func:`grudge_cost`. Clients follow their patrons [Daniels1957]; ties stated
    in a scenario draw leaders together: Zinoviev and Kamenev, who stood together against
    the insurrection in October 1917, went into opposition together in 1925 [seed]."""
    return max((ties[i, j] for j in members if j != i), default=0.0)


def apprehension(i: int, members: Sequence[int], powers: np.ndarray, threshold: float,
                 total: float | None = None) -> float:
    """How far the strongest partner's share of the coalition exceeds ``threshold``.

    Apprehension: a partner who grows too strong inside the coalition drives the others out.
    ``total`` (the coalition's power) may be passed when already known.
    Zinoviev and Kamenev "became apprehensive about Stalin's growing power and gradually
    moved toward opposition" [seed].
    """
    others = [float(powers[j]) for j in members if j != i]
    if not others:
        return 0.0
    if total is None:
        total = float(sum(powers[j] for j in members))
    if total <= 0:
        return 0.0
    return max(0.0, max(others) / total - threshold)


def successor_threat(i: int, members: Sequence[int], powers: np.ndarray, feared: int) -> float:
    """The feared aspirant's share of all power, if he is a partner in the coalition.

    Balance against the strongest: "the elimination of Trotsky, who in the general view was
    the likely successor to the post of the supreme leader, had become the main
    preoccupation of Lenin's three lieutenants" [seed]; in AES [AES2008] the strongest
    player is often excluded from the ruling coalition. The feared one is the presumed
    successor (:meth:`SuccessionModel.strongest_aspirant`), not simply the strongest.
    """
    if feared < 0 or feared == i or feared not in members:
        return 0.0
    total = float(sum(powers))
    return float(powers[feared]) / total if total > 0 else 0.0


def exposure(own_power: float, rival_power: float, rival_win: float) -> float:
    """Danger of being outside the ruling coalition, facing the strongest rival bloc.

    Balance of threat [Walt1987]: the likelier the rival bloc is to rule (``rival_win``)
    and the weaker one's own bloc against it, the more one is exposed to its sanctions;
    joining forces shrinks the exposure, which is why "Two former adversaries ... joined
    forces in 1926 to oppose Stalin's leadership" [seed].
    """
    if rival_power <= 0:
        return 0.0
    return rival_win * rival_power / (rival_power + own_power)
