"""Command line: ``troika run [SCENARIO] [--seed N] [--out DIR] [--set path=value ...]`` and
``troika scenarios``.

A scenario that does not load is reported as one ``FILE: field: problem`` line per problem on
standard error, with exit status 2 and nothing written. Usage errors (an unknown option, a
negative seed) also exit with status 2 and a one-line message.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Annotated

import typer

try:  # typer >= 0.16 carries its own copy of click
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - older typer on top of click
    import click.exceptions as _cx  # type: ignore[no-redef]

from .scenario import SCENARIO_DIR, ScenarioError, load_scenario, resolve_path

app = typer.Typer(
    name="troika",
    help="Agent-based simulation of the Bolshevik succession struggle, 1922-27.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _table(df, columns: list[str]) -> str:
    """A plain fixed-width text table."""
    rows = [[str(v) for v in r] for r in df[columns].itertuples(index=False)]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(s.rstrip() for s in out)


@app.command()
def run(
    scenario: Annotated[
        str, typer.Argument(help="Scenario name (in scenarios/) or path to a TOML file.")
    ] = "baseline",
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed (a non-negative integer).")
    ] = 0,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/<scenario>-seed<N>]."),
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option(
            "--set", metavar="PATH=VALUE",
            help="Override a scenario field, e.g. parameters.campaign_rate=0.02 (repeatable).",
        ),
    ] = None,
) -> None:
    """Run one scenario with one seed; write tables, figures and a manifest."""
    from .model import SuccessionModel
    from .outputs import key_events, offices_at_end, run_tables, write_run
    from .record import load_record

    try:
        source = resolve_path(scenario)
        spec = load_scenario(scenario, overrides=list(overrides or []))
    except ScenarioError as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        raise typer.Exit(2) from None
    out_dir = out if out is not None else Path("out") / f"{spec.name}-seed{seed}"
    record = load_record()
    m = SuccessionModel(spec, rng=seed).run()
    argv = ["troika", *sys.argv[1:]]
    write_run(m, out_dir, scenario_source=source, seed=seed, argv=argv, record=record)
    tables = run_tables(m)
    typer.echo(f"scenario {spec.name} ({source}), seed {seed}, "
               f"{spec.horizon.start} to {spec.horizon.end}")
    typer.echo("")
    typer.echo("Key events, simulated vs recorded:")
    typer.echo(_table(key_events(m, record, tables), ["outcome", "simulated", "recorded"]))
    typer.echo("")
    typer.echo(f"Offices at the end ({spec.horizon.end}):")
    ends = offices_at_end(m, record)
    ends["holder"] = ends["holder"].replace("", "(vacant)")
    typer.echo(_table(ends, ["office", "holder", "recorded"]))
    typer.echo("")
    typer.echo(f"Output written to {out_dir}")


@app.command()
def scenarios() -> None:
    """List the scenarios in scenarios/ with their descriptions."""
    files = sorted(SCENARIO_DIR.glob("*.toml"))
    if not files:
        typer.echo(f"no scenarios in {SCENARIO_DIR}")
        return
    width = max(len(f.stem) for f in files)
    for f in files:
        try:
            with f.open("rb") as fh:
                data = tomllib.load(fh)
            desc = str(data.get("description", "")).strip()
            if not desc and data.get("extends"):
                desc = f"(extends {data['extends']})"
        except (OSError, tomllib.TOMLDecodeError) as exc:
            desc = f"(unreadable: {exc})"
        typer.echo(f"{f.stem.ljust(width)}  {desc}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; usage errors become one line on stderr and status 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="troika", standalone_mode=False)
    except _cx.NoArgsIsHelpError as exc:
        typer.echo(exc.format_message())
        sys.exit(0)
    except _cx.UsageError as exc:  # BadParameter, NoSuchOption, MissingParameter, ...
        message = " ".join(exc.format_message().split())
        typer.echo(f"troika: error: {message} (see 'troika --help')", err=True)
        sys.exit(2)
    except _cx.ClickException as exc:
        typer.echo(f"troika: error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("troika: aborted", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
