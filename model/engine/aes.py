"""Exact ruling-coalition solver for Acemoglu, Egorov and Sonin (2008).

Reference: D. Acemoglu, G. Egorov and K. Sonin, "Coalition Formation in
Non-Democracies", *Review of Economic Studies* 75(4):987-1009 (2008), hereafter AES.

Coalitions are subsets of the players ``0..n-1`` encoded as integer bitmasks: bit ``i``
of a mask is set iff player ``i`` belongs to the coalition.

Definitions implemented (AES, Section 2):

* Each player ``i`` has power ``gamma_i > 0``; the power of a coalition is
  ``gamma(X) = sum_{i in X} gamma_i``.
* For ``alpha in [1/2, 1)`` (``alpha = 1/2`` is simple majority), ``Y ⊆ X`` is *winning
  within* ``X`` iff ``gamma(Y) > alpha * gamma(X)`` (strict inequality).
* Singletons are self-enforcing.  A coalition ``X`` is *self-enforcing* iff no proper
  subset ``Z ⊂ X`` that is itself self-enforcing is winning within ``X``.
* The *ruling coalition* ``Phi(N)`` is the self-enforcing coalition ``Y ⊆ N`` that is
  winning within ``N`` and has the least total power (AES, Theorem 1).  For generic
  powers it is unique.  Exact ties in power are broken deterministically in favour of
  the **smallest bitmask**.

Algorithm (``O(n * 2^n)`` time, ``O(2^n)`` memory).  Let ``best[X]`` be the largest power
of a self-enforcing subset of ``X`` (``X`` included) and ``M[X] = max_{i in X}
best[X minus i]`` the largest power of a *proper* self-enforcing subset.  Since the
largest proper self-enforcing subset is winning iff any one is,

    SE[X]   <=>  |X| == 1  or  M[X] <= alpha * gamma(X)
    best[X]  =   gamma(X) if SE[X] else M[X].

Every proper subset of a mask is a smaller number, so one compiled pass over the masks in
increasing order (:mod:`model.engine.aes_walk`, numba) settles each after its subsets.

Exact comparisons. The powers are taken as the float64 numbers given, i.e. as exact dyadic
rationals, and every comparison has the answer of exact rational arithmetic, whatever the
order of the players: the walk compares in float64, and any comparison whose two sides
lie within a rigorous bound of the float rounding error (:func:`_tolerance`; zero when
the float sums are exact, e.g. small integer powers) is settled again in integers (the
powers scaled by their common power-of-two denominator). So exact ties follow the strict
"winning" inequality of the definition, and near-ties are never decided by the order in
which float sums were accumulated. The choice among winning self-enforcing coalitions of
least power is made in integers too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "MAX_PLAYERS",
    "indices_to_mask",
    "mask_to_indices",
    "power_sums",
    "ruling_coalition",
    "ruling_coalition_members",
    "self_enforcing",
]

#: Largest number of players accepted (2^24 masks, a few hundred MB of working memory).
MAX_PLAYERS = 24


def _validate_powers(powers: np.ndarray | Sequence[float]) -> np.ndarray:
    """Return ``powers`` as a 1-D float64 array after checking AES's assumptions.

    Raises:
        ValueError: if the array is not 1-D, is empty, has more than ``MAX_PLAYERS``
            entries, or contains a non-finite or non-positive power.
    """
    arr = np.asarray(powers, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"powers must be a 1-D array, got shape {arr.shape}")
    n = arr.shape[0]
    if n == 0:
        raise ValueError("powers must contain at least one player")
    if n > MAX_PLAYERS:
        raise ValueError(
            f"too many players: n={n} > {MAX_PLAYERS} "
            "(the exact solver enumerates all 2^n coalitions)"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError("powers must be finite")
    if np.any(arr <= 0):
        raise ValueError(f"powers must be strictly positive (AES: gamma_i > 0), got {arr}")
    return arr


def _validate_alpha(alpha: float) -> float:
    """Return ``alpha`` as a float after checking ``1/2 <= alpha < 1``.

    Raises:
        ValueError: if ``alpha`` is outside ``[0.5, 1)`` (or NaN).
    """
    a = float(alpha)
    if not (0.5 <= a < 1.0):
        raise ValueError(f"alpha must lie in [0.5, 1) (AES majority rule is 0.5), got {alpha}")
    return a


def _kernels():
    """The compiled walks (numba, compiled on first use and cached on disk)."""
    global _KERNELS
    if _KERNELS is None:
        from model.engine import aes_walk

        _KERNELS = aes_walk
    return _KERNELS


_KERNELS = None


def _power_sums(arr: np.ndarray) -> np.ndarray:
    """Unchecked core of :func:`power_sums` (``arr`` already validated)."""
    gamma = np.zeros(1 << arr.shape[0], dtype=np.float64)
    _kernels().power_sums(arr, gamma)
    return gamma


def _exact(arr: np.ndarray, alpha: float) -> tuple[list[int], int, int]:
    """The powers and ``alpha`` as exact integers: ``(w, a, q)`` with ``w[i] / D`` the exact
    value of ``arr[i]`` for one common denominator ``D``, and ``alpha == a / q``. A float64
    is a dyadic rational, so ``D`` is a power of two and nothing is rounded."""
    ratios = [float(p).as_integer_ratio() for p in arr]
    denom = max(d for _, d in ratios)
    a, q = float(alpha).as_integer_ratio()
    return [num * (denom // d) for num, d in ratios], a, q


def _exact_sum(w: list[int], mask: int) -> int:
    """``D * gamma(mask)`` exactly (see :func:`_exact`)."""
    return sum(w[i] for i in mask_to_indices(mask))


def _tolerance(w: list[int], a: int, n: int) -> float:
    """Relative error bound of the float64 comparisons ``gamma(Z) <= alpha * gamma(X)``
    (0 when they are exact): a comparison whose sides differ by more than
    ``tolerance * gamma(X)`` has the sign of the exact one.

    The subset sums are exact in float64 when the powers, scaled to integers, sum to less
    than 2^53, and ``alpha * gamma`` is exact when ``a * sum`` is too (``alpha = a / 2^k``).
    Otherwise a float sum of at most ``n`` positive terms is within ``n u / (1 - n u)`` of
    the exact one (``u = 2^-53``; Higham, *Accuracy and Stability of Numerical Algorithms*,
    2nd ed. 2002, eq. 4.4), the product adds ``u``, and both sides of a comparison err; the
    bound below is twice the sum of these.
    """
    total = sum(w)
    if total < 2**53 and a * total < 2**53:
        return 0.0
    return 4.0 * (n + 2) * 2.0**-53


def _solve(arr: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(gamma, se)`` for all masks; inputs already validated."""
    return _solve_exact(arr, alpha)[:2]


def _solve_exact(arr: np.ndarray, alpha: float):
    """``(gamma, se, w, a, q, tol)``: the powers and SE flags of all masks, with the exact
    integers of :func:`_exact` and the bound of :func:`_tolerance`.

    The walk runs compiled in float64; a comparison that falls within the error bound (a
    tie or near-tie) stops it and is settled here in exact integers, and the walk resumes
    at the next mask."""
    n = arr.shape[0]
    k = _kernels()
    w, a, q = _exact(arr, alpha)
    tol = _tolerance(w, a, n)
    gamma = _power_sums(arr)
    best = np.zeros(1 << n, dtype=np.float64)
    se = np.zeros(1 << n, dtype=np.bool_)
    start = 1
    while (x := int(k.walk(alpha, tol, gamma, best, se, start))) >= 0:
        # The largest proper SE subset in float, then every SE subset that may beat it
        # exactly; the strongest of them decides, in integers: gamma(Z) <= (a/q) gamma(X).
        m = max(best[x & ~(1 << i)] for i in mask_to_indices(x))
        near = k.near_subsets(x, gamma, se, m - 2.0 * tol * gamma[x])
        strongest = max(_exact_sum(w, int(z)) for z in near)
        ok = strongest * q <= a * _exact_sum(w, x)
        se[x] = ok
        best[x] = gamma[x] if ok else m
        start = x + 1
    return gamma, se, w, a, q, tol


def power_sums(powers: np.ndarray) -> np.ndarray:
    """Power ``gamma(X)`` of every coalition ``X``, indexed by bitmask.

    Implements AES (2008) Section 2: ``gamma(X) = sum_{i in X} gamma_i``.  Computed with the
    highest-bit recurrence ``gamma(m + 2^i) = gamma(m) + gamma_i`` for ``m < 2^i``, one
    vectorised step per player.

    Args:
        powers: 1-D array of ``n`` strictly positive powers ``gamma_i``.

    Returns:
        float64 array of length ``2^n`` whose entry ``mask`` is the total power of the
        players in ``mask`` (entry 0 is 0.0).

    Raises:
        ValueError: if ``powers`` is empty, not 1-D, has more than 24 entries, or contains
            a non-finite or non-positive value.
    """
    return _power_sums(_validate_powers(powers))


def self_enforcing(powers: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """Self-enforcement flag of every coalition, indexed by bitmask.

    Implements the recursive definition of AES (2008), Section 2 / Definition 1: singletons
    are self-enforcing, and ``X`` is self-enforcing iff no proper self-enforcing subset
    ``Z ⊂ X`` is winning within ``X``, i.e. has ``gamma(Z) > alpha * gamma(X)``.

    Args:
        powers: 1-D array of ``n <= 24`` strictly positive powers ``gamma_i``.
        alpha: Winning threshold in ``[1/2, 1)``; ``1/2`` is simple majority.

    Returns:
        Boolean array of length ``2^n``; entry ``mask`` is True iff the coalition ``mask``
        is self-enforcing.  The empty coalition (mask 0) is False.

    Raises:
        ValueError: for invalid ``powers`` (see :func:`power_sums`) or ``alpha`` outside
            ``[0.5, 1)``.
    """
    arr = _validate_powers(powers)
    a = _validate_alpha(alpha)
    return _solve(arr, a)[1]


def ruling_coalition(powers: np.ndarray, alpha: float = 0.5) -> int:
    """Bitmask of the ruling coalition ``Phi(N)`` of the grand coalition ``N``.

    Implements AES (2008), Theorem 1: ``Phi(N)`` is the self-enforcing coalition
    ``Y ⊆ N`` that is winning within ``N`` (``gamma(Y) > alpha * gamma(N)``) and has the
    least power among all such coalitions.  ``N`` is its own ruling coalition iff ``N`` is
    self-enforcing.  Under AES's genericity assumption the minimiser is unique; exact ties
    in power are broken in favour of the smallest bitmask.

    Args:
        powers: 1-D array of ``n <= 24`` strictly positive powers ``gamma_i``.
        alpha: Winning threshold in ``[1/2, 1)``; ``1/2`` is simple majority.

    Returns:
        The bitmask of ``Phi(N)`` (bit ``i`` set iff player ``i`` rules).

    Raises:
        ValueError: for invalid ``powers`` (see :func:`power_sums`) or ``alpha`` outside
            ``[0.5, 1)``.
    """
    arr = _validate_powers(powers)
    alpha = _validate_alpha(alpha)
    gamma, se, w, a, q, tol = _solve_exact(arr, alpha)
    k = _kernels()
    full = gamma.shape[0] - 1
    # Winning within N: gamma(Y) > alpha * gamma(N), decided in floats outside the error
    # bound and in integers within it. N itself is winning (alpha < 1), and either N is SE
    # or some proper SE subset is winning within N, so there is always a candidate.
    threshold = alpha * gamma[full]
    margin = tol * gamma[full]
    low, unsure = k.winners(gamma, se, threshold, margin)
    exact_full = a * _exact_sum(w, full)
    won = [int(y) for y in unsure if _exact_sum(w, int(y)) * q > exact_full]
    low = min([low, *(gamma[y] for y in won)])
    # The least power, exactly; among exact ties the smallest mask.
    upto = low + 2.0 * margin
    close = [*(int(y) for y in k.surely_winning_upto(gamma, se, threshold, margin, upto)),
             *(y for y in won if gamma[y] <= upto)]
    return min(close, key=lambda y: (_exact_sum(w, y), y))


def ruling_coalition_members(
    powers: np.ndarray, alpha: float = 0.5, names: Sequence | None = None
) -> list:
    """Members of the ruling coalition ``Phi(N)`` (AES 2008, Theorem 1).

    See :func:`ruling_coalition` for the definition and tie-breaking rule.

    Args:
        powers: 1-D array of ``n <= 24`` strictly positive powers ``gamma_i``.
        alpha: Winning threshold in ``[1/2, 1)``; ``1/2`` is simple majority.
        names: Optional sequence of ``n`` labels; if given, labels are returned instead of
            indices.

    Returns:
        Ascending player indices of ``Phi(N)``, or the corresponding ``names``.

    Raises:
        ValueError: for invalid ``powers``/``alpha``, or if ``names`` does not have one
            entry per player.
    """
    arr = _validate_powers(powers)
    if names is not None and len(names) != arr.shape[0]:
        raise ValueError(f"names has {len(names)} entries but there are {arr.shape[0]} players")
    idx = mask_to_indices(ruling_coalition(arr, alpha))
    if names is None:
        return idx
    return [names[i] for i in idx]


def mask_to_indices(mask: int) -> list[int]:
    """Player indices contained in a coalition bitmask.

    Args:
        mask: Non-negative integer; bit ``i`` set means player ``i`` is a member.

    Returns:
        Ascending list of member indices (empty for mask 0).

    Raises:
        ValueError: if ``mask`` is negative.
    """
    m = int(mask)
    if m < 0:
        raise ValueError(f"mask must be non-negative, got {mask}")
    out = []
    i = 0
    while m:
        if m & 1:
            out.append(i)
        m >>= 1
        i += 1
    return out


def indices_to_mask(idx: Iterable[int]) -> int:
    """Bitmask of the coalition formed by the given player indices.

    Args:
        idx: Iterable of non-negative player indices (duplicates are harmless).

    Returns:
        Integer with bit ``i`` set for every ``i`` in ``idx``.

    Raises:
        ValueError: if an index is negative.
    """
    mask = 0
    for i in idx:
        j = int(i)
        if j < 0:
            raise ValueError(f"player indices must be non-negative, got {i}")
        mask |= 1 << j
    return mask
