"""Figures of one run, each with the record drawn beside the simulation.

What a figure highlights (the principal leaders, their colours, the recorded events and
alignments) is the case's (``plots`` and ``alignments`` in its case file).

* :func:`plot_power`: each leader's power by month, with the recorded events marked;
* :func:`plot_coalitions`: who stood with whom, simulated (top) and recorded (bottom);
* :func:`plot_tallies`: the congress and conference votes, simulated beside recorded.

Each ``plot_x(..., path)`` writes the figure that ``x_figure(...)`` returns (a
``matplotlib.figure.Figure``, which a notebook shows inline and a user can restyle).

Only the object-oriented matplotlib API is used (``matplotlib.figure.Figure`` with the Agg
canvas), so nothing touches pyplot's global state.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
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
OTHERS = "#aaaaaa"
YES, NO, ABSENT = "#1f77b4", "#d62728", "#bbbbbb"
# after the case's fixed colours: hues far from one another and from the grey of the
# leaders not highlighted (no second green, no grey)
_PALETTE = [
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#e7ba52", "#393b79", "#7b4173", "#843c39", "#bcbd22", "#6b6ecf",
    "#e6550d", "#31a354", "#de9ed6", "#8c6d31", "#3182bd", "#ad494a",
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


def active_power(tables: dict) -> pd.DataFrame:
    """The power table with a leader's power blank (NaN) in the months he is not active
    (dead, incapacitated or expelled: no faction in the factions table), so that a line
    stops when he leaves instead of running along zero."""
    power = tables["power"].copy()
    fac = tables.get("factions")
    if fac is None or fac.empty:
        return power
    inactive = set(zip(fac.loc[fac["faction"] == "", "month"],
                       fac.loc[fac["faction"] == "", "leader"], strict=True))
    gone = [(m, n) in inactive for m, n in zip(power["month"], power["leader"], strict=True)]
    power.loc[gone, "power"] = float("nan")
    return power


def event_rows(dates: list[pd.Timestamp], min_days: float) -> list[int]:
    """Rows for event numbers laid out left to right: each on the lowest row where it is at
    least ``min_days`` after the previous number of that row."""
    ends: list[pd.Timestamp] = []
    out = []
    for when in dates:
        for row, end in enumerate(ends):
            if when >= end:
                ends[row] = when + pd.Timedelta(days=min_days)
                out.append(row)
                break
        else:
            ends.append(when + pd.Timedelta(days=min_days))
            out.append(len(ends) - 1)
    return out


def power_figure(tables: dict, case: Case) -> Figure:
    """Each leader's power by month: the most powerful as coloured lines, the others thin
    grey, each line stopping (×) when its leader leaves (dies, falls ill, is expelled); the
    case's recorded events (``plots.event_marks``) as dashed lines numbered above the plot
    and named in a key beside it, so that no label crosses a line."""
    record = case.record
    power = active_power(tables)
    order = list(dict.fromkeys(power["leader"]))
    peak = power.groupby("leader")["power"].max().sort_values(ascending=False, kind="stable")
    top = list(peak.index[:TOP_POWER])
    colours = leader_colours(top + [n for n in order if n not in top],
                             case.spec.plots.colours)
    marks = []
    for mark in case.spec.plots.event_marks:
        row = _rec(record, mark.record_id)
        if row is not None and not pd.isna(row["date"]):
            marks.append((row["date"], f"{mark.label} ({row['date']:%b %Y})"))
    marks.sort(key=lambda m: m[0])
    first, last = _dates(power["month"].iloc[[0, -1]])
    end = _month_end(last)
    rows = event_rows([w for w, _ in marks], min_days=(end - first).days / 40)
    n_rows = max(rows, default=-1) + 1
    fig = Figure(figsize=(14, 7))
    gs = fig.add_gridspec(2, 1, height_ratios=[0.3 + 0.45 * max(n_rows, 1), 6.0], hspace=0.0)
    ax_ev = fig.add_subplot(gs[0])
    ax = fig.add_subplot(gs[1], sharex=ax_ev)
    for name in order:
        d = power.loc[power["leader"] == name]
        x, y = _dates(d["month"]), d["power"].to_numpy(dtype=float)
        main = name in top
        ax.plot(x, y, color=colours[name] if main else OTHERS, lw=2.2 if main else 0.9,
                label=name if main else None, zorder=3 if main else 2)
        # where the line stops before the horizon: a cross (a lone month: a dot)
        ok = ~np.isnan(y)
        for k in np.flatnonzero(ok):
            before = k > 0 and ok[k - 1]
            after = k + 1 < len(y) and ok[k + 1]
            if not after and k + 1 < len(y):
                ax.plot(x[k], y[k], marker="x" if before else "o", ms=7 if main else 4,
                        mew=2 if main else 1, color=colours[name] if main else OTHERS,
                        zorder=4)
    if len(order) > len(top):
        ax.plot([], [], color=OTHERS, lw=0.9, label="other leaders")
    ax.plot([], [], ls="none", marker="x", mew=2, ms=7, color="#333333",
            label="leaves (dies, falls ill,\nis expelled)")
    ymax = max(float(np.nanmax(power["power"])) if len(power) else 0.0, 0.1) * 1.08
    ax.set_ylim(0, ymax)
    key = []
    for k, ((when, text), row) in enumerate(zip(marks, rows, strict=True), start=1):
        ax.axvline(when, color="#444444", ls="--", lw=1, zorder=1)
        ax_ev.plot([when, when], [0, n_rows - row - 0.5], color="#444444", ls="--", lw=1)
        ax_ev.text(when, n_rows - row - 0.5, str(k), ha="center", va="center", fontsize=9,
                   fontweight="bold", bbox={"boxstyle": "circle,pad=0.25", "fc": "white",
                                            "ec": "#444444"})
        key.append(f"{k}  {text}")
    if key:
        ax.plot([], [], color="#444444", ls="--", lw=1, label="recorded event:\n"
                + "\n".join(key))
    ax_ev.set_ylim(0, max(n_rows, 1))
    ax_ev.axis("off")
    ax.set_xlim(first, end)
    _date_axis(ax)
    ax.set_xlabel("month")
    ax.set_ylabel("power\n(offices + patronage + prestige + closeness to members' mood)")
    ax_ev.set_title(f"Simulated power of the leaders, {first:%b %Y} – {last:%b %Y}, with "
                    "the recorded events", fontsize=12)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=10, frameon=False)
    fig.subplots_adjust(left=0.08, right=0.70, top=0.94, bottom=0.08)
    return fig


def plot_power(tables: dict, case: Case, path) -> Path:
    """Write :func:`power_figure` to ``path``."""
    return _save(power_figure(tables, case), path)


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


def faction_anchors(factions: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The member that gives each faction its colour, month by month, so that a faction keeps
    its colour while its membership and its strongest member change.

    ``factions`` is the run's factions table (month, leader, faction = its strongest member,
    '' when not active). A new faction is anchored on its strongest member; a faction that
    holds the anchor of a faction of the previous month keeps that anchor (when it holds
    several, as when factions merge, the anchor of the largest of them; ties: the current
    strongest member, then the anchor held longest). Returns ``(month, faction) ->
    anchor``."""
    out: dict[tuple[str, str], str] = {}
    prev_size: dict[str, int] = {}   # anchor -> size of his faction last month
    since: dict[str, int] = {}       # anchor -> first step he anchored
    active = factions.loc[factions["faction"] != ""]
    for step, (month, d) in enumerate(active.groupby("month", sort=True)):
        size: dict[str, int] = {}
        started: dict[str, int] = {}
        for label, g in d.groupby("faction", sort=True):
            members = set(g["leader"])
            held = [a for a in prev_size if a in members]
            if held:
                anchor = min(held, key=lambda a: (-prev_size[a], a != label, since[a], a))
            else:
                anchor = label
            out[(month, label)] = anchor
            size[anchor] = len(members)
            started[anchor] = since.get(anchor, step)
        prev_size, since = size, started
    return out


def coalitions_figure(tables: dict, case: Case) -> Figure:
    """Who stood with whom: simulated factions (top) above the case's recorded alignments
    (bottom), same rows and time axis. A faction keeps one colour for its life, that of its
    anchor (:func:`faction_anchors`: its founding member while he stays in it), so it does
    not change colour when another member briefly outweighs him."""
    fac = tables["factions"]
    rows = coalition_rows(tables, case.spec.plots.main_leaders)
    colours = leader_colours(list(dict.fromkeys(tables["power"]["leader"])),
                             case.spec.plots.colours)
    anchors = faction_anchors(fac)
    months = sorted(fac["month"].unique())
    start, last = _dates([months[0], months[-1]])
    end = _month_end(last)
    fig = Figure(figsize=(13, 8))
    ax_sim, ax_rec = fig.subplots(2, 1, sharex=True)
    used: dict[str, str] = {}
    ypos = {n: len(rows) - 1 - i for i, n in enumerate(rows)}
    for name in rows:
        d = fac.loc[fac["leader"] == name].sort_values("month")
        keys = [anchors.get((m, f), "") if f else "" for m, f in zip(d["month"], d["faction"],
                                                                     strict=True)]
        for a, b, anchor in _runs(list(d["month"]), keys):
            col = colours.get(anchor, INACTIVE) if anchor else INACTIVE
            ax_sim.broken_barh([(a, b - a)], (ypos[name] - 0.4, 0.8), facecolors=col,
                               edgecolor="white", linewidth=0.3)
            used[anchor or ""] = col
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
                            fontsize=9, color="white", fontweight="bold", clip_on=True)
    for ax, title in ((ax_sim, "simulated factions (one colour per faction, that of its "
                               "founding member; white ticks = the ruling faction)"),
                      (ax_rec, "recorded alignments (from the record; blank = none recorded)")):
        ax.set_yticks(list(ypos.values()), list(ypos.keys()), fontsize=10)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_title(title, fontsize=11, loc="left")
        ax.grid(True, axis="x", alpha=0.3)
        ax.set_ylabel("leader")
    ax_rec.set_xlim(start, end)
    _date_axis(ax_rec)
    ax_rec.tick_params(axis="x", labelsize=10)
    ax_rec.set_xlabel("month")
    handles = [Patch(color=c, label=f"{lab}'s faction" if lab else "not active")
               for lab, c in sorted(used.items(), key=lambda kv: (kv[0] == "", kv[0]))]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.835, 0.93), fontsize=9,
               frameon=False, title="faction founded by")
    fig.suptitle("Coalitions: simulated (top) and recorded (bottom)", fontsize=13)
    fig.tight_layout(rect=(0, 0, 0.835, 0.97))
    return fig


def plot_coalitions(tables: dict, case: Case, path) -> Path:
    """Write :func:`coalitions_figure` to ``path``."""
    return _save(coalitions_figure(tables, case), path)


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


def tallies_figure(tables: dict, record: pd.DataFrame | None) -> Figure:
    """For each congress and conference: the simulated vote on the Central Committee's
    report (yes / no / absent, solid) beside the recorded tally where there is one (the same
    colours, lighter and hatched); each bar's numbers written at its end."""
    t = tables["tallies"]
    t = t.loc[(t["kind"] == "report") & t["body"].isin(["congress", "conference"])]
    rec = recorded_tallies(record)
    labels, bars = [], []
    for _, r in t.iterrows():
        name = r["assembly"]
        labels.append(f"{name} ({r['month']})\nsimulated")
        bars.append(("sim", int(r["yes"]), int(r["no"]), int(r["absent"]), ""))
        if name in rec:
            tally = rec[name]
            labels.append(f"{name}\nrecorded")
            if tally is None:
                n = int(r["delegates"])
                bars.append(("rec", n, 0, 0, "unanimous (a resolution, not the report)"))
            else:
                bars.append(("rec", tally[0], tally[1], 0, ""))
    fig = Figure(figsize=(12, max(3.0, 0.62 * len(bars) + 1.9)))
    ax = fig.add_subplot()
    y = list(range(len(bars)))[::-1]
    top = max([b[1] + b[2] + b[3] for b in bars], default=1)
    for yi, (src, yes, no, absent, note) in zip(y, bars, strict=True):
        style = ({"alpha": 1.0} if src == "sim"
                 else {"alpha": 0.45, "hatch": "//"})
        ax.barh(yi, yes, color=YES, edgecolor="white", **style)
        ax.barh(yi, no, left=yes, color=NO, edgecolor="white", **style)
        ax.barh(yi, absent, left=yes + no, color=ABSENT, edgecolor="white", **style)
        text = f" {yes} yes – {no} no" + (f" – {absent} absent" if absent else "")
        if note:
            text = f" {note}"
        ax.text(yes + no + absent, yi, text, va="center", fontsize=9)
    ax.set_yticks(y, labels, fontsize=9)
    ax.set_xlim(0, top * 1.45)
    ax.set_xlabel("delegates")
    ax.set_title("Votes on the Central Committee's report: simulated (solid) vs recorded "
                 "(light, hatched)")
    ax.legend(handles=[Patch(color=YES, label="yes"), Patch(color=NO, label="no"),
                       Patch(color=ABSENT, label="absent"),
                       Patch(facecolor=YES, alpha=0.45, hatch="//", edgecolor="white",
                             label="recorded (yes)"),
                       Patch(facecolor=NO, alpha=0.45, hatch="//", edgecolor="white",
                             label="recorded (no)")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    ax.grid(True, axis="x", alpha=0.3)
    if not bars:
        ax.text(0.5, 0.5, "no congress or conference in this run", transform=ax.transAxes,
                ha="center")
    fig.tight_layout()
    return fig


def plot_tallies(tables: dict, record: pd.DataFrame | None, path) -> Path:
    """Write :func:`tallies_figure` to ``path``."""
    return _save(tallies_figure(tables, record), path)


def write_figures(tables: dict, case: Case, out_dir) -> list[Path]:
    """Write ``power.png``, ``coalitions.png`` and ``tallies.png`` into ``out_dir``."""
    out_dir = Path(out_dir)
    return [
        plot_power(tables, case, out_dir / "power.png"),
        plot_coalitions(tables, case, out_dir / "coalitions.png"),
        plot_tallies(tables, case.record, out_dir / "tallies.png"),
    ]


__all__ = [
    "coalitions_figure",
    "faction_anchors",
    "leader_colours",
    "plot_coalitions",
    "plot_power",
    "plot_tallies",
    "power_figure",
    "tallies_figure",
    "write_figures",
]
