"""Option types and helpers shared by the commands of ``model.cli`` and of the modules that
add commands to it (ablation, sensitivity, calibration, webapp)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from model.analysis.validation import markers, splice_doc
from model.atomic import atomic_write_text
from model.cases.casefile import Case, case_of
from model.cases.scenario import ScenarioError, load_scenario, resolve_path

ScenarioArg = Annotated[
    str, typer.Argument(help="Scenario name (in a case folder of scenarios/; case/name when "
                        "several cases hold it) or path to a TOML file.")
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Worker processes [default: the machine's cores]."),
]
BaseSeedOption = Annotated[
    int, typer.Option("--seed", min=0, metavar="BASE",
                      help="Base seed of the SeedSequence the run seeds are spawned from."),
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
                 "<!-- NAME:start --> and <!-- NAME:end --> markers."),
]


def fail(message: str) -> typer.Exit:
    """Print a one-line error on standard error; the caller raises the returned Exit(2)."""
    typer.echo(f"troika: error: {message}", err=True)
    return typer.Exit(2)


def load(scenario: str, overrides: list[str] | None = None):
    """Load a scenario or exit 2 with its problems on stderr (one line each)."""
    try:
        return resolve_path(scenario), load_scenario(scenario, overrides=list(overrides or []))
    except ScenarioError as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        raise typer.Exit(2) from None


def load_case(source: Path) -> Case:
    """The case of a loaded scenario's file (its folder's ``case.toml`` and record), or exit
    2 with its problems on stderr (one line each)."""
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
    start, end = markers(name)
    try:
        text = doc.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"--doc: cannot read {doc}: {exc.strerror or exc}") from None
    if start not in text or end not in text[text.find(start):]:
        raise fail(f"--doc: {doc} has no {start} ... {end} markers")


def demote_headings(block: str, levels: int = 2) -> str:
    """Markdown headings two levels down, so that a generated report with its own title
    sits under the section of the document it is spliced into."""
    return "\n".join("#" * levels + line if line.startswith("#") else line
                     for line in block.split("\n"))


def splice_into(doc: Path | None, name: str, block: str) -> None:
    """Replace the ``name`` section of ``doc`` by ``block`` (atomically)."""
    if doc is None:
        return
    text = doc.read_text(encoding="utf-8")
    atomic_write_text(doc, splice_doc(text, demote_headings(block), name))
    typer.echo(f"{name} spliced into {doc}")
