"""Figures of a validation ensemble, each with the record drawn beside the simulation.

* ``dates.png``: for each dated criterion, a histogram of the simulated month over the runs,
  the recorded date (or range) marked, and the runs in which it never happens counted;
* ``tallies.png``: for each congress and conference, a histogram of the dissenting votes over
  the runs, the recorded count marked where the record has one (and the baselines behind
  the case's highlighted assembly);
* ``alliances.png``: month by month, the share of runs in which each pair of leaders of the
  case's ``plots.pairs`` is allied, the case's recorded alignment periods shaded.

Each ``plot_x(..., path)`` writes the ``matplotlib.figure.Figure`` that ``x_figure(...)``
returns (for a notebook to show inline). Only the object-oriented matplotlib API is used
(``Figure`` with the Agg canvas). Each file is rendered to a temporary file in the output
folder and then moved into place, so a reader never sees a half-written figure.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from model.analysis.outcomes import (
    NEVER,
    RunOutcome,
    criteria_of,
    month_label,
    month_number,
    quantiles,
    title_of,
)
from model.analysis.scores import recorded_bounds
from model.atomic import save_figure
from model.cases.casefile import Case
from model.cases.record import parse_tally
from model.views.plots import _date_axis, _rec

SIM_COLOUR = "#4c72b0"
SHARE_COLOUR = "#222222"
RECORD_COLOUR = "#d62728"
BASELINE_COLOURS = {"random": "#7f7f7f", "bandwagon": "#bcbd22", "aes": "#17becf",
                    "expected_utility": "#9467bd", "calendar": "#ff7f0e"}

# --------------------------------------------------------------------------------------
# helpers


def _month_ts(number: float) -> pd.Timestamp:
    """A month number (see :func:`month_number`) as the first day of that month."""
    return pd.Timestamp(f"{month_label(number)}-01")


def _span(outcomes: list[RunOutcome], record: pd.DataFrame | None = None
          ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last-plus-one month of the runs (the time axis of every panel); with no
    runs, the span of the record (or of one year of the epoch, when there is none)."""
    months = [m for o in outcomes for m in (o.months[:1] + o.months[-1:])]
    if not months and record is not None and len(record):
        months = [d.strftime("%Y-%m") for d in (record["date"].min(), record["date"].max())]
    if not months:
        return pd.Timestamp("1970-01-01"), pd.Timestamp("1971-01-01")
    first, last = min(months), max(months)
    return _month_ts(month_number(first)), _month_ts(month_number(last) + 1)


def _record_date(record: pd.DataFrame | None, rid: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A record row's date and the other end of its range (the same when there is none);
    ``(NaT, NaT)`` when the record has no such row."""
    row = _rec(record, rid)
    if row is None or pd.isna(row["date"]):
        return pd.NaT, pd.NaT
    date, alt = row["date"], row["date_alt"]
    return date, (date if pd.isna(alt) else alt)


def _grid(n: int, cols: int) -> tuple[int, int]:
    return max(1, math.ceil(n / cols)), cols


def _no_runs(ax) -> None:
    ax.text(0.5, 0.5, "no runs", transform=ax.transAxes, ha="center", va="center")


# --------------------------------------------------------------------------------------
# (a) dates


def dated_criteria(case: Case):
    """The case's criteria whose value is a month."""
    return [c for c in criteria_of(case) if c.kind == "date"]


def date_window(months: np.ndarray, record_dates: list[pd.Timestamp],
                margin_months: int = 2) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The time window of one dated panel: from the earliest to the latest of the simulated
    months and the recorded dates, with ``margin_months`` either side (at least a year wide,
    centred); None when there is neither."""
    points = [_month_ts(m) for m in months] + [d for d in record_dates if not pd.isna(d)]
    if not points:
        return None
    lo, hi = min(points), max(points) + pd.offsets.MonthBegin(1)
    span = (hi - lo).days
    if span < 365:
        pad = pd.Timedelta(days=(365 - span) / 2)
        lo, hi = lo - pad, hi + pad
    margin = pd.DateOffset(months=margin_months)
    return lo - margin, hi + margin


def _auto_dates(ax, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Date ticks for a panel's window: years for a long window, else months with the
    year beneath."""
    if (end - start).days > 3 * 365:
        _date_axis(ax)
        return
    months = (end - start).days / 30.4
    step = next(k for k in (1, 2, 3, 4, 6) if months / k <= 8) if months <= 48 else 12
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))


def dates_figure(outcomes: list[RunOutcome], case: Case) -> Figure:
    """Small multiples: for each dated criterion, the simulated months over the runs (bars,
    one per month), the recorded date (line) and range (band); each panel zoomed to its
    data and record; titled by the criterion's statement, with 'never' counted."""
    record = case.record
    criteria = dated_criteria(case)
    rows, cols = _grid(len(criteria), 2)
    fig = Figure(figsize=(14, 3.4 * rows + 1.3))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    n = len(outcomes)
    for ax, c in zip(axes, criteria, strict=False):
        values = np.array([c.measure(o)[0] for o in outcomes], dtype=float)
        never = int(np.isnan(values).sum())
        happened = values[~np.isnan(values)].round().astype(int)
        months = np.zeros(0, dtype=int)
        if happened.size:
            months, counts = np.unique(happened, return_counts=True)
            x = [_month_ts(m) + pd.Timedelta(days=2) for m in months]
            ax.bar(x, counts, width=26, align="edge", color=SIM_COLOUR, alpha=0.9,
                   label="simulated runs", zorder=2)
        elif n == 0:
            _no_runs(ax)
        rec_dates = []
        for rid in c.record_ids:
            date, alt = _record_date(record, rid)
            if pd.isna(date):
                continue
            a, b = min(date, alt), max(date, alt)
            rec_dates += [a, b]
            if b > a:
                ax.axvspan(a, b + pd.Timedelta(days=1), color=RECORD_COLOUR, alpha=0.15,
                           lw=0, zorder=0)
            ax.axvline(date, color=RECORD_COLOUR, ls="--", lw=2, zorder=3)
        if not rec_dates:  # no dated record row: the criterion's recorded text
            bounds = recorded_bounds(c.recorded)
            if bounds is not None:
                a, b = _month_ts(bounds[0]), _month_ts(bounds[1])
                rec_dates += [a, b]
                if b > a:
                    ax.axvspan(a, b + pd.offsets.MonthBegin(1), color=RECORD_COLOUR,
                               alpha=0.15, lw=0, zorder=0)
                else:
                    ax.axvline(a, color=RECORD_COLOUR, ls="--", lw=2, zorder=3)
        window = date_window(months, rec_dates)
        if window is None:
            start, end = _span(outcomes, record)
            window = (start, end)
        if not happened.size and n:
            ax.text(0.5, 0.6, f"{NEVER} in all {n} runs", transform=ax.transAxes,
                    ha="center", va="center", fontsize=12, color="#333333", zorder=5,
                    bbox={"fc": "white", "ec": "#999999", "boxstyle": "round,pad=0.3"})
        ax.set_xlim(*window)
        ax.set_title(f"{title_of(c.statement, width=60)}\nrecorded {c.recorded}; "
                     f"{NEVER} in {never} of {n} runs", fontsize=10)
        ax.set_ylabel("runs")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, max(1, int(counts.max()) if happened.size else 1) * 1.1)
        ax.grid(True, axis="y", alpha=0.3)
        _auto_dates(ax, *window)
        ax.set_xlabel("month")
    for ax in axes[len(criteria):]:
        ax.set_visible(False)
    if not criteria:
        axes[0].set_visible(True)
        axes[0].text(0.5, 0.5, "the case has no dated criterion", transform=axes[0].transAxes,
                     ha="center", va="center")
    handles = [Patch(color=SIM_COLOUR, alpha=0.9, label="simulated month (runs)"),
               Line2D([], [], color=RECORD_COLOUR, ls="--", lw=2, label="recorded date"),
               Patch(color=RECORD_COLOUR, alpha=0.15, label="recorded range")]
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=11, frameon=False)
    fig.suptitle(f"Dated outcomes over {n} runs: simulated month vs recorded date "
                 "(each panel on its own time window)", fontsize=13)
    fig.tight_layout(rect=(0, 0.03, 1, 0.98))
    return fig


def plot_dates(outcomes: list[RunOutcome], case: Case, path) -> Path:
    """Write :func:`dates_figure` to ``path``."""
    return save_figure(dates_figure(outcomes, case), path)


# --------------------------------------------------------------------------------------
# (b) tallies


def recorded_dissent(record: pd.DataFrame | None) -> dict[str, int | None]:
    """Recorded dissenting count per assembly (``None`` for a unanimous vote)."""
    out: dict[str, int | None] = {}
    if record is None:
        return out
    for _, row in record.loc[record["kind"] == "vote"].iterrows():
        tally = parse_tally(row["value"])
        out.setdefault(row["what"], None if tally is None else tally[1])
    return out


def assemblies_of(outcomes: list[RunOutcome]) -> list[str]:
    """The assemblies with a tally in any run, in the order they first appear."""
    return list(dict.fromkeys(a for o in outcomes for a in o.tallies))


def _dissent(outcomes: list[RunOutcome], assembly: str) -> np.ndarray:
    return np.array([o.tallies[assembly][1] for o in outcomes if assembly in o.tallies],
                    dtype=float)


def _bins(*arrays: np.ndarray, target: float = 25) -> np.ndarray:
    """Integer-aligned bins covering every array."""
    values = np.concatenate([a for a in arrays if a.size] or [np.zeros(1)])
    lo, hi = math.floor(values.min()), math.ceil(values.max())
    width = max(1, math.ceil((hi - lo + 1) / target))
    return np.arange(lo, hi + width + 1, width) - 0.5


def _delegates(outcomes: list[RunOutcome], assembly: str) -> int:
    sizes = [sum(o.tallies[assembly]) for o in outcomes if assembly in o.tallies]
    return int(np.median(sizes)) if sizes else 0


def median_shown(values: np.ndarray) -> str:
    """The median of the runs' values as the scorecard gives it: an observed value
    (:func:`~model.analysis.outcomes.quantiles`), so a figure's title and the scorecard's
    median column never differ by a half vote."""
    return f"{quantiles(values, [0.5])[0]:g}"


def dissent_figure(outcomes: list[RunOutcome], baseline_outcomes: dict[str, list[RunOutcome]],
                   record: pd.DataFrame | None, highlight: str | None = None) -> Figure:
    """For each congress and conference: a histogram of the dissenting votes over the runs,
    the recorded count marked, the baselines faintly behind the ``highlight`` assembly (the
    case's ``plots.highlight_assembly``). Every panel's axis starts at 0 and its title gives
    the assembly's size, so that panels of different assemblies compare in magnitude."""
    names = assemblies_of(outcomes) or ([highlight] if highlight else ["(no assembly)"])
    recorded = recorded_dissent(record)
    rows, cols = _grid(len(names), 3)
    fig = Figure(figsize=(15, 3.8 * rows + 1.3))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    n = len(outcomes)
    handles = [Patch(color=SIM_COLOUR, alpha=0.9, label="model runs"),
               Line2D([], [], color=RECORD_COLOUR, ls="--", lw=2.5, label="recorded count")]
    for ax, name in zip(axes, names, strict=False):
        sim = _dissent(outcomes, name)
        base = {}
        if name == highlight:
            base = {b: _dissent(outs, name) for b, outs in baseline_outcomes.items()}
        rec = recorded.get(name)
        extra = [np.array([float(rec)])] if rec is not None else []
        bins = _bins(np.zeros(1), sim, *base.values(), *extra)
        beyond: dict[str, int] = {}
        if base and sim.size:  # the model's range (and the record) set the axis
            top = min(bins[-1], max(float(sim.max()), float(rec or 0)) * 1.25 + 1)
            beyond = {b: int((v > top).sum()) for b, v in base.items() if (v > top).any()}
            bins = _bins(np.zeros(1), sim, *extra, np.array([top]))
        for b, vals in base.items():
            if vals.size:
                colour = BASELINE_COLOURS.get(b, "#999999")
                ax.hist(vals, bins=bins, histtype="step", color=colour, alpha=0.9, lw=1.5,
                        zorder=1)
                label = f"baseline {b} ({highlight} only)"
                if label not in [h.get_label() for h in handles]:
                    handles.append(Line2D([], [], color=colour, lw=1.5, label=label))
        if sim.size:
            ax.hist(sim, bins=bins, color=SIM_COLOUR, alpha=0.9, zorder=2)
        else:
            _no_runs(ax)
        size = _delegates(outcomes, name)
        title = f"{name} (about {size} delegates)" if size else name
        if sim.size:
            title += f"\nsimulated median {median_shown(sim)} against"
        if rec is not None:
            ax.axvline(rec, color=RECORD_COLOUR, ls="--", lw=2.5, zorder=3)
            title += f"; recorded {rec}"
        elif name in recorded:
            title += "; recorded unanimous\n(a resolution, not the report)"
        else:
            title += "; no recorded tally"
        ax.set_title(title, fontsize=10)
        if beyond:
            ax.text(0.98, 0.95, "beyond the axis:\n" + "\n".join(
                f"{b}: {k} runs" for b, k in beyond.items()), transform=ax.transAxes,
                ha="right", va="top", fontsize=9, color="#444444")
        ax.set_xlim(0, bins[-1])
        ax.set_xlabel("delegates voting against the report")
        ax.set_ylabel(f"runs (of {n})")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True, axis="y", alpha=0.3)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    fig.legend(handles=handles, loc="lower center", ncols=min(len(handles), 4), fontsize=10,
               frameon=False)
    fig.suptitle(f"Dissenting votes at congresses and conferences over {n} runs (each panel "
                 "on its own scale from 0)", fontsize=13)
    fig.tight_layout(rect=(0, 0.06 if len(handles) > 4 else 0.035, 1, 0.98))
    return fig


def plot_dissent(outcomes: list[RunOutcome], baseline_outcomes: dict[str, list[RunOutcome]],
                 record: pd.DataFrame | None, path, highlight: str | None = None) -> Path:
    """Write :func:`dissent_figure` to ``path``."""
    return save_figure(dissent_figure(outcomes, baseline_outcomes, record, highlight), path)


# --------------------------------------------------------------------------------------
# (c) alliances


def allied_share(outcomes: list[RunOutcome], pair) -> tuple[list[str], np.ndarray]:
    """Months (of the longest run) and, for each, the share of runs in which ``pair`` is
    allied (runs without that month, or without one of the pair, count as not allied)."""
    if not outcomes:
        return [], np.zeros(0)
    months = max((o.months for o in outcomes), key=len)
    hits = np.zeros(len(months))
    for o in outcomes:
        if not all(n in o.names for n in pair):
            continue
        for k in range(min(len(o.months), len(months))):
            hits[k] += o.allied(pair, k)
    return list(months), hits / len(outcomes)


def alignment_pairs(members, pairs=None) -> tuple[tuple[str, str], ...]:
    """The pairs an alignment covers: the given ones, else every pair of its members."""
    if pairs is not None:
        return tuple(tuple(p) for p in pairs)
    return tuple((a, b) for i, a in enumerate(members) for b in members[i + 1:])


def recorded_periods(case: Case, span_start: pd.Timestamp, span_end: pd.Timestamp
                     ) -> list[tuple[str, pd.Timestamp, pd.Timestamp, tuple, str]]:
    """The case's recorded alignment periods as ``(label, start, end, pairs, colour)``
    (``start``/``end`` of the horizon stand for the span's ends)."""
    def when(rid: str) -> pd.Timestamp:
        if rid == "start":
            return span_start
        if rid == "end":
            return span_end
        return _record_date(case.record, rid)[0]

    out = []
    for a in case.spec.alignments:
        start, end = when(a.start), when(a.end)
        pairs = alignment_pairs(a.members, a.pairs)
        if pd.isna(start) or pd.isna(end) or end <= start or not pairs:
            continue
        out.append((a.label, start, end, pairs, a.colour))
    return out


def plot_alliances(outcomes: list[RunOutcome], case: Case, path) -> Path:
    """Write :func:`alliances_figure` to ``path``."""
    return save_figure(alliances_figure(outcomes, case), path)


def alliances_figure(outcomes: list[RunOutcome], case: Case) -> Figure:
    """One panel per pair of the case's ``plots.pairs``: the share of runs in which the two
    are allied, month by month, with the recorded alignment periods shaded."""
    pairs_shown = [tuple(p) for p in case.spec.plots.pairs]
    rows, cols = _grid(max(len(pairs_shown), 1), 2)
    fig = Figure(figsize=(13, 2.4 * rows + 1.4))
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True,
                                      squeeze=False)).ravel()
    start, end = _span(outcomes, case.record)
    periods = recorded_periods(case, start, end)
    used: dict[str, str] = {}
    if not pairs_shown:
        axes[0].text(0.5, 0.5, "the case names no pairs (plots.pairs)",
                     transform=axes[0].transAxes, ha="center", va="center")
    for ax, pair in zip(axes, pairs_shown, strict=False):
        for label, a, b, pairs, colour in periods:
            if tuple(pair) in pairs:
                ax.axvspan(a, b, color=colour, alpha=0.15, lw=0, zorder=0)
                used[label] = colour
        months, share = allied_share(outcomes, pair)
        if months:
            x = [pd.Timestamp(f"{m}-01") + pd.Timedelta(days=14) for m in months]
            ax.plot(x, share, color=SHARE_COLOUR, lw=1.8, zorder=2)
            ax.fill_between(x, 0, share, color=SHARE_COLOUR, alpha=0.12, zorder=1)
        else:
            _no_runs(ax)
        ax.set_title(f"{pair[0]} – {pair[1]}", fontsize=10, loc="left")
        ax.set_ylim(0, 1.02)
        ax.set_xlim(start, end)
        ax.grid(True, alpha=0.3)
        _date_axis(ax)
    for ax in axes[max(len(pairs_shown), 1):]:
        ax.set_visible(False)
    for r in range(rows):
        axes[r * cols].set_ylabel("share of runs\nallied")
    for ax in axes[-cols:]:
        ax.set_xlabel("month")
    handles = [Line2D([], [], color=SHARE_COLOUR, lw=1.8,
                      label="simulated: share of runs in one faction")]
    handles += [Patch(color=c, alpha=0.25, label=f"recorded: {lab}") for lab, c in used.items()]
    fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=9, frameon=False)
    fig.suptitle(f"Who stood with whom over {len(outcomes)} runs: share of runs in which "
                 "each pair is allied (shaded: recorded alignments)")
    fig.tight_layout(rect=(0, 0.06, 1, 0.98))
    return fig


# --------------------------------------------------------------------------------------


def write_validation_figures(result, case: Case, out_dir) -> list[Path]:
    """Write ``dates.png``, ``tallies.png`` and ``alliances.png`` for a
    :class:`~model.analysis.validation.Validation` into ``out_dir`` (each file atomically)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    outcomes = list(result.outcomes)
    return [
        plot_dates(outcomes, case, out_dir / "dates.png"),
        plot_dissent(outcomes, dict(result.baseline_outcomes), case.record,
                     out_dir / "tallies.png", case.spec.plots.highlight_assembly),
        plot_alliances(outcomes, case, out_dir / "alliances.png"),
    ]


__all__ = [
    "alliances_figure",
    "allied_share",
    "dates_figure",
    "dissent_figure",
    "plot_alliances",
    "plot_dates",
    "plot_dissent",
    "recorded_dissent",
    "recorded_periods",
    "write_validation_figures",
]
