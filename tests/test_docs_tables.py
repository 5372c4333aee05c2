"""The parameter table of docs/model.md is generated from the Parameters fields and cannot
drift from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from model.analysis.calibration import CALIBRATED
from model.analysis.validation import markers
from model.engine.parameters import CAL, OLDCAL, Parameters, meta
from model.views.docs_tables import (
    MARKER,
    MODEL_DOC,
    POSTERIOR_SUMMARY,
    format_bounds,
    format_default,
    parameter_rows,
    parameter_table_markdown,
    posterior_cell,
    read_posterior_summary,
    splice_parameter_table,
    write_parameter_table,
)

ROOT = Path(__file__).resolve().parents[1]


class Toy(BaseModel):
    rate: float = Field(0.25, ge=0, le=1, description="A rate | with a pipe.",
                        json_schema_extra=meta("a judgement", prior=(0.1, 0.5, "why"),
                                               sweep=(0.2, 0.3, "range")))
    scale: float = Field(2.0, gt=0, description="A scale.",
                         json_schema_extra=meta("hand", prior=(1.0, 3.0, "wide")))
    share: float = Field(0.5, lt=1, description="A share.", json_schema_extra=meta("x"))
    bias: float = Field(1.5, description="A bias.", json_schema_extra=meta("y"))
    on: bool = Field(True, description="A switch.", json_schema_extra=meta("a switch"))
    steps: tuple[float, float] = Field((1.0, 2.5), description="Steps.",
                                       json_schema_extra=meta("z"))


def _block(doc: str) -> str:
    start, end = markers(MARKER)
    return doc.split(start, 1)[1].split(end, 1)[0].strip("\n") + "\n"


def test_model_md_holds_the_generated_table():
    doc = MODEL_DOC.read_text(encoding="utf-8")
    assert _block(doc) == parameter_table_markdown(), (
        "docs/model.md's parameter table is stale: run .venv/bin/python "
        "scripts/parameter_table.py"
    )


def test_every_parameter_has_one_row_in_field_order():
    names = [r["name"].strip("`") for r in parameter_rows()]
    assert names == list(Parameters.model_fields)
    table = parameter_table_markdown()
    for name in Parameters.model_fields:
        assert table.count(f"| `{name}` |") == 1


def test_bounds_are_read_from_the_constraints():
    f = Toy.model_fields
    assert format_bounds(f["rate"]) == "[0, 1]"
    assert format_bounds(f["scale"]) == "(0, ∞)"
    assert format_bounds(f["share"]) == "(−∞, 1)"
    assert format_bounds(f["bias"]) == "—"
    assert format_bounds(f["on"]) == "true/false"
    assert format_bounds(Parameters.model_fields["sanction_margin"]) == "[0.5, 1]"


def test_defaults_are_written_as_in_a_scenario_file():
    assert format_default(True) == "true"
    assert format_default(0.006923) == "0.006923"
    assert format_default((1.0, 2.5)) == "(1.0, 2.5)"
    assert format_default(3) == "3"


def test_rows_carry_the_metadata_and_mark_what_the_analyses_use():
    rows = {r["name"]: r for r in parameter_rows(Toy, calibrated=("rate",), swept=())}
    rate, scale = rows["`rate`"], rows["`scale`"]
    assert rate["what it does"] == "A rate \\| with a pipe."
    assert rate["provenance"] == "a judgement"
    assert rate["prior"] == "0.1 to 0.5: why (**fitted**)"
    assert scale["prior"] == "1.0 to 3.0: wide (not fitted now)"
    assert rate["sweep"] == "0.2 to 0.3: range (not swept now)"
    assert rows["`share`"]["prior"] == "—" and rows["`share`"]["sweep"] == "—"


def test_splicing_replaces_only_the_marked_block_and_is_idempotent(tmp_path):
    start, end = markers(MARKER)
    doc = f"# Title\n\nbefore\n\n{start}\nold table\n{end}\n\nafter\n"
    once = splice_parameter_table(doc)
    assert once.startswith("# Title\n\nbefore\n\n") and once.endswith("\n\nafter\n")
    assert "old table" not in once and _block(once) == parameter_table_markdown()
    assert splice_parameter_table(once) == once
    path = tmp_path / "model.md"
    path.write_text(doc, encoding="utf-8")
    assert write_parameter_table(path) is True
    assert write_parameter_table(path) is False
    assert path.read_text(encoding="utf-8") == once


def test_a_document_without_markers_is_refused():
    with pytest.raises(ValueError, match="parameters:start"):
        splice_parameter_table("# no markers\n")


def test_the_script_rewrites_the_table_in_one_command(tmp_path):
    start, end = markers(MARKER)
    good = tmp_path / "good.md"
    good.write_text(f"{start}\n{end}\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text("nothing to splice\n", encoding="utf-8")
    script = ROOT / "scripts" / "parameter_table.py"
    ok = subprocess.run([sys.executable, str(script), str(good)], capture_output=True,
                        text=True, check=False)
    assert ok.returncode == 0 and "rewritten" in ok.stdout
    assert _block(good.read_text(encoding="utf-8")) == parameter_table_markdown()
    fail = subprocess.run([sys.executable, str(script), str(bad)], capture_output=True,
                          text=True, check=False)
    assert fail.returncode == 1 and fail.stderr.count("\n") == 1
    assert bad.read_text(encoding="utf-8") == "nothing to splice\n"


# --------------------------------------------------------------------------------------
# honest numbers (issue #11): calibrated defaults with their posterior beside them


def test_a_default_outside_its_posterior_interval_is_flagged():
    assert posterior_cell(1.4, (4.925, 0.6702, 7.876)) == "4.9 [0.67, 7.9]"
    assert "default outside" in posterior_cell(0.5, (4.925, 0.6702, 7.876))
    assert "default outside" in posterior_cell(9.0, (4.925, 0.6702, 7.876))
    assert posterior_cell(1.4, None) == "—"


def test_rows_show_the_posterior_of_the_parameters_it_has():
    rows = {r["name"]: r for r in parameter_rows(Toy, posterior={"rate": (0.2, 0.1, 0.4)})}
    assert rows["`rate`"]["posterior"] == "0.2 [0.1, 0.4]"
    assert rows["`scale`"]["posterior"] == "—"


def test_the_summary_is_read_from_calibrates_csv(tmp_path):
    path = tmp_path / "summary.csv"
    path.write_text("parameter,prior_low,prior_high,median,low,high,point\n"
                    "a,0,1,0.5,0.25,0.75,0.4\n", encoding="utf-8")
    assert read_posterior_summary(path) == {"a": (0.5, 0.25, 0.75)}
    assert read_posterior_summary(tmp_path / "none.csv") == {}


def _provenance(name: str) -> str:
    return (Parameters.model_fields[name].json_schema_extra or {}).get("provenance", "")


def test_only_parameters_the_calibration_fits_are_called_calibrated():
    """A default labelled with the time-split calibration's provenance is one that
    calibration fits, and the committed posterior summary shows its interval."""
    summary = read_posterior_summary()
    labelled = [n for n in Parameters.model_fields if _provenance(n) == CAL]
    assert labelled
    for name in labelled:
        assert name in CALIBRATED, f"{name} is called calibrated but is not fitted"
        assert name in summary, f"{name} has no posterior interval in {POSTERIOR_SUMMARY}"


def test_calibrated_defaults_carry_at_most_two_significant_figures():
    for name, field in Parameters.model_fields.items():
        if _provenance(name) in (CAL, OLDCAL):
            x = float(field.default)
            assert float(f"{x:.2g}") == x, f"{name} = {x} claims more than its posterior"


# --------------------------------------------------------------------------------------
# the rule-family table of docs/model.md §7.10, generated from RULE_FAMILIES

def test_model_md_holds_the_generated_rule_family_table():
    from model.views.docs_tables import RULE_MARKER, rule_family_table_markdown

    doc = MODEL_DOC.read_text(encoding="utf-8")
    start, end = markers(RULE_MARKER)
    block = doc[doc.index(start) + len(start):doc.index(end)].strip("\n")
    assert block == rule_family_table_markdown().strip("\n"), (
        "docs/model.md's rule-family table is stale: run .venv/bin/python "
        "scripts/parameter_table.py")


def test_the_rule_family_table_has_one_row_per_family_with_its_switch():
    from model.engine.rules import RULE_FAMILIES, RuleFamily
    from model.views.docs_tables import rule_family_table_markdown

    rows = rule_family_table_markdown().strip().splitlines()[2:]
    assert [r.split("|")[1].strip() for r in rows] == [f"`{f.name}`" for f in RULE_FAMILIES]
    toy = RuleFamily("toy", "a | rule", ("a_rate", "a_switch"),
                     {"a_rate": 0.0, "a_switch": False, "a_share": 0.25})
    (line,) = rule_family_table_markdown((toy,)).strip().splitlines()[2:]
    assert "a \\| rule" in line  # a pipe in the text does not split the cell
    assert "`a_rate = 0`, `a_switch = false`, `a_share = 0.25`" in line


def test_a_document_without_rule_family_markers_is_left_as_it_is():
    from model.views.docs_tables import splice_rule_family_table

    assert splice_rule_family_table("# none here\n") == "# none here\n"
