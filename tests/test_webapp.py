"""The SolaraViz app rendered headless with ``solara.render`` (no browser, no server)."""

from __future__ import annotations

import pytest

solara = pytest.importorskip("solara", reason="the app needs the [app] extra (solara)")

import ipyvuetify as v  # noqa: E402
import ipywidgets  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from model.views import webapp  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def _images(rc) -> list[bytes]:
    return [bytes(w.widget.value) for w in rc.find(ipywidgets.Image)]


def _capture(monkeypatch) -> dict:
    """Wrap the figure functions so that the test sees the figures the components drew."""
    seen: dict = {}
    for name in ("power_figure", "network_figure", "tally_figure"):
        original = getattr(webapp, name)

        def wrapper(model, *args, _original=original, _name=name, **kwargs):
            fig = _original(model, *args, **kwargs)
            seen[_name] = fig
            return fig

        monkeypatch.setattr(webapp, name, wrapper)
    return seen


@solara.component
def InAppLayout():
    """The page inside an AppLayout, so that its sidebar (the controls) is rendered too."""
    with solara.AppLayout():
        webapp.make_page("baseline", seed=3)


def _step_to(model, month: str) -> None:
    while model.month < month and model.running:
        model.step()


def test_page_renders_three_figures_that_follow_the_model(monkeypatch):
    seen = _capture(monkeypatch)
    box, rc = solara.render(webapp.page, handle_error=False)
    images = _images(rc)
    assert len(images) == 3
    assert all(img.startswith(PNG) and len(img) > 5000 for img in images)
    model = webapp.model
    n_leaders = len(model.leader_list)

    # step past the 14th Congress (December 1925), then make the components redraw
    _step_to(model, "1926-01")
    webapp.update_counter.value += 1
    after = _images(rc)
    assert len(after) == 3 and after != images

    # (a) one line per leader (their gid), plus the dashed recorded events
    ax = seen["power_figure"].axes[0]
    leader_lines = [ln for ln in ax.lines if ln.get_gid() in webapp.model.index]
    assert len(leader_lines) == n_leaders
    assert len(ax.lines[0].get_xdata()) == model.steps + 1
    events = [ln for ln in ax.lines if ln.get_gid() == "event"]
    assert len(events) == len(webapp.recorded_events()) >= 5
    assert all(ln.get_linestyle() == "--" for ln in events)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Trotsky loses War Commissar (Jan 1925)" in texts

    # (b) one node per active leader, titled with the month and the ruling faction
    active = [ld for ld in model.leader_list if ld.active]
    g = webapp.coalition_graph(model)
    assert g.number_of_nodes() == len(active)
    for u, w in g.edges:
        assert g.nodes[u]["faction"] == g.nodes[w]["faction"]
    nax = seen["network_figure"].axes[0]
    assert len(nax.collections[-1].get_offsets()) == len(active)
    assert model.month in nax.get_title()
    assert webapp.ruling_text(model) in nax.get_title()
    assert f"Month {model.month}" in " ".join(
        str(c) for w in rc.find(v.Html, class_="troika-month") for c in w.widget.children
    )

    # (c) the 14th Congress beside the recorded 559-65
    tax = seen["tally_figure"].axes[0]
    ticks = [t.get_text() for t in tax.get_xticklabels()]
    assert any(t.startswith("14th Congress") for t in ticks)
    assert any(t.get_text().startswith("559-65") for t in tax.texts)
    rec = [p for p in tax.patches if p.get_gid() == "recorded 14th Congress"]
    assert len(rec) == 1 and rec[0].get_height() == 559


def test_tallies_before_any_congress():
    m = webapp.AppModel("baseline", rng=1)
    m.step()
    fig = webapp.tally_figure(m)
    assert "no congress or conference yet" in " ".join(t.get_text() for t in fig.axes[0].texts)


def test_sliders_match_model_arguments_and_reset_uses_them():
    params = webapp.model_params("baseline")
    assert set(params) == {"rng", *webapp.SLIDERS}
    spec = webapp.load_scenario("baseline")
    for name in webapp.SLIDERS:
        p = params[name]
        assert p["min"] <= p["value"] <= p["max"]
        assert p["value"] == getattr(spec.parameters, name)
    m = webapp.AppModel(rng="7", campaign_rate=0.02, factionalism=1.0)
    assert m.params.campaign_rate == 0.02 and m.params.factionalism == 1.0
    assert m.params.successor_fear == spec.parameters.successor_fear

    # Reset in the page builds a new model from the sliders (SolaraViz passes a Mesa
    # Scenario object as ``scenario``; the app keeps its troika scenario)
    box, rc = solara.render(InAppLayout(), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, children=["Reset"]).widget.click()
    rc.find(v.Btn, children=["Step"]).widget.click()
    month = rc.find(v.Html, class_="troika-month").widget.children[0]
    assert month.startswith("Month 1922-05 (step 1)")


def test_same_seed_same_run():
    a, b = webapp.AppModel(rng=5), webapp.AppModel(rng="5")
    for _ in range(20):
        a.step()
        b.step()
    assert (a.power == b.power).all()


def test_serve_is_loopback_only():
    cmd = webapp.server_command("127.0.0.1", 8800)
    assert cmd[-8:-4] == ["--host", "127.0.0.1", "--port", "8800"]
    assert "model.views.webapp:page" in cmd
    with pytest.raises(ValueError, match="loopback"):
        webapp.server_command("0.0.0.0", 8800)
    env = webapp.server_env("testament", base={})
    assert env[webapp.ENV_SCENARIO] == "testament"


def test_app_command_serves_the_scenario(monkeypatch):
    from model.cli.main import app

    calls = []
    monkeypatch.setattr(webapp, "serve", lambda path, port: calls.append((path, port)) or 0)
    result = CliRunner().invoke(app, ["app", "baseline", "--port", "8811"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0][1] == 8811 and str(calls[0][0]).endswith("baseline.toml")
    result = CliRunner().invoke(app, ["app", "no_such_scenario"])
    assert result.exit_code == 2
