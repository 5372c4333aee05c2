"""A generic ABC-SMC sampler: approximate Bayesian computation by sequential Monte Carlo.

The method is that of Toni et al. (2009, *J. R. Soc. Interface* 6:187) with the adaptive
kernel of Beaumont et al. (2009, *Biometrika* 96:983): a population of parameter vectors
("particles") is carried through generations; generation 0 samples the prior; each later
generation proposes particles by resampling the previous one by weight and perturbing them
with a Gaussian kernel of twice the weighted covariance (in the unit coordinates of the
prior's bounding box), keeps those whose distance to the observation is within the
generation's tolerance ``epsilon`` (the ``quantile`` of the previous generation's
distances) and weights them by ``prior(theta) / sum_j w_j K(theta | theta_j)``.

What the sampler knows of the problem is a prior (:class:`UniformPrior`, or any object with
``low``, ``high``, ``sample(rng, n)`` and ``density(theta)``) and a function that gives the
distance of each proposed parameter vector to the observation. :func:`abc_smc` takes a
simulator and a distance; :func:`abc_smc_batches` takes ``evaluate(generation, first_attempt,
thetas) -> distances``, which lets a caller simulate a whole batch at once, e.g. on a
process pool (:func:`model.analysis.calibration.calibrate`).

Randomness: generation ``g`` proposes with ``SeedSequence(base_seed, spawn_key=(g,))``
(:func:`stream`); in :func:`abc_smc`, the simulation of proposal ``a`` of generation ``g``
gets ``SeedSequence(base_seed, spawn_key=(g, a, 0))`` (:func:`sim_seed`). Proposals are
drawn in a fixed order, evaluated in batches whose size depends only on deterministic
quantities, and accepted in attempt order, so the result depends on the seed alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Generation:
    """Summary of one generation: tolerance, attempts, acceptance and effective size."""

    index: int
    epsilon: float
    attempts: int
    accepted: int
    acceptance_rate: float
    ess: float
    seconds: float


class UniformPrior:
    """The uniform prior on the box ``[low, high]`` (density 1 inside, constants cancel)."""

    def __init__(self, low: Sequence[float], high: Sequence[float]):
        self.low = np.asarray(low, dtype=float)
        self.high = np.asarray(high, dtype=float)
        if self.low.shape != self.high.shape or self.low.ndim != 1:
            raise ValueError("low and high must be vectors of one length")
        if not np.all(self.high > self.low):
            raise ValueError("every high must exceed its low")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws, ``(n, dim)``."""
        return self.low + rng.random((n, len(self.low))) * (self.high - self.low)

    def density(self, theta: np.ndarray) -> float:
        """1 inside the box, 0 outside (unnormalised)."""
        inside = np.all(theta >= self.low) and np.all(theta <= self.high)
        return 1.0 if inside else 0.0


def sim_seed(base_seed: int, generation: int, attempt: int, k: int) -> np.random.SeedSequence:
    """Seed of the ``k``-th simulation of proposal ``attempt`` in ``generation``."""
    return np.random.SeedSequence(base_seed, spawn_key=(generation, attempt, k))


def stream(base_seed: int, index: int) -> np.random.Generator:
    """Random stream number ``index``: ``SeedSequence(base_seed).spawn(n)[index]``."""
    return np.random.default_rng(np.random.SeedSequence(base_seed, spawn_key=(index,)))


def _weighted_cov(theta: np.ndarray, w: np.ndarray) -> np.ndarray:
    mean = w @ theta
    d = theta - mean
    return (d * w[:, None]).T @ d


class Kernel:
    """Gaussian perturbation kernel in unit coordinates of the prior's box (``(theta - low)
    / (high - low)``): covariance twice the weighted covariance of the population, plus a
    small ridge so that a population smaller than the number of parameters still gives a
    proper density (Beaumont et al. 2009)."""

    RIDGE = 1e-4

    def __init__(self, particles: np.ndarray, weights: np.ndarray, low: np.ndarray,
                 high: np.ndarray):
        self.low, self.high = low, high
        dim = len(low)
        self.units = (particles - low) / (high - low)
        self.weights = weights
        cov = 2.0 * _weighted_cov(self.units, weights)
        cov += self.RIDGE * np.eye(dim)
        self.chol = np.linalg.cholesky(cov)
        self.log_norm = (-0.5 * dim * math.log(2 * math.pi)
                         - float(np.sum(np.log(np.diag(self.chol)))))

    def propose(self, rng: np.random.Generator, max_tries: int = 10_000) -> np.ndarray:
        """Resample a particle by weight and perturb it until it lies inside the box."""
        dim = len(self.low)
        for _ in range(max_tries):
            j = rng.choice(len(self.weights), p=self.weights)
            u = self.units[j] + self.chol @ rng.standard_normal(dim)
            if np.all(u >= 0) and np.all(u <= 1):
                return self.low + u * (self.high - self.low)
        raise RuntimeError("the perturbation kernel keeps proposing outside the prior")

    def mixture_density(self, theta: np.ndarray) -> float:
        """``sum_j w_j K(theta | theta_j)`` (in unit coordinates; constants cancel)."""
        u = (theta - self.low) / (self.high - self.low)
        z = np.linalg.solve(self.chol, (u - self.units).T)  # (parameters, population)
        logk = self.log_norm - 0.5 * np.sum(z * z, axis=0)
        m = logk.max()
        return float(np.exp(m) * (self.weights @ np.exp(logk - m)))


class ComponentwiseKernel:
    """A Gaussian kernel per coordinate, truncated to the prior's box (the componentwise
    kernel of Beaumont et al. 2009: variance twice the weighted variance of the
    population, in unit coordinates). Unlike :class:`Kernel`, whose proposals are redrawn
    until all coordinates fall inside the box, it never fails in many dimensions (with a
    hundred coordinates almost every multivariate draw leaves the box somewhere), and its
    density is exact: the product of truncated normal densities."""

    RIDGE = 1e-4

    def __init__(self, particles: np.ndarray, weights: np.ndarray, low: np.ndarray,
                 high: np.ndarray):
        from scipy.special import ndtr
        self.low, self.high = low, high
        self.units = (particles - low) / (high - low)
        self.weights = weights
        mean = weights @ self.units
        var = weights @ (self.units - mean) ** 2
        self.sigma = np.sqrt(2.0 * var + self.RIDGE)
        # each particle's mass inside [0, 1] per coordinate: Phi(b) - Phi(a)
        self.a = ndtr((0.0 - self.units) / self.sigma)
        self.b = ndtr((1.0 - self.units) / self.sigma)
        self.log_mass = np.log(np.maximum(self.b - self.a, 1e-300)).sum(axis=1)

    def propose(self, rng: np.random.Generator) -> np.ndarray:
        """Resample a particle by weight and draw each coordinate from its truncated
        normal (inverse CDF)."""
        from scipy.special import ndtri
        j = rng.choice(len(self.weights), p=self.weights)
        q = self.a[j] + rng.random(len(self.low)) * (self.b[j] - self.a[j])
        q = np.clip(q, 1e-300, 1 - 1e-16)
        u = np.clip(self.units[j] + self.sigma * ndtri(q), 0.0, 1.0)
        return self.low + u * (self.high - self.low)

    def mixture_density(self, theta: np.ndarray) -> float:
        """``sum_j w_j K(theta | theta_j)`` (in unit coordinates; constants cancel)."""
        u = (theta - self.low) / (self.high - self.low)
        z = (u - self.units) / self.sigma
        logk = -0.5 * np.sum(z * z, axis=1) - self.log_mass
        m = logk.max()
        return float(np.exp(m) * (self.weights @ np.exp(logk - m)))


KERNELS = {"multivariate": Kernel, "componentwise": ComponentwiseKernel}


@dataclass
class SMCResult:
    """The last accepted population and the record of every generation.

    ``particles`` ``(population, dim)``, normalised ``weights``, each particle's
    ``distance``; ``generations`` the per-generation summaries; ``history`` each
    generation's ``{"particles", "weights", "distances"}``; ``stopped`` why the sampler
    stopped early ('' when it ran every generation).
    """

    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    generations: list[Generation]
    history: list[dict] = field(default_factory=list)
    stopped: str = ""

    @property
    def final_epsilon(self) -> float:
        """The tolerance the final population met (its largest distance)."""
        return float(self.distances.max())

    def mean(self) -> np.ndarray:
        """Posterior mean of each parameter."""
        return self.weights @ self.particles

    def cov(self) -> np.ndarray:
        """Posterior covariance (weighted, plug-in)."""
        return _weighted_cov(self.particles, self.weights)


Evaluate = Callable[[int, int, list[np.ndarray]], np.ndarray]


def abc_smc_batches(
    evaluate: Evaluate,
    prior,
    *,
    population: int = 100,
    generations: int = 4,
    base_seed: int = 0,
    quantile: float = 0.5,
    max_attempts_factor: int = 20,
    progress: Callable[[Generation], None] | None = None,
    kernel: str = "multivariate",
) -> SMCResult:
    """ABC-SMC with a batch evaluator.

    Args:
        evaluate: ``evaluate(g, start, thetas)`` returns the distance of each parameter
            vector of ``thetas``, the proposals numbered ``start, start + 1, ...`` of
            generation ``g`` (the numbers let it seed its simulations reproducibly).
        prior: a :class:`UniformPrior` or an object with ``low``, ``high`` (the bounding
            box, outside which the prior is 0), ``sample(rng, n)`` and ``density(theta)``.
        population: accepted particles per generation (>= 2).
        generations: number of generations, the prior sample included (>= 1).
        base_seed: entropy of the root ``SeedSequence``.
        quantile: the next tolerance is this quantile of the accepted distances (0 < q < 1).
        max_attempts_factor: a generation stops after ``factor * population`` proposals.
        progress: called with each finished :class:`Generation`.
        kernel: ``"multivariate"`` (:class:`Kernel`) or ``"componentwise"``
            (:class:`ComponentwiseKernel`, for many dimensions).
    """
    if kernel not in KERNELS:
        raise ValueError(f"kernel: {kernel!r} is not one of {', '.join(KERNELS)}")
    for name, value, least in (("population", population, 2), ("generations", generations, 1),
                               ("max_attempts_factor", max_attempts_factor, 1)):
        if int(value) != value or value < least:
            raise ValueError(f"{name}: must be a whole number of at least {least}, got {value}")
    if not 0 < quantile < 1:
        raise ValueError(f"quantile: must be strictly between 0 and 1, got {quantile}")
    if base_seed < 0:
        raise ValueError(f"base_seed: must be non-negative, got {base_seed}")
    low, high = np.asarray(prior.low, dtype=float), np.asarray(prior.high, dtype=float)
    gens: list[Generation] = []
    history: list[dict] = []
    stopped = ""

    # generation 0: the prior
    tg = time.monotonic()
    theta = prior.sample(stream(base_seed, 0), population)
    dist = np.asarray(evaluate(0, 0, list(theta)), dtype=float)
    weights = np.full(population, 1.0 / population)
    gens.append(Generation(0, math.inf, population, population, 1.0, float(population),
                           time.monotonic() - tg))
    history.append({"particles": theta, "weights": weights, "distances": dist})
    if progress:
        progress(gens[-1])

    for g in range(1, generations):
        tg = time.monotonic()
        eps = float(np.quantile(dist, quantile))
        rng = stream(base_seed, g)
        kern = KERNELS[kernel](theta, weights, low, high)
        max_attempts = max_attempts_factor * population
        acc_theta: list[np.ndarray] = []
        acc_dist: list[float] = []
        attempts = 0
        while len(acc_theta) < population and attempts < max_attempts:
            # batch size from deterministic quantities only (never from the evaluator)
            needed = population - len(acc_theta)
            rate = max(len(acc_theta), 1) / max(attempts, population)
            batch = min(population, max_attempts - attempts, math.ceil(1.2 * needed / rate) + 2)
            props = [kern.propose(rng) for _ in range(batch)]
            d = evaluate(g, attempts, props)
            for th, dd in zip(props, d, strict=True):
                attempts += 1
                if dd <= eps:
                    acc_theta.append(th)
                    acc_dist.append(float(dd))
                    if len(acc_theta) == population:
                        break
        accepted = len(acc_theta)
        if accepted < 2:
            gens.append(Generation(g, eps, attempts, accepted, accepted / attempts, 0.0,
                                   time.monotonic() - tg))
            stopped = (f"generation {g} accepted {accepted} of {attempts} proposals "
                       f"(limit {max_attempts}); the posterior is generation {g - 1}")
            if progress:
                progress(gens[-1])
            break
        new_theta = np.array(acc_theta)
        raw = np.array([prior.density(th) / kern.mixture_density(th) for th in new_theta])
        new_w = raw / raw.sum()
        theta, weights, dist = new_theta, new_w, np.array(acc_dist)
        gens.append(Generation(g, eps, attempts, accepted, accepted / attempts,
                               float(1.0 / np.sum(weights ** 2)), time.monotonic() - tg))
        history.append({"particles": theta, "weights": weights, "distances": dist})
        if progress:
            progress(gens[-1])
        if accepted < population:
            stopped = (f"generation {g} reached the limit of {max_attempts} proposals with "
                       f"{accepted} of {population} particles accepted")
            break
    return SMCResult(theta, weights, dist, gens, history, stopped)


def abc_smc(
    simulate: Callable[[np.ndarray, np.random.SeedSequence], object],
    distance: Callable[[object], float],
    prior,
    **options,
) -> SMCResult:
    """ABC-SMC of ``simulate(theta, seed) -> summary`` against the observation through
    ``distance(summary) -> float`` (0 = the observation itself); one simulation per
    proposal, seeded by :func:`sim_seed`. ``options`` are those of
    :func:`abc_smc_batches`."""
    base_seed = options.get("base_seed", 0)

    def evaluate(g: int, start: int, thetas: list[np.ndarray]) -> np.ndarray:
        return np.array([float(distance(simulate(th, sim_seed(base_seed, g, start + a, 0))))
                         for a, th in enumerate(thetas)])

    return abc_smc_batches(evaluate, prior, **options)
