"""Load and validate scenario files (TOML).

A scenario describes one succession struggle: the horizon, the leaders, the offices, the
apparatus (regions), the bodies, the assemblies, the exogenous events and the model
parameters. Nothing about 1922–27 is hard-coded in the package: every name, office and date
comes from here.

Scenarios live in case folders, ``scenarios/<case>/`` (see ``docs/cases.md``). A scenario
may ``extends = "other.toml"`` (a path or name relative to the file's own folder first, then
a scenario name as :func:`resolve_path` finds it) and override a few fields: tables are
merged key by key, and arrays of named tables (``leaders``, ``offices``, ``regions``) are
merged by ``name`` so that a counterfactual can change one leader without copying the
rest. ``overrides`` (``--set path=value`` on the command line) are applied last, the same
way.

Every problem is reported, not only the first, as ``FILE: field.path: problem`` lines in a
:class:`ScenarioError`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from model.engine.spec import Scenario, cross_reference_problems

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"


# --------------------------------------------------------------------------------------
# loading, inheritance and overrides


class ScenarioError(Exception):
    """A scenario could not be loaded; ``lines`` holds one ``FILE: field: problem`` each."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


NAMED_ARRAYS = ("leaders", "offices", "regions")


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """Find a scenario: an existing path, a path relative to another file (the file's own
    folder first, with or without ``.toml``), ``case/name`` in ``scenarios/``, or a bare name
    held by exactly one case folder ``scenarios/<case>/`` (a name that several cases hold must
    be given as ``case/name``)."""
    p = Path(name_or_path)
    stem = p.name if p.suffix == ".toml" else p.name + ".toml"
    candidates = [p]
    if relative_to is not None:
        candidates += [relative_to.parent / p, relative_to.parent / p.parent / stem]
    if not p.is_absolute():
        candidates.append(SCENARIO_DIR / p.parent / stem)
    for c in candidates:
        if c.is_file():
            return c.resolve()
    if len(p.parts) == 1:
        found = sorted(SCENARIO_DIR.glob(f"*/{stem}"))
        if len(found) == 1:
            return found[0].resolve()
        if found:
            names = ", ".join(f"{f.parent.name}/{f.stem}" for f in found)
            raise ScenarioError([f"{name_or_path}: file: several cases hold this scenario; "
                                 f"name one of {names}"])
    raise ScenarioError([f"{name_or_path}: file: no such scenario (looked in {SCENARIO_DIR} "
                         "and its case folders)"])


def scenario_name(path: Path) -> str:
    """The shortest name that :func:`resolve_path` resolves back to ``path``: the bare name
    when one case holds it, ``case/name`` inside ``scenarios/``, else the path itself."""
    path = Path(path).resolve()
    for name in (path.stem, f"{path.parent.name}/{path.stem}"):
        try:
            if resolve_path(name) == path:
                return name
        except ScenarioError:
            continue
    return str(path)


def _key_of(items: list) -> str | None:
    """The key by which an array of tables is merged: ``name`` or ``id`` if every entry
    has it, else None (the array is replaced whole)."""
    for key in ("name", "id"):
        if items and all(isinstance(x, dict) and key in x for x in items):
            return key
    return None


def merge(base: Any, over: Any) -> Any:
    """Merge ``over`` into ``base``: tables key by key; arrays of tables that all have a
    ``name`` (leaders, offices, regions) or an ``id`` (events, relations) entry by entry,
    where ``remove = true`` deletes an entry; anything else is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(over, list):
        key = _key_of(base + over)
        if key is None:
            return over
        out = [dict(x) for x in base]
        for x in over:
            match = [k for k, y in enumerate(out) if y[key] == x[key]]
            if x.get("remove"):
                out = [y for y in out if y[key] != x[key]]
            elif match:
                out[match[0]] = merge(out[match[0]], x)
            else:
                out.append(dict(x))
        return out
    return over


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: toml: {exc}"]) from None
    except OSError as exc:
        raise ScenarioError([f"{path}: file: {exc.strerror}"]) from None


def load_raw(path: Path, _seen: tuple[Path, ...] = ()) -> dict:
    """Read a scenario file and everything it extends, merged, before validation."""
    if path in _seen:
        chain = " -> ".join(str(p) for p in (*_seen, path))
        raise ScenarioError([f"{path}: extends: circular inheritance ({chain})"])
    data = _read_toml(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError([f"{path}: extends: must be a string (a scenario name or path)"])
    try:
        base_path = resolve_path(parent, relative_to=path)
    except ScenarioError:
        raise ScenarioError([f"{path}: extends: no such scenario {parent!r}"]) from None
    base = load_raw(base_path, (*_seen, path))
    merged = merge(base, {k: v for k, v in data.items() if k != "extends"})
    merged["extends"] = parent
    return merged


_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_override(text: str) -> tuple[list[str], Any]:
    """Parse ``path=value`` (``parameters.campaign_rate=0.05``, ``leaders.Trotsky.resolve=0.2``).

    The value is read as TOML (numbers, booleans, quoted strings, arrays); a bare word that is
    not TOML is taken as a string.
    """
    if "=" not in text:
        raise ValueError(f"{text!r}: expected path=value")
    key, raw = text.split("=", 1)
    parts = key.strip().split(".")
    if not all(p.strip() for p in parts):
        raise ValueError(f"{text!r}: empty part in the path")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return [p.strip() for p in parts], value


def apply_override(data: dict, parts: list[str], value: Any) -> None:
    """Set ``value`` at ``parts`` in raw scenario data; arrays of named tables by name."""
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            match = [x for x in node if isinstance(x, dict) and x.get("name") == part]
            if not match:
                if part.isdigit() and int(part) < len(node):
                    match = [node[int(part)]]
                else:
                    raise ValueError(f"{'.'.join(parts)}: no entry named {part!r}")
            if last:
                raise ValueError(f"{'.'.join(parts)}: cannot replace a whole entry")
            node = match[0]
            continue
        if not isinstance(node, dict):
            raise ValueError(f"{'.'.join(parts)}: {parts[i - 1]!r} is not a table")
        if last:
            node[part] = value
        else:
            node = node.setdefault(part, {})


def load_scenario(
    name_or_path: str | Path = "baseline", overrides: list[str] | None = None
) -> Scenario:
    """Load, merge, override and validate a scenario. Raises :class:`ScenarioError`."""
    path = resolve_path(name_or_path)
    data = load_raw(path)
    problems: list[str] = []
    for text in overrides or []:
        try:
            parts, value = parse_override(text)
            apply_override(data, parts, value)
        except ValueError as exc:
            problems.append(f"{path}: --set {exc}")
    if problems:
        raise ScenarioError(problems)
    return validate(data, path)


def validate(data: dict, path: Path | str) -> Scenario:
    """Validate raw data; every problem becomes one ``FILE: field.path: problem`` line."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = format_errors(exc, data, path)
        if not any(e["loc"] == () for e in exc.errors()):  # cross-references not yet checked
            lines += [f"{path}: {p}" for p in cross_reference_problems(data)]
        raise ScenarioError(lines) from None


def format_errors(exc: ValidationError, data: dict, path: Path | str) -> list[str]:
    """Turn pydantic errors into ``FILE: field.path: problem`` lines (named entries by name)."""
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        msg = err["msg"]
        if err["type"] == "value_error" and msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        where = _pretty_loc(loc, data)
        for part in msg.split("\n"):
            lines.append(f"{path}: {part}" if not loc else f"{path}: {where}: {part}")
    return lines


def _pretty_loc(loc: list, data: dict) -> str:
    """``leaders.3.prestige`` -> ``leaders.3(Trotsky).prestige`` where the entry is named."""
    out: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            item = node[part]
            name = item.get("name") if isinstance(item, dict) else None
            out.append(f"{part}({name})" if name else str(part))
            node = item
        else:
            out.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out)
