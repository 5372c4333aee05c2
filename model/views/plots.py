"""Figures of one run, each with the record drawn beside the simulation.

What a figure highlights (the principal leaders, their colours, the recorded events and
alignments) is the case's (``plots`` and ``alignments`` in its case file).

* :func:`plot_power`: each leader's power by month, with the recorded events marked;
* :func:`plot_coalitions`: who stood with whom, simulated (top) and recorded (bottom);
* :func:`plot_tallies`: the congress and conference votes, simulated beside recorded.

Only the object-oriented matplotlib API is used (``matplotlib.figure.Figure`` with the Agg
canvas), so nothing touches pyplot's global state.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from model.atomic import save_figure
from model.cases.casefile import Case
from model.cases.record import parse_tally

DPI = 120
MAX_ROWS = 10
TOP_POWER = 8
INACTIVE = "#d9d9d9"
_PALETTE = [
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39",
    "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
]
def leader_colours(names, fixed: dict[str, str] | None = None) -> dict[str, str]:
    """A consistent colour per leader: ``fixed`` (the case's ``plots.colours``) for the
    principal figures, then the palette in the order given."""
    out = dict(fixed or {})
    free = [c for c in _PALETTE if c not in out.values()]
    k = 0
    for n in names:
        if n not in out:
            out[n] = free[k % len(free)]
            k += 1
    return out


def _dates(months) -> pd.DatetimeIndex:
    return pd.to_datetime([f"{m}-01" for m in months])


def _month_end(ts: pd.Timestamp) -> pd.Timestamp:
    return ts + pd.offsets.MonthBegin(1)


def _date_axis(ax) -> None:
    loc = mdates.YearLocator()
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))


def _save(fig: Figure, path) -> Path:
    return save_figure(fig, Path(path), dpi=DPI)


def _rec(record: pd.DataFrame | None, rid: str) -> pd.Series | None:
    if record is None:
        return None
    rows = record.loc[record["id"] == rid]
    return None if rows.empty else rows.iloc[0]


# --------------------------------------------------------------------------------------
# (a) power


def plot_power(tables: dict, case: Case, path) -> Path:
    """Each leader's power by month: the most powerful as coloured lines, the others thin
    grey; the case's recorded events (``plots.event_marks``) as labelled dashed lines."""
    record = case.record
    power = tables["power"]
    order = list(dict.fromkeys(power["leader"]))
    colours = leader_colours(order, case.spec.plots.colours)
    peak = power.groupby("leader")["power"].max().sort_values(ascending=False, kind="stable")
    top = list(peak.index[:TOP_POWER])
    fig = Figure(figsize=(12, 6.5))
    ax = fig.add_subplot()
    for name in order:
        d = power.loc[power["leader"] == name]
        x = _dates(d["month"])
        if name in top:
            ax.plot(x, d["power"], color=colours[name], lw=2, label=name, zorder=3)
        else:
            ax.plot(x, d["power"], color="#999999", lw=0.8, zorder=2)
    if len(order) > len(top):
        ax.plot([], [], color="#999999", lw=0.8, label="other leaders")
    ymax = max(float(power["power"].max()), 0.1) * 1.12
    ax.set_ylim(0, ymax)
    previous = None
    high = True
    for mark in case.spec.plots.event_marks:
        rid, label = mark.record_id, mark.label
        row = _rec(record, rid)
        if row is None:
            continue
        when = row["date"]
        # labels of events close together are staggered so that they do not overlap
        high = not high if previous is not None and (when - previous).days < 120 else True
        previous = when
        ax.axvline(when, color="#444444", ls="--", lw=1, zorder=1)
        ax.text(when, ymax * (0.98 if high else 0.62), f"{label} ({when:%b %Y}) ",
                rotation=90, va="top", ha="right", fontsize=8, color="#333333",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})
    ax.plot([], [], color="#444444", ls="--", lw=1, label="recorded event")
    first, last = _dates(power["month"].iloc[[0, -1]])
    ax.set_xlim(first, _month_end(last))
    _date_axis(ax)
    ax.set_xlabel("month")
    ax.set_ylabel("power (offices + patronage + prestige + closeness to members' mood)")
    ax.set_title(f"Simulated power of the leaders, {first:%b %Y} - {last:%b %Y}, "
                 "with recorded events")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    fig.tight_layout()
    return _save(fig, path)


# --------------------------------------------------------------------------------------
# (b) coalitions


def _runs(months: list, labels: list) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """Consecutive months with the same label as (start, end, label)."""
    out: list[tuple[pd.Timestamp, pd.Timestamp, str]] = []
    xs = _dates(months)
    for x, lab in zip(xs, labels, strict=True):
        if out and out[-1][2] == lab and out[-1][1] == x:
            out[-1] = (out[-1][0], _month_end(x), lab)
        else:
            out.append((x, _month_end(x), lab))
    return out


def coalition_rows(tables: dict, main_leaders=()) -> list[str]:
    """The leaders shown in the coalition timeline: the principal figures (the case's
    ``plots.main_leaders``), then the most powerful others, up to ``MAX_ROWS``."""
    present = list(dict.fromkeys(tables["power"]["leader"]))
    rows = [n for n in main_leaders if n in present]
    peak = tables["power"].groupby("leader")["power"].max().sort_values(ascending=False,
                                                                         kind="stable")
    for n in peak.index:
        if len(rows) >= MAX_ROWS:
            break
        if n not in rows:
            rows.append(n)
    return rows


def recorded_alignments(case: Case, end: pd.Timestamp, start: pd.Timestamp
                        ) -> list[tuple[str, list[str], pd.Timestamp, pd.Timestamp, str]]:
    """The case's recorded alignments as (label, members, start, end, colour): from the date
    of the record row ``start`` (or the horizon's ``start``) to that of ``end`` (or the
    horizon's ``end``); an alignment whose rows the record lacks is left out."""
    def when(rid: str) -> pd.Timestamp | None:
        if rid == "start":
            return start
        if rid == "end":
            return end
        row = _rec(case.record, rid)
        return None if row is None else row["date"]

    out = []
    for a in case.spec.alignments:
        a_start, a_end = when(a.start), when(a.end)
        if a_start is not None and a_end is not None:
            out.append((a.label, list(a.members), a_start, a_end, a.colour))
    return out


def plot_coalitions(tables: dict, case: Case, path) -> Path:
    """Who stood with whom: simulated factions (top, coloured by the faction's strongest
    member) above the case's recorded alignments (bottom), same rows and time axis."""
    fac = tables["factions"]
    rows = coalition_rows(tables, case.spec.plots.main_leaders)
    colours = leader_colours(list(dict.fromkeys(tables["power"]["leader"])),
                             case.spec.plots.colours)
    months = sorted(fac["month"].unique())
    start, last = _dates([months[0], months[-1]])
    end = _month_end(last)
    fig = Figure(figsize=(12, 8))
    ax_sim, ax_rec = fig.subplots(2, 1, sharex=True)
    used: dict[str, str] = {}
    ypos = {n: len(rows) - 1 - i for i, n in enumerate(rows)}
    for name in rows:
        d = fac.loc[fac["leader"] == name].sort_values("month")
        for a, b, lab in _runs(list(d["month"]), list(d["faction"])):
            col = colours.get(lab, INACTIVE) if lab else INACTIVE
            ax_sim.broken_barh([(a, b - a)], (ypos[name] - 0.4, 0.8), facecolors=col,
                               edgecolor="white", linewidth=0.3)
            used[lab or ""] = col
    ruling = fac.loc[fac["ruling"]]
    for name in rows:
        r = ruling.loc[ruling["leader"] == name]
        if len(r):
            ax_sim.plot(_dates(r["month"]) + pd.Timedelta(days=14), [ypos[name]] * len(r),
                        ls="none", marker="|", color="white", ms=5, alpha=0.8)
    for label, members, a, b, colour in recorded_alignments(case, end, start):
        a, b = max(a, start), min(b, end)
        if b <= a:
            continue
        for k, n in enumerate(members):
            if n not in ypos:
                continue
            ax_rec.broken_barh([(a, b - a)], (ypos[n] - 0.4, 0.8), facecolors=colour,
                               edgecolor="white", linewidth=0.3)
            if k == 0:
                ax_rec.text(a + (b - a) / 2, ypos[n], label, ha="center", va="center",
                            fontsize=8, color="white", fontweight="bold", clip_on=True)
    for ax, title in ((ax_sim, "simulated factions (colour = strongest member; "
                               "white ticks = ruling faction)"),
                      (ax_rec, "recorded alignments (from the record; blank = none recorded)")):
        ax.set_yticks(list(ypos.values()), list(ypos.keys()))
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_title(title, fontsize=10, loc="left")
        ax.grid(True, axis="x", alpha=0.3)
        ax.set_ylabel("leader")
    ax_rec.set_xlim(start, end)
    _date_axis(ax_rec)
    ax_rec.set_xlabel("month")
    handles = [Patch(color=c, label=f"{lab}'s faction" if lab else "inactive / expelled")
               for lab, c in sorted(used.items(), key=lambda kv: (kv[0] == "", kv[0]))]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.86, 0.93), fontsize=8,
               frameon=False, title="faction led by")
    fig.suptitle("Coalitions: simulated (top) and recorded (bottom)")
    fig.tight_layout(rect=(0, 0, 0.86, 0.97))
    return _save(fig, path)


# --------------------------------------------------------------------------------------
# (c) tallies


def recorded_tallies(record: pd.DataFrame | None) -> dict[str, tuple[int, int] | None]:
    """Recorded vote per assembly: (yes, no), or ``None`` for 'unanimous'."""
    out: dict[str, tuple[int, int] | None] = {}
    if record is None:
        return out
    for _, row in record.loc[record["kind"] == "vote"].iterrows():
        out.setdefault(row["what"], parse_tally(row["value"]))
    return out


def plot_tallies(tables: dict, record: pd.DataFrame | None, path) -> Path:
    """For each congress and conference: the simulated vote on the Central Committee's
    report (yes / no / absent) beside the recorded tally where there is one."""
    t = tables["tallies"]
    t = t.loc[(t["kind"] == "report") & t["body"].isin(["congress", "conference"])]
    rec = recorded_tallies(record)
    rec_notes: dict[str, str] = {}
    if record is not None:
        for _, row in record.loc[record["kind"] == "vote"].iterrows():
            rec_notes.setdefault(row["what"], row["note"].split(";")[0])
    labels, bars = [], []
    for _, r in t.iterrows():
        name = r["assembly"]
        labels.append(f"{name} ({r['month']})\nsimulated")
        bars.append(("sim", int(r["yes"]), int(r["no"]), int(r["absent"]), ""))
        if name in rec:
            tally = rec[name]
            if tally is None:
                n = int(r["delegates"])
                labels.append(f"{name}\nrecorded")
                note = f"unanimous, drawn as all {n} yes (a resolution, not the report)"
                bars.append(("rec", n, 0, 0, note))
            else:
                labels.append(f"{name}\nrecorded")
                bars.append(("rec", tally[0], tally[1], 0, ""))
    fig = Figure(figsize=(11, max(3.0, 0.6 * len(bars) + 1.8)))
    ax = fig.add_subplot()
    y = list(range(len(bars)))[::-1]
    top = max([b[1] + b[2] + b[3] for b in bars], default=1)
    for yi, (src, yes, no, absent, note) in zip(y, bars, strict=True):
        alpha = 1.0 if src == "sim" else 0.55
        hatch = None if src == "sim" else "//"
        ax.barh(yi, yes, color="#1f77b4", alpha=alpha, hatch=hatch, edgecolor="white")
        ax.barh(yi, no, left=yes, color="#d62728", alpha=alpha, hatch=hatch, edgecolor="white")
        ax.barh(yi, absent, left=yes + no, color="#bbbbbb", alpha=alpha, edgecolor="white")
        text = f" {yes} yes - {no} no" + (f" - {absent} absent" if absent else "")
        if note:
            text = f" {note}"
        ax.text(yes + no + absent, yi, text, va="center", fontsize=8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, top * 1.9)
    ax.set_xlabel("delegates")
    ax.set_title("Votes on the Central Committee's report: simulated (solid) vs recorded "
                 "(hatched)")
    ax.legend(handles=[Patch(color="#1f77b4", label="yes"), Patch(color="#d62728", label="no"),
                       Patch(color="#bbbbbb", label="absent"),
                       Patch(facecolor="white", edgecolor="#555555", hatch="//",
                             label="recorded")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.grid(True, axis="x", alpha=0.3)
    if not bars:
        ax.text(0.5, 0.5, "no congress or conference in this run", transform=ax.transAxes,
                ha="center")
    fig.tight_layout()
    return _save(fig, path)


def write_figures(tables: dict, case: Case, out_dir) -> list[Path]:
    """Write ``power.png``, ``coalitions.png`` and ``tallies.png`` into ``out_dir``."""
    out_dir = Path(out_dir)
    return [
        plot_power(tables, case, out_dir / "power.png"),
        plot_coalitions(tables, case, out_dir / "coalitions.png"),
        plot_tallies(tables, case.record, out_dir / "tallies.png"),
    ]


__all__ = [
    "leader_colours",
    "plot_coalitions",
    "plot_power",
    "plot_tallies",
    "write_figures",
]
