"""Interactive app: the succession struggle month by month in the browser (solara, with
Mesa's visualization update counter).

``troika app [SCENARIO] [--port P]`` (or :func:`serve`) starts a solara server on 127.0.0.1
with this module's :func:`Page`. The page, made for a classroom and a projector at 1024x768:

* a header with the case and the month reached, "Month 1924-01 (step 21)" ("Start of
  1922-05 (step 0)" before the first month), and the ruling faction;
* on the left, the controls: Step, Play/Pause, Reset (the same run again from the start);
  the seed and five key parameters as sliders showing their values, with one button,
  "Apply (resets the run)": a moved slider changes nothing until it is pressed, and the
  panel says so and lists what is not applied yet;
* on the right, the panels of :mod:`model.views.app_panels`: the coalitions this month as
  groups (one box per faction with its members), each leader's power over time beside the
  recorded events, and the votes on the report beside the recorded tallies.

**One model per browser session.** The model and the settings are solara state created
inside :func:`Page` (``use_memo``/``use_reactive``), and Mesa's ``update_counter`` is a
solara reactive variable, which the server keeps per session (per browser tab): a second
browser starts its own run from step 0 with its own sliders. Mesa's ``SolaraViz`` is not
used: it shares the model it is given between sessions, and its sidebar shows developer
controls ("Render Interval", "Use Threads"), "Time: 20.0" instead of the month, and sliders
without values.

**Speed.** A step of the model takes about a millisecond; what costs is drawing. Each
panel is drawn once per step (memoized on the model and its step, so that moving a slider
redraws nothing) and the votes only when a new vote was taken. Play steps once every
:data:`PLAY_INTERVAL_S` seconds and waits for the drawing, so it never falls behind.

The scenario comes from the environment variable ``TROIKA_APP_SCENARIO`` (default
``baseline``), read at import: :func:`serve` sets it for the server process.

Offline: solara loads its page assets from a CDN unless told otherwise; :func:`server_env`
gives the settings under which the page renders with no internet (see ``OFFLINE_ENV``).
Needs the ``app`` extra (solara, via ``mesa[rec]``).
"""

from __future__ import annotations

import functools
import io
import ipaddress
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import solara
import solara.lab
from matplotlib.figure import Figure
from mesa.visualization.utils import force_update, update_counter

from model.analysis.seeds import parse_seed as parse_seed_text
from model.cases.casefile import Case, case_of
from model.cases.scenario import Scenario, load_scenario
from model.engine.model import SuccessionModel
from model.engine.parameters import slider_of
from model.processes import Stopped, die_with_parent
from model.views.app_panels import (
    PowerChart,
    events_html,
    factions_html,
    month_label,
    report_tallies,
    tally_figure,
)

ENV_SCENARIO = "TROIKA_APP_SCENARIO"
SCENARIO = os.environ.get(ENV_SCENARIO, "baseline")
APP_NAME = "troika: the succession struggle"
DEFAULT_SEED = "0"
PLAY_INTERVAL_S = 0.5   # Play: one month every half second, or slower if drawing takes longer

# The environment of the server process. Solara loads the page's JavaScript (the vuetify app,
# requirejs, font-awesome) from the CDN through its proxy ``/_solara/cdn/``, which serves them
# from ``<venv>/share/solara/cdn`` where they exist: the ``solara-assets`` package puts them
# there, so the page renders offline (needs ipyvue and ipyvuetify 1.x: with 3.x solara asks
# for a vuetify3 bundle that no solara-assets ships). The proxy must stay on (the default);
# telemetry is switched off, there being no internet to send it to. Solara's banner ("This
# website runs on Solara") is off: it is drawn at a fixed place in the page's corner and, at a
# projector's 1024x768, covered the title of the second figure.
OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_THEME_SHOW_BANNER": "False",
}

# the sliders: parameter -> (label, min, max, step); defaults are the scenario's values
SLIDERS: dict[str, tuple[str, float, float, float]] = {
    name: slider_of(name)
    for name in ("successor_fear", "campaign_rate", "exposure_weight", "appointment_rate",
                 "factionalism")
}

SEED_HELP = "a whole number, or a run's seed from runs.csv such as 20221922/7"


def parse_seed(text) -> int | np.random.SeedSequence | None:
    """The seed box's text as a seed: a whole number; ``entropy/k`` (or ``entropy/k.l``),
    the form of the ensembles' ``runs.csv``, as that run's seed sequence
    (:func:`model.analysis.seeds.parse_seed`, the same reading as ``troika run --seed``);
    empty: fresh entropy (``None``). Anything else raises ``ValueError`` naming the accepted
    forms."""
    if text is None:
        return None
    if isinstance(text, int | np.integer):
        return int(text)
    s = str(text).strip()
    if not s:
        return None
    try:
        return parse_seed_text(s)
    except ValueError:
        raise ValueError(f"seed {s!r}: {SEED_HELP}") from None


def scenario_spec(scenario: Scenario | str | Path = SCENARIO) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def default_settings(scenario: Scenario | str | Path = SCENARIO) -> dict:
    """The settings a session starts with: the seed box's text and the scenario's value of
    each slider's parameter."""
    spec = scenario_spec(scenario)
    out: dict = {"seed": DEFAULT_SEED}
    for name in SLIDERS:
        out[name] = float(getattr(spec.parameters, name))
    return out


def slider_range(name: str, value: float) -> tuple[float, float, float]:
    """(min, max, step) of a slider, widened to hold the scenario's value."""
    _label, lo, hi, step = SLIDERS[name]
    return min(lo, value), max(hi, value), step


def build_model(settings: dict, scenario: Scenario | str | Path = SCENARIO) -> SuccessionModel:
    """A new model from the settings (the seed's text and the slider values)."""
    spec = scenario_spec(scenario)
    params = {name: float(settings[name]) for name in SLIDERS if name in settings}
    return SuccessionModel(spec, rng=parse_seed(settings.get("seed")), parameters=params)


def value_text(name: str, value: float) -> str:
    """A slider's value with as many decimals as its step."""
    step = SLIDERS[name][3]
    decimals = max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0
    return f"{value:.{decimals}f}"


def differences(settings: dict, reference: dict) -> list[str]:
    """The labels of the settings that differ from ``reference``."""
    out = []
    if str(settings.get("seed", "")).strip() != str(reference.get("seed", "")).strip():
        out.append("seed")
    for name, (label, *_rest) in SLIDERS.items():
        if not np.isclose(settings[name], reference[name]):
            out.append(label.lower())
    return out


def run_text(settings: dict, defaults: dict) -> str:
    """What the current run was built with, e.g. 'seed 0; campaign rate 0.02 (scenario:
    0.01)'."""
    seed = str(settings.get("seed", "")).strip() or "random"
    changed = [f"{label.lower()} {value_text(name, settings[name])} (scenario: "
               f"{value_text(name, defaults[name])})"
               for name, (label, *_rest) in SLIDERS.items()
               if not np.isclose(settings[name], defaults[name])]
    return f"seed {seed}; " + ("; ".join(changed) if changed
                               else "every parameter at the scenario's value")


# --------------------------------------------------------------------------------------
# the scenario, its case and record


@dataclass(frozen=True)
class Setup:
    """What a page needs of its scenario: the scenario, its case and the default
    settings."""

    spec: Scenario
    case: Case
    defaults: dict


@functools.lru_cache(maxsize=8)
def setup_of(scenario: str = SCENARIO) -> Setup:
    """The :class:`Setup` of a scenario (a name or a path), read once per process."""
    spec = load_scenario(scenario)
    return Setup(spec, case_of(scenario), default_settings(spec))


def ruling_text(model: SuccessionModel) -> str:
    """'<leader>'s faction rules' or 'no ruling faction'."""
    name = model.ruling_name
    return f"{name}'s faction rules" if name else "no ruling faction"


def svg_of(fig: Figure) -> bytes:
    """A figure as SVG (sharp at any size on a projector), its text as text (the browser
    draws the glyphs: quicker to write than a path per glyph, and smaller)."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")
    return buf.getvalue()


# --------------------------------------------------------------------------------------
# the components (those that follow the run read Mesa's update_counter, bumped per step)

CARD = {"padding": "10px 12px", "border": "1px solid #d0d0d0", "border-radius": "8px",
        "background": "#fafafa", "width": "100%"}


@solara.component
def Header(model: SuccessionModel, case: Case):
    """The case, the month reached and the ruling faction."""
    update_counter.get()
    with solara.Row(style={"background": "#1f4e79", "color": "white", "padding": "6px 16px",
                           "align-items": "baseline", "gap": "18px", "flex-wrap": "wrap"}):
        solara.Text(case.spec.title, style={"font-size": "17px"})
        solara.Text(month_label(model), classes=["troika-month"],
                    style={"font-size": "24px", "font-weight": "bold"})
        solara.Text(ruling_text(model), classes=["troika-ruling-text"],
                    style={"font-size": "18px"})


@solara.component
def RunControls(setup: Setup, model: solara.Reactive, playing: solara.Reactive,
                applied: solara.Reactive, lock: threading.Lock):
    """Step, Play/Pause, Reset; and what the run was built with."""
    update_counter.get()
    m = model.value
    finished = not m.running

    def step():
        with lock:
            if m.running and not playing.value:
                m.step()
        force_update()

    def reset():
        playing.set(False)
        model.set(build_model(applied.value, setup.spec))
        force_update()

    with solara.Column(style=CARD, gap="6px"):
        with solara.Row(gap="6px"):
            solara.Button("Step", color="primary", on_click=step,
                          disabled=playing.value or finished, style={"flex": "1"})
            solara.Button("Pause" if playing.value else "Play", color="primary",
                          on_click=lambda: playing.set(not playing.value), disabled=finished,
                          classes=["troika-play"], style={"flex": "1"})
            solara.Button("Reset", on_click=reset, outlined=True, style={"flex": "1"})
        note = ("the end of the horizon: Reset to run again" if finished
                else f"Play: a month every {PLAY_INTERVAL_S:g} s")
        solara.Text(note, style={"font-size": "13px", "color": "#555555"})
        solara.Text(f"This run: {run_text(applied.value, setup.defaults)}",
                    classes=["troika-run"], style={"font-size": "13px"})


@solara.component
def Settings(setup: Setup, model: solara.Reactive, playing: solara.Reactive,
             applied: solara.Reactive, pending: solara.Reactive):
    """The seed and the sliders, each showing its value, with 'Apply (resets the run)'."""
    seed_error = ""
    try:
        parse_seed(pending.value.get("seed"))
    except ValueError:
        seed_error = SEED_HELP
    waiting = differences(pending.value, applied.value)
    first = setup.spec.horizon.start[:7]

    def set_value(name, value):
        pending.set({**pending.value, name: value})

    def apply():
        playing.set(False)
        model.set(build_model(pending.value, setup.spec))
        applied.set(dict(pending.value))
        force_update()

    with solara.Column(style=CARD, gap="0px"):
        solara.Text("Settings", style={"font-weight": "bold", "font-size": "16px"})
        solara.InputText("Seed", value=str(pending.value.get("seed", "")),
                         on_value=lambda v: set_value("seed", v), continuous_update=True,
                         error=seed_error or False, classes=["troika-seed"])
        for name, (label, *_rest) in SLIDERS.items():
            value = float(pending.value[name])
            lo, hi, step = slider_range(name, value)
            with solara.Row(justify="space-between", style={"margin-top": "4px"}):
                solara.Text(label, style={"font-size": "14px"})
                solara.Text(value_text(name, value), classes=[f"troika-value-{name}"],
                            style={"font-size": "14px", "font-weight": "bold"})
            solara.SliderFloat("", value=value, min=lo, max=hi, step=step,
                               on_value=lambda v, n=name: set_value(n, v), thumb_label=False)
        solara.Button("Apply (resets the run)", color="primary", on_click=apply,
                      disabled=bool(seed_error) or not waiting, classes=["troika-apply"],
                      style={"margin-top": "6px", "width": "100%"})
        if waiting:
            solara.Text(f"Not applied yet: {', '.join(waiting)}.", classes=["troika-pending"],
                        style={"font-size": "13px", "color": "#b35900", "font-weight": "bold"})
        solara.Text(f"A moved slider changes nothing until applied; applying starts the run "
                    f"again from {first}.", style={"font-size": "13px", "color": "#555555"})
        solara.Button("Scenario's values", text=True, small=True,
                      on_click=lambda: pending.set(dict(setup.defaults)),
                      disabled=not differences(pending.value, setup.defaults))


@solara.component
def FactionsPanel(model: SuccessionModel, case: Case):
    """The coalitions this month, one box per faction."""
    update_counter.get()
    text = solara.use_memo(lambda: factions_html(model, case), [model, model.steps])
    solara.HTML(tag="div", unsafe_innerHTML=text)


@solara.component
def PowerPanel(model: SuccessionModel, case: Case):
    """Each leader's power over time with the recorded events."""
    update_counter.get()
    chart = solara.use_memo(lambda: PowerChart(model, case), [model])
    svg = solara.use_memo(lambda: svg_of(chart.update()), [model, model.steps])
    solara.Image(svg, format="svg+xml", width="100%", classes=["troika-figure"])
    solara.HTML(tag="div", unsafe_innerHTML=events_html(case))


@solara.component
def TallyPanel(model: SuccessionModel, case: Case):
    """The votes on the report so far beside the record (drawn again only after a vote)."""
    update_counter.get()
    n = len(report_tallies(model))
    svg = solara.use_memo(lambda: svg_of(tally_figure(model, case.record)), [model, n])
    solara.Image(svg, format="svg+xml", width="100%", classes=["troika-figure"])


@solara.component
def AppPage(scenario: str = SCENARIO):
    """The app for a scenario: its own model and settings per browser session."""
    setup = setup_of(str(scenario))
    first = solara.use_memo(lambda: build_model(setup.defaults, setup.spec), [])
    model = solara.use_reactive(first)
    applied = solara.use_reactive(dict(setup.defaults))
    pending = solara.use_reactive(dict(setup.defaults))
    playing = solara.use_reactive(False)
    lock = solara.use_memo(threading.Lock, [])  # one step at a time per session

    def play():
        # stops on Pause, at the end, on Reset or Apply (a new model), when a later Play
        # took over or the browser tab closed (the task is no longer current)
        m = model.value
        while playing.value and m.running and model.value is m and task.is_current():
            t0 = time.monotonic()
            with lock:
                m.step()
            force_update()  # the panels redraw in this thread before the next month
            rest = PLAY_INTERVAL_S - (time.monotonic() - t0)
            if rest > 0:
                time.sleep(rest)
        if model.value is m and not m.running:
            playing.set(False)

    task = solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    solara.Title(APP_NAME)
    with solara.Column(gap="0px", style={"width": "100%"}):
        Header(model.value, setup.case)
        with solara.Row(gap="12px", style={"padding": "10px", "align-items": "flex-start"}):
            with solara.Column(gap="10px", style={"width": "270px", "min-width": "270px"}):
                RunControls(setup, model, playing, applied, lock)
                Settings(setup, model, playing, applied, pending)
            with solara.Column(gap="8px", style={"flex": "1", "min-width": "0"}):
                FactionsPanel(model.value, setup.case)
                PowerPanel(model.value, setup.case)
                TallyPanel(model.value, setup.case)


@solara.component
def Page():
    """The page ``solara run`` serves: the app for ``TROIKA_APP_SCENARIO``."""
    AppPage(SCENARIO)


page = Page


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
    """The ``solara run`` command line serving ``model.views.webapp:Page``."""
    _check_loopback(host)
    return [sys.executable, "-m", "solara", "run", "model.views.webapp:Page", "--host", host,
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
    "AppPage",
    "Page",
    "build_model",
    "default_settings",
    "page",
    "parse_seed",
    "serve",
]
