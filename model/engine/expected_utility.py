"""Bueno de Mesquita's expected-utility model of challenges, as pure functions.

The model (Bueno de Mesquita 1985, "The war trap revisited", *APSR* 79:156; 1994,
"Political forecasting: an expected utility method", in *European Community Decision
Making*, Yale UP; 1997, "A decision making model: its structure and form", *International
Interactions* 23:235) in the form made explicit by Scholz, Calbert & Smith (2011,
"Unravelling Bueno De Mesquita's group decision model", *J. Theoretical Politics* 23:510)
and re-implemented in Python by D. Masad (2014, github.com/dmasad/BDM_DecisionModel_Replication,
``GroupDecisionModel.py``). Actors ``i = 0..n-1`` have a capability ``c_i >= 0``, a position
``x_i`` on one issue scaled to [0, 1] (``principal_projection`` reduces a two-dimensional
policy space to one), and a salience ``s_i`` in [0, 1], the weight the issue has for them
and the probability that they resist a challenge.

- The **median voter position** ``mu`` (Black 1948) is the position that beats every other
  in pairwise votes in which each actor casts ``c_k s_k`` for the nearer one: in one
  dimension, the ``c·s``-weighted median of the positions (:func:`weighted_median`).
- The **probability that i prevails over j** (Scholz et al. eq. 3):
  ``P_ij = sum_k max(v_k, 0) / sum_k |v_k|``, ``v_k = c_k s_k (|x_k - x_j| - |x_k - x_i|)``,
  all actors' votes included, so that ``P_ij + P_ji = 1`` (½ between equal positions).
- The **utilities** of ``i`` against ``j`` with ``i``'s risk exponent ``r_i`` (Scholz et al.
  eqs. 4-8; ``d = |x_i - x_j|`` over the scale's span): success ``U_s = 2 - 4 (½ - ½d)^r``,
  failure ``U_f = 2 - 4 (½ + ½d)^r``, status quo ``U_sq = 2 - 4 (½)^r``, and the status quo
  moving toward or away from ``i`` ``U_b``, ``U_w`` with ``¼(|x_i - mu| + d)`` in place of
  ``½d``.
- The **expected utility of i challenging j** (Scholz et al. eq. 9)
  ``EU_ij = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq - (1 - Q)(T U_b +
  (1 - T) U_w)``: if ``j`` resists (probability ``s_j``) there is a contest, else ``i`` gets
  its way; against that, the status quo, which persists with probability ``Q`` (``Q = 1``
  and ``T = 1`` by default, as in Masad's replication).
- **Risk** (Scholz et al. eqs. 10-11): ``R_i = (2 D_i - max D - min D) / (max D - min D)``
  with ``D_i = sum_j EU_ji`` the danger ``i``'s position draws, and ``r_i = (1 - R_i/3) /
  (1 + R_i/3)`` in [½, 2]; ``risk="endogenous"`` computes it from ``r = 1`` first, as they do.
- **A round of challenges** (:func:`challenge_round`; BDM 1994's offers as in Scholz et al.
  sec. 3 and Masad): ``i`` challenges ``j`` when ``EU_ij > 0``. Seen from the target ``j``
  of a challenge by ``i``: if ``j`` would also challenge but expects less (``0 < EU_ji <
  EU_ij``) it loses the confrontation and moves to ``x_i``; if ``j`` expects a loss smaller
  than ``i``'s gain (``EU_ji < 0``, ``|EU_ji| < EU_ij``) it compromises, moving ``|EU_ji /
  EU_ij|`` of the way to ``x_i``; if its loss is at least ``i``'s gain it capitulates to
  ``x_i``. Each actor takes, of the offers it receives, the one that moves it least (BDM
  1994, Scholz et al.); all move at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RULES = ("no_confrontation", "no_challenge")


def _arrays(capability, positions, salience) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = np.asarray(capability, dtype=float)
    x = np.asarray(positions, dtype=float)
    s = np.asarray(salience, dtype=float)
    if not (c.shape == x.shape == s.shape) or c.ndim != 1:
        raise ValueError("capability, positions and salience must be vectors of one length")
    if np.any(c < 0) or np.any((s < 0) | (s > 1)):
        raise ValueError("capability must be >= 0 and salience in [0, 1]")
    return c, x, s


def weighted_median(positions: Sequence[float], weights: Sequence[float]) -> float:
    """The weighted median: the position at which the weight of the positions at or below
    it first reaches half the total, or, when the weight splits exactly in half between two
    positions, the point midway between them (Black's median voter: it beats or ties every
    other position in a pairwise vote). Raises ValueError when the weights sum to 0."""
    x = np.asarray(positions, dtype=float)
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if total <= 0:
        raise ValueError("weighted_median: the weights sum to 0")
    order = np.argsort(x, kind="stable")
    xs, cum = x[order], np.cumsum(w[order])
    half = 0.5 * total
    k = int(np.searchsorted(cum, half * (1 - 1e-12)))
    if abs(cum[k] - half) <= 1e-12 * total and k + 1 < xs.size:
        nxt = k + 1 + int(np.searchsorted(cum[k + 1:], cum[k] * (1 + 1e-12), side="left"))
        return float((xs[k] + xs[min(nxt, xs.size - 1)]) / 2)
    return float(xs[k])


def median_position(capability, positions, salience) -> float:
    """The median voter position, votes weighted by capability times salience."""
    c, x, s = _arrays(capability, positions, salience)
    return weighted_median(x, c * s)


def pairwise_votes(capability, positions, salience) -> np.ndarray:
    """``V[i, j] = sum_k c_k s_k (|x_k - x_j| - |x_k - x_i|)``: the net vote for ``x_i`` over
    ``x_j``."""
    c, x, s = _arrays(capability, positions, salience)
    dist = np.abs(x[:, None] - x[None, :])  # dist[k, i] = |x_k - x_i|
    w = c * s
    return np.einsum("k,kij->ij", w, dist[:, None, :] - dist[:, :, None])


def success_probability(capability, positions, salience) -> np.ndarray:
    """``P[i, j]``: the probability that ``i`` prevails over ``j`` in a contest (½ when they
    stand together or nobody has a vote; 0 on the diagonal)."""
    c, x, s = _arrays(capability, positions, salience)
    dist = np.abs(x[:, None] - x[None, :])
    v = (c * s)[:, None, None] * (dist[:, None, :] - dist[:, :, None])  # v[k, i, j]
    top = np.clip(v, 0, None).sum(axis=0)
    bottom = np.abs(v).sum(axis=0)
    p = np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), 0.5)
    np.fill_diagonal(p, 0.0)
    return p


def utilities(positions, mu: float, r, span: float = 1.0) -> dict[str, np.ndarray]:
    """``U_s, U_f, U_b, U_w`` as ``(n, n)`` arrays (``i`` against ``j``) and ``U_sq`` as an
    ``(n,)`` array, with risk exponents ``r`` (a number or one per actor)."""
    x = np.asarray(positions, dtype=float)
    n = x.size
    r = np.broadcast_to(np.asarray(r, dtype=float), (n,))[:, None]
    d = np.abs(x[:, None] - x[None, :]) / span
    m = np.abs(x - mu)[:, None] / span
    return {
        "Us": 2 - 4 * (0.5 - 0.5 * d) ** r,
        "Uf": 2 - 4 * (0.5 + 0.5 * d) ** r,
        "Ub": 2 - 4 * np.clip(0.5 - 0.25 * (m + d), 0, None) ** r,
        "Uw": 2 - 4 * (0.5 + 0.25 * (m + d)) ** r,
        "Usq": 2 - 4 * 0.5 ** r[:, 0],
    }


def expected_utility(capability, positions, salience, r=1.0, *, Q: float = 1.0,
                     T: float = 1.0, span: float = 1.0) -> np.ndarray:
    """``EU[i, j]``: ``i``'s expected utility of challenging ``j`` (0 on the diagonal: an
    actor does not challenge itself)."""
    c, x, s = _arrays(capability, positions, salience)
    mu = weighted_median(x, c * s)
    p = success_probability(c, x, s)
    u = utilities(x, mu, r, span)
    sj = s[None, :]
    eu = (sj * (p * u["Us"] + (1 - p) * u["Uf"]) + (1 - sj) * u["Us"]
          - Q * u["Usq"][:, None] - (1 - Q) * (T * u["Ub"] + (1 - T) * u["Uw"]))
    np.fill_diagonal(eu, 0.0)
    return eu


def risk_exponents(eu: np.ndarray) -> np.ndarray:
    """Risk exponents from the danger ``D_i = sum_j EU[j, i]`` each actor's position draws:
    ``R_i`` scales ``D_i`` to [-1, 1] over the actors, ``r_i = (1 - R_i/3) / (1 + R_i/3)``
    (1 for everyone when all dangers are equal)."""
    danger = np.asarray(eu, dtype=float).sum(axis=0)
    hi, lo = danger.max(), danger.min()
    if hi == lo:
        return np.ones_like(danger)
    big_r = (2 * danger - hi - lo) / (hi - lo)
    return (1 - big_r / 3) / (1 + big_r / 3)


def expected_utility_with_risk(capability, positions, salience, risk="endogenous", *,
                               Q: float = 1.0, T: float = 1.0, span: float = 1.0
                               ) -> np.ndarray:
    """``EU`` with risk exponents ``risk`` (a number, one per actor, or ``"endogenous"``:
    computed by :func:`risk_exponents` from the ``EU`` at ``r = 1``)."""
    if isinstance(risk, str):
        if risk != "endogenous":
            raise ValueError(f"risk: {risk!r} is neither a number nor 'endogenous'")
        base = expected_utility(capability, positions, salience, 1.0, Q=Q, T=T, span=span)
        risk = risk_exponents(base)
    return expected_utility(capability, positions, salience, risk, Q=Q, T=T, span=span)


def challenge_round(capability, positions, salience, risk=1.0, *, Q: float = 1.0,
                    T: float = 1.0, span: float = 1.0) -> np.ndarray:
    """The positions after one round of challenges and offers (see the module docstring);
    an actor that receives no offer stays where it is."""
    c, x, s = _arrays(capability, positions, salience)
    eu = expected_utility_with_risk(c, x, s, risk, Q=Q, T=T, span=span)
    new = x.copy()
    for j in range(x.size):
        best = None
        for i in range(x.size):
            if i == j or eu[i, j] <= 0 or x[i] == x[j]:
                continue
            mine, theirs = eu[j, i], eu[i, j]
            if 0 < mine < theirs:  # j loses the confrontation
                target = x[i]
            elif mine <= 0 and abs(mine) < theirs:  # compromise
                target = x[j] + (x[i] - x[j]) * abs(mine / theirs)
            elif mine <= 0:  # capitulation
                target = x[i]
            else:  # j expects more from the fight than i: it does not yield
                continue
            move = abs(target - x[j])
            if best is None or move < best[0]:
                best = (move, target)
        if best is not None:
            new[j] = best[1]
    return new


def run_rounds(capability, positions, salience, rounds: int, risk=1.0, **kw) -> np.ndarray:
    """Positions at the start and after each of ``rounds`` rounds, ``(rounds + 1, n)``."""
    x = np.asarray(positions, dtype=float)
    out = [x]
    for _ in range(rounds):
        x = challenge_round(capability, x, salience, risk, **kw)
        out.append(x)
    return np.array(out)


def eu_coalitions(capability, positions, salience, risk=1.0, *, rule: str = "no_confrontation",
                  Q: float = 1.0, T: float = 1.0, span: float = 1.0) -> list[list[int]]:
    """Blocs of actors by the expected-utility calculus: a baseline coalition rule.

    Two actors can share a bloc when they stand on the same side of the median voter
    position (an actor at the median on either side) and
    - ``rule="no_confrontation"`` (default): they are not in BDM's confrontation quadrant,
      i.e. not both expecting to gain from challenging the other. Where one expects to gain
      and the other to lose, the weaker yields to the stronger (compromise or capitulation),
      which is following it, not fighting it;
    - ``rule="no_challenge"``: neither would challenge the other at all (both ``EU <= 0``).
      Because ``P_ij + P_ji = 1``, one of two actors almost always expects a gain, so this
      stricter rule leaves most actors alone unless risk aversion is endogenous.

    Blocs are built greedily, actors in order of decreasing ``c·s`` (then index): each joins
    the first bloc all of whose members it can share a bloc with, or founds a new one.
    Returns the blocs as sorted lists of indices, in order of their founders.
    """
    if rule not in RULES:
        raise ValueError(f"rule: {rule!r} is not one of {', '.join(RULES)}")
    c, x, s = _arrays(capability, positions, salience)
    eu = expected_utility_with_risk(c, x, s, risk, Q=Q, T=T, span=span)
    mu = weighted_median(x, c * s)
    side = np.sign(np.round(x - mu, 12))
    if rule == "no_confrontation":
        hostile = (eu > 0) & (eu.T > 0)
    else:
        hostile = (eu > 0) | (eu.T > 0)
    ok = ~hostile & ((side[:, None] == side[None, :]) | (side[:, None] == 0)
                     | (side[None, :] == 0))
    order = sorted(range(x.size), key=lambda i: (-c[i] * s[i], i))
    blocs: list[list[int]] = []
    for i in order:
        for bloc in blocs:
            if all(ok[i, j] for j in bloc):
                bloc.append(i)
                break
        else:
            blocs.append([i])
    return [sorted(b) for b in blocs]


def principal_projection(points, weights=None) -> np.ndarray:
    """Positions in a plane (``(n, 2)``, e.g. economy and world) projected on their
    weighted first principal axis and rescaled to [0, 1]; the axis is oriented so that the
    projection increases with the first coordinate (with the second if the axis is
    perpendicular to it). All points equal: all 0.5."""
    p = np.asarray(points, dtype=float)
    w = np.ones(len(p)) if weights is None else np.asarray(weights, dtype=float)
    if w.sum() <= 0:
        w = np.ones(len(p))
    w = w / w.sum()
    centred = p - w @ p
    cov = (centred * w[:, None]).T @ centred
    vals, vecs = np.linalg.eigh(cov)
    axis = vecs[:, int(np.argmax(vals))]
    lead = axis[0] if abs(axis[0]) > 1e-12 else axis[1]
    if lead < 0:
        axis = -axis
    t = centred @ axis
    lo, hi = t.min(), t.max()
    if hi - lo <= 1e-12:
        return np.full(len(p), 0.5)
    return (t - lo) / (hi - lo)
