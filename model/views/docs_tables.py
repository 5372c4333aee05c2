"""Tables of the documentation that are generated from the code, never typed: the parameter
table of ``docs/model.md`` (§8), rendered from the fields of
:class:`~model.engine.parameters.Parameters` and their metadata (description, bounds,
provenance, calibration prior, sensitivity range), and spliced between the document's
``<!-- parameters:start -->`` and ``<!-- parameters:end -->`` markers.

``.venv/bin/python scripts/parameter_table.py`` rewrites the table in place;
``tests/test_docs_tables.py`` fails when the document's table differs from this one.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

from model.analysis.calibration import CALIBRATED
from model.analysis.sensitivity import SWEPT
from model.analysis.validation import markers, splice_doc
from model.atomic import atomic_write_text
from model.engine.parameters import CAL, HAND, Parameters
from model.engine.rules import RULE_FAMILIES, RuleFamily
from model.tables import markdown_table

MARKER = "parameters"
RULE_MARKER = "rule-families"
MODEL_DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"
# the summary.csv that troika calibrate wrote for the latest time-split calibration (copied)
POSTERIOR_SUMMARY = Path(__file__).resolve().parents[2] / "docs" / "data" / \
    "calibration_summary.csv"
HEADERS = ("name", "default", "latest posterior: median [90% interval]", "bounds",
           "what it does", "provenance of the default", "calibration prior",
           "sensitivity range")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _number(x) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return repr(x) if isinstance(x, float) else str(x)


def format_default(value) -> str:
    """A default as a scenario file would write it: ``true``/``false``, numbers as in the
    code, tuples in parentheses."""
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_number(v) for v in value) + ")"
    return _number(value)


def format_bounds(field) -> str:
    """The domain of a field from its ``ge``/``gt``/``le``/``lt`` constraints, as an
    interval (``[0, 1]``, ``(0, ∞)``, ``[0.5, 1]``); ``true/false`` for a switch; ``—`` when
    the field has no bounds."""
    if field.annotation is bool:
        return "true/false"
    low = high = None
    closed_low = closed_high = True
    for c in field.metadata:
        for attr, is_low, closed in (("ge", True, True), ("gt", True, False),
                                     ("le", False, True), ("lt", False, False)):
            v = getattr(c, attr, None)
            if v is not None and is_low:
                low, closed_low = v, closed
            elif v is not None:
                high, closed_high = v, closed
    if low is None and high is None:
        return "—"
    left = "(−∞" if low is None else ("[" if closed_low else "(") + _number(low)
    right = "∞)" if high is None else _number(high) + ("]" if closed_high else ")")
    return f"{left}, {right}"


def _range(entry, used: bool, mark_used: str, mark_unused: str) -> str:
    if not entry:
        return "—"
    low, high, why = entry
    return f"{_number(low)} to {_number(high)}: {why}" + (mark_used if used else mark_unused)


def _provenance(text: str) -> str:
    """The provenance, with the two common texts (:data:`HAND`, :data:`CAL`) shortened to
    the words the legend explains."""
    return text.replace(HAND, "**hand-set**").replace(CAL, "**calibrated**")


def read_posterior_summary(path: Path = POSTERIOR_SUMMARY) -> dict[str, tuple]:
    """``{parameter: (median, low, high)}`` from a calibration's ``summary.csv`` (columns
    ``parameter, median, low, high``; :func:`model.analysis.calibration.write_calibration`);
    empty when there is no such file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return {r["parameter"]: (float(r["median"]), float(r["low"]), float(r["high"]))
            for r in csv.DictReader(text.splitlines())}


def _sig(x: float) -> str:
    """Two significant figures: all a 90% interval a factor of 2 or more wide supports."""
    return f"{float(f'{x:.2g}'):g}"


def posterior_cell(default, entry: tuple | None) -> str:
    """``median [low, high]`` to two significant figures, and ``default outside`` when the
    interval excludes the default; ``—`` without a posterior."""
    if entry is None:
        return "—"
    median, low, high = entry
    cell = f"{_sig(median)} [{_sig(low)}, {_sig(high)}]"
    if isinstance(default, int | float) and not low <= default <= high:
        cell += " (**default outside**)"
    return cell


def parameter_rows(model: type[BaseModel] = Parameters, calibrated=CALIBRATED,
                   swept=SWEPT, posterior: Mapping[str, tuple] | None = None
                   ) -> list[dict[str, str]]:
    """One row per field of ``model``, in field order: name, default, the latest posterior's
    median and 90% interval (``posterior``, by default :func:`read_posterior_summary`),
    bounds, what it does, provenance, prior and sensitivity range (``—`` where the field has
    none). A prior is marked fitted when the calibration fits the field now
    (``calibrated``), a range swept when the sensitivity analysis varies it (``swept``)."""
    posterior = read_posterior_summary() if posterior is None else posterior
    rows = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra or {}
        prior = extra.get("prior")
        sweep = extra.get("sweep")
        rows.append({
            "name": f"`{name}`",
            "default": format_default(field.default),
            "posterior": posterior_cell(field.default, posterior.get(name)),
            "bounds": format_bounds(field),
            "what it does": _cell(field.description or ""),
            "provenance": _cell(_provenance(extra.get("provenance", ""))),
            "prior": _cell(_range(prior, name in calibrated, " (**fitted**)",
                                  " (not fitted now)")),
            "sweep": _cell(_range(sweep, name in swept, "", " (not swept now)")),
        })
    return rows


def parameter_table_markdown(model: type[BaseModel] = Parameters, calibrated=CALIBRATED,
                             swept=SWEPT) -> str:
    """The parameter table as Markdown (ends with a newline)."""
    rows = [list(r.values()) for r in parameter_rows(model, calibrated, swept)]
    return legend(calibrated) + "\n" + markdown_table(HEADERS, rows) + "\n"


def legend(calibrated=CALIBRATED) -> str:
    """What the table's shortened words stand for, from the code's own texts."""
    return (
        f"In the provenance column, **hand-set** stands for *{HAND}* and **calibrated** for "
        f"*{CAL}*. A prior marked **fitted** is one of the parameters the calibration fits "
        f"now ({', '.join(f'`{n}`' for n in calibrated)}); a prior or range marked *not "
        "fitted now* or *not swept now* is kept on the field but not used by the current "
        "calibration or sensitivity analysis. The column *latest posterior* gives the median "
        "and 90% interval of each fitted parameter in the latest time-split calibration "
        f"(`{POSTERIOR_SUMMARY.relative_to(MODEL_DOC.parents[1]).as_posix()}`, see above "
        "the table), to two significant figures; **default outside** marks a default that "
        "interval excludes.\n"
    )


def splice_parameter_table(doc: str) -> str:
    """``doc`` with the current parameter table between its ``parameters`` markers."""
    return splice_doc(doc, parameter_table_markdown(), MARKER)


def rule_family_table_markdown(families: tuple[RuleFamily, ...] = RULE_FAMILIES) -> str:
    """The table of rule families (``model.engine.rules.RULE_FAMILIES``): what each says,
    the parameters it reads and the overrides that switch it off (``troika ablate``)."""
    def value(v) -> str:
        return format_default(int(v) if isinstance(v, float) and v.is_integer() else v)

    def off(overrides: dict) -> str:
        return ", ".join(f"`{k} = {value(v)}`" for k, v in overrides.items())

    rows = [[f"`{f.name}`", _cell(f.says), ", ".join(f"`{r}`" for r in f.reads), off(f.off)]
            for f in families]
    return markdown_table(["family", "what it says", "reads", "switched off by"], rows) + "\n"


def splice_rule_family_table(doc: str) -> str:
    """``doc`` with the current rule-family table between its ``rule-families`` markers,
    if it has them (unchanged otherwise)."""
    start, end = markers(RULE_MARKER)
    if start not in doc or end not in doc:
        return doc
    return splice_doc(doc, rule_family_table_markdown(), RULE_MARKER)


def write_parameter_table(path: Path = MODEL_DOC) -> bool:
    """Rewrite the parameter table, and the rule-family table where the document has its
    markers, of the document at ``path`` (atomically); returns whether it changed."""
    path = Path(path)
    old = path.read_text(encoding="utf-8")
    new = splice_rule_family_table(splice_parameter_table(old))
    if new != old:
        atomic_write_text(path, new)
    return new != old
