"""Interactive app: the succession struggle month by month in the browser (Mesa SolaraViz).

``troika app [SCENARIO] [--port P]`` (or :func:`serve`) starts a solara server on 127.0.0.1
with this module's ``page``. Three panels follow the run as it is stepped:

* each leader's power over time, with the recorded events as labelled dashed lines;
* the coalitions this month as a network (nodes = active leaders sized by power, edges join
  members of one faction, colour = the faction's strongest member), with the month and the
  ruling faction in the title;
* the assembly votes on the Central Committee's report so far, beside the recorded tallies
  (559-65 beside the 14th Congress).

The recorded events, the principal leaders and their colours are those of the scenario's
case (its ``case.toml``).

The sidebar has sliders for five key parameters and a seed box; Reset builds a new model
with them. The scenario comes from the environment variable ``TROIKA_APP_SCENARIO`` (default
``baseline``), read at import: :func:`serve` sets it for the server process.

Offline: solara loads its page assets from a CDN unless told otherwise; :func:`server_env`
gives the settings under which the page renders with no internet (see ``OFFLINE_ENV``).
Needs the ``app`` extra (solara, via ``mesa[rec]``).
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.dates as mdates
import networkx as nx
import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from model.analysis.seeds import seed_from_text
from model.cases.casefile import Case, case_of
from model.cases.scenario import Scenario, load_scenario
from model.engine.model import SuccessionModel
from model.engine.parameters import slider_of
from model.processes import Stopped, die_with_parent
from model.views.plots import leader_colours, recorded_tallies

ENV_SCENARIO = "TROIKA_APP_SCENARIO"
SCENARIO = os.environ.get(ENV_SCENARIO, "baseline")
APP_NAME = "troika: the succession struggle"
DPI = 80

# The environment of the server process. Solara loads the page's JavaScript (the vuetify app,
# requirejs, font-awesome, vue-grid-layout for SolaraViz's grid) from the CDN through its proxy
# ``/_solara/cdn/``, which serves them from ``<venv>/share/solara/cdn`` where they exist: the
# ``solara-assets`` package puts them there, so the page renders offline (needs ipyvue and
# ipyvuetify 1.x: with 3.x solara asks for a vuetify3 bundle that no solara-assets ships, and
# SolaraViz's grid cannot load under Vue 3 at all, leaving the plot area blank). The proxy must
# stay on (the default); telemetry is switched off, there being no internet to send it to.
OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",
}

# the sliders: parameter -> (label, min, max, step); defaults are the scenario's values
SLIDERS: dict[str, tuple[str, float, float, float]] = {
    name: slider_of(name)
    for name in ("successor_fear", "campaign_rate", "exposure_weight", "appointment_rate",
                 "factionalism")
}


def _seed(rng):
    """The seed box gives text: an integer seed, an ensemble row's ``BASE/K``, any other
    text (hashed the same way in every process), or ``None`` (fresh entropy) when empty
    (:func:`model.analysis.seeds.seed_from_text`)."""
    if isinstance(rng, str):
        return seed_from_text(rng)
    return rng


class AppModel(SuccessionModel):
    """A :class:`SuccessionModel` whose slider parameters are keyword arguments, as SolaraViz
    needs: its Reset calls ``type(model)(**params)`` with the slider values.

    SolaraViz's Reset also passes ``scenario=`` a Mesa experimental ``Scenario`` object of its
    own (Mesa's Model always carries one); that is not a troika scenario and is replaced by
    :attr:`default_scenario`.
    """

    default_scenario: str = SCENARIO

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        rng=0,
        successor_fear: float | None = None,
        campaign_rate: float | None = None,
        exposure_weight: float | None = None,
        appointment_rate: float | None = None,
        factionalism: float | None = None,
    ):
        if not isinstance(scenario, Scenario | str | Path):
            scenario = self.default_scenario
        given = {
            "successor_fear": successor_fear,
            "campaign_rate": campaign_rate,
            "exposure_weight": exposure_weight,
            "appointment_rate": appointment_rate,
            "factionalism": factionalism,
        }
        parameters = {k: float(v) for k, v in given.items() if v is not None}
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        super().__init__(scenario, rng=_seed(rng), parameters=parameters or None)


def model_params(scenario: Scenario | str | Path = SCENARIO, seed: int = 0) -> dict:
    """SolaraViz ``model_params``: a seed box and one slider per key parameter, each starting
    at the scenario's value (the range widened if the scenario's value lies outside it)."""
    spec = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    out: dict = {"rng": {"type": "InputText", "value": str(seed), "label": "Seed"}}
    for name, (label, lo, hi, step) in SLIDERS.items():
        value = float(getattr(spec.parameters, name))
        out[name] = {"type": "SliderFloat", "value": value, "label": label,
                     "min": min(lo, value), "max": max(hi, value), "step": step}
    return out


# --------------------------------------------------------------------------------------
# the case, its record and the dates

CASE = case_of(SCENARIO)
RECORD = CASE.record


def _month_ts(model: SuccessionModel, step: int) -> pd.Timestamp:
    return pd.Timestamp(model.date_of_step(step))


def recorded_events(case: Case = CASE) -> list[tuple[pd.Timestamp, str]]:
    """The case's recorded events marked on the power plot (``plots.event_marks``):
    (date, label)."""
    out = []
    if case.record is None:
        return out
    for mark in case.spec.plots.event_marks:
        rows = case.record.loc[case.record["id"] == mark.record_id]
        if not rows.empty:
            out.append((rows.iloc[0]["date"], mark.label))
    return out


# --------------------------------------------------------------------------------------
# the figures (plain functions of the model, so that they can be tested without solara)


def power_figure(model: SuccessionModel, case: Case = CASE) -> Figure:
    """Each leader's power by month so far (one line per leader, ``gid`` = his name) over the
    scenario's whole horizon, the recorded events as labelled dashed lines, and a solid line
    at the current month; the case's principal leaders (``plots.main_leaders`` and those
    with a colour of their own) drawn bold and named in the legend."""
    df = model.datacollector.get_agent_vars_dataframe()["power"].reset_index()
    names = {ld.unique_id: ld.name for ld in model.leader_list}
    df["leader"] = df["AgentID"].map(names)
    df["date"] = [_month_ts(model, int(s)) for s in df["Step"]]
    fixed = case.spec.plots.colours
    colours = leader_colours([ld.name for ld in model.leader_list], fixed)
    principal = set(case.spec.plots.main_leaders) | set(fixed)
    fig = Figure(figsize=(8, 4.6), dpi=DPI)
    ax = fig.add_subplot()
    for ld in model.leader_list:
        d = df.loc[df["leader"] == ld.name]
        main = ld.name in principal
        ax.plot(d["date"], d["power"], color=colours[ld.name], lw=2 if main else 1,
                alpha=1.0 if main else 0.6, marker="o" if len(d) == 1 else None,
                label=ld.name if main else "_" + ld.name, gid=ld.name, zorder=3)
    start = _month_ts(model, 0)
    end = _month_ts(model, model.n_steps) + pd.offsets.MonthBegin(1)
    ymax = max(float(df["power"].max()) if len(df) else 0.0, 0.1) * 1.15
    ax.set_ylim(0, ymax)
    for k, (when, label) in enumerate(recorded_events(case)):
        ax.axvline(when, color="#555555", ls="--", lw=1, zorder=1, gid="event")
        ax.text(when, ymax * (0.98 if k % 2 == 0 else 0.6), f"{label} ({when:%b %Y}) ",
                rotation=90, va="top", ha="right", fontsize=7, color="#333333",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1})
    now = _month_ts(model, model.steps)
    ax.axvline(now, color="#222222", lw=1.5, alpha=0.5, zorder=2, gid="now")
    ax.set_xlim(start, end)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    ax.set_xlabel("month")
    ax.set_ylabel("power")
    ax.set_title(f"Power of the leaders to {model.month} (dashed: recorded events)",
                 fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def coalition_graph(model: SuccessionModel) -> nx.Graph:
    """This month's coalitions: one node per active leader (attributes ``power``,
    ``faction`` = name of the faction's strongest member), an edge between every two
    members of the same faction."""
    g = nx.Graph()
    for ld in model.leader_list:
        if ld.active:
            g.add_node(ld.name, power=float(model.power[ld.idx]),
                       faction=model.faction_leader_name(ld.idx))
    for label in model.labels():
        members = [model.leader_list[i].name for i in model.members(label)]
        members = [n for n in members if n in g]
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                g.add_edge(members[a], members[b])
    return g


def ruling_text(model: SuccessionModel) -> str:
    """'<leader>'s faction rules' or 'no ruling faction'."""
    name = model.ruling_name
    return f"{name}'s faction rules" if name else "no ruling faction"


def network_figure(model: SuccessionModel, case: Case = CASE) -> Figure:
    """The current coalitions as a network on a fixed circle of all leaders (so that nodes
    do not jump between months); title: the month and the ruling faction."""
    g = coalition_graph(model)
    names = [ld.name for ld in model.leader_list]
    colours = leader_colours(names, case.spec.plots.colours)
    pos = nx.circular_layout(names)
    fig = Figure(figsize=(6, 5.2), dpi=DPI)
    ax = fig.add_subplot()
    nodes = list(g.nodes)
    if nodes:
        top = max(max(g.nodes[n]["power"] for n in nodes), 1e-9)
        sizes = [150 + 2200 * g.nodes[n]["power"] / top for n in nodes]
        cols = [colours.get(g.nodes[n]["faction"], "#999999") for n in nodes]
        edge_cols = [colours.get(g.nodes[u]["faction"], "#999999") for u, _ in g.edges]
        nx.draw_networkx_edges(g, pos, ax=ax, edge_color=edge_cols, width=1.2, alpha=0.45)
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=ax, node_size=sizes,
                               node_color=cols, edgecolors="white", linewidths=1.0)
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=8)
        factions = dict.fromkeys(g.nodes[n]["faction"] for n in nodes)
        ax.legend(handles=[Patch(color=colours.get(f, "#999999"), label=f"{f}'s faction")
                           for f in factions],
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    else:
        ax.text(0.5, 0.5, "no active leader", ha="center", transform=ax.transAxes)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.25, 1.25)
    ax.set_axis_off()
    ax.set_title(f"{model.month}: coalitions; {ruling_text(model)}", fontsize=10)
    fig.tight_layout()
    return fig


def report_tallies(model: SuccessionModel) -> list[dict]:
    """The congress and conference votes on the Central Committee's report so far."""
    return [t for t in model.tallies
            if t["kind"] == "report" and t["body"] in ("congress", "conference")]


def tally_figure(model: SuccessionModel, record: pd.DataFrame | None = RECORD) -> Figure:
    """Votes on the report so far: per assembly the simulated yes/no (solid, stacked) and,
    beside it, the recorded tally where the record has one (hatched)."""
    tallies = report_tallies(model)
    rec = recorded_tallies(record)
    fig = Figure(figsize=(7, 4.2), dpi=DPI)
    ax = fig.add_subplot()
    labels = []
    top = 1
    for x, t in enumerate(tallies):
        labels.append(f"{t['assembly']}\n{t['month']}")
        yes, no = int(t["yes"]), int(t["no"])
        ax.bar(x - 0.2, yes, 0.38, color="#1f77b4")
        ax.bar(x - 0.2, no, 0.38, bottom=yes, color="#d62728")
        ax.text(x - 0.2, yes + no, f"{yes}-{no}", ha="center", va="bottom", fontsize=7)
        top = max(top, yes + no)
        recorded = rec.get(t["assembly"], "missing")
        if recorded == "missing":
            continue
        if recorded is None:
            ax.text(x + 0.2, 0, " recorded: unanimous (a resolution)", ha="center",
                    va="bottom", fontsize=6, rotation=90)
            continue
        ryes, rno = recorded
        ax.bar(x + 0.2, ryes, 0.38, color="#1f77b4", alpha=0.45, hatch="//",
               edgecolor="white", gid=f"recorded {t['assembly']}")
        ax.bar(x + 0.2, rno, 0.38, bottom=ryes, color="#d62728", alpha=0.45, hatch="//",
               edgecolor="white")
        ax.text(x + 0.2, ryes + rno, f"{ryes}-{rno}\nrecorded", ha="center", va="bottom",
                fontsize=7)
        top = max(top, ryes + rno)
    if tallies:
        ax.set_xticks(range(len(tallies)), labels, fontsize=7)
        ax.set_xlim(-0.7, max(len(tallies), 3) - 0.3)
    else:
        ax.set_xticks([])
        ax.text(0.5, 0.5, f"{model.month}: no congress or conference yet", ha="center",
                transform=ax.transAxes)
    ax.set_ylim(0, top * 1.25)
    ax.set_ylabel("delegates")
    ax.set_title("Votes on the report: simulated (solid) vs recorded (hatched)", fontsize=10)
    ax.legend(handles=[Patch(color="#1f77b4", label="yes"), Patch(color="#d62728", label="no"),
                       Patch(facecolor="white", edgecolor="#555555", hatch="//",
                             label="recorded")],
              loc="upper left", fontsize=7, frameon=False)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------
# the solara components (each reads update_counter, so it redraws after every step)


def _show(fig: Figure):
    return solara.FigureMatplotlib(fig, format="png", dpi=DPI)


@solara.component
def PowerPlot(model):
    """(a) each leader's power over time with the recorded events."""
    update_counter.get()
    _show(power_figure(model))


@solara.component
def CoalitionNetwork(model):
    """(b) this month's coalitions, with the month and the ruling faction as text too."""
    update_counter.get()
    with solara.Column():
        solara.Text(f"Month {model.month} (step {model.steps}): {ruling_text(model)}",
                    classes=["troika-month"], style={"font-weight": "bold"})
        _show(network_figure(model))


@solara.component
def TallyPlot(model):
    """(c) the assembly votes so far beside the record."""
    update_counter.get()
    _show(tally_figure(model))


COMPONENTS = [(PowerPlot, 0), (CoalitionNetwork, 0), (TallyPlot, 0)]


def make_page(scenario: str | Path = SCENARIO, seed: int = 0):
    """A SolaraViz page for a scenario (the module's ``page`` is the one for ``SCENARIO``)."""
    return SolaraViz(
        AppModel(scenario, rng=seed),
        components=COMPONENTS,
        model_params=model_params(scenario, seed),
        name=APP_NAME,
        play_interval=300,
    )


model = AppModel(SCENARIO, rng=0)
page = SolaraViz(
    model,
    components=COMPONENTS,
    model_params=model_params(SCENARIO, 0),
    name=APP_NAME,
    play_interval=300,
)


# --------------------------------------------------------------------------------------
# serving


def _check_loopback(host: str) -> None:
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"host {host!r}: the app is served on the loopback interface only "
                     "(e.g. 127.0.0.1)")


def server_env(scenario: str | Path = "baseline", base: dict | None = None) -> dict:
    """Environment for the server process: the scenario and the offline settings."""
    env = dict(os.environ if base is None else base)
    env[ENV_SCENARIO] = str(scenario)
    for k, v in OFFLINE_ENV.items():
        env.setdefault(k, v)
    return env


def server_command(host: str = "127.0.0.1", port: int = 8765) -> list[str]:
    """The ``solara run`` command line serving ``model.views.webapp:page``."""
    _check_loopback(host)
    return [sys.executable, "-m", "solara", "run", "model.views.webapp:page", "--host", host,
            "--port", str(port), "--no-open", "--production", "--log-level", "warning"]


def serve(scenario: str | Path = "baseline", host: str = "127.0.0.1", port: int = 8765) -> int:
    """Serve the app for ``scenario`` on ``http://host:port`` (loopback only) until
    interrupted; returns the server's exit status.

    The server dies with this process (even after ``kill -9``); Ctrl-C, or SIGTERM turned
    into KeyboardInterrupt by the command line, stops it and says so in one line."""
    cmd = server_command(host, port)
    print(f"troika app: serving {scenario} on http://{host}:{port}/ (Ctrl-C stops)",
          flush=True)
    proc = subprocess.Popen(cmd, env=server_env(scenario), preexec_fn=die_with_parent)
    try:
        return proc.wait()
    except (KeyboardInterrupt, Stopped):
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        print(f"troika app: stopped; the server on http://{host}:{port}/ is down (the app "
              "keeps no state: 'troika app' starts it again)", file=sys.stderr, flush=True)
        return 0


__all__ = [
    "APP_NAME",
    "AppModel",
    "coalition_graph",
    "make_page",
    "model_params",
    "network_figure",
    "page",
    "power_figure",
    "serve",
    "tally_figure",
]
