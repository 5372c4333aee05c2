"""Global sensitivity analysis of the model's free parameters (SALib).

``troika sensitivity`` varies the parameters of :data:`PRIORS` together over their ranges,
runs a small ensemble of seeds at each sample point (the same seeds at every point: common
random numbers) and measures how much each parameter drives each outcome:

* the hit rate of each validation criterion of the case (criteria that share a measure,
  like the two criteria on one congress's tally, count once);
* the means of the case's ``sensitivity.outputs`` (for 1922-27: the step at which Trotsky
  loses the War Commissariat, the step at which the troika breaks, never = the last step +
  1, and the votes against the report at the 14th Congress).

Two methods: Morris elementary effects (screening; ``mu_star`` and ``sigma``) and Sobol
variance decomposition with Saltelli sampling (``S1`` and ``ST`` with confidence
intervals). The samplers get a fixed numpy seed, and the sample points are evaluated in
point order, so the result is the same for any number of workers.

SALib is an optional dependency: ``pip install 'troika[analysis]'``.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from model.analysis.ensemble import DEFAULT_BASE_SEED, map_in_order, run_one, run_seed
from model.analysis.measures import Measure, measures_of, month_label
from model.analysis.outcomes import RunOutcome, criteria_of, title_of
from model.atomic import atomic_write_text, save_figure
from model.cases.casefile import Case
from model.cases.scenario import Scenario
from model.engine.parameters import sweep_of
from model.tables import markdown_table

METHODS = ("morris", "sobol")
DEFAULT_N = {"morris": 10, "sobol": 64}
INDEX = {"morris": "mu_star", "sobol": "ST"}
MORRIS_LEVELS = 4
FILES = ("sensitivity.csv", "sensitivity.md", "sensitivity.png", "samples.csv")
INSTALL_HINT = "sensitivity analysis needs SALib: pip install 'troika[analysis]'"

# The parameters varied together, in this order; each one's range (low, high, why) is on its
# field in model/engine/parameters.py (``sweep``), inside the field's bounds (checked in
# tests/test_sensitivity.py).
SWEPT: tuple[str, ...] = (
    "act_drive", "act_cost", "act_fear", "act_temperature", "act_nest", "charge_decay",
    "standing_premium",
    "campaign_rate", "enemy_beaten_share", "successor_fear", "heir_prestige", "w_apparatus",
    "w_prestige", "apprehension_weight", "exposure_weight", "grudge_weight",
    "common_enemy_decay", "appointment_rate", "factionalism", "sanction_margin",
    "decision_temperature",
)
PRIORS: dict[str, tuple[float, float, str]] = {name: sweep_of(name) for name in SWEPT}


# --------------------------------------------------------------------------------------
# outcomes of a sample point


def hit_outcomes(case: Case) -> list[tuple[str, str, Measure]]:
    """``(name, description, measure)`` per distinct measure of the case's criteria."""
    groups: dict[str, list] = {}
    for c in criteria_of(case):
        groups.setdefault(c.measure.name, []).append(c)
    out = []
    for crits in groups.values():
        ids = [c.id for c in crits]
        if len(ids) == 1:
            name = ids[0]
        else:  # the common prefix of the ids, e.g. congress14_interval/median -> congress14
            k = 0
            while all(len(i) > k and i[k] == ids[0][k] for i in ids):
                k += 1
            name = ids[0][:k].rstrip("_") or ids[0]
        measure = crits[0].measure
        out.append((f"hit_{name}", f"hit rate: {measure.text or crits[0].statement}", measure))
    return out


@dataclass(frozen=True)
class PointValue:
    """The per-run value of a case's sensitivity output: the measure's value, or (``scale =
    "step"``) the step of its month, never = the last step + 1."""

    measure: Measure
    scale: str

    def __call__(self, o: RunOutcome) -> float:
        value, _ = self.measure(o)
        if self.scale != "step":
            return float(value)
        return float(len(o.months) if np.isnan(value) else o.step_of(month_label(value)))


def continuous_outcomes(case: Case) -> list[tuple[str, str, PointValue]]:
    """``(name, description, per-run value)`` of the case's sensitivity outputs."""
    measures = measures_of(case)
    return [(p.id, p.description, PointValue(measures[p.measure], p.scale))
            for p in case.spec.sensitivity.outputs]


def outcomes_of(case: Case) -> tuple[list, list]:
    """The hit outcomes and the continuous outcomes of a case."""
    return hit_outcomes(case), continuous_outcomes(case)


def point_outcomes(outcomes: list[RunOutcome], hits: list, continuous: list) -> list[float]:
    """The outcomes (hit rates, then means) of one sample point's seed ensemble."""
    values = [float(np.mean([bool(m(o)[1]) for o in outcomes])) for _, _, m in hits]
    for _, _, fn in continuous:
        v = np.array([fn(o) for o in outcomes], dtype=float)
        values.append(float(np.nanmean(v)) if np.any(~np.isnan(v)) else float("nan"))
    return values


def evaluate_point(job) -> list[float]:
    """Run one sample point ``(scenario, overrides, seeds, base_seed, hits, continuous)``
    over its seeds."""
    scenario, overrides, seeds, base_seed, hits, continuous = job
    outs = [run_one((scenario, run_seed(base_seed, k), "agents", overrides))
            for k in range(seeds)]
    return point_outcomes(outs, hits, continuous)


# --------------------------------------------------------------------------------------
# the analysis


def problem(priors: dict = PRIORS) -> dict:
    """The SALib problem of :data:`PRIORS`."""
    return {"num_vars": len(priors), "names": list(priors),
            "bounds": [[lo, hi] for lo, hi, _ in priors.values()]}


@dataclass
class SensitivityResult:
    """Sample points, their outcomes, and the sensitivity indices.

    ``indices[outcome][parameter]`` holds the statistics of the method (Morris:
    ``mu_star``, ``mu_star_conf``, ``sigma``, ``mu``; Sobol: ``S1``, ``S1_conf``, ``ST``,
    ``ST_conf``); ``index`` names the one used to rank (``mu_star`` or ``ST``).
    """

    scenario: str
    method: str
    n: int
    seeds: int
    base_seed: int
    parameters: list[str]
    outcomes: list[str]
    X: np.ndarray
    Y: np.ndarray
    indices: dict[str, dict[str, dict[str, float]]]
    constant: list[str] = field(default_factory=list)
    seconds: float = 0.0
    descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def index(self) -> str:
        return INDEX[self.method]

    def matrix(self) -> np.ndarray:
        """``(parameters, outcomes)`` of the ranking index."""
        return np.array([[self.indices[o][p][self.index] for o in self.outcomes]
                         for p in self.parameters], dtype=float)

    def normalised(self) -> np.ndarray:
        """The ranking index divided by its largest value for each outcome (0 where an
        outcome does not vary)."""
        m = self.matrix()
        top = np.nanmax(np.abs(m), axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(top > 0, m / np.where(top > 0, top, 1), 0.0)
        return out

    def order(self) -> list[int]:
        """Parameter indices, top drivers first (mean normalised index over outcomes)."""
        score = np.nanmean(self.normalised(), axis=1)
        return sorted(range(len(self.parameters)), key=lambda i: (-score[i], i))

    def top(self, outcome: str, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` parameters with the largest positive index for ``outcome``."""
        vals = [(p, self.indices[outcome][p][self.index]) for p in self.parameters]
        vals = [(p, v) for p, v in vals if not np.isnan(v) and v > 0]
        return sorted(vals, key=lambda pv: -pv[1])[:k]


def _analyse(method: str, prob: dict, X: np.ndarray, y: np.ndarray, seed: int) -> dict:
    if method == "morris":
        from SALib.analyze import morris as analyze_morris

        res = analyze_morris.analyze(prob, X, y, num_levels=MORRIS_LEVELS, seed=seed,
                                     print_to_console=False)
        keys = ("mu_star", "mu_star_conf", "sigma", "mu")
    else:
        from SALib.analyze import sobol as analyze_sobol

        res = analyze_sobol.analyze(prob, y, calc_second_order=False, seed=seed,
                                    print_to_console=False)
        keys = ("S1", "S1_conf", "ST", "ST_conf")
    return {p: {k: float(res[k][i]) for k in keys} for i, p in enumerate(prob["names"])}


def _zero(method: str, names: list[str], value: float = 0.0) -> dict:
    keys = (("mu_star", "mu_star_conf", "sigma", "mu") if method == "morris"
            else ("S1", "S1_conf", "ST", "ST_conf"))
    return {p: dict.fromkeys(keys, value) for p in names}


def sensitivity(
    scenario: Scenario,
    method: str = "morris",
    *,
    case: Case,
    n: int | None = None,
    seeds: int = 4,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    priors: dict = PRIORS,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityResult:
    """Sample the parameters of ``priors``, run ``seeds`` seeds at each point and compute the
    sensitivity indices of every outcome.

    Args:
        scenario: a validated scenario (its parameters are the background).
        method: ``"morris"`` (``n`` trajectories, default 10) or ``"sobol"`` (``n`` base
            samples, a power of 2, default 64; first and total order).
        seeds: runs per sample point (seeds ``run_seed(base_seed, k)``, ``k < seeds``).
        workers: processes; the points come back in order whatever their number.
        base_seed: seed of the runs and of the samplers and bootstraps.
        progress: called with ``(done, total)`` points.

    Raises:
        ValueError: a bad method or number; ImportError when SALib is not installed.
    """
    if method not in METHODS:
        raise ValueError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    n = DEFAULT_N[method] if n is None else n
    if n < 2:
        raise ValueError(f"n: must be at least 2, got {n}")
    if method == "sobol" and n & (n - 1):
        raise ValueError(f"n: Sobol sampling needs a power of 2, got {n}")
    if seeds < 1:
        raise ValueError(f"seeds: must be at least 1, got {seeds}")
    if workers < 1:
        raise ValueError(f"workers: must be at least 1, got {workers}")
    if method == "morris":
        from SALib.sample import morris as sample_morris
    else:
        from SALib.sample import sobol as sample_sobol

    t0 = time.monotonic()
    prob = problem(priors)
    salib_seed = int(base_seed) % 2**32
    if method == "morris":
        X = sample_morris.sample(prob, n, num_levels=MORRIS_LEVELS, seed=salib_seed)
    else:
        X = sample_sobol.sample(prob, n, calc_second_order=False, seed=salib_seed)
    names = prob["names"]
    hits, continuous = outcomes_of(case)
    outcomes = [n for n, _, _ in (*hits, *continuous)]
    jobs = [(scenario, {p: float(v) for p, v in zip(names, x, strict=True)}, seeds, base_seed,
             hits, continuous) for x in X]
    Y = np.array(list(map_in_order(evaluate_point, jobs, workers, progress)), dtype=float)
    indices, constant = {}, []
    for j, outcome in enumerate(outcomes):
        y = Y[:, j]
        if np.any(np.isnan(y)):
            indices[outcome] = _zero(method, names, float("nan"))
        elif np.ptp(y) == 0:
            indices[outcome] = _zero(method, names)
            constant.append(outcome)
        else:
            indices[outcome] = _analyse(method, prob, X, y, salib_seed)
    return SensitivityResult(
        scenario=scenario.name, method=method, n=n, seeds=seeds, base_seed=base_seed,
        parameters=names, outcomes=outcomes, X=X, Y=Y, indices=indices,
        constant=constant, seconds=time.monotonic() - t0,
        descriptions={n: d for n, d, _ in (*hits, *continuous)},
    )


# --------------------------------------------------------------------------------------
# tables and figure


def _fmt(x: float) -> str:
    return "nan" if np.isnan(x) else f"{x:.4g}"


def index_rows(result: SensitivityResult) -> list[dict]:
    """Parameters (top drivers first) × outcomes of the ranking index, with each
    parameter's range and its mean normalised index."""
    norm = result.normalised()
    m = result.matrix()
    rows = []
    for i in result.order():
        p = result.parameters[i]
        lo, hi, _ = PRIORS.get(p, (np.nan, np.nan, ""))
        row = {"parameter": p, "low": lo, "high": hi,
               "mean_normalised": round(float(np.nanmean(norm[i])), 4)}
        row.update({o: round(float(m[i, j]), 6) for j, o in enumerate(result.outcomes)})
        rows.append(row)
    return rows


def table_csv(result: SensitivityResult) -> str:
    """The index table as CSV (one row per parameter, top drivers first)."""
    rows = index_rows(result)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def samples_csv(result: SensitivityResult) -> str:
    """Every sample point: its parameter values and its outcomes."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["point", *result.parameters, *result.outcomes])
    for k, (x, y) in enumerate(zip(result.X, result.Y, strict=True)):
        w.writerow([k, *(f"{v:.6g}" for v in x), *(f"{v:.6g}" for v in y)])
    return buf.getvalue()


def _stats(result: SensitivityResult, outcome: str, p: str) -> str:
    s = result.indices[outcome][p]
    if result.method == "morris":
        return (f"mu* {_fmt(s['mu_star'])} ± {_fmt(s['mu_star_conf'])}, "
                f"sigma {_fmt(s['sigma'])}")
    return (f"S1 {_fmt(s['S1'])} ± {_fmt(s['S1_conf'])}, "
            f"ST {_fmt(s['ST'])} ± {_fmt(s['ST_conf'])}")


def table_markdown(result: SensitivityResult) -> str:
    """The priors, the index table and the top three parameters per outcome."""
    idx = result.index
    what = ("Morris elementary effects: `mu_star` is the mean absolute change of the outcome "
            "per full range of one parameter (elementary effects over steps of 2/3 of the "
            "range, the others held), `sigma` their spread (interactions, non-linearity)"
            if result.method == "morris" else
            "Sobol indices with Saltelli sampling, `ST` (total order: the share of the "
            "outcome's variance due to the parameter with all its interactions) and `S1` "
            "(first order)")
    points = len(result.X)
    lines = [
        f"# Sensitivity of {result.scenario}: {result.method}",
        "",
        f"{what}. {points} sample points ({result.method} n = {result.n}), {result.seeds} "
        f"seed(s) per point (the same seeds at every point), base seed {result.base_seed}.",
        "",
        "## Parameters and their ranges",
        "",
        markdown_table(["parameter", "low", "high", "why"],
                       [[f"`{p}`", f"{PRIORS[p][0]:g}", f"{PRIORS[p][1]:g}", PRIORS[p][2]]
                        for p in result.parameters if p in PRIORS]),
    ]
    lines += ["", f"## `{idx}` by parameter (top drivers first) and outcome", ""]
    lines.append(markdown_table(
        ["parameter", *(f"`{o}`" for o in result.outcomes)],
        [[f"`{row['parameter']}`", *(_fmt(row[o]) for o in result.outcomes)]
         for row in index_rows(result)]))
    lines += ["", "## Top three parameters per outcome", ""]
    for o in result.outcomes:
        what = result.descriptions.get(o, o)
        if o in result.constant:
            lines.append(f"- `{o}` ({what}): constant over the sample, no driver")
            continue
        tops = "; ".join(f"`{p}` ({_stats(result, o, p)})" for p, _ in result.top(o))
        lines.append(f"- `{o}` ({what}): {tops}")
    return "\n".join(lines) + "\n"


def plot_sensitivity(result: SensitivityResult, path: Path) -> Path:
    """Heatmap of parameters (top drivers first) × outcomes of the index normalised by its
    largest value per outcome, annotated (:func:`sensitivity_figure` written to
    ``path``)."""
    return save_figure(sensitivity_figure(result), path)


def outcome_title(result: SensitivityResult, name: str) -> str:
    """A readable row title of an outcome: its description (the criterion's text), wrapped,
    marked when it did not vary over the sample."""
    text = result.descriptions.get(name, name) if result.descriptions else name
    text = text.removeprefix("hit rate: ")
    return title_of(text, width=46) + (" [constant]" if name in result.constant else "")


def sensitivity_figure(result: SensitivityResult) -> Figure:
    """The figure of :func:`plot_sensitivity`: outcomes down (titled by their text),
    parameters across (top drivers first)."""
    order = result.order()
    norm = result.normalised()[order].T
    params = [result.parameters[i] for i in order]
    rows = [outcome_title(result, o) for o in result.outcomes]
    fig = Figure(figsize=(4.8 + 0.8 * len(params), 1.9 + 0.5 * len(rows)))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    im = ax.imshow(np.nan_to_num(norm), cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(params)):
            v = norm[i, j]
            ax.text(j, i, "–" if np.isnan(v) else f"{v:.2f}", ha="center", va="center",
                    fontsize=8, color="black" if v > 0.6 else "white")
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_xticks(range(len(params)), params, rotation=40, ha="right", fontsize=9)
    ax.set_ylabel("outcome (the hit rate of a criterion, or a mean step / count)")
    ax.set_xlabel("parameter (top drivers first)")
    label = "Morris mu*" if result.method == "morris" else "Sobol total-order ST"
    ax.set_title(f"Sensitivity of {result.scenario}: {label} per outcome, normalised\n"
                 f"({len(result.X)} sample points × {result.seeds} seed(s))", fontsize=11)
    cbar = fig.colorbar(im, ax=ax, fraction=0.035, pad=0.02)
    cbar.set_label(f"{result.index} / largest {result.index} for the outcome")
    fig.tight_layout()
    return fig


def write_sensitivity(result: SensitivityResult, out_dir: Path) -> list[Path]:
    """sensitivity.csv, sensitivity.md, sensitivity.png and samples.csv (atomically)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_dir / "sensitivity.csv", table_csv(result))
    atomic_write_text(out_dir / "sensitivity.md", table_markdown(result))
    plot_sensitivity(result, out_dir / "sensitivity.png")
    atomic_write_text(out_dir / "samples.csv", samples_csv(result))
    return [out_dir / f for f in FILES]
