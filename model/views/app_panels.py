"""The panels of the interactive app (:mod:`model.views.webapp`) as plain functions of a
model, so that they can be tested without solara or a browser.

* :func:`month_label`: where the run stands ("Month 1924-01 (step 21)");
* :func:`power_figure`: each leader's power so far, the recorded events as numbered dashed
  lines (their names in :func:`events_html`, under the figure, so that no label crosses a
  line);
* :func:`factions_html`: this month's coalitions as groups, one box per faction with its
  members and their power, the ruling faction marked;
* :func:`tally_figure`: the votes on the Central Committee's report so far, beside the
  recorded tallies.

Sizes are for a projector at 1024x768: the figures are drawn 7.2 inches wide at 100 dpi
(the width of the app's main column there) with text of 11 points or more, and sent as SVG,
which stays sharp at any zoom.

Time axis: step 0 is the state at the start of the horizon's first month, step ``k`` the
state at the end of its ``k``-th month; so step ``k`` is drawn at the first day of month
``k + 1`` of the horizon, and the recorded events at their own dates.
"""

from __future__ import annotations

import html

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from model.cases.casefile import Case
from model.engine.model import SuccessionModel
from model.engine.spec import month_date
from model.engine.votes import ruling_faction
from model.views.plots import leader_colours, recorded_tallies

DPI = 100
WIDTH_IN = 7.2
FONT = 11             # ticks, legends, bar labels (points)
TITLE_FONT = 13
OTHERS = "#9a9a9a"    # the leaders who are not principal figures of the case
YES, NO = "#1f77b4", "#d62728"
RULING = "#c8960c"    # the ruling faction's border


# --------------------------------------------------------------------------------------
# time


def step_date(model: SuccessionModel, step: int) -> pd.Timestamp:
    """Where step ``step`` is drawn: the first day after its month (step 0: the first day
    of the horizon)."""
    return pd.Timestamp(month_date(model.spec.horizon.start, step))


def month_label(model: SuccessionModel) -> str:
    """'Month 1924-01 (step 21)': the month just run; at step 0 the start of the horizon's
    first month, 'Start of 1922-05 (step 0)'."""
    if model.steps == 0:
        return f"Start of {model.spec.horizon.start[:7]} (step 0)"
    return f"Month {model.month} (step {model.steps})"


# --------------------------------------------------------------------------------------
# power


def principal_leaders(model: SuccessionModel, case: Case) -> set[str]:
    """The case's principal leaders: ``plots.main_leaders`` and those with a colour; every
    leader when the case names none."""
    named = set(case.spec.plots.main_leaders) | set(case.spec.plots.colours)
    return named or {ld.name for ld in model.leader_list}


def leader_colour_map(model: SuccessionModel, case: Case) -> dict[str, str]:
    """Each leader's colour: the case's for the principal leaders, grey for the others."""
    main = principal_leaders(model, case)
    colours = leader_colours([ld.name for ld in model.leader_list], case.spec.plots.colours)
    return {ld.name: colours[ld.name] if ld.name in main else OTHERS
            for ld in model.leader_list}


def power_history(model: SuccessionModel) -> pd.DataFrame:
    """Power by step (rows) and leader (columns), NaN once a leader is dead or expelled
    (so that his line ends there instead of running along zero)."""
    df = model.datacollector.get_agent_vars_dataframe()
    names = {ld.unique_id: ld.name for ld in model.leader_list}
    power = df["power"].where(df["alive"].astype(bool) & df["in_party"].astype(bool))
    table = power.unstack("AgentID").rename(columns=names)
    table.index = table.index.astype(int)
    return table[[ld.name for ld in model.leader_list]]


def recorded_events(case: Case) -> list[tuple[pd.Timestamp, str]]:
    """The case's recorded events marked on the power figure (``plots.event_marks``), in
    date order: (date, label)."""
    out = []
    if case.record is None:
        return out
    for mark in case.spec.plots.event_marks:
        rows = case.record.loc[case.record["id"] == mark.record_id]
        if not rows.empty:
            out.append((pd.Timestamp(rows.iloc[0]["date"]), mark.label))
    return sorted(out, key=lambda e: e[0])


def events_html(case: Case) -> str:
    """The numbered list of the events marked on the power figure."""
    items = [f"<b>{k}</b>&nbsp;{html.escape(label)}&nbsp;({when:%b %Y})"
             for k, (when, label) in enumerate(recorded_events(case), start=1)]
    if not items:
        return ""
    return ('<div class="troika-events" style="font-size:15px; line-height:1.5">'
            "Recorded events (dashed): " + " &middot; ".join(items) + "</div>")


def _ymax(table: pd.DataFrame) -> float:
    top = np.nanmax(table.to_numpy(dtype=float)) if table.notna().any().any() else 0.0
    return max(float(top), 0.1) * 1.12


def power_figure(model: SuccessionModel, case: Case) -> Figure:
    """Each leader's power so far over the horizon (one line per leader, ``gid`` = his
    name; the principal leaders in their colours and in the legend, the others thin and
    grey), the recorded events as numbered dashed lines, the current month as a solid
    line."""
    table = power_history(model)
    colours = leader_colour_map(model, case)
    main = principal_leaders(model, case)
    x = [step_date(model, int(s)) for s in table.index]
    fig = Figure(figsize=(WIDTH_IN, 3.5), dpi=DPI)
    fig.set_gid("troika-power")  # the id of its SVG group
    ax = fig.add_subplot()
    legend = []
    for name in table.columns:
        y = table[name].to_numpy(dtype=float)
        big = name in main
        ax.plot(x, y, color=colours[name], lw=2.6 if big else 1.2, alpha=1.0 if big else 0.8,
                marker="o" if len(y) == 1 else "None", ms=4, zorder=3 if big else 2, gid=name)
        if big:
            legend.append(Line2D([], [], color=colours[name], lw=2.6, label=name))
    if len(main) < len(table.columns):
        legend.append(Line2D([], [], color=OTHERS, lw=1.2, label="others"))
    ax.set_ylim(0, _ymax(table))
    top_edge = blended_transform_factory(ax.transData, ax.transAxes)
    events = recorded_events(case)
    for k, (when, _label) in enumerate(events):
        # two events within a quarter: the first number left of its line, the second right
        near_next = k + 1 < len(events) and (events[k + 1][0] - when).days < 92
        near_prev = k > 0 and (when - events[k - 1][0]).days < 92
        ha = "right" if near_next else "left" if near_prev else "center"
        ax.axvline(when, color="#666666", ls="--", lw=1.2, zorder=1, gid="event")
        ax.text(when, 1.0, f" {k + 1} " if ha != "center" else str(k + 1), transform=top_edge,
                ha=ha, va="bottom", fontsize=FONT, fontweight="bold", color="#333333",
                gid="event-number")
    ax.axvline(step_date(model, model.steps), color="#222222", lw=1.5, alpha=0.35,
               zorder=1, gid="now")
    start, end = step_date(model, 0), step_date(model, model.n_steps)
    ax.set_xlim(start, end)
    # fixed ticks (years, quarters): a date locator would be worked out again at every draw
    quarters = pd.date_range(start, end, freq="QS-JAN")
    years = [q for q in quarters if q.month == 1]
    ax.set_xticks(mdates.date2num(years), [f"{q.year}" for q in years])
    ax.set_xticks(mdates.date2num([q for q in quarters if q.month != 1]), minor=True)
    ax.tick_params(labelsize=FONT)
    ax.set_ylabel("power", fontsize=FONT + 1)
    ax.set_title("Power of the leaders by month", fontsize=TITLE_FONT, pad=18)
    ax.grid(True, axis="y", alpha=0.3)
    many = len(legend) > 9  # a case that names no principal leaders: all of them, closer
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.01, 1.02),
              fontsize=FONT - 1 if many else FONT, labelspacing=0.2 if many else 0.5,
              frameon=False, handlelength=1.5)
    fig.subplots_adjust(left=0.085, right=0.8, top=0.86, bottom=0.09)  # no tight_layout:
    return fig                                                           # it draws twice


class PowerChart:
    """The power figure of one run, drawn once and then updated in place month by month
    (new data on its lines, its y range and the current month's line), which costs about
    half of drawing it anew."""

    def __init__(self, model: SuccessionModel, case: Case):
        self.model = model
        self.fig = power_figure(model, case)
        self.ax = self.fig.axes[0]
        self.lines = {ln.get_gid(): ln for ln in self.ax.lines if ln.get_gid() in model.index}
        self.now = next(ln for ln in self.ax.lines if ln.get_gid() == "now")
        self.steps = model.steps

    def update(self) -> Figure:
        """The figure as of the model's current step."""
        m = self.model
        if m.steps != self.steps:
            table = power_history(m)
            x = [step_date(m, int(s)) for s in table.index]
            for name, line in self.lines.items():
                line.set_data(x, table[name].to_numpy(dtype=float))
                line.set_marker("o" if len(x) == 1 else "None")
            self.ax.set_ylim(0, _ymax(table))
            when = step_date(m, m.steps)
            self.now.set_xdata([when, when])
            self.steps = m.steps
        return self.fig


# --------------------------------------------------------------------------------------
# coalitions


def faction_groups(model: SuccessionModel) -> dict:
    """This month's coalitions as groups.

    Returns ``{"factions": [...], "alone": [...], "out": [...]}``: ``factions`` the
    factions of two or more active leaders, strongest first, each ``{"name": its strongest
    member, "members": [(name, power)] strongest first, "share": its share of the active
    leaders' power, "ruling": bool}``; ``alone`` the active leaders in a faction of their
    own, as ``(name, power)``; ``out`` the others as ``(name, why)``, why being 'dead',
    'expelled' or 'ill'."""
    active = [ld for ld in model.leader_list if ld.active]
    total = sum(float(model.power[ld.idx]) for ld in active) or 1.0
    ruling = ruling_faction(model)
    factions, alone = [], []
    for label in model.labels():
        members = sorted(((model.leader_list[i].name, float(model.power[i]))
                          for i in model.members(label) if model.leader_list[i].active),
                         key=lambda m: -m[1])
        if len(members) >= 2 or (members and label == ruling):
            factions.append({"name": model.leader_of(label).name, "members": members,
                             "share": sum(p for _, p in members) / total,
                             "ruling": label == ruling})
        elif members:
            alone.extend(members)
    factions.sort(key=lambda f: -f["share"])
    alone.sort(key=lambda m: -m[1])
    out = [(ld.name, "dead" if not ld.alive else "expelled" if not ld.in_party else "ill")
           for ld in model.leader_list if not ld.active]
    return {"factions": factions, "alone": alone, "out": out}


def _member(name: str, power: float, colour: str, top: float) -> str:
    bar = int(round(50 * power / top)) if top > 0 else 0
    return (f'<div style="display:flex; align-items:center; gap:5px; white-space:nowrap">'
            f'<span style="color:{colour}; font-size:18px">&#9679;</span>'
            f'<span style="min-width:88px">{html.escape(name)}</span>'
            f'<span style="display:inline-block; height:9px; width:{bar}px; '
            f'background:{colour}; opacity:0.55"></span></div>')


def _box(title: str, members: list[str], border: str, css_class: str, width: int = 3) -> str:
    """A box of up to four columns of members (a large faction stays short)."""
    cols = min(max(len(members), 1), 4)
    return (f'<div class="{css_class}" style="border:{width}px solid {border}; '
            f'border-radius:8px; padding:4px 10px 6px; background:#ffffff; '
            f'flex:1 1 {cols * 165 + 24}px">'
            f'<div style="font-weight:bold; margin-bottom:2px">{title}</div>'
            f'<div style="display:grid; grid-template-columns:repeat(auto-fill, '
            f'minmax(160px, 1fr)); column-gap:6px">{"".join(members)}</div></div>')


def factions_html(model: SuccessionModel, case: Case) -> str:
    """The coalitions this month as HTML: a box per faction (the ruling one with a gold
    border and 'rules'), its members in their colours with a bar for their power; a box
    of the leaders who stand alone; a line of those out of the struggle."""
    groups = faction_groups(model)
    colours = leader_colour_map(model, case)
    everyone = [p for f in groups["factions"] for _, p in f["members"]]
    everyone += [p for _, p in groups["alone"]]
    top = max(everyone, default=0.0)
    boxes = []
    for f in groups["factions"]:
        title = f"{html.escape(f['name'])}'s faction &middot; {f['share']:.0%} of power"
        if f["ruling"]:
            title += f' &middot; <span style="color:{RULING}">rules</span>'
        body = [_member(n, p, colours[n], top) for n, p in f["members"]]
        boxes.append(_box(title, body, RULING if f["ruling"] else "#8a8a8a",
                          "troika-faction troika-ruling" if f["ruling"] else "troika-faction",
                          4 if f["ruling"] else 2))
    if groups["alone"]:
        body = [_member(n, p, colours[n], top) for n, p in groups["alone"]]
        boxes.append(_box("Standing alone", body, "#cfcfcf", "troika-alone", 2))
    if not boxes:
        boxes.append(_box("No active leader", [], "#cfcfcf", "troika-alone", 2))
    out = ""
    if groups["out"]:
        out = ('<div class="troika-out" style="margin-top:4px; color:#555555">Out of the '
               "struggle: " + ", ".join(f"{html.escape(n)} ({why})"
                                        for n, why in groups["out"]) + "</div>")
    return ('<div class="troika-coalitions" style="font-size:15px">'
            '<div style="display:flex; flex-wrap:wrap; gap:8px; align-items:flex-start">'
            + "".join(boxes) + "</div>" + out + "</div>")


# --------------------------------------------------------------------------------------
# votes


def report_tallies(model: SuccessionModel) -> list[dict]:
    """The congress and conference votes on the Central Committee's report so far."""
    return [t for t in model.tallies
            if t["kind"] == "report" and t["body"] in ("congress", "conference")]


def tally_figure(model: SuccessionModel, record: pd.DataFrame | None) -> Figure:
    """Votes on the report so far, one row per assembly in date order (horizontal bars, so
    that the names and the counts have room at any number of assemblies): the simulated yes
    and no (solid, stacked) and under it the recorded tally where the record has one
    (hatched), each with its count."""
    tallies = report_tallies(model)
    rec = recorded_tallies(record)
    fig = Figure(figsize=(WIDTH_IN, 4.0), dpi=DPI)
    fig.set_gid("troika-tallies")
    ax = fig.add_subplot()
    labels, top = [], 1
    for y, t in enumerate(tallies):
        labels.append(f"{t['assembly']} ({t['month']})")
        yes, no = int(t["yes"]), int(t["no"])
        ax.barh(y - 0.2, yes, 0.38, color=YES, gid=f"simulated {t['assembly']}")
        ax.barh(y - 0.2, no, 0.38, left=yes, color=NO)
        ax.text(yes + no, y - 0.2, f" {yes}-{no}", va="center", fontsize=FONT)
        top = max(top, yes + no)
        recorded = rec.get(t["assembly"], "missing")
        if recorded == "missing":
            continue
        if recorded is None:
            ax.text(0, y + 0.2, " recorded: unanimous (a resolution)", va="center",
                    fontsize=FONT, style="italic", color="#444444")
            continue
        ryes, rno = recorded
        ax.barh(y + 0.2, ryes, 0.38, color=YES, alpha=0.4, hatch="//", edgecolor="white",
                gid=f"recorded {t['assembly']}")
        ax.barh(y + 0.2, rno, 0.38, left=ryes, color=NO, alpha=0.4, hatch="//",
                edgecolor="white")
        ax.text(ryes + rno, y + 0.2, f" {ryes}-{rno} recorded", va="center", fontsize=FONT,
                style="italic", color="#444444")
        top = max(top, ryes + rno)
    if tallies:
        ax.set_yticks(range(len(tallies)), labels, fontsize=FONT)
    else:
        ax.set_yticks([])
        ax.set_xticks([])
        ax.text(0.5, 0.5, "no congress or conference yet", ha="center",
                fontsize=FONT + 1, transform=ax.transAxes)
    ax.set_ylim(max(len(tallies), 5) - 0.45, -0.65)  # the first on top, bars of one size
    ax.set_xlim(0, top * 1.32)
    ax.tick_params(axis="x", labelsize=FONT)
    ax.set_xlabel("delegates", fontsize=FONT + 1)
    ax.set_title("Votes on the Central Committee's report", fontsize=TITLE_FONT, pad=26)
    ax.legend(handles=[Patch(color=YES, label="yes"), Patch(color=NO, label="no"),
                       Patch(facecolor=YES, alpha=0.4, hatch="//", edgecolor="white",
                             label="recorded (hatched)")],
              loc="lower center", bbox_to_anchor=(0.5, 0.99), ncol=3, fontsize=FONT,
              frameon=False, borderaxespad=0.2)
    ax.grid(True, axis="x", alpha=0.3)
    fig.subplots_adjust(left=0.35, right=0.98, top=0.83, bottom=0.13)
    return fig
