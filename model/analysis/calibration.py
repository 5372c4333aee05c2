"""Calibration of the free parameters against the record by approximate Bayesian computation.

The method is ABC-SMC, sequential Monte Carlo ABC (Toni et al. 2009, *J. R. Soc. Interface*
6:187), with the adaptive kernel of Beaumont et al. (2009, *Biometrika* 96:983): a population
of parameter vectors ("particles") is carried through generations; generation 0 samples the
prior (:data:`PRIORS`); each later generation proposes particles by resampling the previous
one by weight and perturbing them with a Gaussian kernel of twice the weighted covariance,
keeps those whose distance to the record is within the generation's tolerance ``epsilon``
(the ``quantile`` of the previous generation's distances) and weights them by
``prior / sum_j w_j K(theta | theta_j)``. The sampler is the generic
:func:`model.analysis.abc.abc_smc_batches`; this module gives it the model, the priors and
the distance.

The distance (:func:`run_distance`) compares a run with a few recorded outcomes only, the
case's fitting targets (:func:`fitting_targets`; for 1922-27: dates in months over 12, the
14th Congress's dissenting count over 20). The other criteria of the case are not used for
fitting; they are reported out of sample, as hit rates under the posterior (posterior
predictive runs) against hit rates under the scenario's own parameters.

Beyond the parameters (issue #11): with ``inputs`` (``troika calibrate --inputs``) the
scenario's judgement-call inputs are fitted jointly, their priors read from the case's
provenance ledger (:mod:`model.analysis.inputs`), with the componentwise kernel of
:mod:`model.analysis.abc` (about a hundred dimensions); the posterior file then carries
their values, and ``--posterior`` draws every run from it (:mod:`model.analysis.posterior`).
With ``rule`` (``--baseline NAME``) a competitor gets the same budget: the same sampler,
targets and split over the machinery's parameters and its own (:data:`BASELINE_OWN`).

Why not pyabc: it pulls a database (SQLAlchemy), a web dashboard and a dozen further
dependencies, and its samplers accept particles in the order workers return them, so its
result depends on the number of workers. Here all randomness comes from one numpy
``SeedSequence(base_seed)``: generation ``g`` proposes with ``SeedSequence(base_seed,
spawn_key=(g,))`` and the ``k``-th simulation of its ``a``-th proposal uses ``SeedSequence(
base_seed, spawn_key=(g, a, k))``. Proposals are drawn in a fixed order, simulated in
batches (in order, on a process pool when ``workers > 1``) and accepted in attempt order, so
the result is identical for any number of workers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.analysis.abc import Generation, UniformPrior, abc_smc_batches, sim_seed
from model.analysis.abc import stream as _stream
from model.analysis.ensemble import DEFAULT_BASE_SEED, process_pool, run_one
from model.analysis.measures import Measure, measures_of
from model.analysis.outcomes import RunOutcome, criteria_of, month_number, scorecard
from model.atomic import atomic_write_text, save_figure
from model.cases.casefile import Case
from model.cases.scenario import Scenario
from model.engine.parameters import prior_of
from model.tables import markdown_table, text_table

# --------------------------------------------------------------------------------------
# priors


@dataclass(frozen=True)
class Prior:
    """A uniform prior ``U(low, high)`` on one field of :class:`~model.parameters.Parameters`."""

    name: str
    low: float
    high: float
    reason: str

    @property
    def width(self) -> float:
        return self.high - self.low


# The nine parameters that drive the recorded outcomes most in the Morris screening
# (docs/validation.md, "Sensitivity"), and the weight of a warned leader's dread of the
# sanction, which has no other source: the others are held at the scenario's values.
CALIBRATED: tuple[str, ...] = (
    "act_drive", "act_cost", "act_fear", "charge_decay", "charge_scale", "standing_premium",
    "campaign_rate", "successor_fear", "heir_prestige", "sanction_dread",
)
PRIORS: tuple[Prior, ...] = tuple(Prior(name, *prior_of(name)) for name in CALIBRATED)

PRIOR_NAMES: tuple[str, ...] = tuple(p.name for p in PRIORS)
_LOW = np.array([p.low for p in PRIORS])
_HIGH = np.array([p.high for p in PRIORS])


# A baseline's own free parameters (besides the machinery's, :data:`CALIBRATED`, which
# every rule shares): ``troika calibrate --baseline NAME`` fits them together. Bandwagon,
# static AES, expected utility and calendar-only have none of their own.
BASELINE_OWN: dict[str, tuple[Prior, ...]] = {
    "random": (Prior("random_move_rate", 0.0, 1.0,
                     "the random baseline's one setting: any monthly chance of a move"),),
}


def priors_for(rule: str = "agents") -> tuple[Prior, ...]:
    """The calibrated parameters of a coalition rule: :data:`PRIORS` and, for a baseline,
    its own (:data:`BASELINE_OWN`)."""
    return PRIORS + BASELINE_OWN.get(rule, ())


def in_prior(theta: np.ndarray) -> bool:
    """Whether a parameter vector lies inside the prior's support."""
    return bool(np.all(theta >= _LOW) and np.all(theta <= _HIGH))


def as_overrides(theta: Sequence[float]) -> dict[str, float]:
    """A parameter vector as a ``parameters`` override dict for the model."""
    return {p.name: float(v) for p, v in zip(PRIORS, theta, strict=True)}


# --------------------------------------------------------------------------------------
# fitting targets and the distance


@dataclass(frozen=True)
class Target:
    """A recorded outcome used for fitting (a case's ``calibration.targets``).

    ``measure`` gives the simulated value (a month number, NaN for never; or a count);
    ``recorded`` is the recorded value on the same scale (the middle of a range), ``scale``
    the error that counts as one unit of distance.
    """

    id: str
    record_id: str
    measure: Measure
    kind: str
    recorded: float
    scale: float
    label: str


def _recorded(value) -> float:
    """A month, the middle of a ``[first, last]`` range of months, or a number."""
    if isinstance(value, str):
        return month_number(value)
    if isinstance(value, tuple | list):
        return (month_number(value[0]) + month_number(value[1])) / 2
    return float(value)


def fitting_targets(case: Case, fit_until: str | None = None) -> tuple[Target, ...]:
    """The case's fitting targets; with ``fit_until`` (``YYYY-MM``) only those recorded up
    to that month (a time split: the later outcomes are scored out of sample). A target
    without a month counts as after any split."""
    measures = measures_of(case)
    return tuple(Target(t.id, t.record_id, measures[t.measure], measures[t.measure].value_kind,
                        _recorded(t.recorded), t.scale, t.label)
                 for t in case.spec.calibration.targets
                 if fit_until is None or (t.month is not None and t.month <= fit_until))


NEVER_PENALTY_MONTHS = 12


def target_values(o: RunOutcome, targets: Sequence[Target]) -> np.ndarray:
    """The simulated value of each fitting target in one run; a date that never happens
    counts as the horizon's end plus :data:`NEVER_PENALTY_MONTHS`, a missing tally as 0."""
    never = month_number(o.months[-1]) + NEVER_PENALTY_MONTHS
    out = []
    for t in targets:
        value, _ = t.measure(o)
        if np.isnan(value):
            value = never if t.kind == "date" else 0.0
        out.append(float(value))
    return np.array(out)


def distance_of_values(values: Sequence[float], targets: Sequence[Target]) -> float:
    """Mean over the targets of ``|simulated - recorded| / scale``."""
    v = np.asarray(values, dtype=float)
    rec = np.array([t.recorded for t in targets])
    scale = np.array([t.scale for t in targets])
    return float(np.mean(np.abs(v - rec) / scale))


def run_distance(o: RunOutcome, targets: Sequence[Target]) -> float:
    """The distance of one run to the record (0 when every target is hit exactly)."""
    return distance_of_values(target_values(o, targets), targets)


# --------------------------------------------------------------------------------------
# the sampler


@dataclass
class CalibrationResult:
    """The outcome of :func:`calibrate`.

    Attributes:
        scenario: name of the calibrated scenario.
        names: the calibrated parameters (the order of the particle columns).
        particles: ``(population, parameters)`` posterior sample (last generation).
        weights: normalised importance weights of the particles.
        distances: each particle's distance (mean over its seeds).
        generations: per-generation summaries; ``epsilons`` and ``acceptance_rates`` too.
        defaults: the scenario's own value of each calibrated parameter.
        out_of_sample: rows ``{criterion, statement, fitted, hit_defaults, hit_posterior,
            passed_defaults, passed_posterior}``.
        settings: population, generations, seeds per particle, base seed, quantile, workers.
        stopped: why the sampler stopped early ('' when it ran every generation).
        point: the point estimate (:func:`refine_point`), written to calibrated.toml.
        refined: what :func:`refine_point` found: the point's kind (a particle or the
            posterior median), its mean distance on the seeds it was chosen on
            (``selection_distance``) and on further seeds (``point_distance``), the
            scenario's parameters' on those further seeds, the number of candidates and
            runs; written to settings.json.
    """

    scenario: str
    names: tuple[str, ...]
    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    generations: list[Generation]
    defaults: dict[str, float]
    out_of_sample: list[dict]
    settings: dict
    wall_seconds: float = 0.0
    stopped: str = ""
    history: list[dict] = field(default_factory=list)
    point: dict[str, float] = field(default_factory=dict)
    refined: dict = field(default_factory=dict)
    targets: tuple[str, ...] = ()
    priors: tuple[Prior, ...] = PRIORS
    inputs: object = None  # an InputSpace (calibrate --inputs), or None
    rule: str = "agents"
    point_inputs: dict[str, object] = field(default_factory=dict)

    @property
    def epsilons(self) -> list[float]:
        return [g.epsilon for g in self.generations]

    @property
    def acceptance_rates(self) -> list[float]:
        return [g.acceptance_rate for g in self.generations]

    @property
    def final_epsilon(self) -> float:
        """The tolerance the final population met (its largest distance)."""
        return float(self.distances.max())

    def medians(self) -> dict[str, float]:
        """Posterior weighted median of each parameter (:func:`posterior_median`)."""
        return dict(zip(self.names, posterior_median(self.particles, self.weights).tolist(),
                        strict=True))

    def summary_rows(self) -> list[dict]:
        """Per parameter: prior range, posterior weighted median and 90% interval, default."""
        rows = []
        for i, p in enumerate(self.priors):
            x = self.particles[:, i]
            lo, med, hi = (weighted_quantile(x, self.weights, q) for q in (0.05, 0.5, 0.95))
            rows.append({"parameter": p.name, "prior_low": p.low, "prior_high": p.high,
                         "median": _sig(med), "low": _sig(lo), "high": _sig(hi),
                         "point": _sig(self.point[p.name]) if self.point else None,
                         "default": self.defaults[p.name],
                         "default_in_interval": bool(lo <= self.defaults[p.name] <= hi)})
        return rows


FULL_BUDGET = {"population": 100, "generations": 5, "seeds_per_particle": 2}
"""The budget of the documented calibration (docs/validation.md); below it the result is a
demonstration, not a fit."""


def budget_warnings(result: CalibrationResult) -> list[str]:
    """Plain-language warnings when a calibration's budget is too small for its result to
    mean anything: a posterior collapsed on few particles (effective sample size
    ``1 / Σ w²``, Kish 1965), a "calibrated" point that fits worse than the scenario's own
    parameters on the same seeds, posterior predictive runs that hit the fitted criteria less
    often than the defaults, or a budget below :data:`FULL_BUDGET`. Empty when none
    applies."""
    out = []
    w = np.asarray(result.weights, dtype=float)
    n = w.size
    if n:
        ess = 1.0 / float(np.sum((w / w.sum()) ** 2))
        top = float(w.max() / w.sum())
        if ess < max(5.0, 0.2 * n):
            out.append(f"The posterior has collapsed: an effective sample size of {ess:.1f} "
                       f"of {n} particles (the heaviest particle holds {top:.0%} of the "
                       "weight), so its medians and intervals describe a handful of draws, "
                       "not a distribution.")
    r = result.refined or {}
    if r.get("point_distance") is not None and r.get("defaults_distance") is not None:
        if r["point_distance"] >= r["defaults_distance"]:
            out.append(f"The \"calibrated\" point fits no better than the scenario's own "
                       f"parameters on the same {r.get('runs', '?')} seeds (mean distance "
                       f"{r['point_distance']:.3f} against {r['defaults_distance']:.3f}): "
                       "do not use it.")
    fitted = [row for row in (result.out_of_sample or []) if row.get("fitted")]
    if fitted:
        before = float(np.mean([row["hit_defaults"] for row in fitted]))
        after = float(np.mean([row["hit_posterior"] for row in fitted]))
        if after < before:
            out.append(f"The posterior predictive runs hit the fitted criteria less often "
                       f"than the scenario's defaults (mean hit rate {after:.2f} against "
                       f"{before:.2f}): the sampler has not found a better region.")
    st = result.settings or {}
    small = [f"{k.replace('_', ' ')} {st[k]} (documented: {v})"
             for k, v in FULL_BUDGET.items() if k in st and st[k] < v]
    if small:
        out.append("The budget is below the documented calibration: " + ", ".join(small)
                   + "; treat the result as a demonstration of the method, not a fit.")
    return out


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """Quantile ``q`` of ``x`` under weights ``w`` (midpoint interpolation of the CDF)."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cdf = (np.cumsum(ws) - 0.5 * ws) / ws.sum()
    return float(np.interp(q, cdf, xs))


def _sig(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


class _Runner:
    """Runs jobs in order, in this process or on a process pool."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = process_pool(workers) if workers > 1 else None

    def map(self, jobs: list) -> list[RunOutcome]:
        if self.pool is None or len(jobs) <= 1:
            return [run_one(j) for j in jobs]
        chunk = max(1, len(jobs) // (self.workers * 4))
        return list(self.pool.map(run_one, jobs, chunksize=chunk))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def calibrate(
    scenario: Scenario,
    *,
    case: Case,
    population: int = 100,
    generations: int = 4,
    seeds_per_particle: int = 2,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    quantile: float = 0.5,
    max_attempts_factor: int = 20,
    predictive_runs: int = 100,
    refine_top: int = 10,
    refine_runs: int = 40,
    progress: Callable[[Generation], None] | None = None,
    fit_until: str | None = None,
    rule: str = "agents",
    inputs=None,
) -> CalibrationResult:
    """Fit :data:`PRIORS` to the case's fitting targets by ABC-SMC and score the posterior
    out of sample.

    Args:
        scenario: a validated scenario (its other parameters stay as they are).
        case: the case (its ``calibration.targets``, criteria and out-of-sample checks).
        population: accepted particles per generation (>= 2).
        generations: number of generations, the prior sample included (>= 1).
        seeds_per_particle: runs averaged in a particle's distance (>= 1).
        workers: processes (the result does not depend on it).
        base_seed: entropy of the root ``SeedSequence``.
        quantile: the next tolerance is this quantile of the accepted distances (0 < q < 1).
        max_attempts_factor: a generation stops after ``factor * population`` proposals.
        predictive_runs: posterior predictive runs (one seed each for particles drawn by
            weight; at most the population), and as many runs with the scenario's parameters.
        refine_top, refine_runs: the point estimate is the candidate (the
            ``refine_top`` accepted particles of least distance and the posterior median)
            whose mean distance over ``refine_runs`` fresh seeds is least; it and the
            scenario's own parameters are then scored on ``refine_runs`` further seeds
            (:func:`refine_point`).
        progress: called with each finished :class:`Generation`.
        fit_until: ``YYYY-MM``: fit only the targets recorded up to this month; every
            later outcome is then out of sample (:func:`fitting_targets`).
        rule: the coalition rule fitted: the model (``"agents"``) or a baseline, which then
            gets the same budget over the same machinery parameters and its own
            (:func:`priors_for`).
        inputs: an :class:`model.analysis.inputs.InputSpace`: fit the scenario's uncertain
            inputs jointly with the parameters (their priors from the provenance ledger).
    """
    for name, value, least in (("population", population, 2), ("generations", generations, 1),
                               ("seeds_per_particle", seeds_per_particle, 1),
                               ("workers", workers, 1), ("max_attempts_factor",
                                                         max_attempts_factor, 1),
                               ("predictive_runs", predictive_runs, 1)):
        if int(value) != value or value < least:
            raise ValueError(f"{name}: must be a whole number of at least {least}, got {value}")
    if not 0 < quantile < 1:
        raise ValueError(f"quantile: must be strictly between 0 and 1, got {quantile}")
    if base_seed < 0:
        raise ValueError(f"base_seed: must be non-negative, got {base_seed}")
    targets = fitting_targets(case, fit_until)
    if not targets:
        raise ValueError(f"case {case.name}: no calibration targets"
                         + (f" recorded by {fit_until}" if fit_until else ""))

    t0 = time.monotonic()
    priors = priors_for(rule)
    space = Space(scenario, priors, inputs, rule)
    defaults = {p.name: getattr(scenario.parameters, p.name) for p in priors}
    runner = _Runner(workers)

    def evaluate(g: int, start: int, thetas: list[np.ndarray]) -> np.ndarray:
        jobs = [space.job(th, sim_seed(base_seed, g, start + a, k))
                for a, th in enumerate(thetas) for k in range(seeds_per_particle)]
        d = np.array([run_distance(o, targets) for o in runner.map(jobs)])
        return d.reshape(len(thetas), seeds_per_particle).mean(axis=1)

    try:
        smc = abc_smc_batches(evaluate, UniformPrior(space.low, space.high),
                              population=population,
                              kernel="componentwise" if inputs is not None else "multivariate",
                              generations=generations, base_seed=base_seed, quantile=quantile,
                              max_attempts_factor=max_attempts_factor, progress=progress)
        theta, weights, dist = smc.particles, smc.weights, smc.distances
        gens, history, stopped = smc.generations, smc.history, smc.stopped

        out_of_sample = _predictive(space, case, theta, weights, runner, base_seed,
                                    generations, min(predictive_runs, population), fit_until)
        refined = refine_point(space, targets, theta, dist, runner, base_seed,
                               generations + 1, refine_top, refine_runs, weights)
    finally:
        runner.close()

    return CalibrationResult(
        scenario=scenario.name, names=space.names, particles=theta, weights=weights,
        distances=dist, generations=gens, defaults=defaults, out_of_sample=out_of_sample,
        settings={"population": population, "generations": generations,
                  "seeds_per_particle": seeds_per_particle, "base_seed": base_seed,
                  "quantile": quantile, "workers": workers,
                  "max_attempts_factor": max_attempts_factor,
                  "predictive_runs": min(predictive_runs, population),
                  "fit_until": fit_until or "", "rule": rule,
                  "inputs": len(inputs) if inputs is not None else 0},
        wall_seconds=time.monotonic() - t0, stopped=stopped, history=history,
        point=refined["point"], refined=refined, targets=tuple(t.id for t in targets),
        priors=priors, inputs=inputs, rule=rule, point_inputs=refined["point_inputs"],
    )


class Space:
    """The calibrated space: the parameters of ``priors`` and, with ``inputs``, the
    scenario's uncertain inputs after them; a point of it as a job for
    :func:`model.analysis.ensemble.run_one`."""

    def __init__(self, scenario: Scenario, priors: Sequence[Prior], inputs=None,
                 rule: str = "agents"):
        self.scenario, self.priors, self.inputs, self.rule = scenario, tuple(priors), inputs, rule
        self.n = len(self.priors)
        in_names = inputs.names if inputs is not None else ()
        self.names = tuple(p.name for p in self.priors) + tuple(in_names)
        lows = [p.low for p in self.priors] + list(inputs.low if inputs is not None else [])
        highs = [p.high for p in self.priors] + list(inputs.high if inputs is not None else [])
        self.low, self.high = np.array(lows, dtype=float), np.array(highs, dtype=float)

    def overrides(self, theta: Sequence[float]) -> dict[str, float]:
        return {p.name: float(v) for p, v in zip(self.priors, theta[: self.n], strict=True)}

    def input_values(self, theta: Sequence[float]) -> dict[str, object]:
        return self.inputs.values(theta[self.n:]) if self.inputs is not None else {}

    def scenario_at(self, theta: Sequence[float]) -> Scenario:
        if self.inputs is None:
            return self.scenario
        return self.inputs.apply(self.scenario, theta[self.n:])

    def job(self, theta: Sequence[float] | None, seed) -> tuple:
        if theta is None:  # the scenario's own values
            return (self.scenario, seed, self.rule, None)
        return (self.scenario_at(theta), seed, self.rule, self.overrides(theta))


def posterior_median(theta: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each coordinate's weighted median over the particles (inside the prior's box, as
    every marginal is)."""
    return np.array([weighted_quantile(theta[:, j], weights, 0.5)
                     for j in range(theta.shape[1])])


def refine_point(space: Space, targets: Sequence[Target], theta: np.ndarray,
                 dist: np.ndarray, runner: _Runner, base_seed: int, stream: int, top: int,
                 runs: int, weights: np.ndarray | None = None) -> dict:
    """The point estimate: of the candidates, the one whose mean distance over ``runs``
    fresh seeds is least. The candidates are the ``top`` particles of least distance and,
    given the ``weights``, the posterior median of each coordinate: a median is not a point
    of the joint posterior and can miss the record where every particle hits it, and a
    single particle's distance is a draw of two seeds; the fresh seeds decide between
    them.

    The winner's mean over the seeds it was chosen on is biased low (the least of several
    noisy means), so the chosen point and the scenario's own parameters are both scored
    again on ``runs`` further seeds, and that is the distance reported
    (``point_distance``, ``defaults_distance``); the selection's own mean is kept as
    ``selection_distance``."""
    order = np.argsort(dist, kind="stable")[: max(1, min(top, len(dist)))]
    candidates = [theta[i] for i in order]
    kinds = ["particle"] * len(candidates)
    if weights is not None and len(theta) > 1:
        candidates.append(posterior_median(theta, weights))
        kinds.append("posterior median")

    def mean_distance(th, seeds) -> float:
        outs = runner.map([space.job(th, sd) for sd in seeds])
        return float(np.mean([run_distance(o, targets) for o in outs]))

    selection = [sim_seed(base_seed, stream, 0, k) for k in range(runs)]
    means = [mean_distance(th, selection) for th in candidates]
    best = int(np.argmin(means))
    holdout = [sim_seed(base_seed, stream, 1, k) for k in range(runs)]
    return {"point": space.overrides(candidates[best]),
            "point_inputs": space.input_values(candidates[best]),
            "point_kind": kinds[best],
            "point_distance": mean_distance(candidates[best], holdout),
            "selection_distance": means[best],
            "defaults_distance": mean_distance(None, holdout),
            "candidates": len(candidates), "median_candidate": kinds[-1] == "posterior median",
            "runs": runs}


def _predictive(space: Space, case: Case, theta: np.ndarray, weights: np.ndarray,
                runner: _Runner, base_seed: int, stream: int, n: int,
                fit_until: str | None = None) -> list[dict]:
    """Hit rates of every criterion and of the case's extra checks under the scenario's
    parameters and under the posterior (``n`` particles drawn by weight, one run each);
    both use the same ``n`` seeds. A criterion is fitted when its measure is a target's."""
    rng = _stream(base_seed, stream)
    picks = rng.choice(len(weights), size=n, p=weights)
    seeds = [sim_seed(base_seed, stream, j, 0) for j in range(n)]
    post = runner.map([space.job(theta[i], s) for s, i in zip(seeds, picks, strict=True)])
    base = runner.map([space.job(None, s) for s in seeds])
    criteria = criteria_of(case)
    fitted_measures = {t.measure.name for t in fitting_targets(case, fit_until)}
    fitted = {c.id for c in criteria if c.measure.name in fitted_measures}
    rows = []
    for a, b in zip(scorecard(base, criteria), scorecard(post, criteria), strict=True):
        rows.append({"criterion": a["id"], "statement": a["statement"],
                     "fitted": a["id"] in fitted,
                     "hit_defaults": a["hit_rate"], "hit_posterior": b["hit_rate"],
                     "passed_defaults": a["passed"], "passed_posterior": b["passed"]})
    measures = measures_of(case)
    for extra in case.spec.calibration.extra:
        m = measures[extra.measure]
        hb = float(np.mean([m(o)[1] for o in base]))
        hp = float(np.mean([m(o)[1] for o in post]))
        rows.append({"criterion": extra.id, "statement": extra.statement, "fitted": False,
                     "hit_defaults": round(hb, 4), "hit_posterior": round(hp, 4),
                     "passed_defaults": hb >= extra.threshold,
                     "passed_posterior": hp >= extra.threshold})
    return rows


# --------------------------------------------------------------------------------------
# outputs


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def posterior_rows(result: CalibrationResult) -> list[dict]:
    """One row per particle: its parameters, weight and distance."""
    n = len(result.priors)

    def inputs_of(th) -> dict:
        if result.inputs is None:
            return {}
        return {k: (repr(v) if isinstance(v, float) else str(v))
                for k, v in result.inputs.values(th[n:]).items()}

    return [{**{p.name: repr(float(v)) for p, v in zip(result.priors, th[:n], strict=True)},
             **inputs_of(th), "weight": repr(float(w)), "distance": repr(float(d))}
            for th, w, d in zip(result.particles, result.weights, result.distances,
                                strict=True)]


def input_rows(result: CalibrationResult) -> list[dict]:
    """Per uncertain input: its ledger kind, scenario value, prior box (of its coordinate:
    the value; a factor on members; ``u`` for a patron) and posterior median and 90%
    interval of the coordinate; for a patron, the posterior weight of keeping its value."""
    rows = []
    n = len(result.priors)
    for j, p in enumerate(result.inputs.priors):
        x = result.particles[:, n + j]
        lo, med, hi = (weighted_quantile(x, result.weights, q) for q in (0.05, 0.5, 0.95))
        row = {"input": p.path, "kind": p.kind, "value": p.value, "prior_low": p.low,
               "prior_high": p.high, "median": _sig(med), "low": _sig(lo), "high": _sig(hi),
               "keeps_value": ""}
        if p.field == "patron":
            keep = np.array([p.value_at(v) == p.value for v in x])
            row["keeps_value"] = round(float(result.weights @ keep), 3)
        rows.append(row)
    return rows


def inputs_markdown(result: CalibrationResult, top: int = 15) -> str:
    """The uncertain inputs whose posterior moved most from the prior (the ``top`` whose
    90% interval shrank most, relative to the prior's width), and a count of the rest."""
    rows = input_rows(result)
    for r in rows:
        r["shrink"] = 1 - (r["high"] - r["low"]) / (r["prior_high"] - r["prior_low"])
    rows.sort(key=lambda r: -r["shrink"])
    lines = [f"{len(rows)} uncertain inputs fitted with the parameters (priors from the "
             "provenance ledger: proxy ±0.1, judgement ±0.2, members ×(1 ± 0.1 or 0.25), a "
             "patron kept with probability 0.8 or 0.5; `model/analysis/inputs.py`). The "
             f"{min(top, len(rows))} whose 90% interval shrank most:", "",
             "| input | ledger kind | scenario value | prior | posterior median | "
             "90% interval | patron kept |", "|---|---|---|---|---|---|---|"]
    for r in rows[:top]:
        lines.append(f"| {r['input']} | {r['kind']} | {r['value']} | "
                     f"[{r['prior_low']:.3g}, {r['prior_high']:.3g}] | {r['median']:.3g} | "
                     f"[{r['low']:.3g}, {r['high']:.3g}] | "
                     f"{'–' if r['keeps_value'] == '' else format(r['keeps_value'], '.2f')} |")
    lines += ["", "For members the coordinate is the factor on the scenario's count; for a "
              "patron it is u (below the keep probability: the ledger's patron)."]
    return "\n".join(lines) + "\n"


def summary_markdown(result: CalibrationResult) -> str:
    """The per-parameter table in Markdown, and the point estimate's fit."""
    body = []
    for r in result.summary_rows():
        point = "–" if r["point"] is None else f"{r['point']:.4g}"
        body.append([r["parameter"], f"U({r['prior_low']:g}, {r['prior_high']:g})",
                     f"{r['median']:.4g}", f"[{r['low']:.4g}, {r['high']:.4g}]", point,
                     f"{r['default']:g}"])
    lines = [markdown_table(["parameter", "prior", "posterior median", "90% interval",
                             "point estimate", "scenario value"], body)]
    lines += ["", _refined_sentence(result)]
    return "\n".join(lines) + "\n"


def _refined_sentence(result: CalibrationResult) -> str:
    r = result.refined
    if not r:
        return ""
    kind = r.get("point_kind", "particle")
    what = ("the posterior median" if kind == "posterior median"
            else "a particle")
    pool = ("the best-fitting particles and the posterior median"
            if r.get("median_candidate") else "the best-fitting particles")
    return (f"Point estimate: {what}, the best of {r['candidates']} candidates ({pool}) on "
            f"{r['runs']} fresh seeds, "
            f"then scored on {r['runs']} further seeds: mean distance "
            f"{r['point_distance']:.3f}, against {r['defaults_distance']:.3f} for the "
            f"scenario's own parameters on the same seeds (final epsilon "
            f"{result.final_epsilon:.3f}).")


def summary_text(result: CalibrationResult) -> str:
    """The per-parameter table as text, and the point estimate's fit."""
    body = [[r["parameter"], f"[{r['prior_low']:g}, {r['prior_high']:g}]",
             f"{r['median']:.4g}", f"[{r['low']:.4g}, {r['high']:.4g}]",
             "-" if r["point"] is None else f"{r['point']:.4g}", f"{r['default']:g}"]
            for r in result.summary_rows()]
    table = text_table(["parameter", "prior", "median", "90% interval", "point", "scenario"],
                       body)
    return table + "\n" + _refined_sentence(result)


def out_of_sample_markdown(result: CalibrationResult) -> str:
    """The out-of-sample table in Markdown (fitted criteria marked)."""
    n = result.settings["predictive_runs"]
    lines = [f"Hit rates over {n} runs with the scenario's parameters and {n} posterior "
             "predictive runs (one seed per particle drawn by weight; the same seeds).", ""]
    body = [[f"{r['criterion']}: {r['statement']}",
             "yes" if r["fitted"] else "no (out of sample)", f"{r['hit_defaults']:.2f}",
             f"{r['hit_posterior']:.2f}"] for r in result.out_of_sample]
    lines.append(markdown_table(["criterion", "used for fitting", "hit rate, defaults",
                                 "hit rate, posterior"], body))
    return "\n".join(lines) + "\n"


def out_of_sample_text(result: CalibrationResult) -> str:
    """The out-of-sample table as text."""
    return text_table(["criterion", "fitted", "defaults", "posterior"],
                      [[r["criterion"], "yes" if r["fitted"] else "no",
                        f"{r['hit_defaults']:.2f}", f"{r['hit_posterior']:.2f}"]
                       for r in result.out_of_sample])


def _toml_float(x: float) -> float:
    return float(f"{x:.4g}")


def calibrated_toml(result: CalibrationResult, *, extends: str | None = None,
                    command: str | None = None) -> str:
    """A scenario file: ``extends`` the calibrated scenario and sets the point estimate
    (:func:`refine_point`) in its ``[parameters]`` table (no date, so the file is
    reproducible). The header is comments; the values are written by tomli-w."""
    import tomli_w

    s = result.settings
    parent = extends or result.scenario
    values = result.point or result.medians()
    r = result.refined
    lines = [
        "# Calibrated parameters: the point estimate of an ABC-SMC fit to the record (the",
        "# best-fitting particles or the posterior median, chosen on fresh seeds and scored",
        "# on further ones; see refine_point)",
        "# (model/analysis/calibration.py; targets: "
        + ", ".join(result.targets) + ").",
        f"# command: {command or 'model.analysis.calibration.calibrate'}",
        f"# scenario: {result.scenario}; base seed {s['base_seed']}; population "
        f"{s['population']}; generations {len(result.generations)} of {s['generations']}; "
        f"seeds per particle {s['seeds_per_particle']}; quantile {s['quantile']:g}",
        "# fitted to the targets recorded up to "
        + (f"{s['fit_until']} (the time split)" if s.get("fit_until") else "the end"),
        f"# final epsilon (largest accepted distance): {result.final_epsilon:.4f}",
        *([f"# point estimate ({r.get('point_kind', 'particle')}): mean distance "
           f"{r['point_distance']:.4f} over {r['runs']} further fresh seeds (the scenario's "
           f"own parameters: {r['defaults_distance']:.4f}), best of {r['candidates']} "
           "candidates on as many other seeds"] if r else []),
        "# Copy the [parameters] table into any scenario, or run this file as a scenario.",
        *[f"# WARNING: {w}" for w in budget_warnings(result)],
    ]
    if result.stopped:
        lines.append(f"# note: stopped early: {result.stopped}")
    if result.rule != "agents":
        lines.insert(0, f"# Fitted for the baseline {result.rule!r} (troika calibrate "
                        "--baseline): run it with that coalition rule.")
    body = {
        "extends": parent,
        "name": result.scenario + "-calibrated",
        "description": f"{result.scenario} with ABC-calibrated parameters",
        "parameters": {p.name: _toml_float(values[p.name]) for p in result.priors},
    }
    body.update(_input_tables(result.point_inputs))
    return "\n".join(lines) + "\n\n" + tomli_w.dumps(body)


def _input_tables(values: dict[str, object]) -> dict[str, list[dict[str, object]]]:
    """The point's inputs as ``leaders`` / ``regions`` arrays of tables, one entry per
    leader or region with its ``name`` (merged by name into the extended scenario's;
    tomli-w writes them inline, before the ``[parameters]`` table)."""
    by: dict[tuple[str, str], dict[str, object]] = {}
    for path, v in values.items():
        parts = path.split(".")
        by.setdefault((parts[0], ".".join(parts[1:-1])), {})[parts[-1]] = (
            v if isinstance(v, str | int) else _toml_float(v))
    out: dict[str, list[dict[str, object]]] = {}
    for (table, name), fields in by.items():
        out.setdefault(table, []).append({"name": name, **fields})
    return out


def plot_marginals(result: CalibrationResult, path: Path) -> Path:
    """Weighted histogram of each parameter, prior range shaded, default marked
    (:func:`marginals_figure` written to ``path``)."""
    save_figure(marginals_figure(result), path, dpi=110)
    return Path(path)


def marginals_figure(result: CalibrationResult):
    """The figure of :func:`plot_marginals` (a ``matplotlib.figure.Figure``)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    priors = result.priors
    n = len(priors)
    cols = 4
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(4 * cols, 3.2 * rows))
    FigureCanvasAgg(fig)
    meds = result.medians()
    for i, p in enumerate(priors):
        ax = fig.add_subplot(rows, cols, i + 1)
        bins = np.linspace(p.low, p.high, 16)
        ax.hist(result.particles[:, i], bins=bins, weights=result.weights, color="#4c72b0",
                alpha=0.8, label="posterior")
        ax.axhline(1 / 15, color="grey", ls=":", lw=1, label="prior (uniform)")
        ax.axvline(result.defaults[p.name], color="#d62728", ls="--", lw=1.5, label="default")
        ax.axvline(meds[p.name], color="black", lw=1.2, label="posterior median")
        ax.set_xlim(p.low, p.high)
        ax.set_xlabel(f"{p.name} (prior range)")
        ax.set_ylabel("posterior weight")
        ax.set_title(p.name)
        if i == 0:
            ax.legend(fontsize=7)
    fig.suptitle(f"ABC-SMC posterior marginals: {result.scenario}, final epsilon "
                 f"{result.final_epsilon:.3f}")
    fig.tight_layout()
    return fig


def plot_pairs(result: CalibrationResult, path: Path) -> Path:
    """Pairwise scatter of the posterior; marker size and opacity grow with the weight."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure

    priors = result.priors
    n = len(priors)
    fig = Figure(figsize=(2.1 * n, 2.1 * n))
    FigureCanvasAgg(fig)
    w = result.weights / result.weights.max()
    colours = [to_rgba("#4c72b0", 0.15 + 0.85 * x) for x in w]
    sizes = 6 + 40 * w
    for i, pi in enumerate(priors):
        for j, pj in enumerate(priors):
            ax = fig.add_subplot(n, n, i * n + j + 1)
            if i == j:
                ax.hist(result.particles[:, i], bins=np.linspace(pi.low, pi.high, 12),
                        weights=result.weights, color="#4c72b0")
                ax.axvline(result.defaults[pi.name], color="#d62728", ls="--", lw=1)
                ax.set_xlim(pi.low, pi.high)
            else:
                ax.scatter(result.particles[:, j], result.particles[:, i], s=sizes,
                           c=colours, edgecolors="none", label="particle")
                ax.plot(result.defaults[pj.name], result.defaults[pi.name], "x",
                        color="#d62728", label="default")
                ax.set_xlim(pj.low, pj.high)
                ax.set_ylim(pi.low, pi.high)
            ax.tick_params(labelsize=5)
            if i == n - 1:
                ax.set_xlabel(pj.name, fontsize=7)
            if j == 0:
                ax.set_ylabel(pi.name, fontsize=7)
            if i == 0 and j == 1:
                ax.legend(fontsize=6, loc="upper right")
    fig.suptitle(f"ABC-SMC posterior, pairs ({result.scenario}): size and opacity = weight; "
                 "red x = default")
    fig.tight_layout()
    save_figure(fig, path, dpi=110)
    return Path(path)


def _refined_record(refined: dict | None) -> dict:
    """What settings.json keeps of the point estimate's refinement (its numbers, not the
    point itself, which calibrated.toml holds)."""
    keys = ("point_kind", "selection_distance", "point_distance", "defaults_distance",
            "candidates", "median_candidate", "runs")
    return {k: refined[k] for k in keys if refined and k in refined}


def write_calibration(result: CalibrationResult, out_dir: Path, *, extends: str | None = None,
                      command: str | None = None) -> list[Path]:
    """posterior.csv, summary.csv/.md, out_of_sample.csv/.md, generations.csv, settings.json
    (the fit's settings, its time split ``fit_until`` among them, which ``troika validate
    --posterior`` reads beside the posterior), marginals.png, pairs.png and calibrated.toml
    in ``out_dir`` (each written atomically)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gens = [{"generation": g.index, "epsilon": g.epsilon, "attempts": g.attempts,
             "accepted": g.accepted, "acceptance_rate": round(g.acceptance_rate, 4),
             "ess": round(g.ess, 2), "seconds": round(g.seconds, 2)} for g in result.generations]
    texts = {
        "posterior.csv": _csv(posterior_rows(result)),
        "summary.csv": _csv(result.summary_rows()),
        "summary.md": summary_markdown(result),
        "out_of_sample.csv": _csv(result.out_of_sample),
        "out_of_sample.md": out_of_sample_markdown(result),
        "generations.csv": _csv(gens),
        "settings.json": json.dumps({**result.settings, "targets": list(result.targets),
                                     "scenario": result.scenario,
                                     "refined": _refined_record(result.refined)},
                                    indent=2) + "\n",
        **({"inputs.csv": _csv(input_rows(result))} if result.inputs is not None
           and len(result.inputs) else {}),
        "calibrated.toml": calibrated_toml(result, extends=extends, command=command),
    }
    paths = []
    for name, text in texts.items():
        atomic_write_text(out / name, text)
        paths.append(out / name)
    paths.append(plot_marginals(result, out / "marginals.png"))
    paths.append(plot_pairs(result, out / "pairs.png"))
    return paths
