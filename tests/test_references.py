"""Every citation key in the package's docstrings, in the parameters' metadata and in
docs/model.md has an entry in docs/references.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from model.engine.parameters import Parameters

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "docs" / "references.md"

# A bracket not glued to a name or another bracket (so not ``a[i]``, ``x[0]``, ``[[x]]``),
# nor a Markdown link ``[text](url)``, nor opened right after a backtick.
BRACKET = re.compile(r"(?<![\w\[\]\)`])\[([^\[\]]+)\](?![(\]])")
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
DEFINED = re.compile(r"^- \*\*\[([^\]]+)\]\*\*", re.M)

# Single words in brackets that are not citations, each with where and why.
NOT_CITATIONS = {
    "Trotsky": "an editor's insertion in a quotation (sanctions.needed_charge)",
    "SCENARIO": "an optional command-line argument in a usage line",
    "parameters": "the TOML table of a scenario file",
    "analysis": "a pip extra, as in troika[analysis]",
    "dask": "a pip extra, as in troika[dask]",
    "low": "an interval [low, high]",
}


def cited_keys(text: str) -> set[str]:
    """The citation keys in ``text``: each bracket's ``;``-separated parts, each part's
    first word when it stands alone or is followed by ``:`` or ``,`` and a comment."""
    keys = set()
    for m in BRACKET.finditer(text):
        for part in m.group(1).split(";"):
            word = re.split(r"[:,]", part.strip(), maxsplit=1)[0].strip()
            if KEY.match(word):
                keys.add(word)
    return keys


def docstrings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return [d for n in ast.walk(tree) if isinstance(n, nodes) and (d := ast.get_docstring(n))]


def defined_keys() -> set[str]:
    return set(DEFINED.findall(REFERENCES.read_text(encoding="utf-8")))


def test_cited_keys_reads_brackets_the_way_the_docstrings_write_them():
    text = ('"moved" [seed; calendar]; as [AES2008, with a logistic contest]; [seed: "refused"]'
            " powers[i]; x[0, 1]; `[[relations]]`; see [`references.md`](references.md);"
            " `a[b]`; [0, 1]")
    assert cited_keys(text) == {"seed", "calendar", "AES2008"}


def test_every_docstring_citation_under_model_has_a_reference():
    where: dict[str, set[str]] = {}
    for path in sorted((ROOT / "model").rglob("*.py")):
        for doc in docstrings(path):
            for key in cited_keys(doc):
                where.setdefault(key, set()).add(str(path.relative_to(ROOT)))
    missing = {k: sorted(v) for k, v in where.items()
               if k not in defined_keys() and k not in NOT_CITATIONS}
    assert not missing, f"keys cited without an entry in docs/references.md: {missing}"
    assert {"seed", "AES2008", "McKelveyPalfrey1995"} <= set(where)  # the scan finds them


def test_every_citation_in_the_parameters_metadata_has_a_reference():
    cited = set()
    for field in Parameters.model_fields.values():
        extra = field.json_schema_extra or {}
        texts = [field.description or "", str(extra.get("provenance", ""))]
        texts += [str(x) for key in ("prior", "sweep") for x in extra.get(key, ())]
        for text in texts:
            cited |= cited_keys(text)
    assert cited - NOT_CITATIONS.keys() <= defined_keys()


def test_every_citation_in_the_model_description_has_a_reference():
    cited = cited_keys((ROOT / "docs" / "model.md").read_text(encoding="utf-8"))
    assert cited - NOT_CITATIONS.keys() <= defined_keys()


def test_every_reference_is_listed_once():
    keys = DEFINED.findall(REFERENCES.read_text(encoding="utf-8"))
    assert len(keys) == len(set(keys))
