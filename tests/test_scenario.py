"""Tests for model.cases.scenario: loading, validation messages, inheritance and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.cases.scenario import (
    SCENARIO_DIR,
    Scenario,
    ScenarioError,
    load_raw,
    load_scenario,
    merge,
    resolve_path,
    scenario_name,
)
from model.engine.parameters import Parameters

BASELINE_PATH = SCENARIO_DIR / "bolshevik_1922" / "baseline.toml"


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario("baseline")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def child(tmp_path: Path, body: str, name: str = "child.toml") -> Path:
    """A scenario that extends the baseline (by absolute path) and adds ``body``."""
    return write(tmp_path / name, f'extends = "{BASELINE_PATH.as_posix()}"\n{body}')


def errors_of(path: Path, **kwargs) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kwargs)
    lines = info.value.lines
    assert lines, "a ScenarioError carries at least one line"
    assert str(info.value) == "\n".join(lines)
    prefix = str(path.resolve())
    for line in lines:
        assert line.startswith((prefix + ":", prefix + " -> ")), line  # the user's file first
    return lines


# ---- loading the baseline ----------------------------------------------------------------


def test_load_baseline(baseline):
    assert isinstance(baseline, Scenario)
    assert baseline.name == "baseline"
    assert len(baseline.leaders) >= 2
    assert any(o.kind == "appointments" for o in baseline.offices)
    assert baseline.horizon.months > 0
    assert load_scenario(BASELINE_PATH) == baseline  # by path as well as by name
    assert load_scenario("baseline.toml") == baseline


def test_baseline_dates_lie_in_horizon(baseline):
    for item in [*baseline.events, *baseline.assemblies]:
        assert 0 <= baseline.step_of(item.date) <= baseline.horizon.months


# ---- bad inputs ----------------------------------------------------------------------------


BAD_INPUTS = {
    "unknown top-level key": ("bogus_key = 1\n", "bogus_key"),
    "wrong type": ('[[leaders]]\nname = "Trotsky"\nprestige = "high"\n', "prestige"),
    "unknown leader in event": (
        'events = [{ kind = "death", date = "1923-01", leader = "Nobody" }]\n', "leader"
    ),
    "event outside horizon": (
        'events = [{ kind = "death", date = "1930-01", leader = "Lenin" }]\n', "date"
    ),
    "negative region members": (
        'regions = [{ name = "Moscow", members = -5 }]\n', "members"
    ),
    "zero delegates": (
        'assemblies = [{ name = "12th Congress", delegates = 0 }]\n', "delegates"
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_raises_with_file_and_field(tmp_path, case):
    body, field = BAD_INPUTS[case]
    lines = errors_of(child(tmp_path, body))
    # the field is named in the location part of the line, after the file path
    prefix = str((tmp_path / "child.toml").resolve())
    assert any(field in line[len(prefix):] for line in lines), lines


def test_wrong_type_line_names_the_leader(tmp_path):
    lines = errors_of(child(tmp_path, '[[leaders]]\nname = "Trotsky"\nprestige = "high"\n'))
    assert len(lines) == 1
    assert "leaders." in lines[0] and "Trotsky" in lines[0] and "prestige" in lines[0]


def test_toml_syntax_error(tmp_path):
    path = write(tmp_path / "broken.toml", 'name = "x"\nhorizon = { start = \n')
    lines = errors_of(path)
    assert len(lines) == 1
    assert "toml" in lines[0]


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(ScenarioError):
        load_scenario(tmp_path / "does-not-exist.toml")


def test_several_type_problems_give_several_lines(tmp_path):
    body = (
        "bogus_key = 1\n"
        'regions = [{ name = "Moscow", members = -5 }]\n'
        '[[leaders]]\nname = "Trotsky"\nprestige = "high"\n'
    )
    lines = errors_of(child(tmp_path, body))
    assert len(lines) == 3
    for field in ("bogus_key", "members", "prestige"):
        assert sum(field in line for line in lines) == 1, (field, lines)


def test_several_cross_reference_problems_give_several_lines(tmp_path):
    body = (
        "events = [\n"
        '  { kind = "death", date = "1923-01", leader = "Nobody" },\n'
        '  { kind = "death", date = "1930-01", leader = "Lenin" },\n'
        "]\n"
    )
    lines = errors_of(child(tmp_path, body))
    assert len(lines) == 2
    assert any("events.0.leader" in line and "Nobody" in line for line in lines)
    assert any("events.1.date" in line for line in lines)


def test_cross_references_reported_with_type_errors(tmp_path):
    """A type error and an unknown leader in the same file are both reported."""
    body = (
        'events = [{ kind = "death", date = "1923-01", leader = "Nobody" }]\n'
        '[[leaders]]\nname = "Trotsky"\nprestige = "high"\n'
    )
    lines = errors_of(child(tmp_path, body))
    assert any("prestige" in line for line in lines)
    assert any("events.0.leader" in line and "Nobody" in line for line in lines)


# ---- extends -------------------------------------------------------------------------------


def test_extends_overrides_one_leader_and_one_parameter(tmp_path, baseline):
    body = (
        'name = "counterfactual"\n'
        "[parameters]\ncampaign_rate = 0.02\n"
        '[[leaders]]\nname = "Trotsky"\nresolve = 0.1\n'
    )
    sc = load_scenario(child(tmp_path, body))
    assert sc.name == "counterfactual"
    assert sc.extends == BASELINE_PATH.as_posix()
    assert sc.parameters.campaign_rate == 0.02
    assert sc.parameters.campaign_rate != baseline.parameters.campaign_rate
    # the rest of the parameters are kept
    kept = sc.parameters.model_dump()
    kept.pop("campaign_rate")
    base = baseline.parameters.model_dump()
    base.pop("campaign_rate")
    assert kept == base
    # the changed leader keeps his other fields; the others are untouched
    trotsky = next(ld for ld in sc.leaders if ld.name == "Trotsky")
    base_trotsky = next(ld for ld in baseline.leaders if ld.name == "Trotsky")
    assert trotsky.resolve == 0.1
    assert trotsky.model_copy(update={"resolve": base_trotsky.resolve}) == base_trotsky
    assert sc.leader_names == baseline.leader_names
    for a, b in zip(sc.leaders, baseline.leaders, strict=True):
        if a.name != "Trotsky":
            assert a == b
    for field in ("offices", "regions", "assemblies", "events", "relations", "horizon"):
        assert getattr(sc, field) == getattr(baseline, field), field


def test_extends_by_scenario_name(tmp_path, baseline):
    path = write(tmp_path / "named.toml", 'extends = "baseline"\nname = "named"\n')
    sc = load_scenario(path)
    assert sc.name == "named"
    assert sc.leaders == baseline.leaders


def test_extends_relative_path_chain(tmp_path, baseline):
    child(tmp_path, "[parameters]\ncampaign_rate = 0.02\n", name="mid.toml")
    grand = write(
        tmp_path / "grand.toml",
        'extends = "mid.toml"\n[[leaders]]\nname = "Stalin"\nresolve = 0.2\n',
    )
    sc = load_scenario(grand)
    assert sc.parameters.campaign_rate == 0.02
    assert next(ld for ld in sc.leaders if ld.name == "Stalin").resolve == 0.2


def test_circular_extends_is_an_error(tmp_path):
    a = write(tmp_path / "a.toml", 'extends = "b.toml"\nname = "a"\n')
    write(tmp_path / "b.toml", 'extends = "a.toml"\nname = "b"\n')
    lines = errors_of(a)
    assert len(lines) == 1
    assert "extends" in lines[0] and "circular" in lines[0]


def test_self_extends_is_an_error(tmp_path):
    path = write(tmp_path / "self.toml", 'extends = "self.toml"\nname = "self"\n')
    lines = errors_of(path)
    assert "circular" in lines[0]


def test_extends_unknown_parent_is_an_error(tmp_path):
    path = write(tmp_path / "orphan.toml", 'extends = "no-such-scenario-here"\nname = "o"\n')
    lines = errors_of(path)
    assert "extends" in lines[0]


# ---- overrides ----------------------------------------------------------------------------


def test_override_parameter_applies(baseline):
    sc = load_scenario(BASELINE_PATH, overrides=["parameters.campaign_rate=0.02"])
    assert sc.parameters.campaign_rate == 0.02
    assert sc.leaders == baseline.leaders


def test_override_named_entry_applies(baseline):
    sc = load_scenario("baseline", overrides=["leaders.Trotsky.resolve=0.2"])
    assert next(ld for ld in sc.leaders if ld.name == "Trotsky").resolve == 0.2


def test_override_unknown_parameter_raises():
    with pytest.raises(ScenarioError) as info:
        load_scenario(BASELINE_PATH, overrides=["parameters.nope=1"])
    lines = info.value.lines
    assert lines and all(line.startswith(str(BASELINE_PATH.resolve())) for line in lines)
    assert any("nope" in line for line in lines)


@pytest.mark.parametrize(
    "override", ["no_equals_sign", "leaders.Nobody.resolve=0.2", "parameters..x=1"]
)
def test_malformed_overrides_raise(override):
    with pytest.raises(ScenarioError):
        load_scenario(BASELINE_PATH, overrides=[override])


def test_override_out_of_range_raises():
    with pytest.raises(ScenarioError) as info:
        load_scenario(BASELINE_PATH, overrides=["parameters.campaign_rate=2.0"])
    assert any("campaign_rate" in line for line in info.value.lines)


# ---- merge --------------------------------------------------------------------------------


def test_merge_tables_key_by_key():
    base = {"a": 1, "t": {"x": 1, "y": 2}}
    out = merge(base, {"t": {"y": 3, "z": 4}, "b": 2})
    assert out == {"a": 1, "b": 2, "t": {"x": 1, "y": 3, "z": 4}}
    assert base == {"a": 1, "t": {"x": 1, "y": 2}}  # inputs are not modified


def test_merge_named_arrays_by_name():
    base = [{"name": "A", "p": 1, "q": 1}, {"name": "B", "p": 2, "q": 2}]
    out = merge(base, [{"name": "B", "p": 20}, {"name": "C", "p": 3}])
    assert out == [
        {"name": "A", "p": 1, "q": 1},
        {"name": "B", "p": 20, "q": 2},
        {"name": "C", "p": 3},
    ]
    assert base[1] == {"name": "B", "p": 2, "q": 2}


def test_merge_named_arrays_remove():
    base = [{"name": "A"}, {"name": "B"}, {"name": "C"}]
    out = merge(base, [{"name": "B", "remove": True}, {"name": "C", "x": 1}])
    assert out == [{"name": "A"}, {"name": "C", "x": 1}]


def test_merge_unnamed_arrays_and_scalars_are_replaced():
    assert merge([1, 2, 3], [4]) == [4]
    assert merge([{"kind": "x"}], [{"kind": "y"}]) == [{"kind": "y"}]
    assert merge({"a": [1]}, {"a": [2]}) == {"a": [2]}
    assert merge(1, 2) == 2


def test_parameters_reject_unknown_names():
    with pytest.raises(ValueError):
        Parameters(nope=1)


# ---- names across case folders -----------------------------------------------------------


def test_names_resolve_in_case_folders():
    case = SCENARIO_DIR / "bolshevik_1922"
    assert resolve_path("baseline") == (case / "baseline.toml").resolve()
    assert resolve_path("bolshevik_1922/testament") == (case / "testament.toml").resolve()
    assert resolve_path("testament.toml") == (case / "testament.toml").resolve()
    assert scenario_name(case / "testament.toml") == "testament"


def test_a_name_held_by_two_cases_must_name_its_case(tmp_path, monkeypatch):
    import model.cases.scenario as sc

    for case in ("one", "two"):
        (tmp_path / case).mkdir()
        (tmp_path / case / "base.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(sc, "SCENARIO_DIR", tmp_path)
    with pytest.raises(ScenarioError) as info:
        sc.resolve_path("base")
    assert "one/base, two/base" in info.value.lines[0]
    assert sc.resolve_path("two/base") == (tmp_path / "two" / "base.toml").resolve()
    assert sc.scenario_name(tmp_path / "two" / "base.toml") == "two/base"


def test_extends_looks_in_the_files_own_folder_first(tmp_path):
    (tmp_path / "baseline.toml").write_text(BASELINE_PATH.read_text(encoding="utf-8")
                                            .replace('name = "baseline"', 'name = "mine"'),
                                            encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "baseline"\nname = "child"\n', encoding="utf-8")
    assert load_scenario(child).name == "child"
    assert load_raw(child.resolve())["extends"] == "baseline"
    assert load_raw((tmp_path / "baseline.toml").resolve())["name"] == "mine"
