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
:class:`ScenarioError`. A problem in a file reached through ``extends`` is named with the
chain that led there (``mine.toml -> baseline.toml: ...``), and a value is blamed on the file
of the chain that set it.

Files are read strictly: UTF-8 (a byte-order mark is allowed), at most
``LIMITS.file_bytes`` long and ``LIMITS.nesting`` deep; values are validated in pydantic's
strict mode (a quoted ``"0.5"`` is text, not a number; ``1`` is not ``true``); ``remove =
true`` of an entry that does not exist is an error.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from model.engine.spec import LIMITS, Scenario, cross_reference_problems


def _scenario_dir() -> Path:
    """The case folders: ``model/scenarios`` inside the installed package (a wheel carries
    them as package data), which in a clone is a link to the top-level ``scenarios/``
    folder; a checkout that kept the link as a plain file falls back to that folder."""
    package = Path(__file__).resolve().parents[1]
    inside = package / "scenarios"
    return inside.resolve() if inside.is_dir() else package.parent / "scenarios"


SCENARIO_DIR = _scenario_dir()


# --------------------------------------------------------------------------------------
# loading, inheritance and overrides


class ScenarioError(Exception):
    """A scenario could not be loaded; ``lines`` holds one ``FILE: field: problem`` each."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


NAMED_ARRAYS = ("leaders", "offices", "regions")


def is_path(name_or_path: str | Path) -> bool:
    """Whether a scenario argument is a file path rather than a scenario name. A name is a
    plain word (``baseline``) or ``case/name`` (``bolshevik_1922/baseline``) and is looked up
    only in ``scenarios/`` and its case folders, so that a file called ``baseline`` in the
    current folder (or beside a scenario that ``extends = "baseline"``) cannot stand in for
    the baseline. A path is a ``Path``, or text that ends in ``.toml``, starts with ``.`` or
    ``/``, holds a backslash or has more than two parts."""
    if isinstance(name_or_path, Path):
        return True
    text = name_or_path
    return (text.endswith(".toml") or text.startswith((".", "/")) or "\\" in text
            or text.count("/") > 1)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """Find a scenario: a path (relative to the current folder, or to the file that
    ``extends`` it when ``relative_to`` is given); or a name (:func:`is_path`): first in the
    extending file's own folder, then ``case/name`` in ``scenarios/``, then a bare name held
    by exactly one case folder ``scenarios/<case>/`` (a name that several cases hold must be
    given as ``case/name``)."""
    p = Path(name_or_path)
    stem = p.name if p.suffix == ".toml" else p.name + ".toml"
    candidates = []
    as_path = is_path(name_or_path)
    if as_path:
        candidates.append(p if relative_to is None else relative_to.parent / p)
    # a name, or a bare file name (``baseline.toml``) that is not a file: look it up
    as_name = not as_path or (isinstance(name_or_path, str) and len(p.parts) == 1)
    if as_name:
        if relative_to is not None:
            candidates.append(relative_to.parent / p.parent / stem)
        candidates.append(SCENARIO_DIR / p.parent / stem)
    for c in candidates:
        if _is_file(c):
            return c.resolve()
    if as_name and len(p.parts) == 1:
        found = sorted(SCENARIO_DIR.glob(f"*/{stem}"))
        if len(found) == 1:
            return found[0].resolve()
        if found:
            names = ", ".join(f"{f.parent.name}/{f.stem}" for f in found)
            raise ScenarioError([f"{_printable(str(name_or_path))}: file: several cases hold "
                                 f"this scenario; name one of {names}"])
    hint = ""
    if not is_path(name_or_path) and relative_to is None and _is_file(p):
        hint = f"; for the file of that name here, write ./{p}"
    raise ScenarioError([f"{_printable(str(name_or_path))}: file: no such scenario "
                         f"(looked in {SCENARIO_DIR} and its case folders){hint}"])


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


def _printable(text: str) -> str:
    """``text`` as one printable line (control characters escaped)."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _key_of(items: list) -> str | None:
    """The key by which an array of tables is merged: ``name`` or ``id`` if every entry
    has it, else None (the array is replaced whole)."""
    for key in ("name", "id"):
        if items and all(isinstance(x, dict) and key in x for x in items):
            return key
    return None


def _hashable(value: Any) -> Any:
    """A dictionary key for an entry's name or id (which may be any TOML value)."""
    try:
        hash(value)
    except TypeError:
        return ("unhashable", repr(value))
    return (type(value).__name__, value)


class MergeError(ValueError):
    """An override that cannot be applied (``remove`` of an entry that does not exist)."""


def merge(base: Any, over: Any, where: str = "") -> Any:
    """Merge ``over`` into ``base``: tables key by key; arrays of tables that all have a
    ``name`` (leaders, offices, regions) or an ``id`` (events, relations) entry by entry,
    where ``remove = true`` deletes an entry (one that exists: a misspelt name is a
    :class:`MergeError`, not a silent no-op); anything else is replaced. ``where`` is the
    field path, for messages."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v, f"{where}.{k}" if where else str(k)) if k in base else v
        return out
    if isinstance(base, list) and isinstance(over, list):
        key = _key_of(base + over)
        if key is None:
            return over
        out: list[dict | None] = [dict(x) for x in base]
        at: dict = {}  # key value -> positions of its entries (linear, not quadratic)
        for k, y in enumerate(out):
            at.setdefault(_hashable(y[key]), []).append(k)
        for x in over:
            here = at.get(_hashable(x[key]))
            if "remove" in x:
                if x["remove"] is not True:
                    raise MergeError(f"{where}.{_printable(str(x[key]))}.remove: must be true "
                                     "(or left out)")
                if not here:
                    raise MergeError(f"{where}: no entry with {key} {x[key]!r} to remove")
                for k in at.pop(_hashable(x[key])):
                    out[k] = None
            elif here:
                out[here[0]] = merge(out[here[0]], x, f"{where}.{_printable(str(x[key]))}")
            else:
                at[_hashable(x[key])] = [len(out)]
                out.append(dict(x))
        return [y for y in out if y is not None]
    return over


BOM = b"\xef\xbb\xbf"


def _read_toml(path: Path, label: str | None = None) -> dict:
    """Parse one scenario file; ``label`` names it in messages (the ``extends`` chain)."""
    label = label or _printable(str(path))
    try:
        with path.open("rb") as fh:
            raw = fh.read(LIMITS.file_bytes + 1)
    except OSError as exc:
        raise ScenarioError([f"{label}: file: {exc.strerror or exc}"]) from None
    if len(raw) > LIMITS.file_bytes:
        raise ScenarioError([f"{label}: file: larger than {LIMITS.file_bytes} bytes, the most "
                             "a scenario file may hold (README, Limits)"])
    if raw.startswith(BOM):  # editors write one; TOML does not allow it
        raw = raw[len(BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ScenarioError([f"{label}: file: not UTF-8 text (byte 0x{raw[exc.start]:02x} on "
                             f"line {line}); save it as UTF-8"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{label}: toml: {_printable(str(exc))}"]) from None
    except RecursionError:
        raise ScenarioError([f"{label}: toml: arrays or tables nested more than "
                             f"{LIMITS.nesting} deep (README, Limits)"]) from None
    deep = too_deep(data)
    if deep:
        raise ScenarioError([f"{label}: {deep}"])
    return data


def too_deep(data: Any, limit: int = LIMITS.nesting) -> str | None:
    """``field.path: nested ...`` if ``data`` nests arrays and tables deeper than
    ``limit``, else None (checked without recursion)."""
    stack = [(data, 0, "")]
    while stack:
        node, depth, where = stack.pop()
        if depth > limit:
            return (f"{where or 'toml'}: arrays or tables nested more than {limit} deep "
                    "(README, Limits)")
        if isinstance(node, dict):
            stack += [(v, depth + 1, f"{where}.{k}" if where else _printable(str(k)))
                      for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, depth + 1, f"{where}.{i}") for i, v in enumerate(node)]
    return None


def load_chain(path: Path, _seen: tuple[Path, ...] = ()) -> list[tuple[Path, str, dict]]:
    """Read a scenario file and everything it extends: ``(path, label, raw data)`` from the
    file itself to the root of the chain; ``label`` names the file with the chain that
    led there (``mine.toml -> baseline.toml``)."""
    label = " -> ".join(_printable(str(p)) for p in (*_seen, path))
    if path in _seen:
        closer = " -> ".join(_printable(str(p)) for p in _seen)
        raise ScenarioError([f"{closer}: extends: circular inheritance ({label})"])
    if len(_seen) >= LIMITS.extends_depth:
        raise ScenarioError([f"{label}: extends: more than {LIMITS.extends_depth} files in "
                             "one chain (README, Limits)"])
    data = _read_toml(path, label)
    parent = data.get("extends")
    if parent is None:
        return [(path, label, data)]
    if not isinstance(parent, str):
        raise ScenarioError([f"{label}: extends: must be a string (a scenario name or path)"])
    try:
        base_path = resolve_path(parent, relative_to=path)
    except ScenarioError:
        raise ScenarioError([f"{label}: extends: no such scenario {parent!r} (a name is "
                             f"looked up in {SCENARIO_DIR}, a path ending in .toml beside "
                             "this file)"]) from None
    return [(path, label, data), *load_chain(base_path, (*_seen, path))]


def merge_chain(chain: list[tuple[Path, str, dict]]) -> dict:
    """Merge a chain from :func:`load_chain`, root first; ``extends`` is the first file's."""
    merged = chain[-1][2]
    for _, label, data in reversed(chain[:-1]):
        try:
            merged = merge(merged, {k: v for k, v in data.items() if k != "extends"})
        except MergeError as exc:
            raise ScenarioError([f"{label}: {exc}"]) from None
        merged["extends"] = data["extends"]
    return merged


def load_raw(path: Path, _seen: tuple[Path, ...] = ()) -> dict:
    """Read a scenario file and everything it extends, merged, before validation."""
    return merge_chain(load_chain(path, _seen))


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
    except RecursionError:
        raise ValueError(f"{_printable(key)}: the value is nested too deeply") from None
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
    chain = load_chain(path)
    data = merge_chain(chain)
    label = chain[0][1]
    problems: list[str] = []
    overridden: list[list[str]] = []
    for text in overrides or []:
        try:
            parts, value = parse_override(text)
            apply_override(data, parts, value)
            overridden.append(parts)
        except ValueError as exc:
            problems.append(f"{label}: --set {_printable(str(exc))}")
    if problems:
        raise ScenarioError(problems)
    deep = too_deep(data)
    if deep:
        raise ScenarioError([f"{label}: --set {deep}"])
    return validate(data, path, chain=chain, overridden=overridden)


def _strict_input(value: Any, annotation: Any) -> Any:
    """``value`` with TOML arrays turned into tuples where the schema has a tuple, so that
    the scenario can be validated in strict mode (which takes no list for a tuple)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return value
        fields = annotation.model_fields
        return {k: _strict_input(v, fields[k].annotation) if k in fields else v
                for k, v in value.items()}
    origin = get_origin(annotation)
    if origin is tuple and isinstance(value, list):
        return tuple(value)
    if origin is list and isinstance(value, list):
        (item,) = get_args(annotation) or (Any,)
        return [_strict_input(v, item) for v in value]
    for arg in get_args(annotation) if origin is not None else ():  # X | None
        if isinstance(arg, type) and issubclass(arg, BaseModel) and isinstance(value, dict):
            return _strict_input(value, arg)
    return value


def validate(data: dict, path: Path | str, *, chain: list | None = None,
             overridden: list[list[str]] | None = None) -> Scenario:
    """Validate raw data strictly; every problem becomes one ``FILE: field.path: problem``
    line, ``FILE`` being the file of ``chain`` (from :func:`load_chain`) that set the value
    at fault."""
    try:
        return Scenario.model_validate(_strict_input(data, Scenario), strict=True)
    except ValidationError as exc:
        index: dict = {}
        lines = format_errors(exc, data, path, chain=chain, overridden=overridden, index=index)
        errors = exc.errors()
        # cross-references are checked by the model once the types are right; over a limit
        # (too many entries) they are left out: the limit is the problem
        if not any(e["loc"] == () or e["type"] == "too_long" for e in errors):
            lines += [_blame(p, data, path, chain, overridden, index)
                      for p in cross_reference_problems(data)]
        raise ScenarioError(list(dict.fromkeys(lines))) from None


def format_errors(exc: ValidationError, data: dict, path: Path | str, *,
                  chain: list | None = None, overridden: list[list[str]] | None = None,
                  index: dict | None = None) -> list[str]:
    """Turn pydantic errors into ``FILE: field.path: problem`` lines (named entries by name)."""
    lines = []
    missing: dict[tuple, list[str]] = {}  # entry -> its missing fields, reported in one line
    for err in exc.errors():
        loc = list(err["loc"])
        if err["type"] == "missing" and len(loc) > 1:
            missing.setdefault(tuple(loc[:-1]), []).append(str(loc[-1]))
            continue
        msg = _message(err)
        where = _pretty_loc(loc, data)
        for part in msg.split("\n"):
            if not loc:
                lines.append(_blame(part, data, path, chain, overridden, index))
            else:
                label = _origin(loc, data, path, chain, overridden, index)
                lines.append(f"{label}: {where}: {_printable(part)}")
    for entry, fields in missing.items():
        label = _origin(list(entry), data, path, chain, overridden, index)
        lines.append(f"{label}: {_pretty_loc(list(entry), data)}: missing "
                     f"{', '.join(fields)}{_new_entry_hint(list(entry), data, chain, index)}")
    return lines


def _new_entry_hint(loc: list, data: dict, chain: list | None, index: dict | None = None
                    ) -> str:
    """For an entry of a named array that no file higher in the ``extends`` chain has: a
    hint that it was taken as a new entry (often a misspelt name meant to override one)."""
    if not chain or len(chain) < 2 or len(loc) != 2 or not isinstance(loc[1], int):
        return ""
    named = _named_path(loc, data, index)
    if not isinstance(named[-1], tuple) or any(_found(named, raw, index) == 2
                                               for _, _, raw in chain[1:]):
        return ""
    key, value = named[-1]
    return (f" (no entry with {key} {value!r} in {chain[1][1].split(' -> ')[-1]}: an entry "
            "that overrides one must have its exact name; a new entry needs every field)")


def _message(err: dict) -> str:
    """The problem of one pydantic error, in the words of a scenario file."""
    msg = err["msg"]
    if err["type"] == "value_error" and msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    if isinstance(err.get("input"), date | datetime | time):
        msg = 'a TOML date or time; write dates as text in quotes, "YYYY-MM"'
    elif err["type"] == "string_pattern_mismatch" and "x00" in str(err.get("ctx", "")):
        msg = "a name is one line of printable characters"
    elif err["type"] in ("float_type", "int_type", "bool_type") and isinstance(
            err.get("input"), str):
        msg += " (a quoted value is text)"
    elif err["type"] == "too_long":
        msg = (f"{err['ctx']['actual_length']} entries; at most {err['ctx']['max_length']} "
               "are allowed (README, Limits)")
    elif err["type"] == "string_too_long":
        msg = f"longer than {err['ctx']['max_length']} characters (README, Limits)"
    return msg


def _named_path(loc: list, data: Any, index: dict | None = None) -> list:
    """``loc`` with the indices of named entries replaced by ``(key, name)``, so that it can
    be looked up in each file of an ``extends`` chain."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            item = node[part]
            if index is None or ("key", id(node)) not in index:
                key = _key_of(node)
                if index is not None:
                    index[("key", id(node))] = key
            else:
                key = index[("key", id(node))]
            out.append((key, item.get(key)) if key and isinstance(item, dict) else part)
            node = item
        elif isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        else:
            out.append(part)
            node = None
    return out


def _found(named: list, data: Any, index: dict | None = None) -> int:
    """How many parts of a named path exist in one file's raw data. ``index`` caches each
    array's entries by name, so that many problems are placed in linear time."""
    index = {} if index is None else index
    node = data
    for depth, part in enumerate(named):
        if isinstance(part, tuple) and isinstance(node, list):
            key = (id(node), part[0])
            if key not in index:
                index[key] = {}
                for x in node:
                    if isinstance(x, dict):
                        index[key].setdefault(_hashable(x.get(part[0])), x)
            match = index[key].get(_hashable(part[1]))
            if match is None:
                return depth
            node = match
        elif isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        elif isinstance(node, dict) and not isinstance(part, tuple) and part in node:
            node = node[part]
        else:
            return depth
    return len(named)


def _origin(loc: list, data: dict, path: Path | str, chain: list | None,
            overridden: list[list[str]] | None, index: dict | None = None) -> str:
    """The label of the file of ``chain`` that set the value at ``loc`` (the first file, the
    user's, for a value set by ``--set`` or set nowhere)."""
    if not chain:
        return _printable(str(path))
    named = _named_path(loc, data, index)
    plain = [p[1] if isinstance(p, tuple) else p for p in named]
    for parts in overridden or []:
        if [str(p) for p in plain[:len(parts)]] == parts:
            return chain[0][1]
    best, label = 0, chain[0][1]
    for _, file_label, raw in chain:
        found = _found(named, raw, index)
        if found > best:
            best, label = found, file_label
    return label


def _blame(problem: str, data: dict, path: Path | str, chain: list | None,
           overridden: list[list[str]] | None, index: dict | None = None) -> str:
    """``FILE: problem`` for a cross-reference problem ``field.path: text``."""
    head = problem.split(": ", 1)[0]
    loc: list = [int(p) if p.isdigit() else p for p in head.split(".")] if ": " in problem \
        else []
    return f"{_origin(loc, data, path, chain, overridden, index)}: {_printable(problem)}"


def _pretty_loc(loc: list, data: dict) -> str:
    """``leaders.3.prestige`` -> ``leaders.3(Trotsky).prestige`` where the entry is named."""
    out: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            item = node[part]
            name = item.get("name") if isinstance(item, dict) else None
            out.append(f"{part}({_printable(name)})" if isinstance(name, str) and name
                       else str(part))
            node = item
        else:
            out.append(_printable(str(part)))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out)
