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

``best`` of a mask depends only on masks with one fewer element, so masks are processed
layer by layer in order of popcount, each layer fully vectorised with numpy.

All comparisons are done in float64 exactly as written above; nothing is rounded or
toleranced, so exact ties (e.g. integer powers with ``alpha = 1/2``) follow the strict
"winning" inequality of the definition.
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


def _power_sums(arr: np.ndarray) -> np.ndarray:
    """Unchecked core of :func:`power_sums` (``arr`` already validated)."""
    n = arr.shape[0]
    g = np.zeros(1 << n, dtype=np.float64)
    # Masks in [2^i, 2^(i+1)) have i as their highest bit: gamma(m + 2^i) = gamma(m) + g_i.
    # Hence gamma(X) is accumulated in ascending index order, 0.0 + g_i1 + g_i2 + ...
    for i in range(n):
        lo = 1 << i
        np.add(g[:lo], arr[i], out=g[lo : 2 * lo])
    return g


def _popcounts(n: int) -> np.ndarray:
    """Number of set bits of every mask in ``[0, 2^n)`` (numpy>=1.26 compatible)."""
    pc = np.zeros(1 << n, dtype=np.uint8)
    for i in range(n):
        lo = 1 << i
        np.add(pc[:lo], 1, out=pc[lo : 2 * lo])
    return pc


def _solve(arr: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(gamma, se)`` for all masks; inputs already validated."""
    n = arr.shape[0]
    size = 1 << n
    gamma = _power_sums(arr)
    pc = _popcounts(n)
    # Masks grouped by popcount; a stable sort keeps each layer in increasing order.
    order = np.argsort(pc, kind="stable").astype(np.int64)
    bounds = np.searchsorted(pc[order], np.arange(n + 2))

    best = np.zeros(size, dtype=np.float64)
    se = np.zeros(size, dtype=bool)
    bits = [np.int64(1 << i) for i in range(n)]
    for k in range(1, n + 1):
        layer = order[bounds[k] : bounds[k + 1]]
        # M[X] = max_i best[X & ~2^i].  For i not in X this reads best[X] itself, which is
        # still 0 (layer k is not filled yet) and so never raises the maximum.
        m = np.zeros(layer.shape[0], dtype=np.float64)
        for b in bits:
            np.maximum(m, best[layer & ~b], out=m)
        g = gamma[layer]
        # Singletons: M = best[empty] = 0 <= alpha * gamma_i, so they come out SE as required.
        ok = m <= alpha * g
        se[layer] = ok
        best[layer] = np.where(ok, g, m)
    return gamma, se


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
    a = _validate_alpha(alpha)
    gamma, se = _solve(arr, a)
    # N itself is winning within N (alpha < 1), and either N is SE or some proper SE subset
    # is winning within N, so the candidate set is never empty.
    candidates = np.flatnonzero(se & (gamma > a * gamma[-1]))
    # argmin returns the first minimiser and candidates are ascending: smallest-mask tie-break.
    return int(candidates[np.argmin(gamma[candidates])])


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
