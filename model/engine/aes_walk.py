"""Compiled loops of the AES solver (:mod:`model.engine.aes`), with numba.

Imported on the solver's first use only (numba takes a few tenths of a second to import);
compiled functions are cached on disk (``cache=True``), so a process compiles them once
per installation. Masks encode coalitions as in :mod:`model.engine.aes`.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def power_sums(powers: np.ndarray, gamma: np.ndarray) -> None:
    """Fill ``gamma[mask]`` with the power of every coalition: masks in ``[2^i, 2^(i+1))``
    have ``i`` as their highest bit, so ``gamma(m + 2^i) = gamma(m) + powers[i]`` (each sum
    accumulated in ascending index order)."""
    for i in range(powers.shape[0]):
        lo = 1 << i
        p = powers[i]
        for m in range(lo):
            gamma[lo + m] = gamma[m] + p


@njit(cache=True, nogil=True)
def walk(alpha: float, tol: float, gamma: np.ndarray, best: np.ndarray, se: np.ndarray,
         start: int) -> int:
    """Self-enforcement of masks ``start, start + 1, ...`` in increasing order (every proper
    subset of a mask is a smaller number, so it is settled before the mask).

    ``best[X]`` is the largest power of a self-enforcing subset of ``X``; it is monotone in
    ``X``, so the largest proper one, ``M[X]``, is the maximum of ``best`` over ``X`` less
    one member. With ``h`` the highest member and ``R = X - h``, that is ``best[R]`` or
    ``best[X - j]`` for ``j`` in ``R``. ``X`` is SE iff ``M[X] <= alpha * gamma[X]``.

    Returns the first mask whose comparison lies within ``tol * gamma[X]`` (to be settled
    exactly by the caller, who then resumes at the next mask), or -1 when all are done.
    """
    size = gamma.shape[0]
    h = 1
    while h * 2 <= start:
        h *= 2
    for x in range(start, size):
        if x == 2 * h:
            h = x
        r = x - h
        m = best[r]
        rest = r
        while rest:
            b = rest & (-rest)
            v = best[x ^ b]
            if v > m:
                m = v
            rest ^= b
        g = gamma[x]
        d = m - alpha * g
        if tol > 0.0 and abs(d) <= tol * g:
            return x
        if d <= 0.0:
            se[x] = True
            best[x] = g
        else:
            best[x] = m
    return -1


@njit(cache=True, nogil=True)
def near_subsets(x: int, gamma: np.ndarray, se: np.ndarray, low: float) -> np.ndarray:
    """Proper, non-empty, self-enforcing subsets of ``x`` with power at least ``low``."""
    count = 0
    z = (x - 1) & x
    while z:
        if se[z] and gamma[z] >= low:
            count += 1
        z = (z - 1) & x
    out = np.empty(count, dtype=np.int64)
    k = 0
    z = (x - 1) & x
    while z:
        if se[z] and gamma[z] >= low:
            out[k] = z
            k += 1
        z = (z - 1) & x
    return out


@njit(cache=True, nogil=True)
def winners(gamma: np.ndarray, se: np.ndarray, threshold: float, margin: float):
    """Among the self-enforcing masks: the least power of those surely winning
    (``gamma > threshold + margin``; ``inf`` if none), and the masks within ``margin`` of
    the threshold, whose winning is for the caller to settle exactly."""
    low = np.inf
    count = 0
    for y in range(1, gamma.shape[0]):
        if se[y]:
            d = gamma[y] - threshold
            if d > margin:
                if gamma[y] < low:
                    low = gamma[y]
            elif d >= -margin:
                count += 1
    unsure = np.empty(count, dtype=np.int64)
    k = 0
    for y in range(1, gamma.shape[0] if count else 0):
        if se[y]:
            d = gamma[y] - threshold
            if -margin <= d <= margin:
                unsure[k] = y
                k += 1
    return low, unsure


@njit(cache=True, nogil=True)
def surely_winning_upto(gamma: np.ndarray, se: np.ndarray, threshold: float, margin: float,
                        upto: float) -> np.ndarray:
    """Self-enforcing masks surely winning (as in :func:`winners`) with power <= ``upto``."""
    out = np.empty(8, dtype=np.int64)
    k = 0
    for y in range(1, gamma.shape[0]):
        if se[y] and gamma[y] - threshold > margin and gamma[y] <= upto:
            if k == out.shape[0]:
                grown = np.empty(2 * k, dtype=np.int64)
                grown[:k] = out
                out = grown
            out[k] = y
            k += 1
    return out[:k]
