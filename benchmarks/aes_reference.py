"""The AES solver as it was before it became exact (troika commit ee92014): float64
comparisons, one numpy-vectorised layer of masks per popcount. Kept only as the reference
path that ``ratios.py`` times the compiled exact solver against; near-ties can come out
differently (that is why it was replaced)."""

from __future__ import annotations

import numpy as np


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
    arr = np.asarray(powers, dtype=np.float64)
    a = float(alpha)
    gamma, se = _solve(arr, a)
    # N itself is winning within N (alpha < 1), and either N is SE or some proper SE subset
    # is winning within N, so the candidate set is never empty.
    candidates = np.flatnonzero(se & (gamma > a * gamma[-1]))
    # argmin returns the first minimiser and candidates are ascending: smallest-mask tie-break.
    return int(candidates[np.argmin(gamma[candidates])])
