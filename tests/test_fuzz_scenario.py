"""Fuzz test (issue #15): mutate the baseline scenario at random and run it through the
command line. Whatever the mutation, the outcome is a clean run (exit 0, tables written) or
a refusal (exit 2, one ``FILE: field: problem`` line per problem, nothing written): never a
traceback, never an exit 1, never a hang.

Deterministic (``derandomize``, no example database) and bounded: the baseline is cut to a
five-month horizon, so that a run takes a fraction of a second, and each example has a
time limit of its own (a hang fails the test instead of stalling it)."""

from __future__ import annotations

import contextlib
import io
import signal
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from model.cases.scenario import SCENARIO_DIR, load_raw
from model.cli.main import main

EXAMPLE_SECONDS = 60  # far above a run of the cut baseline (about 0.1 s): only a hang hits it
END = "1922-10"


class Hang(BaseException):
    """An example ran past its time limit (not an Exception: nothing in troika catches it)."""


def _on_alarm(_signum, _frame):
    raise Hang(f"an example ran for more than {EXAMPLE_SECONDS} s")


def cut_baseline() -> dict:
    """The baseline with a five-month horizon (events and assemblies after it dropped)."""
    data = load_raw(SCENARIO_DIR / "bolshevik_1922" / "baseline.toml")
    data["horizon"] = {"start": "1922-05", "end": END}
    for key in ("events", "assemblies"):
        data[key] = [x for x in data[key] if x["date"] <= END]
    return data


BASE = cut_baseline()


# --- a small TOML writer (inline tables and arrays only) -------------------------------


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_string(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise TypeError(type(value))


def toml_text(data: dict) -> str:
    return "".join(f"{toml_string(str(k))} = {toml_value(v)}\n" for k, v in data.items())


# --- mutations -------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(
    st.integers(), st.integers(min_value=-3, max_value=2000),
    st.floats(), st.floats(min_value=-2, max_value=2),
    st.booleans(), TEXT, st.dates(),
    st.sampled_from(["Lenin", "Stalin", "Trotsky", "General Secretary", "Moscow", "baseline",
                     "1922-07", "1923-13", "0000-05", "1922-02-30", "9999-12", "../x",
                     "member", "regional", "congress", "death", "motion", "appoint", ""]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(TEXT | st.sampled_from(["name", "remove", "id"]),
                                        inner, max_size=3), max_leaves=5)


def children(node) -> list:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


@st.composite
def mutated(draw) -> dict:
    """The cut baseline with one to three mutations: a value replaced, a key deleted, a key
    added, an entry added or removed."""
    import copy

    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        node, keys = data, children(data)
        while True:  # walk down to a container
            key = draw(st.sampled_from(keys))
            child = node[key]
            if not children(child) or draw(st.booleans()):
                break
            node, keys = child, children(child)
        action = draw(st.sampled_from(["set", "set", "delete", "add", "entry", "remove"]))
        if action == "set":
            node[key] = draw(VALUES)
        elif action == "delete":
            del node[key]
        elif action == "add" and isinstance(node, dict):
            node[draw(TEXT)] = draw(VALUES)
        elif action in ("entry", "remove") and isinstance(node[key], list) and node[key]:
            picked = draw(st.sampled_from(node[key]))
            entry = dict(picked) if isinstance(picked, dict) else {}
            if action == "remove":
                entry = {k: entry[k] for k in ("name", "id") if k in entry}
                entry["remove"] = draw(st.sampled_from([True, False, "yes"]))
            node[key].append(entry)
        else:
            node[key] = draw(VALUES)
    return data


@st.composite
def scenario_files(draw) -> tuple[str, bytes]:
    """(name, content): a mutated scenario, alone or as a file that extends the cut
    baseline; sometimes with its bytes damaged (cut short, a byte replaced, a BOM)."""
    data = draw(mutated())
    if draw(st.booleans()):
        text = toml_text(data)
        files = {"base.toml": text}
    else:  # a child that overrides some of the base's top-level entries
        keys = draw(st.lists(st.sampled_from(sorted(data)), max_size=3, unique=True))
        child = {"extends": "base.toml", **{k: data[k] for k in keys}}
        files = {"base.toml": toml_text(BASE), "child.toml": toml_text(child)}
    name = "child.toml" if "child.toml" in files else "base.toml"
    raw = files[name].encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "byte", "bom"]))
    if damage == "cut":
        raw = raw[:draw(st.integers(0, len(raw)))]
    elif damage == "byte":
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1:]
    elif damage == "bom":
        raw = b"\xef\xbb\xbf" + raw
    files[name] = raw
    return name, {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}


def run_cli(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, EXAMPLE_SECONDS)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            with pytest.raises(SystemExit) as info:
                main(args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return info.value.code, err.getvalue()


@settings(max_examples=400, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenario_files())
def test_a_mutated_scenario_runs_cleanly_or_is_refused_in_one_line_per_problem(case):
    name, files = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for file_name, content in files.items():
            (folder / file_name).write_bytes(content)
        path = (folder / name).resolve()
        out = folder / "out"
        code, stderr = run_cli(["ensemble", str(path), "--runs", "2", "--workers", "1",
                                "--out", str(out)])
        assert "Traceback" not in stderr
        assert code in (0, 2), stderr
        event(f"exit {code}")
        if code == 0:
            assert (out / "runs.csv").exists() and (out / "summary.csv").exists()
            return
        lines = stderr.strip().splitlines()
        assert lines, "a refusal says why"
        for line in lines:
            assert line.startswith(str(path)) or line.startswith("... and "), line
        assert not out.exists(), "nothing is written for a refused scenario"
