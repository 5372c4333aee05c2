"""Monte Carlo over seeds: many runs of one scenario, reduced to the form of the record.

Seeds come from a numpy ``SeedSequence`` (:mod:`model.analysis.seeds`): run ``k`` of an
ensemble with base seed ``s`` uses ``SeedSequence(s).spawn(n)[k]``, so a run's result depends
only on ``(s, k)`` and never on the number of workers or the order in which runs finish; its
row names the seed ``s/k``, which ``troika run --seed s/k`` runs again.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor

from model.analysis.outcomes import RunOutcome, reduce_run, scorecard
from model.analysis.seeds import (  # noqa: F401 (re-exported)
    DEFAULT_BASE_SEED,
    run_seed,
    run_seeds,
    seed_label,
)
from model.cases.scenario import Scenario
from model.engine.model import SuccessionModel
from model.engine.spec import LIMITS
from model.processes import pool_worker_init


def run_one(job) -> RunOutcome:
    """Run one job ``(scenario, seed sequence, coalition rule, parameter overrides)``."""
    scenario, seq, rule, parameters = job
    model = SuccessionModel(scenario, rng=seq, parameters=parameters, coalition_rule=rule,
                            collect_data=False)
    return reduce_run(model.run(), seed_label(seq))


BACKENDS = ("local", "dask")


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes (at most ``LIMITS.workers_per_core`` per core), each
    of which dies with this process (even after ``kill -9``) and leaves Ctrl-C to it
    (:func:`model.processes.pool_worker_init`).

    Forked from this process when it runs a single thread (fast: the model is already
    imported); started by a fork server that preloads the model when other threads are
    running (dask, a notebook kernel), because fork() from a multi-threaded process can
    deadlock. (A fork server re-imports the ``__main__`` module, like spawn: scripts that
    run ensembles from threaded programs need the usual ``if __name__ == "__main__":``.)
    """
    workers = min(workers, max_workers())
    if threading.active_count() == 1:
        return ProcessPoolExecutor(max_workers=workers,
                                   mp_context=multiprocessing.get_context("fork"),
                                   initializer=pool_worker_init, initargs=(os.getpid(),))
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["model.engine.model", "model.analysis.outcomes"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                               initializer=pool_worker_init)


def stop_pool(pool: ProcessPoolExecutor, interrupted: bool = False) -> None:
    """Shut a pool down; when ``interrupted`` (Ctrl-C, SIGTERM) without waiting for the
    runs under way: their workers are killed, so that the command stops at once."""
    if not interrupted:
        pool.shutdown()
        return
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):  # no public API
        proc.kill()


def run_ensemble(
    scenario: Scenario,
    runs: int,
    *,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    coalition_rule: str = "agents",
    parameters: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    backend: str = "local",
    scheduler: str | None = None,
    indices: Iterable[int] | None = None,
    executor: ProcessPoolExecutor | DaskRunner | None = None,
    posterior=None,
) -> list[RunOutcome]:
    """Run seeds of ``scenario`` and return their outcomes in seed order.

    Args:
        scenario: a validated scenario.
        runs: number of runs (>= 1); run ``k`` uses :func:`run_seed` ``(base_seed, k)``.
        workers: processes to use (1 runs in this process; with dask, the size of the
            LocalCluster started when no scheduler is given).
        base_seed: entropy of the ensemble's ``SeedSequence``.
        coalition_rule: the model (``"agents"``) or a baseline.
        parameters: parameter overrides for every run.
        progress: called with ``(done, total)`` after each run.
        backend: ``"local"`` (a process pool) or ``"dask"`` (dask.distributed; install the
            ``dask`` extra).
        scheduler: address of a running dask scheduler (default: start a LocalCluster).
        indices: run only these run numbers (default ``range(runs)``).
        executor: a process pool (local backend) or a :class:`DaskRunner` (dask backend)
            to reuse, e.g. across chunks.
        posterior: a :class:`model.analysis.posterior.Posterior`: run ``k`` draws its
            parameters and inputs from it (:meth:`~model.analysis.posterior.Posterior.draw`;
            its parameters override ``parameters``).
    """
    if runs < 1:
        raise ValueError(f"runs: must be at least 1, got {runs}")
    if workers < 1:
        raise ValueError(f"workers: must be at least 1, got {workers}")
    if backend not in BACKENDS:
        raise ValueError(f"backend: {backend!r} is not one of {', '.join(BACKENDS)}")
    ks = list(range(runs)) if indices is None else sorted(indices)
    if posterior is None:
        jobs = [(scenario, run_seed(base_seed, k), coalition_rule, parameters) for k in ks]
    else:
        jobs = [(sc, run_seed(base_seed, k), coalition_rule, over) for k in ks
                for sc, over in [posterior.draw(scenario, base_seed, k, parameters)]]
    if backend == "dask":
        if isinstance(executor, DaskRunner):
            return executor.map(jobs, progress)
        return _map_dask(jobs, workers, scheduler, progress)
    return list(map_in_order(run_one, jobs, workers, progress, executor))


def map_in_order(fn: Callable, jobs: list, workers: int, progress=None,
                 executor: ProcessPoolExecutor | None = None) -> Iterable:
    """``fn`` over ``jobs``, results in job order: in this process when ``workers`` is 1,
    else on ``executor`` or a new :func:`process_pool`; ``progress(done, total)`` after
    each job."""
    total = len(jobs)
    if executor is None and (workers == 1 or total <= 1):
        for k, job in enumerate(jobs, 1):
            yield fn(job)
            if progress:
                progress(k, total)
        return
    workers = min(workers, total)
    chunk = max(1, total // (workers * 8))
    pool = executor or process_pool(workers)
    interrupted = True
    try:
        for k, result in enumerate(pool.map(fn, jobs, chunksize=chunk), 1):
            yield result
            if progress:
                progress(k, total)
        interrupted = False
    finally:
        if executor is None:
            stop_pool(pool, interrupted)


def run_many(scenario: Scenario, seeds: list, rule: str, parameters: dict | None
             ) -> list[RunOutcome]:
    """Run the seeds ``seeds`` of one scenario in turn: one task of the dask backend (the
    scenario comes from the worker's copy, sent once)."""
    return [run_one((scenario, seq, rule, parameters)) for seq in seeds]


#: dask settings for the LocalCluster a DaskRunner starts (see its constructor).
QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


class DaskRunner:
    """One dask.distributed client for a whole ensemble (or several): on ``scheduler``, or
    on a LocalCluster of ``workers`` single-threaded processes started once. Each scenario
    is sent once to every worker (``scatter(broadcast=True)``) and the runs go out as tasks
    of several seeds each, so that workers import the model once and a task's overhead is
    shared by its runs. Use as a context manager, or call :meth:`close`."""

    def __init__(self, workers: int = 1, scheduler: str | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise RuntimeError(
                "backend 'dask' needs dask.distributed: pip install 'troika[dask]'"
            ) from exc
        self.cluster = None
        if scheduler is None:
            import dask

            # Workers of our own: no sampling profiler, memory monitor or fast ticks, which
            # cost CPU all the time a worker lives (the workers inherit this config).
            with dask.config.set(QUIET_WORKERS):
                self.cluster = LocalCluster(n_workers=min(workers, max_workers()),
                                            threads_per_worker=1, processes=True,
                                            dashboard_address=None, host="127.0.0.1",
                                            memory_limit=0)
        try:
            self.client = Client(scheduler or self.cluster, timeout=10)
        except BaseException:
            if self.cluster is not None:
                self.cluster.close()
            raise
        self.workers = workers
        self._sent: dict[int, tuple[Scenario, object]] = {}

    def _scenario(self, scenario: Scenario):
        """The future of ``scenario`` on the workers (sent on first use)."""
        held = self._sent.get(id(scenario))
        if held is None or held[0] is not scenario:
            held = (scenario, self.client.scatter(scenario, broadcast=True, hash=False))
            self._sent[id(scenario)] = held
        return held[1]

    def map(self, jobs: list, progress=None) -> list[RunOutcome]:
        """Outcomes of ``jobs`` (as :func:`run_one` takes them), in job order;
        ``progress(done, total)`` after each task."""
        from dask.distributed import as_completed

        total = len(jobs)
        nworkers = max(1, len(self.client.scheduler_info().get("workers", {})) or self.workers)
        size = max(1, min(25, -(-total // (nworkers * 4))))
        futures, spans = [], {}
        for start in range(0, total, size):
            part = jobs[start:start + size]
            groups: dict = {}
            for k, (scenario, seq, rule, parameters) in enumerate(part, start):
                key = (id(scenario), rule, repr(parameters))
                groups.setdefault(key, (scenario, rule, parameters, []))[3].append((k, seq))
            for scenario, rule, parameters, items in groups.values():
                fut = self.client.submit(run_many, self._scenario(scenario),
                                         [seq for _, seq in items], rule, parameters,
                                         pure=False)
                futures.append(fut)
                spans[fut.key] = [k for k, _ in items]
        results: list = [None] * total
        done = 0
        for fut in as_completed(futures):
            ks = spans[fut.key]
            for k, outcome in zip(ks, fut.result(), strict=True):
                results[k] = outcome
            done += len(ks)
            if progress:
                progress(done, total)
        return results

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _map_dask(jobs: list, workers: int, scheduler: str | None, progress) -> list[RunOutcome]:
    """Run the jobs on a :class:`DaskRunner` started for them alone."""
    with DaskRunner(min(workers, len(jobs)), scheduler) as runner:
        return runner.map(jobs, progress)


class Progress:
    """A one-line progress bar with the time left, on stderr; silent when stderr is not a
    terminal (CI, pipes, notebooks)."""

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        left = elapsed / done * (total - done) if done else 0.0
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {done}/{total}  {elapsed:5.0f}s elapsed, ~{left:4.0f}s left"
        )
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def default_workers() -> int:
    """Worker processes to use by default: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def max_workers() -> int:
    """The most worker processes a command may ask for: ``LIMITS.workers_per_core`` per
    core (README, Limits). Pools are also never larger than the runs they have to do."""
    return LIMITS.workers_per_core * default_workers()


def score_variants(
    variants: Iterable[tuple[str, Scenario, dict | None]],
    runs: int,
    criteria,
    *,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    progress_factory: Callable[[str], Callable[[int, int], None]] | None = None,
) -> list[list[dict]]:
    """The scorecard of each variant ``(label, scenario, parameter overrides)``, every one
    run on the same ``runs`` seeds (common random numbers) through one process pool: the
    shared loop of ablation and robustness."""
    if runs < 1:
        raise ValueError(f"runs: must be at least 1, got {runs}")
    if workers < 1:
        raise ValueError(f"workers: must be at least 1, got {workers}")
    pool = process_pool(workers) if workers > 1 and runs > 1 else None
    try:
        cards = []
        for label, scenario, overrides in variants:
            progress = progress_factory(label) if progress_factory else None
            outs = run_ensemble(scenario, runs, workers=workers, base_seed=base_seed,
                                parameters=overrides or None, progress=progress,
                                executor=pool)
            cards.append(scorecard(outs, criteria))
        return cards
    finally:
        if pool is not None:
            pool.shutdown()

