"""Hostile scenario files (issue #15): every bad input is one ``FILE: field: problem`` line
per problem, never a traceback; strict values; documented limits; the ``extends`` chain named.

Each case is loaded in-process (the command line prints the same lines: see
``test_hostile_cli.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.cases.scenario import (
    SCENARIO_DIR,
    ScenarioError,
    load_raw,
    load_scenario,
    resolve_path,
)
from model.engine.parameters import Parameters
from model.engine.spec import LIMITS

BASELINE = SCENARIO_DIR / "bolshevik_1922" / "baseline.toml"
HEAD = 'extends = "baseline"\nname = "hostile"\n'
_RAW = load_raw(BASELINE)
EVENT = len(_RAW["events"])  # the index of an event added to the baseline's
ASSEMBLY = len(_RAW["assemblies"])
LEADERS = len(_RAW["leaders"])
REGIONS = len(_RAW["regions"])
OFFICE = _RAW["offices"][-1]["name"]  # an office of the baseline, and its index
OFFICE_AT = f"offices.{len(_RAW['offices']) - 1}({OFFICE})"
# a parameter that is a tuple of numbers, and its default
TUPLE, TUPLE_DEFAULT = next((name, field.default) for name, field in
                            Parameters.model_fields.items() if isinstance(field.default, tuple))


def with_item(value: str) -> str:
    """The tuple parameter's default with its second item replaced by ``value``."""
    items = [repr(float(x)) for x in TUPLE_DEFAULT]
    items[1] = value
    return f"[parameters]\n{TUPLE} = [{', '.join(items)}]\n"


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = info.value.lines
    assert lines
    for line in lines:
        assert "\n" not in line and "Traceback" not in line
        assert line.startswith(str(path.resolve())), line  # the user's own file first
    return lines


def write(tmp_path: Path, body: str | bytes, name: str = "hostile.toml") -> Path:
    path = tmp_path / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


# Each case: a scenario body and a fragment of the one line it must give.
CASES = {
    # --- tracebacks before issue #15 -------------------------------------------------------
    "not UTF-8": (HEAD.encode() + b'description = "caf\xe9"\n',
                  "not UTF-8 text (byte 0xe9 on line 3)"),
    "arrays nested thousands deep": (HEAD + "description = " + "[" * 5000 + "]" * 5000 + "\n",
                                     "nested more than 32 deep"),
    "a list where a name is expected": (
        HEAD + f'[[offices]]\nname = "{OFFICE}"\nholder = ["Stalin"]\n',
        f"{OFFICE_AT}.holder: Input should be a valid string"),
    "NaN in a parameter": (HEAD + "[parameters]\ncampaign_rate = nan\n",
                           "parameters.campaign_rate: Input should be a finite number"),
    "inf in an office weight": (HEAD + f'[[offices]]\nname = "{OFFICE}"\nweight = inf\n',
                                f"{OFFICE_AT}.weight: Input should be a finite number"),
    "a Central Committee of a trillion seats": (
        HEAD + "[bodies]\ncentral_committee_size = 1000000000000\n",
        "bodies.central_committee_size: Input should be less than or equal to 10000"),
    "delegates at 2^63-1": (
        HEAD + 'assemblies = [{ name = "12th Congress", delegates = 9223372036854775807 }]\n',
        "delegates: Input should be less than or equal to 1000000"),
    "year 0": (HEAD + '[horizon]\nstart = "0000-05"\n',
               "horizon.start: year 0000 is not a calendar year"),
    "win_softness = 1e-300": (HEAD + "[parameters]\nwin_softness = 1e-300\n",
                              "parameters.win_softness: Input should be greater than or equal"),
    # --- accepted silently before issue #15 --------------------------------------------------
    "month 13": (HEAD + 'events = [{ id = "x", kind = "shock", date = "1923-13" }]\n',
                 f"events.{EVENT}.date: month 13 is not between 1 and 12"),
    "day 99": (HEAD + 'events = [{ id = "x", kind = "shock", date = "1923-02-99" }]\n',
               f"events.{EVENT}.date: 1923-02-99 is not a day of the calendar"),
    "30 February": (HEAD + 'events = [{ id = "x", kind = "shock", date = "1923-02-30" }]\n',
                    "is not a day of the calendar"),
    "month 00": (HEAD + 'assemblies = [{ name = "x", kind = "plenum", date = "1923-00" }]\n',
                 f"assemblies.{ASSEMBLY}(x).date: month 0 is not between 1 and 12"),
    "NaN in a tuple parameter": (HEAD + with_item("nan"),
                                 f"parameters.{TUPLE}.1: Input should be a finite number"),
    "a tuple parameter outside its domain": (HEAD + with_item("1000.0"),
                                             f"parameters.{TUPLE}: each "),
    "remove = true of a leader that does not exist": (
        HEAD + '[[leaders]]\nname = "Trotski"\nremove = true\n',
        "leaders: no entry with name 'Trotski' to remove"),
    "remove = false": (HEAD + '[[leaders]]\nname = "Trotsky"\nremove = false\n',
                       "leaders.Trotsky.remove: must be true"),
    "an override of a leader that does not exist": (
        HEAD + '[[leaders]]\nname = "Trotski"\nresolve = 0.2\n',
        "no entry with name 'Trotski' in"),
    "a name that is a path": (HEAD.replace('"hostile"', '"../../x"'), "is not a plain name"),
    "a number in quotes": (HEAD + '[[leaders]]\nname = "Trotsky"\nresolve = "0.2"\n',
                           "resolve: Input should be a valid number (a quoted value is text)"),
    "a boolean in quotes": (HEAD + '[[leaders]]\nname = "Trotsky"\ncentral_committee = "yes"\n',
                            "central_committee: Input should be a valid boolean"),
    "1 for true": (HEAD + '[[leaders]]\nname = "Trotsky"\ncentral_committee = 1\n',
                   "central_committee: Input should be a valid boolean"),
    "a float for a count": (HEAD + '[[regions]]\nname = "Moscow"\nmembers = 45000.0\n',
                            "members: Input should be a valid integer"),
    "an unquoted TOML date": (
        HEAD + 'events = [{ id = "x", kind = "shock", date = 1923-02-01 }]\n',
        f'events.{EVENT}.date: a TOML date or time; write dates as text in quotes'),
    "a control character in a name": (
        HEAD + '[[offices]]\nname = "OGPU\\u0007"\nkind = "police"\nweight = 0.1\n',
        "a name is one line of printable characters"),
    # --- no limits before issue #15 ----------------------------------------------------------
    "a horizon of 8,000 years": (HEAD + '[horizon]\nend = "9922-05"\n',
                                 "horizon: the horizon is 96000 months long; at most 1200"),
    "more leaders than the limit": (
        HEAD + "".join(f'[[leaders]]\nname = "L{i}"\nprestige = 0.1\neconomy = 0\nworld = 0\n'
                       f"resolve = 0.5\nambition = 0.1\n" for i in range(LIMITS.leaders)),
        f"leaders: {LIMITS.leaders + LEADERS} entries; at most {LIMITS.leaders} are allowed"),
    "more regions than the limit": (
        HEAD + "regions = [" + ", ".join(f'{{ name = "R{i}", members = 10 }}'
                                         for i in range(LIMITS.regions + 1)) + "]\n",
        f"regions: {LIMITS.regions + 1 + REGIONS} entries; at most {LIMITS.regions}"),
    "a recruitment of 10^12 members": (
        HEAD + 'events = [{ id = "x", kind = "recruitment", date = "1923-01", '
        "members = 1000000000000 }]\n",
        f"events.{EVENT}.members: Input should be less than or equal"),
    "a file over the size limit": (HEAD + "# " + "x" * LIMITS.file_bytes + "\n",
                                   f"file: larger than {LIMITS.file_bytes} bytes"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_naming_the_problem(tmp_path, case):
    body, fragment = CASES[case]
    lines = errors_of(write(tmp_path, body))
    assert len(lines) == 1, lines
    assert fragment in lines[0], lines[0]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    text = BASELINE.read_text(encoding="utf-8")
    path = write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"), "bom.toml")
    assert load_scenario(path) == load_scenario("baseline")


def test_crlf_line_ends_are_accepted(tmp_path):
    text = BASELINE.read_text(encoding="utf-8").replace("\n", "\r\n")
    assert load_scenario(write(tmp_path, text, "crlf.toml")) == load_scenario("baseline")


def test_a_local_file_does_not_shadow_a_scenario_name(tmp_path, monkeypatch):
    """A file called ``baseline`` or ``baseline.toml`` in the current folder is not the
    baseline, nor is a file called ``baseline`` beside a scenario that extends "baseline":
    a name is looked up in the extending file's own folder as ``baseline.toml`` (a case
    folder's counterfactuals extend their own baseline), then in scenarios/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").write_text("this is not a scenario", encoding="utf-8")
    (tmp_path / "baseline.toml").write_text("neither is this", encoding="utf-8")
    assert resolve_path("baseline") == BASELINE.resolve()
    elsewhere = tmp_path / "mine"
    elsewhere.mkdir()
    (elsewhere / "baseline").write_text("not a scenario either", encoding="utf-8")
    child = write(elsewhere, HEAD)
    assert load_scenario(child).leaders == load_scenario(BASELINE).leaders
    # a path is still a path: ./baseline.toml is the local file
    with pytest.raises(ScenarioError, match="toml"):
        load_scenario("./baseline.toml")


def test_a_missing_name_points_at_the_local_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").write_text(HEAD, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario("mine")
    assert info.value.lines == [f"mine: file: no such scenario (looked in {SCENARIO_DIR} "
                                "and its case folders); for the file of that name here, "
                                "write ./mine"]


def test_an_error_in_an_extended_file_names_the_chain(tmp_path):
    write(tmp_path, HEAD + "horizon = { start = \n", "broken.toml")
    child = write(tmp_path, 'extends = "broken.toml"\nname = "child"\n', "child.toml")
    (line,) = errors_of(child)
    assert line.startswith(f"{child.resolve()} -> {(tmp_path / 'broken.toml').resolve()}: toml:")


def test_a_bad_value_is_blamed_on_the_file_that_set_it(tmp_path):
    write(tmp_path, HEAD + '[[leaders]]\nname = "Trotsky"\nprestige = 2.0\n', "parent.toml")
    child = write(tmp_path, 'extends = "parent.toml"\nname = "child"\n'
                  '[[leaders]]\nname = "Stalin"\nprestige = -1.0\n', "child.toml")
    lines = errors_of(child)
    parent = f"{child.resolve()} -> {(tmp_path / 'parent.toml').resolve()}"
    assert f"{parent}: leaders.1(Trotsky).prestige: Input should be less than or equal to 1" \
        in lines
    assert f"{child.resolve()}: leaders.2(Stalin).prestige: Input should be greater than or " \
        "equal to 0" in lines


def test_a_value_set_on_the_command_line_is_blamed_on_the_users_file(tmp_path):
    child = write(tmp_path, HEAD)
    with pytest.raises(ScenarioError) as info:
        load_scenario(child, overrides=["leaders.Trotsky.prestige=2.0"])
    assert info.value.lines == [f"{child.resolve()}: leaders.1(Trotsky).prestige: Input should "
                                "be less than or equal to 1"]


def test_an_extends_chain_longer_than_the_limit(tmp_path):
    for k in range(LIMITS.extends_depth + 1):
        parent = '"baseline"' if k == 0 else f'"f{k - 1}.toml"'
        write(tmp_path, f'extends = {parent}\nname = "f{k}"\n', f"f{k}.toml")
    (line,) = errors_of(tmp_path / f"f{LIMITS.extends_depth}.toml")
    assert f"more than {LIMITS.extends_depth} files in one chain" in line


@pytest.mark.parametrize("override", [
    "parameters.win_softness=nan", "parameters.campaign_rate=inf",
    "leaders.Trotsky.central_committee=yes", "name=../x", "bodies.politburo_size=7.0",
    "description=" + "[" * 3000 + "]" * 3000, ".".join(["a"] * 100) + "=1",
])
def test_bad_overrides_are_one_line(override):
    with pytest.raises(ScenarioError) as info:
        load_scenario("baseline", overrides=[override])
    (line,) = info.value.lines
    assert line.startswith(str(BASELINE.resolve()) + ":")


def test_strict_values_leave_the_shipped_scenarios_as_they_were():
    """Every shipped scenario still loads; the tuple parameter still comes as a tuple."""
    for path in sorted(SCENARIO_DIR.glob("*.toml")):
        spec = load_scenario(path)
        assert isinstance(getattr(spec.parameters, TUPLE), tuple)
