"""Proper scores of an ensemble against the record: CRPS for dated and counted outcomes,
Brier and log scores for yes/no outcomes, and the skill of one forecaster over another.

A hit rate says whether the record falls somewhere the ensemble puts weight; a proper score
also rewards sharpness and punishes confident error, and it cannot be improved by reporting
anything but one's real forecast (Gneiting & Raftery 2007, "Strictly proper scoring rules,
prediction, and estimation", *JASA* 102:359). All scores here are negatively oriented:
smaller is better, 0 is a perfect forecast.

- **CRPS** (continuous ranked probability score; Matheson & Winkler 1976, *Management
  Science* 22:1087; Hersbach 2000, *Weather and Forecasting* 15:559) of an ensemble
  ``x_1..x_n`` against the recorded ``y``, in the energy form of Gneiting & Raftery (2007,
  eq. 21): ``CRPS = E|X - y| - ½ E|X - X'|``, with ``X, X'`` drawn independently from the
  ensemble's empirical distribution. It is in the outcome's own unit (months, votes) and
  reduces to the absolute error ``|x - y|`` for a one-valued ensemble. The double sum is
  computed in ``O(n log n)`` from the sorted ensemble, ``Σ_i Σ_j |x_i - x_j| = 2 Σ_k (2k -
  n - 1) x_(k)`` (k = 1..n). ``fair=True`` gives the "fair" CRPS of Ferro (2014,
  *Q. J. R. Meteorol. Soc.* 140:1917), which divides the spread term by ``n(n-1)`` in place
  of ``n²`` and is unbiased for the CRPS of the distribution the ensemble is drawn from
  (Zamo & Naveau 2018, *Math. Geosci.* 50:209).
- **Never happened.** A dated outcome that does not happen in a run (its measure is NaN) is
  a value beyond the horizon, not a missing value: it is *censored* at ``cap``, by default
  the month after the last simulated month (horizon end + 1 month). The score then counts a
  run that never reaches the event as one that reaches it just after the horizon, the least
  error it can be charged with; a recorded value of NaN ("never happened" in the record)
  is censored the same way. A missing count (an assembly that was not held) counts as 0,
  the convention of :mod:`model.analysis.calibration`.
- **Brier score** (Brier 1950, *Monthly Weather Review* 78:1) of the ensemble's hit rate
  ``p`` against a yes/no record ``o``: ``(p - o)²``; 1 for certainty on the wrong answer.
- **Log score** (Good 1952, *J. R. Stat. Soc. B* 14:107): ``-ln p`` if the record says yes,
  ``-ln(1 - p)`` if no. An ensemble of ``n`` runs cannot tell a probability of 0 from one
  below ``1/n``, and ``-ln 0`` is infinite; the stated floor clips ``p`` to ``[1/(2n), 1 -
  1/(2n)]`` (``floor="clip"``, half a run either way), or replaces it by Jeffreys' estimate
  ``(k + ½)/(n + 1)`` of ``k`` hits (``floor="jeffreys"``).
- **Skill** of a forecaster over a reference (Murphy 1973, *J. Appl. Meteorol.* 12:595):
  ``1 - S_model / S_ref``; 1 is perfect, 0 no better than the reference, negative worse.

Criteria are taken as any objects with ``id``, ``kind`` (``date``, ``count`` or ``share``),
``measure(outcome) -> (value, hit)`` and a recorded value (:func:`recorded_value`); every
criterion states what happened, so its hit is a yes/no outcome that the record answers yes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np

from model.analysis.outcomes import RunOutcome, month_number

FLOORS = ("clip", "jeffreys")


# --------------------------------------------------------------------------------------
# CRPS


def crps_ensemble(samples: Sequence[float], y: float, *, fair: bool = False) -> float:
    """CRPS of an ensemble against the recorded value ``y`` (energy form, ``O(n log n)``).

    ``E|X - y| - ½ E|X - X'|`` over the empirical distribution of ``samples``; with
    ``fair=True`` the spread term is divided by ``n(n-1)`` (Ferro 2014). NaN samples or a NaN
    ``y`` are refused: censor them first (:func:`censor`).
    """
    x = np.sort(np.asarray(samples, dtype=float).ravel())
    n = x.size
    if n == 0:
        raise ValueError("crps_ensemble: no samples")
    if np.isnan(x).any() or math.isnan(y):
        raise ValueError("crps_ensemble: NaN value; censor 'never' first")
    error = float(np.mean(np.abs(x - y)))
    if n == 1:
        return error
    k = np.arange(1, n + 1)
    pair_sum = 2.0 * float(np.dot(2 * k - n - 1, x))  # Σ_i Σ_j |x_i - x_j|
    spread = pair_sum / (n * (n - 1) if fair else n * n)
    return error - 0.5 * spread


def censor(values: Sequence[float], cap: float) -> np.ndarray:
    """Values with NaN ("never happened") replaced by ``cap`` (a value beyond the horizon)."""
    v = np.asarray(values, dtype=float)
    return np.where(np.isnan(v), float(cap), v)


def horizon_cap(outcomes: Sequence[RunOutcome], months_after: int = 1) -> float:
    """The default censoring value of a dated outcome: ``months_after`` months after the last
    simulated month (the latest over the runs)."""
    return max(month_number(o.months[-1]) for o in outcomes) + months_after


# --------------------------------------------------------------------------------------
# yes/no outcomes


def _probability(p: float, n: int | None, floor: str) -> float:
    if floor not in FLOORS:
        raise ValueError(f"floor: {floor!r} is not one of {', '.join(FLOORS)}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability must lie in [0, 1], got {p}")
    if n is None:
        return p
    if floor == "jeffreys":
        return (p * n + 0.5) / (n + 1)
    lo = 1.0 / (2 * n)
    return min(max(p, lo), 1.0 - lo)


def brier(p: float, happened: bool) -> float:
    """Brier score ``(p - o)²`` of the probability ``p`` for a yes/no outcome."""
    _probability(p, None, "clip")
    return (p - float(bool(happened))) ** 2


def log_score(p: float, happened: bool, n: int | None = None, floor: str = "clip") -> float:
    """Log score ``-ln P(what happened)``. ``n`` is the ensemble size behind ``p``: with it,
    ``p`` is clipped to ``[1/(2n), 1 - 1/(2n)]`` (``floor="clip"``) or Jeffreys-smoothed to
    ``(k + ½)/(n + 1)`` (``floor="jeffreys"``); without it ``p`` is used as given (and a
    certain miss scores ``inf``)."""
    q = _probability(p, n, floor)
    q = q if happened else 1.0 - q
    return math.inf if q <= 0.0 else -math.log(q)


def skill(model: float, reference: float) -> float:
    """Skill ``1 - S_model / S_ref`` of negatively oriented scores; NaN when the reference
    is perfect (``S_ref = 0``) and so admits no improvement."""
    if reference == 0:
        return math.nan if model == 0 else -math.inf
    return 1.0 - model / reference


# --------------------------------------------------------------------------------------
# criteria


_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_RANGE = re.compile(r"^(\d{4}(?:-\d{2})?)\s*(?:\.\.|–|—)\s*(\d{4}(?:-\d{2})?)$")


def _date_bounds(text: str) -> tuple[float, float]:
    if _MONTH.match(text):
        m = month_number(text)
        return m, m
    return month_number(f"{text}-01"), month_number(f"{text}-12")


def recorded_bounds(text: str) -> tuple[float, float] | None:
    """The first and last month numbers of a recorded date written as text (``YYYY-MM``, a
    year ``YYYY`` or a range ``A..B``); None for anything else (an open range, a count)."""
    t = str(text).strip()
    if _MONTH.match(t) or _YEAR.match(t):
        return _date_bounds(t)
    m = _RANGE.match(t)
    if m:
        return _date_bounds(m.group(1))[0], _date_bounds(m.group(2))[1]
    return None


def parse_recorded(text: str, kind: str) -> float:
    """A recorded value written as text, on the scale of the criterion's measure.

    Dates: ``YYYY-MM`` is that month's number; a year ``YYYY`` or a range ``A..B`` stands for
    its middle (as the calibration's targets do). Counts: the number. ``yes``/``no``: 1/0.
    Anything else (an open range such as ``1925–``) raises ValueError.
    """
    t = str(text).strip()
    low = t.lower()
    if low in ("yes", "no"):
        return 1.0 if low == "yes" else 0.0
    if kind == "date":
        if _MONTH.match(t) or _YEAR.match(t):
            a, b = _date_bounds(t)
            return (a + b) / 2
        m = _RANGE.match(t)
        if m:
            return (_date_bounds(m.group(1))[0] + _date_bounds(m.group(2))[1]) / 2
        raise ValueError(f"cannot read {t!r} as a recorded date")
    try:
        return float(t)
    except ValueError:
        raise ValueError(f"cannot read {t!r} as a recorded {kind}") from None


def recorded_value(criterion, recorded: Mapping[str, float] | None = None) -> float | None:
    """The recorded value of a criterion: ``recorded[criterion.id]`` if given, else its
    ``truth`` attribute if it has one, else its ``recorded`` text read by
    :func:`parse_recorded`; None when it has no number (a share, an open range)."""
    if recorded is not None and criterion.id in recorded:
        return float(recorded[criterion.id])
    truth = getattr(criterion, "truth", None)
    if truth is not None:
        return float(truth)
    if criterion.kind == "share":
        return None
    try:
        return parse_recorded(getattr(criterion, "recorded", ""), criterion.kind)
    except ValueError:
        return None


def score_criteria(outcomes: Sequence[RunOutcome], criteria: Sequence, *,
                   recorded: Mapping[str, float] | None = None, cap: float | None = None,
                   floor: str = "clip", fair: bool = False) -> list[dict]:
    """Proper scores of an ensemble on each criterion.

    Every criterion's hit is a yes/no outcome that happened: ``brier`` and ``log`` score the
    hit rate against yes. A ``date`` or ``count`` criterion with a recorded value
    (:func:`recorded_value`) is also scored by ``crps`` of its measured values (dates in
    months, "never" censored at ``cap``, by default :func:`horizon_cap`; missing counts as
    0). Rows: ``id, kind, recorded, n, hit_rate, brier, log, crps`` (``crps`` None where
    there is no numeric record).
    """
    if not outcomes:
        raise ValueError("score_criteria: no outcomes")
    cap = horizon_cap(outcomes) if cap is None else float(cap)
    n = len(outcomes)
    rows = []
    for c in criteria:
        measured = [c.measure(o) for o in outcomes]
        values = np.array([v for v, _ in measured], dtype=float)
        p = float(np.mean([bool(h) for _, h in measured]))
        truth = recorded_value(c, recorded) if c.kind in ("date", "count") else None
        crps = None
        if truth is not None:
            if c.kind == "date":
                crps = crps_ensemble(censor(values, cap), cap if math.isnan(truth) else truth,
                                     fair=fair)
            else:
                crps = crps_ensemble(censor(values, 0.0), truth, fair=fair)
        rows.append({"id": c.id, "kind": c.kind, "recorded": truth, "n": n,
                     "hit_rate": round(p, 4), "brier": brier(p, True),
                     "log": log_score(p, True, n, floor), "crps": crps})
    return rows


SCORES = ("brier", "log", "crps")


def skill_rows(model: Sequence[dict], reference: Sequence[dict]) -> list[dict]:
    """Skill of the model over a reference, per criterion and score (rows of
    :func:`score_criteria` for the same criteria): ``id`` and ``<score>_skill``."""
    ref = {r["id"]: r for r in reference}
    out = []
    for r in model:
        b = ref.get(r["id"])
        if b is None:
            raise ValueError(f"reference has no row for criterion {r['id']!r}")
        row = {"id": r["id"]}
        for s in SCORES:
            ok = r[s] is not None and b[s] is not None
            row[f"{s}_skill"] = skill(r[s], b[s]) if ok else None
        out.append(row)
    return out


def mean_scores(rows: Sequence[dict]) -> dict[str, float | None]:
    """Mean of each score over the criteria that have it (None if none has)."""
    out: dict[str, float | None] = {}
    for s in SCORES:
        vals = [r[s] for r in rows if r[s] is not None]
        out[s] = float(np.mean(vals)) if vals else None
    return out
