"""Ensembles on disk: one row per run, written in chunks, resumable; and their summaries.

``troika ensemble`` writes ``chunks/runs-<first>-<last>.csv`` files (each atomically), so a
run killed part way loses nothing that finished; ``--resume`` runs only the run numbers that
no chunk holds yet. ``runs.csv`` (all rows, in run order) and ``summary.csv`` are then
rebuilt from the chunks, so a resumed ensemble gives the same files as an uninterrupted one.

A folder holds one ensemble: ``chunks/FINGERPRINT`` records digests of the fully resolved
scenario (after ``extends`` and ``--set``), of its parameters, the base seed and the code
version, and ``--resume`` refuses a folder whose fingerprint differs in any of them. A lock
(``.lock``, ``flock``) keeps a second process out while one is writing.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import math
import os
import shutil
import signal
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from functools import partial
from importlib import metadata
from pathlib import Path

import numpy as np
from scipy.stats import beta

from model.analysis.ensemble import (
    DEFAULT_BASE_SEED,
    DaskRunner,
    process_pool,
    run_ensemble,
    stop_pool,
)
from model.analysis.measures import Measure, measures_of
from model.analysis.outcomes import NEVER, RunOutcome, criteria_of, month_label, quantiles
from model.atomic import atomic_write_bytes, atomic_write_text
from model.cases.casefile import Case, OutcomeSpec
from model.cases.scenario import Scenario
from model.processes import Stopped

CHUNK = 50


def outcome_value(spec: OutcomeSpec, measure: Measure | None, o: RunOutcome) -> object:
    """The value of a main outcome in one run: a leader's name (``none`` for nobody), a
    month (``never``), a count (``''`` when there was no vote) or a ``;``-list of names."""
    if spec.show == "ruling_at_end":
        return o.ruling[-1] if o.ruling and o.ruling[-1] else "none"
    if spec.show == "holder_at_end":
        return (o.holders.get(spec.office) or [""])[-1] or "none"
    if spec.show == "recanted":
        return ";".join(sorted(o.recanted))
    if spec.show == "refused":
        return ";".join(sorted(o.refused))
    value, _ = measure(o)
    if spec.show == "month":
        return NEVER if math.isnan(value) else month_label(value)
    return "" if math.isnan(value) else int(value)


def main_outcomes(case: Case) -> tuple[tuple[str, str, Callable[[RunOutcome], object]], ...]:
    """The main outcomes of a run, as ``(column, description, function of a RunOutcome)``,
    from the case file's ``outcomes``."""
    measures = measures_of(case)
    return tuple((s.column, s.description,
                  partial(outcome_value, s, measures.get(s.measure or "")))
                 for s in case.spec.outcomes)


def outcome_row(run: int, o: RunOutcome, parameters: dict, case: Case) -> dict:
    """One row of the long table: run number, seed, parameters, main outcomes, and each
    validation criterion's value and hit."""
    row: dict = {"run": run, "seed": o.seed}
    for k, v in parameters.items():
        row[f"param.{k}"] = json.dumps(v) if isinstance(v, list | tuple) else v
    for col, _, fn in main_outcomes(case):
        row[col] = fn(o)
    for c in criteria_of(case):
        value, hit = c.measure(o)
        if c.kind == "date":
            row[f"{c.id}.value"] = NEVER if math.isnan(value) else month_label(value)
        else:
            row[f"{c.id}.value"] = "" if math.isnan(value) else value
        row[f"{c.id}.hit"] = int(hit)
    return row


def _csv_text(rows: Sequence[dict]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def _read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def done_runs(out_dir: Path) -> dict[int, dict]:
    """Rows already written in ``out_dir/chunks``, by run number."""
    rows: dict[int, dict] = {}
    for path in sorted((Path(out_dir) / "chunks").glob("runs-*.csv")):
        for row in _read_csv(path):
            rows[int(row["run"])] = row
    return rows


class EnsembleFolderError(ValueError):
    """The output folder cannot take this ensemble (a user error: another ensemble is
    stored there, or another process is writing to it)."""


class EnsembleExistsError(EnsembleFolderError, FileExistsError):
    """The folder already holds runs and ``resume`` was not asked for."""


class Interrupted(Stopped):
    """An ensemble stopped by Ctrl-C or a signal; ``note`` says what was kept."""


def code_version() -> str:
    """troika's version and a digest of the package's source: a resumed ensemble must be
    run by the same code as the runs it continues."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        version = metadata.version("troika")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"{version}+{digest.hexdigest()[:16]}"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def fingerprint(scenario: Scenario, base_seed: int) -> dict[str, str]:
    """What makes an ensemble one ensemble: the fully resolved scenario, its parameters,
    the base seed (the run seeds are spawned from it) and the code version."""
    return {"scenario": _digest(scenario.model_dump(mode="json")),
            "parameters": _digest(scenario.parameters.model_dump(mode="json")),
            "base_seed": str(base_seed), "code": code_version()}


def _read_fingerprint(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    return dict(line.split(": ", 1) for line in lines if ": " in line)


@contextmanager
def folder_lock(out_dir: Path):
    """Hold ``out_dir/.lock`` (``flock``, released by the kernel however the process ends)
    while an ensemble writes to ``out_dir``; another process is refused."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            raise EnsembleFolderError(
                f"{out_dir}: another troika process (pid {holder}) is writing an ensemble "
                "here; wait for it to finish or choose another --out") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


def run_to_dir(
    scenario: Scenario,
    runs: int,
    out_dir: Path,
    *,
    case: Case,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    resume: bool = False,
    chunk: int = CHUNK,
    backend: str = "local",
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    posterior=None,
    fmt: str = "csv",
) -> list[dict]:
    """Run an ensemble into ``out_dir`` chunk by chunk; returns all rows in run order.

    With ``posterior`` (:class:`model.analysis.posterior.Posterior`) run ``k`` draws its
    parameters and inputs from it; its row gives the particle drawn and the parameters
    used, and the posterior's particles are part of the fingerprint.

    The chunks are CSV; the whole tables are written as ``runs.csv`` and ``summary.csv``,
    or with ``fmt="parquet"`` as ``runs.parquet`` and ``summary.parquet`` (the ``parquet``
    extra, pyarrow).

    Without ``resume`` an existing ``out_dir/chunks`` is an error (so that two different
    ensembles are never mixed); with it, a folder whose :func:`fingerprint` differs is an
    error (:class:`EnsembleFolderError`), and so is a folder another process is writing to.
    Ctrl-C or SIGTERM raise :class:`Interrupted`, whose note says how many runs were kept.
    """
    out_dir = Path(out_dir)
    created = _first_missing(out_dir)
    try:
        with folder_lock(out_dir):
            return _run_locked(scenario, runs, out_dir, case=case, workers=workers,
                               base_seed=base_seed, resume=resume, chunk=chunk,
                               backend=backend, scheduler=scheduler, progress=progress,
                               posterior=posterior, fmt=fmt)
    except BaseException:
        if created is not None and not any((out_dir / "chunks").glob("runs-*.csv")):
            shutil.rmtree(created, ignore_errors=True)  # nothing kept: leave nothing behind
        raise


def _first_missing(path: Path) -> Path | None:
    """The outermost folder of ``path`` that does not exist yet (None if it exists)."""
    if path.exists():
        return None
    while not path.parent.exists() and path.parent != path:
        path = path.parent
    return path


def _run_locked(scenario, runs, out_dir, *, case, workers, base_seed, resume, chunk, backend,
                scheduler, progress, posterior=None, fmt="csv") -> list[dict]:
    chunks = out_dir / "chunks"
    manifest = {"scenario": scenario.name, "base_seed": base_seed,
                "parameters": scenario.parameters.model_dump(mode="json")}
    manifest_path = out_dir / "ensemble.json"
    prints = fingerprint(scenario, base_seed)
    if posterior is not None:
        manifest["posterior"] = posterior.path
        if posterior.inputs_from:
            manifest["input_priors"] = posterior.inputs_from
        prints["posterior"] = _digest([list(posterior.rows), posterior.weights.tolist()])
    print_path = chunks / "FINGERPRINT"
    if chunks.exists() and any(chunks.glob("runs-*.csv")):
        if not resume:
            raise EnsembleExistsError(f"{chunks}: already holds runs; use --resume to continue")
        old = _read_fingerprint(print_path)
        # every key of either: a stored posterior (or input draws) not asked for again differs
        differ = [k for k in dict.fromkeys([*prints, *old]) if old.get(k) != prints.get(k)]
        if differ:
            what = "no fingerprint" if not old else f"another {', '.join(differ)}"
            raise EnsembleFolderError(
                f"{out_dir}: a different ensemble is stored here ({what}); --resume continues "
                "only the same scenario, parameters, seed and code: choose another --out")
    chunks.mkdir(parents=True, exist_ok=True)
    atomic_write_text(print_path, "".join(f"{k}: {v}\n" for k, v in prints.items()))
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2) + "\n")
    done = done_runs(out_dir)
    todo = [k for k in range(runs) if k not in done]
    params = scenario.parameters.model_dump(mode="json")
    finished = sum(1 for k in done if k < runs)
    pool = None  # one pool or dask cluster for all the chunks
    interrupted = False
    try:
        if backend == "dask" and todo:
            pool = DaskRunner(min(workers, len(todo)), scheduler)
        elif backend == "local" and workers > 1 and len(todo) > chunk:
            pool = process_pool(min(workers, len(todo)))
        for start in range(0, len(todo), chunk):
            part = todo[start:start + chunk]

            def step(k: int, _total: int, base: int = finished + start) -> None:
                if progress:
                    progress(base + k, runs)

            outcomes = run_ensemble(scenario, runs, workers=workers, base_seed=base_seed,
                                    backend=backend, scheduler=scheduler, indices=part,
                                    progress=step, executor=pool, posterior=posterior)
            rows = [outcome_row(k, o, _run_parameters(params, posterior, base_seed, k), case)
                    for k, o in zip(part, outcomes, strict=True)]
            name = f"runs-{part[0]:06d}-{part[-1]:06d}.csv"
            atomic_write_text(chunks / name, _csv_text(rows))
    except (KeyboardInterrupt, Stopped) as exc:
        interrupted = True
        kept = sum(1 for k in done_runs(out_dir) if k < runs)
        raise Interrupted(getattr(exc, "signum", signal.SIGINT),
            f"{kept} of {runs} runs are kept in {chunks} (whole chunks of {chunk}); the same "
            "command with --resume runs the rest") from exc
    finally:
        if isinstance(pool, DaskRunner):
            pool.close()
        elif pool is not None:
            stop_pool(pool, interrupted)
    all_rows = done_runs(out_dir)
    ordered = [all_rows[k] for k in range(runs)]
    summary = summarise(ordered, case)
    write_table(out_dir / "runs", ordered, fmt)
    write_table(out_dir / "summary", summary, fmt)
    return ordered


def _run_parameters(params: dict, posterior, base_seed: int, k: int) -> dict:
    """The parameters of run ``k`` (with a posterior: the particle it drew, and that
    particle's parameters and inputs)."""
    if posterior is None:
        return params
    i = posterior.pick(base_seed, k)
    return {**params, **posterior.rows[i], "particle": i}


FORMATS = ("csv", "parquet")
PARQUET_HINT = "pyarrow is not installed (pip install 'troika[parquet]')"


def parquet_available() -> bool:
    """Whether Parquet tables can be written (pyarrow, the ``parquet`` extra)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def write_table(stem: Path, rows: Sequence[dict], fmt: str = "csv") -> Path:
    """Write ``rows`` to ``stem.csv``, or to ``stem.parquet`` (columns typed as a CSV reader
    would type them: numbers as numbers, months and seeds as text), atomically."""
    text = _csv_text(rows)
    if fmt == "csv":
        path = stem.with_suffix(".csv")
        atomic_write_text(path, text)
        return path
    if fmt != "parquet":
        raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if not parquet_available():
        raise ImportError(PARQUET_HINT)
    import pandas as pd

    frame = pd.read_csv(io.StringIO(text), dtype={"seed": str}, keep_default_na=False,
                        na_values=[""]) if rows else pd.DataFrame()
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, engine="pyarrow")
    path = stem.with_suffix(".parquet")
    atomic_write_bytes(path, buf.getvalue())
    return path


def jeffreys(k: int, n: int, level: float = 0.9) -> tuple[float, float]:
    """Jeffreys interval for a binomial proportion (``level`` coverage): the honest interval
    for a probability estimated from ``n`` runs."""
    a = (1 - level) / 2
    lo = 0.0 if k == 0 else float(beta.ppf(a, k + 0.5, n - k + 0.5))
    hi = 1.0 if k == n else float(beta.ppf(1 - a, k + 0.5, n - k + 0.5))
    return lo, hi


def summarise(rows: Sequence[dict], case: Case) -> list[dict]:
    """Outcome probabilities with 90% intervals (Jeffreys), and medians with 5–95% ranges
    for the dated and counted outcomes (the case's criteria and main outcomes)."""
    n = len(rows)
    out = []

    def prob(name: str, desc: str, hits: list[bool]) -> None:
        k = sum(hits)
        lo, hi = jeffreys(k, n)
        out.append({"outcome": name, "description": desc, "kind": "probability",
                    "estimate": round(k / n, 4), "low": round(lo, 4), "high": round(hi, 4),
                    "runs": n})

    for c in criteria_of(case):
        if c.ensemble_test is None:  # a tally tested over the ensemble is summarised as a count
            prob(f"{c.id}", c.statement, [str(r[f"{c.id}.hit"]) == "1" for r in rows])
    for spec in case.spec.outcomes:
        col, desc = spec.column, spec.description
        values = [str(r[col]) for r in rows]
        if spec.show in ("ruling_at_end", "holder_at_end"):
            for v in sorted(set(values)):
                prob(f"{col}={v}", f"{desc}: {v}", [x == v for x in values])
        elif spec.show in ("recanted", "refused"):
            names = sorted({x for v in values for x in v.split(";") if x})
            for name in names:
                prob(f"{col}:{name}", f"{name} in '{desc}'",
                     [name in v.split(";") for v in values])
        elif spec.show == "count":
            nums = np.array([float(v) for v in values if v != ""])
            if nums.size:
                q = quantiles(nums, [0.5, 0.05, 0.95])  # observed values: whole counts
                out.append({"outcome": col, "description": desc, "kind": "count",
                            "estimate": round(float(q[0]), 1), "low": round(float(q[1]), 1),
                            "high": round(float(q[2]), 1), "runs": int(nums.size)})
        else:
            prob(f"{col}:happens", f"{desc}: happens at all", [v != NEVER for v in values])
            months = sorted(v for v in values if v != NEVER)
            if months:
                q = np.quantile(np.arange(len(months)), [0.5, 0.05, 0.95])
                pick = [months[int(round(x))] for x in q]
                out.append({"outcome": col, "description": desc + " (when it happens)",
                            "kind": "month", "estimate": pick[0], "low": pick[1],
                            "high": pick[2], "runs": len(months)})
    return out
