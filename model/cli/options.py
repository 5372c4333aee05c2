"""Option types and helpers shared by the commands of ``model.cli`` and of the modules that
add commands to it (ablation, sensitivity, calibration, webapp).

The ``check_*`` helpers are called by every command before any work, so that a bad output
path, document or scheduler address is refused in the first second (one line, exit 2,
nothing written) rather than after the whole run.

This module and the command modules import the analysis, the schema and the plotting only
inside the functions that use them, so that ``troika --help`` loads none of them
(tests/test_cli_startup.py).
"""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from model.cases.casefile import Case


def _workers_within_limit(value: int | None) -> int | None:
    """``--workers`` above ``LIMITS.workers_per_core`` per core is refused (README, Limits);
    pools are also never larger than the runs they have to do."""
    from model.analysis.ensemble import default_workers, max_workers

    if value is not None and value > max_workers():
        raise typer.BadParameter(
            f"{value} is more than {max_workers()} ({max_workers() // default_workers()} per "
            f"core, {default_workers()} core(s) here; README, Limits)")
    return value


ScenarioArg = Annotated[
    str, typer.Argument(help="Scenario name (in a case folder of scenarios/; case/name when "
                        "several cases hold it) or path to a TOML file.")
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, callback=_workers_within_limit,
                 help="Worker processes [default: the machine's cores; at most 4 per core]."),
]
BaseSeedOption = Annotated[
    int, typer.Option("--seed", min=0, metavar="BASE",
                      help="Base seed of the SeedSequence the run seeds are spawned from."),
]


def _seed_text(value: str) -> str:
    """``--seed`` of one run: refused at once (exit 2, one line) unless it reads as a seed."""
    from model.analysis.seeds import parse_seed

    try:
        parse_seed(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


RunSeedOption = Annotated[
    str, typer.Option("--seed", metavar="SEED", callback=_seed_text,
                      help="Random seed: a non-negative integer, or a row's seed from an "
                      "ensemble's runs.csv (BASE/K), which repeats that run."),
]
SameSeedOption = Annotated[
    int, typer.Option("--seed", min=0, metavar="BASE",
                      help="Base seed (the same seeds for every variant)."),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set", metavar="PATH=VALUE",
        help="Override a scenario field, e.g. parameters.campaign_rate=0.02 (repeatable).",
    ),
]
DocOption = Annotated[
    Path | None,
    typer.Option("--doc", help="Splice the Markdown result into this document, between its "
                 "`<!-- NAME:start -->` and `<!-- NAME:end -->` markers."),
]


def fail(message: str) -> typer.Exit:
    """Print a one-line error on standard error; the caller raises the returned Exit(2)."""
    typer.echo(f"troika: error: {message}", err=True)
    return typer.Exit(2)


MAX_PROBLEM_LINES = 50  # a scenario with more problems is reported by its first 50


def load(scenario: str, overrides: list[str] | None = None):
    """Load a scenario or exit 2 with its problems on stderr (one line each)."""
    from model.cases.scenario import ScenarioError, load_scenario, resolve_path

    try:
        return resolve_path(scenario), load_scenario(scenario, overrides=list(overrides or []))
    except ScenarioError as exc:
        for line in exc.lines[:MAX_PROBLEM_LINES]:
            typer.echo(line, err=True)
        if len(exc.lines) > MAX_PROBLEM_LINES:
            typer.echo(f"... and {len(exc.lines) - MAX_PROBLEM_LINES} more problems",
                       err=True)
        raise typer.Exit(2) from None


def load_case(source: Path) -> Case:
    """The case of a loaded scenario's file (its folder's ``case.toml`` and record), or exit
    2 with its problems on stderr (one line each)."""
    from model.cases.casefile import case_of
    from model.cases.scenario import ScenarioError

    try:
        return case_of(source)
    except ScenarioError as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        raise typer.Exit(2) from None


def nothing_to(what: str, case: Case) -> None:
    """Say in one line that the case gives this command nothing to do (exit 0)."""
    typer.echo(f"case {case.name}: {what}")
    raise typer.Exit(0)


def check_doc(doc: Path | None, name: str) -> None:
    """Before any work: exit 2 with one line if ``doc`` cannot be read or lacks the
    ``name`` markers."""
    if doc is None:
        return
    from model.analysis.validation import markers

    start, end = markers(name)
    try:
        text = doc.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise fail(f"--doc: cannot read {doc}: {getattr(exc, 'strerror', None) or exc}") \
            from None
    check_output_file(doc, "--doc")
    if start not in text or end not in text[text.find(start):]:
        raise fail(f"--doc: {doc} has no {start} ... {end} markers")


def has_markers(doc: Path | None, name: str) -> bool:
    """Whether ``doc`` (already checked readable) holds the ``name`` markers: an optional
    section is spliced only where the document asks for it."""
    if doc is None:
        return False
    from model.analysis.validation import markers

    start, end = markers(name)
    text = doc.read_text(encoding="utf-8")
    return start in text and end in text[text.find(start):]


def demote_headings(block: str, levels: int = 2) -> str:
    """Markdown headings two levels down, so that a generated report with its own title
    sits under the section of the document it is spliced into."""
    return "\n".join("#" * levels + line if line.startswith("#") else line
                     for line in block.split("\n"))


def splice_into(doc: Path | None, name: str, block: str) -> None:
    """Replace the ``name`` section of ``doc`` by ``block`` (atomically)."""
    if doc is None:
        return
    from model.analysis.validation import splice_doc
    from model.atomic import atomic_write_text

    text = doc.read_text(encoding="utf-8")
    atomic_write_text(doc, splice_doc(text, demote_headings(block), name))
    typer.echo(f"{name} spliced into {doc}")


MIN_FREE_BYTES = 16 * 1024 * 1024  # refuse to start writing where less than this is free


def _writable_folder(folder: Path, option: str, shown: Path) -> None:
    """Exit 2 unless files can be created in ``folder`` (an existing folder)."""
    if not folder.is_dir():
        raise fail(f"{option}: {shown}: {folder} is not a folder")
    try:
        flags = os.statvfs(folder)
    except OSError as exc:
        raise fail(f"{option}: {shown}: {exc.strerror or exc}") from None
    if flags.f_flag & os.ST_RDONLY:
        raise fail(f"{option}: {shown}: {folder} is on a read-only file system")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise fail(f"{option}: {shown}: no permission to write in {folder}")
    free = flags.f_bavail * flags.f_frsize
    if free < MIN_FREE_BYTES:
        raise fail(f"{option}: {shown}: only {free // 1024} KiB free on the disk of {folder}")


def _existing_ancestor(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def check_output_dir(path: Path, option: str = "--out") -> None:
    """Before any work: exit 2 with one line unless ``path`` is, or can be made, a folder
    that this process can write in (not a file, not read-only, not a full disk)."""
    if str(path) == "":
        raise fail(f"{option}: an empty path (give a folder)")
    try:
        if path.exists():
            _writable_folder(path, option, path)
            return
        _writable_folder(_existing_ancestor(path), option, path)
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        raise fail(f"{option}: {path!s:.200}: {getattr(exc, 'strerror', None) or exc}") \
            from None


def check_output_file(path: Path | None, option: str = "--json") -> None:
    """Before any work: exit 2 with one line unless ``path`` is a regular file, or a new
    one, that can be replaced atomically (its folder writable)."""
    if path is None:
        return
    if str(path) == "":
        raise fail(f"{option}: an empty path (give a file)")
    try:
        if path.exists() and not path.is_file():
            raise fail(f"{option}: {path} is not a regular file")
        if path.exists() and not os.access(path, os.W_OK):
            raise fail(f"{option}: no permission to write {path}")
        parent = path.parent if path.parent.exists() else _existing_ancestor(path.parent)
        _writable_folder(parent, option, path)
    except (OSError, ValueError) as exc:
        raise fail(f"{option}: {path!s:.200}: {getattr(exc, 'strerror', None) or exc}") \
            from None


def check_scheduler(address: str | None, timeout: float = 3.0) -> None:
    """Before any work: exit 2 with one line unless something accepts a TCP connection at
    the dask scheduler ``address`` (``tcp://host:port`` or ``host:port``)."""
    if address is None:
        return
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp", "tls"):
        return  # inproc, ucx, ...: left to dask
    host, _, port = rest.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise fail(f"--scheduler: {address!r} is not an address (tcp://HOST:PORT)")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except OSError as exc:
        reason = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise fail(f"--scheduler: nothing answers at {address} ({reason})") from None


PosteriorOption = Annotated[
    Path | None,
    typer.Option("--posterior", metavar="FILE",
                 help="Draw each run's parameters and inputs from this posterior.csv of "
                 "troika calibrate (one particle by weight per run, from the seed)."),
]


def load_posterior_option(path: Path | None, scenario, option: str = "--posterior"):
    """The posterior of ``--posterior FILE`` checked against ``scenario``, or exit 2 with
    one line naming the file and the problem (before any work)."""
    if path is None:
        return None
    from model.analysis.posterior import PosteriorError, load_posterior
    try:
        return load_posterior(path, scenario)
    except PosteriorError as exc:
        raise fail(f"{option}: {exc}") from None


InputPriorsOption = Annotated[
    bool,
    typer.Option("--input-priors/--no-input-priors",
                 help="Also draw each run's judgement-call inputs (prestige, ambition, resolve, "
                 "regions) that the posterior does not carry from their priors in the case's "
                 "provenance ledger (at least 20 draws per particle and 1000 in all; "
                 "without --posterior, the scenario's parameters)."),
]


def same_drawn_inputs(spaces, names: list[str]) -> None:
    """Exit 2 when the scenarios of a comparison differ on an input ``--input-priors``
    would draw: one draw is applied to every scenario of a run, so a counterfactual's own
    change to such an input would be erased (before any work)."""
    first = spaces[0]
    for space, name in zip(spaces[1:], names[1:], strict=True):
        if space.names != first.names:
            raise fail(f"--input-priors: scenario {name} has other uncertain inputs than "
                       f"{names[0]}; compare them without --input-priors")
        for a, b in zip(first.priors, space.priors, strict=True):
            if (a.low, a.high) != (b.low, b.high) or a.value != b.value:
                raise fail(f"--input-priors: scenario {name} changes the drawn input "
                           f"{a.path} (one draw would erase the change); compare it without "
                           "--input-priors")


def input_priors_option(wanted: bool, scenario, case, option: str = "--input-priors"):
    """``(space, ledger)``: the judgement-call inputs of ``scenario`` with their priors from
    the provenance ledger of ``case`` (for validate's, ensemble's and compare's
    ``--input-priors`` and calibrate's ``--inputs``, named by ``option``), or ``(None, '')``
    when not asked for; exit 2 with one line when the case has no ledger or the ledger does
    not cover the scenario (before any work)."""
    if not wanted:
        return None, ""
    from model.analysis.inputs import LEDGER, InputsError, input_space
    ledger = case.folder / LEDGER
    if not ledger.is_file():
        raise fail(f"{option}: case {case.name} has no provenance ledger {ledger}")
    try:
        return input_space(scenario, ledger), f"{case.folder.name}/{LEDGER}"
    except InputsError as exc:
        raise fail(f"{option}: {exc}") from None


def fit_until_option(value: str | None, case) -> str | None:
    """The time split of ``--fit-until`` (validate's and calibrate's): the case's
    ``fit_until`` when not given, ``None`` for ``none`` (no split: every target), else the
    month given; exit 2 with one line when it is not a month ``YYYY-MM``."""
    if value is None:
        return case.spec.fit_until
    if value.lower() == "none":
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise fail(f"--fit-until: {value!r} is not a month YYYY-MM (or 'none')")
    return value
