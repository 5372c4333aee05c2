"""The provenance ledger covers every judgement-call input of each case's baseline, and agrees
with it.

``provenance.csv`` beside the baseline scenario of each case (``baseline`` for 1922-27,
``post_stalin`` for 1953-57) has one row per input (``leaders.Trotsky.resolve``,
``regions.Leningrad.patron``, ``assemblies.CC plenum Oct 1925.date``, ...) with its source or
proxy, its kind and whether it was set before the model's output was seen (issue #10, item 7).
"""
from __future__ import annotations

import csv
import math

import pytest

from model.cases.scenario import load_scenario, resolve_path

COLUMNS = ["input", "value", "source_or_proxy", "kind", "set_before_output", "note"]
KINDS = {"source", "proxy", "judgement", "free"}
BEFORE = {"yes", "no"}

LEADER_FIELDS = ("prestige", "health", "economy", "world", "resolve", "ambition", "politburo",
                 "central_committee", "suited")
REGION_FIELDS = ("members", "patron", "loyalty", "deference", "economy", "world")
OFFICE_FIELDS = ("weight", "holder", "appointee")
RELATION_FIELDS = ("value", "mutual")
EVENT_SIZES = ("health", "prestige", "members", "deference", "economy", "world", "support")
ASSEMBLY_SIZES = ("delegates", "central_committee_size", "politburo_size")


BASELINES = ("baseline", "post_stalin")


@pytest.fixture(scope="module", params=BASELINES)
def baseline(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def scenario(baseline):
    return load_scenario(baseline)


@pytest.fixture(scope="module")
def ledger(baseline) -> list[dict]:
    path = resolve_path(baseline).parent / "provenance.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def judgement_inputs(scenario) -> dict[str, object]:
    """Every judgement-call input of a scenario, by its dotted path, with its value."""
    out: dict[str, object] = {}
    for ld in scenario.leaders:
        out.update({f"leaders.{ld.name}.{f}": getattr(ld, f) for f in LEADER_FIELDS})
    for r in scenario.regions:
        out.update({f"regions.{r.name}.{f}": getattr(r, f) for f in REGION_FIELDS})
    for o in scenario.offices:
        out.update({f"offices.{o.name}.{f}": getattr(o, f) for f in OFFICE_FIELDS})
    for i, rel in enumerate(scenario.relations):
        key = rel.id or f"{i}"
        out.update({f"relations.{key}.{f}": getattr(rel, f) for f in RELATION_FIELDS})
    for i, ev in enumerate(scenario.events):
        key = ev.id or f"{i}"
        out[f"events.{key}.date"] = ev.date
        out.update({f"events.{key}.{f}": getattr(ev, f) for f in EVENT_SIZES
                    if getattr(ev, f) is not None})
    for a in scenario.assemblies:
        out[f"assemblies.{a.name}.date"] = a.date
        out.update({f"assemblies.{a.name}.{f}": getattr(a, f) for f in ASSEMBLY_SIZES
                    if getattr(a, f) is not None})
    out["bodies.politburo_size"] = scenario.bodies.politburo_size
    out["bodies.central_committee_size"] = scenario.bodies.central_committee_size
    return out


def same(text: str, value: object) -> bool:
    """Whether a ledger cell states a scenario value (numbers compared as numbers)."""
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, int):
        return text.lstrip("-").isdigit() and int(text) == value
    if isinstance(value, float):
        try:
            return math.isclose(float(text), value, abs_tol=1e-12)
        except ValueError:
            return False
    if isinstance(value, list):
        return (text.split(";") if text else []) == value
    return text == str(value)


def test_every_input_has_a_row_and_every_row_an_input(scenario, ledger):
    inputs = judgement_inputs(scenario)
    named = [r["input"] for r in ledger]
    assert len(named) == len(set(named)), "duplicate ledger rows"
    missing = sorted(set(inputs) - set(named))
    unknown = sorted(set(named) - set(inputs))
    assert not missing, f"inputs without a ledger row: {missing[:10]}"
    assert not unknown, f"ledger rows naming no input of the baseline: {unknown[:10]}"


def test_ledger_values_equal_the_scenario(scenario, ledger):
    inputs = judgement_inputs(scenario)
    drift = [(r["input"], r["value"], inputs[r["input"]]) for r in ledger
             if r["input"] in inputs and not same(r["value"], inputs[r["input"]])]
    assert not drift, f"ledger and scenario disagree: {drift[:10]}"


def test_kinds_and_flags_are_allowed(ledger):
    bad = [(r["input"], r["kind"], r["set_before_output"]) for r in ledger
           if r["kind"] not in KINDS or r["set_before_output"] not in BEFORE]
    assert not bad, bad


def test_every_row_names_its_evidence(ledger):
    """A source or a proxy is named on every row; a free input states its prior range."""
    assert all(r["source_or_proxy"].strip() for r in ledger)
    free = [r["input"] for r in ledger if r["kind"] == "free" and "prior" not in r["note"]]
    assert not free, f"free inputs without a prior range: {free}"


def test_proxies_were_set_before_output(ledger):
    """A value kept from the earlier tuning rounds is not a proxy: a proxy row is set now."""
    late = [r["input"] for r in ledger if r["kind"] == "proxy" and r["set_before_output"] != "yes"]
    assert not late, late


@pytest.mark.parametrize("text, value, expected", [
    ("0.6", 0.6, True), ("0.60", 0.6, True), ("0.61", 0.6, False), ("x", 0.6, False),
    ("36000", 36000, True), ("36000.5", 36000, False), ("true", True, True), ("1", True, False),
    ("", None, True), ("Lenin", None, False), ("press;comintern", ["press", "comintern"], True),
    ("comintern;press", ["press", "comintern"], False), ("", [], True),
    ("1922-05", "1922-05", True),
])
def test_same(text, value, expected):
    assert same(text, value) is expected
