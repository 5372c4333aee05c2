"""The app rendered headless with ``solara.render`` (no browser, no server), and its panels
as plain functions of a model."""

from __future__ import annotations

import numpy as np
import pytest

solara = pytest.importorskip("solara", reason="the app needs the [app] extra (solara)")

import ipyvuetify as v  # noqa: E402
import ipywidgets  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from model.analysis.ensemble import run_seed  # noqa: E402
from model.views import app_panels, webapp  # noqa: E402

SETUP = webapp.setup_of("baseline")
CASE = SETUP.case


def _model(months: int = 0, **settings):
    m = webapp.build_model({**SETUP.defaults, **settings}, SETUP.spec)
    for _ in range(months):
        m.step()
    return m


def _texts(rc, css_class: str) -> list[str]:
    return [str(c) for w in rc.find(v.Html, class_=css_class).widgets for c in w.children]


def _month(rc) -> str:
    return _texts(rc, "troika-month")[0]


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def _svgs(rc) -> dict[str, bytes]:
    """The figures on the page by their id."""
    out = {}
    for w in rc.find(ipywidgets.Image).widgets:
        for name in ("troika-power", "troika-tallies"):
            if f'id="{name}"'.encode() in bytes(w.value):
                out[name] = bytes(w.value)
    return out


# --------------------------------------------------------------------------------------
# the page


def test_page_shows_the_month_and_redraws_after_a_step():
    box, rc = solara.render(webapp.AppPage("baseline"), handle_error=False)
    try:
        # the horizon starts in 1922-05: step 0 is the start of that month, not 1922-04
        assert _month(rc) == "Start of 1922-05 (step 0)"
        images = _svgs(rc)
        assert set(images) == {"troika-power", "troika-tallies"}
        _click(rc, "Step")
        _click(rc, "Step")
        assert _month(rc) == "Month 1922-06 (step 2)"
        after = _svgs(rc)
        assert after["troika-power"] != images["troika-power"]  # it follows the run
        assert after["troika-tallies"] == images["troika-tallies"]  # no vote yet: not redrawn
        assert _texts(rc, "troika-ruling-text")[0].endswith(("rules", "no ruling faction"))
        # Mesa's developer controls and its "Time: 2.0" are not on the page
        labels = [str(c) for w in rc.find(v.Btn).widgets for c in w.children]
        assert "Reset" in labels and "Play" in labels
        page_text = " ".join(str(c) for w in rc.find(v.Html).widgets for c in w.children)
        for gone in ("Render Interval", "Use Threads", "Time:"):
            assert gone not in page_text
    finally:
        rc.close()


def test_two_sessions_have_two_models():
    """Each page builds its own model: stepping one leaves the other at the start (the
    SolaraViz page it replaced drove one shared model)."""
    _box1, rc1 = solara.render(webapp.AppPage("baseline"), handle_error=False)
    _box2, rc2 = solara.render(webapp.AppPage("baseline"), handle_error=False)
    try:
        for _ in range(3):
            _click(rc1, "Step")
        assert _month(rc1) == "Month 1922-07 (step 3)"
        assert _month(rc2) == "Start of 1922-05 (step 0)"
        _click(rc2, "Step")
        assert _month(rc2) == "Month 1922-05 (step 1)"
        assert _month(rc1) == "Month 1922-07 (step 3)"
    finally:
        rc1.close()
        rc2.close()


def test_a_moved_slider_shows_its_value_and_waits_for_apply(monkeypatch):
    drawn = []
    original = webapp.svg_of
    monkeypatch.setattr(webapp, "svg_of", lambda fig: drawn.append(1) or original(fig))
    box, rc = solara.render(webapp.AppPage("baseline"), handle_error=False)
    try:
        _click(rc, "Step")
        apply = rc.find(v.Btn, children=["Apply (resets the run)"]).widget
        assert apply.disabled and not _texts(rc, "troika-pending")
        default = SETUP.defaults["campaign_rate"]
        assert _texts(rc, "troika-value-campaign_rate") == [webapp.value_text("campaign_rate",
                                                                       default)]
        names = list(webapp.SLIDERS)
        sliders = rc.find(v.Slider).widgets
        assert len(sliders) == len(names)
        before = len(drawn)
        new = default * 2 + 0.01
        sliders[names.index("campaign_rate")].v_model = new
        # the value is shown at once; the run goes on unchanged until Apply
        assert _texts(rc, "troika-value-campaign_rate") == [webapp.value_text("campaign_rate", new)]
        assert _texts(rc, "troika-pending") == ["Not applied yet: campaign rate."]
        assert _month(rc) == "Month 1922-05 (step 1)"
        assert len(drawn) == before  # moving a slider redraws no figure
        assert not apply.disabled
        apply.click()
        assert _month(rc) == "Start of 1922-05 (step 0)"
        assert not _texts(rc, "troika-pending")
        run = _texts(rc, "troika-run")[0]
        assert f"campaign rate {webapp.value_text('campaign_rate', new)}" in run
        # Reset replays the applied settings from the start
        _click(rc, "Step")
        _click(rc, "Reset")
        assert _month(rc) == "Start of 1922-05 (step 0)"
        assert _texts(rc, "troika-run")[0] == run
    finally:
        rc.close()


def test_a_bad_seed_cannot_be_applied():
    box, rc = solara.render(webapp.AppPage("baseline"), handle_error=False)
    try:
        rc.find(v.TextField).widget.v_model = "seven"
        assert rc.find(v.Btn, children=["Apply (resets the run)"]).widget.disabled
        rc.find(v.TextField).widget.v_model = "7"
        assert not rc.find(v.Btn, children=["Apply (resets the run)"]).widget.disabled
    finally:
        rc.close()


def test_seeds():
    assert webapp.parse_seed("12") == 12 and webapp.parse_seed(" ") is None
    seq = webapp.parse_seed("20221922/7")
    want = run_seed(20221922, 7)
    assert (seq.entropy, seq.spawn_key) == (want.entropy, want.spawn_key)
    with pytest.raises(ValueError, match="whole number"):
        webapp.parse_seed("seven")
    a, b = _model(20, seed="5"), _model(20, seed=5)
    assert (a.power == b.power).all()
    # a runs.csv seed gives that run again
    c = webapp.build_model({**SETUP.defaults, "seed": "20221922/7"}, SETUP.spec)
    d = webapp.SuccessionModel(SETUP.spec, rng=run_seed(20221922, 7))
    for _ in range(20):
        c.step()
        d.step()
    assert (c.power == d.power).all()


# --------------------------------------------------------------------------------------
# the panels


def test_month_labels_follow_the_horizon():
    m = _model()
    assert app_panels.month_label(m) == "Start of 1922-05 (step 0)"
    assert str(app_panels.step_date(m, 0).date()) == "1922-05-01"
    for _ in range(21):
        m.step()
    assert app_panels.month_label(m) == "Month 1924-01 (step 21)"
    assert str(app_panels.step_date(m, 21).date()) == "1924-02-01"  # the end of 1924-01


def test_power_figure_lines_events_and_the_dead():
    m = _model(30)  # to 1924-10: Lenin died in January 1924
    fig = app_panels.power_figure(m, CASE)
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.lines if ln.get_gid() in m.index}
    assert set(lines) == set(m.index)
    assert all(len(ln.get_xdata()) == m.steps + 1 for ln in lines.values())
    lenin = np.asarray(lines["Lenin"].get_ydata(), dtype=float)
    assert np.isnan(lenin[-1]) and not np.isnan(lenin[0])  # his line ends; not along 0
    events = app_panels.recorded_events(CASE)
    assert len([ln for ln in ax.lines if ln.get_gid() == "event"]) == len(events) >= 5
    numbers = [t.get_text().strip() for t in ax.texts if t.get_gid() == "event-number"]
    assert numbers == [str(k) for k in range(1, len(events) + 1)]
    assert "Trotsky loses War Commissar (Jan 1925)" in app_panels.events_html(CASE).replace(
        "&nbsp;", " ")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["Lenin", "Trotsky"] and legend[-1] == "others"


def test_the_power_chart_updated_in_place_is_the_figure_drawn_anew():
    m = _model()
    chart = app_panels.PowerChart(m, CASE)  # drawn at step 0, a point per leader
    for months in (1, 30):
        while m.steps < months:
            m.step()
        ax, fresh = chart.update().axes[0], app_panels.power_figure(m, CASE).axes[0]
        assert ax.get_ylim() == fresh.get_ylim()
        for a, b in zip(ax.lines, fresh.lines, strict=True):
            assert a.get_gid() == b.get_gid()
            assert list(a.get_xdata()) == list(b.get_xdata())
            np.testing.assert_array_equal(np.asarray(a.get_ydata(), dtype=float),
                                          np.asarray(b.get_ydata(), dtype=float))
        # the legend keys stay lines (not the step-0 points)
        assert {h.get_marker() for h in ax.get_legend().legend_handles} == {"None"}


def test_figures_are_legible_at_1024x768():
    """Drawn at the width they are shown (720 px) with no text under 10 points."""
    m = _model(45)
    for fig in (app_panels.power_figure(m, CASE), app_panels.tally_figure(m, CASE.record)):
        w, _h = fig.get_size_inches() * fig.dpi
        assert 650 <= w <= 760
        fig.canvas.draw()
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
        assert sizes and min(sizes) >= 10


def test_factions_are_groups():
    m = _model(25)
    groups = app_panels.faction_groups(m)
    shown = [n for f in groups["factions"] for n, _ in f["members"]]
    shown += [n for n, _ in groups["alone"]]
    active = sorted(ld.name for ld in m.leader_list if ld.active)
    assert sorted(shown) == active  # every active leader once
    assert sorted(n for n, _ in groups["out"]) == sorted(
        ld.name for ld in m.leader_list if not ld.active)
    for f in groups["factions"]:
        labels = {int(m.faction[m.index[n]]) for n, _ in f["members"]}
        assert len(labels) == 1
        assert f["name"] == f["members"][0][0]  # named after its strongest member
    assert sum(f["ruling"] for f in groups["factions"]) == (1 if m.ruling_name else 0)
    shares = [f["share"] for f in groups["factions"]]
    assert shares == sorted(shares, reverse=True) and sum(shares) <= 1 + 1e-9
    html = app_panels.factions_html(m, CASE)
    assert html.count('class="troika-faction') == len(groups["factions"])
    assert ("Lenin (dead)" in html) == (not m.leader_list[m.index["Lenin"]].alive)


def test_tallies_beside_the_record():
    m = _model(1)
    fig = app_panels.tally_figure(m, CASE.record)
    assert "no congress or conference yet" in " ".join(t.get_text() for t in fig.axes[0].texts)
    while m.month < "1926-01":
        m.step()
    ax = app_panels.tally_figure(m, CASE.record).axes[0]
    assert any(t.get_text().startswith("14th Congress") for t in ax.get_yticklabels())
    assert any(t.get_text().strip() == "559-65 recorded" for t in ax.texts)
    rec = [p for p in ax.patches if p.get_gid() == "recorded 14th Congress"]
    assert len(rec) == 1 and rec[0].get_width() == 559


# --------------------------------------------------------------------------------------
# serving


def test_serve_is_loopback_only():
    cmd = webapp.server_command("127.0.0.1", 8800)
    assert cmd[-8:-4] == ["--host", "127.0.0.1", "--port", "8800"]
    assert "model.views.webapp:Page" in cmd
    with pytest.raises(ValueError, match="loopback"):
        webapp.server_command("0.0.0.0", 8800)
    env = webapp.server_env("testament", base={})
    assert env[webapp.ENV_SCENARIO] == "testament"


def test_server_env_switches_off_solaras_banner(monkeypatch):
    """Solara's own settings, read from the server's environment, draw no banner over the
    page's corner (it covered the second figure's title at 1024x768)."""
    settings = pytest.importorskip("solara.server.settings")
    for key, value in webapp.server_env("baseline", base={}).items():
        monkeypatch.setenv(key, value)
    assert settings.ThemeSettings(_env_file=None).show_banner is False
    monkeypatch.delenv("SOLARA_THEME_SHOW_BANNER")
    assert settings.ThemeSettings(_env_file=None).show_banner is True


def test_app_command_serves_the_scenario(monkeypatch):
    from model.cli.main import app

    calls = []
    monkeypatch.setattr(webapp, "serve", lambda path, port: calls.append((path, port)) or 0)
    result = CliRunner().invoke(app, ["app", "baseline", "--port", "8811"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0][1] == 8811 and str(calls[0][0]).endswith("baseline.toml")
    result = CliRunner().invoke(app, ["app", "no_such_scenario"])
    assert result.exit_code == 2
