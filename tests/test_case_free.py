"""The package knows no case, and its layers import downward only.

* No module of ``model/`` names a leader, an office or an assembly of the 1922-27 case, or a
  month of 1922-27, outside comments and docstrings: those live in
  ``scenarios/bolshevik_1922/`` (the names are read from its baseline scenario, so a leader
  added there is checked too).
* Imports (module-level and function-local alike) form no cycle, and run from the command
  line down to the engine: engine < cases < analysis < views < cli.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from model.cases.scenario import SCENARIO_DIR, load_scenario

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "model"
MODULES = sorted(PACKAGE.rglob("*.py"))
LAYERS = {"engine": 0, "cases": 1, "analysis": 2, "views": 3, "cli": 4}
EXEMPT = {"model", "model.atomic"}  # the facade (lazy re-exports) and a leaf utility
DATE = re.compile(r"\b192[2-7]-(0[1-9]|1[0-2])\b")


def case_names() -> set[str]:
    """Leaders, offices and assemblies of the 1922-27 baseline."""
    s = load_scenario(SCENARIO_DIR / "bolshevik_1922" / "baseline.toml")
    names = {ld.name for ld in s.leaders} | {o.name for o in s.offices}
    names |= {a.name for a in s.assemblies if a.kind != "plenum"}
    return names | {"Kirov", "Uglanov", "Kuibyshev"}


def code_text(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of every string and name token of a module that is not a comment
    or a docstring."""
    source = path.read_text(encoding="utf-8")
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value,
                                                                     ast.Constant):
                if isinstance(body[0].value.value, str):
                    docstrings.add(body[0].lineno)
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
            continue
        if tok.type == tokenize.STRING and tok.start[0] in docstrings:
            continue
        if tok.type in (tokenize.STRING, tokenize.NAME) or tok.type == getattr(
                tokenize, "FSTRING_MIDDLE", -1):
            out.append((tok.start[0], tok.string))
    return out


def offences(path: Path, names: set[str]) -> list[str]:
    """Case names and dates in a module's code."""
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    found = []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    for line, text in code_text(path):
        for m in pattern.finditer(text):
            found.append(f"{where}:{line}: {m.group(0)!r}")
        for m in DATE.finditer(text):
            found.append(f"{where}:{line}: {m.group(0)!r}")
    return found


def test_the_names_are_read_from_the_case():
    names = case_names()
    assert {"Stalin", "Trotsky", "General Secretary", "14th Congress"} <= names


def test_the_checker_finds_names_and_dates_in_code_but_not_in_docs(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Stalin in 1925-01 (a docstring)."""\n'
                      "# Trotsky in a comment\n"
                      "X = 'Trotsky'\n"
                      "def f():\n"
                      "    '''Zinoviev, documented.'''\n"
                      "    return '1926-04'\n", encoding="utf-8")
    found = [f.split(": ", 1)[1] for f in offences(module, {"Stalin", "Trotsky", "Zinoviev"})]
    assert found == ["'Trotsky'", "'1926-04'"]


# Known offenders: none (a module listed here is expected to fail, strictly).
KNOWN: dict[str, str] = {}


def _param(p: Path):
    rel = str(p.relative_to(ROOT))
    marks = [pytest.mark.xfail(reason=KNOWN[rel], strict=True)] if rel in KNOWN else []
    return pytest.param(p, id=rel, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in MODULES])
def test_no_case_in_code(path):
    assert offences(path, case_names()) == []


# --------------------------------------------------------------------------------------
# the import graph


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """The ``model`` modules a module imports anywhere (``if TYPE_CHECKING:`` blocks are
    annotations only and left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for child in node.body for n in ast.walk(child)}
    known = {module_name(p) for p in MODULES}
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        out |= {n for n in names if n in known and n.startswith("model")}
    return out - {module_name(path)}


GRAPH = {module_name(p): imports(p) for p in MODULES}


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_layers_import_downward_only():
    wrong = []
    for mod, deps in GRAPH.items():
        if mod in EXEMPT or layer(mod) is None:
            continue
        for dep in deps:
            if dep in EXEMPT or layer(dep) is None:
                continue
            if layer(dep) > layer(mod):
                wrong.append(f"{mod} imports {dep}")
    assert wrong == []


def test_no_import_cycle():
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for dep in GRAPH.get(node, ()):
                if dep == start:
                    return path + [dep]
                if dep not in seen and dep not in EXEMPT:
                    seen.add(dep)
                    stack.append((dep, path + [dep]))
        return None

    cycles = [c for m in GRAPH if m not in EXEMPT and (c := cycle_from(m))]
    assert cycles == []


def test_the_graph_sees_function_local_imports():
    assert "model.views.plots" in GRAPH["model.views.outputs"]  # imported inside write_run
