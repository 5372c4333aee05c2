"""Command line: ``troika run [SCENARIO] [--seed N] [--out DIR] [--set path=value ...]``,
``troika validate [SCENARIO] [--runs N] [--workers W] [--seed BASE] [--json PATH] [--out DIR]
[--doc PATH] [--baselines a,b] [--fit-until YYYY-MM]``, ``troika ensemble SCENARIO [--runs N]
[--workers W] [--out DIR] [--resume] [--backend local|dask] [--scheduler ADDRESS]``,
``troika compare A B ... [--runs N]`` and ``troika scenarios``.

A scenario that does not load is reported as one ``FILE: field: problem`` line per problem on
standard error, with exit status 2 and nothing written. Usage errors (an unknown option, a
negative seed, an output path that cannot be written) also exit with status 2 and a one-line
message, before any work. A failure of the system (a full disk) or of the code exits with
status 1 and one line naming what failed (``troika --debug ...`` adds the traceback). Ctrl-C,
SIGTERM and SIGHUP stop a command with one line saying what was kept (status 128 + the
signal's number).
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import time
import tomllib
import traceback
from pathlib import Path
from typing import Annotated

import typer

try:  # typer >= 0.16 carries its own copy of click
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - older typer on top of click
    import click.exceptions as _cx  # type: ignore[no-redef]

from model.analysis.seeds import DEFAULT_BASE_SEED
from model.cli.ablate import ablate_command
from model.cli.calibrate import calibrate_command
from model.cli.options import (
    BaseSeedOption,
    DocOption,
    InputPriorsOption,
    PosteriorOption,
    RunSeedOption,
    ScenarioArg,
    SetOption,
    WorkersOption,
    check_doc,
    check_output_dir,
    check_output_file,
    check_scheduler,
    fail,
    fit_until_option,
    has_markers,
    input_priors_option,
    load,
    load_case,
    load_posterior_option,
    nothing_to,
    same_drawn_inputs,
    splice_into,
)
from model.cli.robustness import robustness_command
from model.cli.sensitivity import sensitivity_command
from model.engine.limits import LIMITS
from model.processes import Stopped, restore_signals, stop_on_signals

app = typer.Typer(
    name="troika",
    help="Agent-based simulation of succession struggles in one-party regimes (each case a "
    "folder of scenarios/).",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


_load = load
_fail = fail


def _print_frame(df, columns: list[str], title: str) -> None:
    """Print columns of a DataFrame as a table (rich in a terminal, plain text in a pipe)."""
    from model.tables import print_table

    print_table(columns, [[str(v) for v in r] for r in df[columns].itertuples(index=False)],
                title=title)


@app.command()
def run(
    scenario: ScenarioArg = "baseline",
    seed: RunSeedOption = "0",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/SCENARIO-seedSEED]."),
    ] = None,
    overrides: SetOption = None,
) -> None:
    """Run one scenario with one seed; write tables, figures and a manifest."""
    from model.analysis.seeds import parse_seed, seed_text

    rng = parse_seed(seed)  # checked by the option's callback
    label = seed_text(rng)
    source, spec = _load(scenario, overrides)
    case = load_case(source)
    folder = f"{spec.name}-seed{label.replace('/', '-')}"
    out_dir = out if out is not None else Path("out") / folder
    check_output_dir(out_dir)
    from model.engine.model import SuccessionModel
    from model.views.outputs import (
        holder_label,
        key_events,
        offices_at_end,
        run_tables,
        write_run,
    )

    m = SuccessionModel(spec, rng=rng).run()
    argv = ["troika", *sys.argv[1:]]
    write_run(m, out_dir, case=case, scenario_source=source,
              seed=rng if isinstance(rng, int) else label, argv=argv)
    tables = run_tables(m)
    typer.echo(f"scenario {spec.name} ({source}), seed {label}, "
               f"{spec.horizon.start} to {spec.horizon.end}")
    typer.echo("")
    if case.spec.key_events:
        _print_frame(key_events(m, case, tables), ["outcome", "simulated", "recorded"],
                     "Key events, simulated vs recorded:")
    else:
        typer.echo(f"Key events: none declared (case {case.name} has no key_events)")
    typer.echo("")
    ends = offices_at_end(m, case.record)
    spec_of = {o.name: o for o in spec.offices}
    ends["holder"] = [holder_label(h, spec_of[name])
                      for h, name in zip(ends["holder"], ends["office"], strict=True)]
    _print_frame(ends, ["office", "holder", "recorded"], f"Offices at the end "
                 f"({spec.horizon.end}):")
    typer.echo("")
    typer.echo(f"Output written to {out_dir}")


def _verdict(result) -> str:
    """The verdict sentence of the Markdown scorecard (its last line starting 'The model')."""
    for line in reversed(result.markdown().splitlines()):
        if line.startswith("The model"):
            return line
    beats = "beats" if result.beats_baselines() else "does not beat"
    return (f"The model passes {result.passed(result.model)} of {len(result.model)} criteria "
            f"and {beats} every baseline.")


@app.command()
def validate(
    scenario: ScenarioArg = "baseline",
    runs: Annotated[
        int, typer.Option("--runs", min=1, max=LIMITS.runs,
                          help="Runs per rule (the model and each baseline).")
    ] = 200,
    workers: WorkersOption = None,
    seed: BaseSeedOption = DEFAULT_BASE_SEED,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the JSON scorecard to this file.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/validate-SCENARIO]."),
    ] = None,
    doc: DocOption = None,
    baselines: Annotated[
        str,
        typer.Option("--baselines", help="Comma-separated baselines to score ('' for none)."),
    ] = "random,bandwagon,aes,expected_utility,calendar",
    posterior: PosteriorOption = None,
    baseline_posterior: Annotated[
        list[str] | None,
        typer.Option("--baseline-posterior", metavar="NAME=FILE",
                     help="A calibrated competitor: baseline NAME's runs draw from FILE, its "
                     "posterior.csv of troika calibrate --baseline NAME (repeatable)."),
    ] = None,
    input_priors: InputPriorsOption = False,
    fit_until: Annotated[
        str | None,
        typer.Option("--fit-until", metavar="YYYY-MM",
                     help="Time split: show the criteria settled by this month (in sample) "
                     "and after it (out of sample) apart [default: the case's fit_until; "
                     "'none' for no split]."),
    ] = None,
) -> None:
    """Score the model and the baselines against the record over an ensemble of seeds; write
    the scorecard (CSV, Markdown, JSON), the patterns never fitted, the sanction ladder
    and figures. With a time split, the criteria settled
    after it (out of sample) and by it (in sample) are also scored apart."""
    # every import before the first line is printed: a SIGTERM whose Stopped was raised
    # while a module was being compiled was lost (seen here; test_hostile_signals)
    from model.analysis.ensemble import Progress, default_workers
    from model.analysis.posterior import split_warning
    from model.analysis.validation import BASELINES, write_validation
    from model.analysis.validation import validate as run_validation
    from model.views.validation_plots import write_validation_figures

    source, spec = _load(scenario)
    case = load_case(source)
    rules = tuple(dict.fromkeys(b.strip() for b in baselines.split(",") if b.strip()))
    unknown = [b for b in rules if b not in BASELINES]
    if unknown:
        raise _fail(f"--baselines: unknown baseline {', '.join(map(repr, unknown))} "
                    f"(choose from {', '.join(BASELINES)})")
    check_doc(doc, "scorecard")
    patterns_doc = doc if case.spec.patterns and has_markers(doc, "patterns") else None
    ladder_doc = doc if has_markers(doc, "ladder") else None
    fit_until = fit_until_option(fit_until, case)
    post = load_posterior_option(posterior, spec)
    base_posts = {}
    for item in baseline_posterior or []:
        name, sep, file = item.partition("=")
        if not sep or not file:
            raise _fail(f"--baseline-posterior: {item!r} is not NAME=FILE")
        if name not in rules:
            raise _fail(f"--baseline-posterior: {name!r} is not one of the baselines scored "
                        f"({', '.join(rules) or 'none'})")
        base_posts[name] = load_posterior_option(Path(file), spec, "--baseline-posterior")
    space, ledger = input_priors_option(input_priors, spec, case)
    if not case.spec.criteria:
        nothing_to("no criteria in the case file, nothing to score", case)
    workers = default_workers() if workers is None else workers
    base_seed = seed
    out_dir = out if out is not None else Path("out") / f"validate-{spec.name}"
    check_output_dir(out_dir)
    check_output_file(json_path, "--json")

    typer.echo(f"scenario {spec.name} ({source}): {runs} runs per rule, model and "
               f"{len(rules)} baseline(s), {workers} worker(s), base seed {base_seed}")
    if post is not None:
        typer.echo(f"posterior predictive: each run of the model draws from {posterior} "
                   f"({len(post)} particles, {len(post.parameters)} parameters, "
                   f"{len(post.inputs)} inputs)")
    for name, bp in base_posts.items():
        typer.echo(f"calibrated competitor {name}: each run draws from {bp.path}")
    if space is not None:
        typer.echo(f"uncertain inputs: every rule's runs draw the inputs their posterior does "
                   f"not carry ({len(space)} in all) from the priors of {ledger}")
    if fit_until:
        typer.echo(f"time split at {fit_until}: the criteria settled by then (in sample) and "
                   "after it (out of sample) are also scored apart")
    for used in [p for p in (post, *base_posts.values()) if p is not None]:
        warning = split_warning(Path(used.path), fit_until)
        if warning:
            typer.echo(f"troika: warning: {warning}", err=True)
    t0 = time.monotonic()
    result = run_validation(spec, runs, case=case, workers=workers, base_seed=base_seed,
                            baselines=rules, posterior=post, baseline_posteriors=base_posts,
                            progress_factory=lambda rule: Progress(f"{rule:>9s}"),
                            fit_until=fit_until, input_space=space, input_priors=ledger)
    wall = time.monotonic() - t0
    typer.echo("")
    typer.echo(result.text())
    typer.echo("")
    typer.echo(_verdict(result))
    for part in result.parts():
        if part.side == "out":
            typer.echo(part.beats_sentence())
    typer.echo(f"wall time {wall:.1f} s")
    write_validation_figures(result, case, out_dir)
    write_validation(result, out_dir=out_dir, json_path=json_path)
    typer.echo(f"Scorecard and figures written to {out_dir}")
    if json_path is not None:
        typer.echo(f"JSON written to {json_path}")
    splice_into(doc, "scorecard", result.markdown())
    if has_markers(doc, "calendar-null") and result.calendar_null_markdown():
        splice_into(doc, "calendar-null", result.calendar_null_markdown())
    if case.spec.patterns:
        typer.echo("")
        typer.echo(result.patterns_markdown())
        splice_into(patterns_doc, "patterns", result.patterns_markdown())
    typer.echo("")
    typer.echo(result.ladder_markdown())
    if ladder_doc is not None:
        splice_into(ladder_doc, "ladder", result.ladder_markdown())


@app.command()
def ensemble(
    scenario: ScenarioArg = "baseline",
    runs: Annotated[int, typer.Option("--runs", min=1, max=LIMITS.runs,
                                      help="Number of runs.")] = 200,
    workers: WorkersOption = None,
    seed: BaseSeedOption = DEFAULT_BASE_SEED,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/ensemble-SCENARIO]."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an ensemble: skip the runs already done.")
    ] = False,
    backend: Annotated[
        str, typer.Option("--backend", help="'local' (process pool) or 'dask'.")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler address [default: start a LocalCluster]."),
    ] = None,
    overrides: SetOption = None,
    posterior: PosteriorOption = None,
    input_priors: InputPriorsOption = False,
    fmt: Annotated[
        str, typer.Option("--format", metavar="csv|parquet",
                          help="Format of runs and summary: CSV, or Parquet (needs the "
                          "'parquet' extra, pyarrow).")
    ] = "csv",
) -> None:
    """Run many seeds of a scenario: one row per run (runs.csv, written in chunks) and the
    outcome probabilities with 90% intervals (summary.csv)."""
    from model.analysis.ensemble import BACKENDS, Progress, default_workers
    from model.analysis.runs import (
        FORMATS,
        PARQUET_HINT,
        EnsembleFolderError,
        parquet_available,
        run_to_dir,
    )

    if fmt not in FORMATS:
        raise _fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not parquet_available():
        raise _fail(f"--format parquet: {PARQUET_HINT}")
    if backend not in BACKENDS:
        raise _fail(f"--backend: {backend!r} is not one of {', '.join(BACKENDS)}")
    if scheduler is not None and backend != "dask":
        raise _fail("--scheduler: only with --backend dask")
    if backend == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise _fail("--backend dask: dask.distributed is not installed "
                        "(pip install 'troika[dask]')") from None
    source, spec = _load(scenario, overrides)
    case = load_case(source)
    workers = default_workers() if workers is None else workers
    out_dir = out if out is not None else Path("out") / f"ensemble-{spec.name}"
    check_output_dir(out_dir)
    check_scheduler(scheduler)
    post = load_posterior_option(posterior, spec)
    space, ledger = input_priors_option(input_priors, spec, case)
    if space is not None:
        from model.analysis.posterior import with_input_priors
        post = with_input_priors(post, space, seed, source=ledger)
        typer.echo(f"uncertain inputs: each run draws the inputs the posterior does not carry "
                   f"({len(space)} in all) from the priors of {ledger}")
    t0 = time.monotonic()
    try:
        rows = run_to_dir(spec, runs, out_dir, case=case, workers=workers, base_seed=seed,
                          resume=resume, posterior=post,
                          backend=backend, scheduler=scheduler,
                          progress=Progress(f"{spec.name}"), fmt=fmt)
    except EnsembleFolderError as exc:
        raise _fail(str(exc)) from None
    wall = time.monotonic() - t0
    from model.analysis.runs import summarise
    from model.tables import print_table

    typer.echo(f"{len(rows)} runs of {spec.name} in {wall:.1f} s "
               f"({workers} worker(s), backend {backend})")
    typer.echo("")
    table = []
    for r in summarise(rows, case):
        if r["kind"] == "probability":
            table.append([f"{r['estimate']:.2f}", f"[{r['low']:.2f}, {r['high']:.2f}]",
                          r["description"]])
        else:
            table.append([str(r["estimate"]), f"[{r['low']}, {r['high']}]", r["description"]])
    print_table(["estimate", "90% interval", "outcome"], table)
    typer.echo("")
    typer.echo(f"runs.{fmt} and summary.{fmt} written to {out_dir}")


@app.command()
def compare(
    scenarios_: Annotated[
        list[str], typer.Argument(metavar="SCENARIO...", help="Two or more scenarios.")
    ],
    runs: Annotated[int, typer.Option("--runs", min=1, max=LIMITS.runs,
                                      help="Runs per scenario.")] = 200,
    workers: WorkersOption = None,
    seed: BaseSeedOption = DEFAULT_BASE_SEED,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder [default: out/compare].")
    ] = None,
    posterior: PosteriorOption = None,
    input_priors: InputPriorsOption = False,
) -> None:
    """Compare scenarios: main outcome probabilities with 90% intervals (table and figure)."""
    from model.analysis.compare import compare as run_compare
    from model.analysis.compare import table_cells, write_comparison
    from model.analysis.ensemble import Progress, default_workers
    from model.tables import print_table

    if len(scenarios_) < 2:
        raise _fail("compare needs at least two scenarios")
    loaded = [_load(name) for name in scenarios_]
    specs = [spec for _, spec in loaded]
    cases = [load_case(source) for source, _ in loaded]
    if len({c.folder for c in cases}) > 1:
        raise _fail("compare needs scenarios of one case (got cases "
                    f"{', '.join(dict.fromkeys(c.name for c in cases))})")
    case = cases[0]
    if not case.spec.compare.questions and not case.spec.compare.counts:
        nothing_to("no compare questions or counts in the case file, nothing to compare",
                   case)
    workers = default_workers() if workers is None else workers
    out_dir = out if out is not None else Path("out") / "compare"
    check_output_dir(out_dir)
    post = load_posterior_option(posterior, specs[0])
    for sp in specs[1:]:
        load_posterior_option(posterior, sp)
    space, ledger = input_priors_option(input_priors, specs[0], case)
    if space is not None:
        from model.analysis.posterior import with_input_priors
        same_drawn_inputs([space, *(input_priors_option(True, sp, case)[0] for sp in specs[1:])],
                          [sp.name for sp in specs])
        post = with_input_priors(post, space, seed, source=ledger)
        typer.echo(f"uncertain inputs: run k of every scenario draws the same inputs "
                   f"({len(space)} in all) from the priors of {ledger}")
    t0 = time.monotonic()
    rows = run_compare(specs, runs, case=case, workers=workers, base_seed=seed, posterior=post,
                       progress_factory=lambda name: Progress(f"{name:>20s}"))
    print_table(*table_cells(rows), title="Main outcomes: estimate [90% interval]")
    write_comparison(rows, out_dir, case.spec.compare.counts)
    typer.echo(f"{len(specs)} scenarios x {runs} runs in {time.monotonic() - t0:.1f} s; "
               f"compare.csv, compare.md and compare.png written to {out_dir}")


@app.command("app")
def app_command(
    scenario: ScenarioArg = "baseline",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1.")
    ] = 8765,
) -> None:
    """Serve the interactive app (power, coalitions, votes) on http://127.0.0.1:PORT/
    (needs the 'app' extra)."""
    path, _ = _load(scenario)  # a scenario that does not load exits 2 with its problems
    load_case(path)  # nor does a case file with problems
    try:
        import model.views.webapp as webapp  # heavy (solara): imported only for this command
    except ImportError as exc:
        raise _fail(f"troika app needs the 'app' extra: pip install 'troika[app]' ({exc})") \
            from None
    raise typer.Exit(webapp.serve(path, port=port))


@app.command()
def scenarios() -> None:
    """List the scenarios of every case folder of scenarios/ (as case/name), with their
    descriptions."""
    from model.cases.casefile import CASE_FILE
    from model.cases.scenario import SCENARIO_DIR

    files = sorted(SCENARIO_DIR.glob("*/*.toml"))
    files = [f for f in files if f.name != CASE_FILE]
    if not files:
        typer.echo(f"no scenarios in the case folders of {SCENARIO_DIR}")
        return
    names = [f"{f.parent.name}/{f.stem}" for f in files]
    width = max(len(n) for n in names)
    for name, f in zip(names, files, strict=True):
        try:
            with f.open("rb") as fh:
                data = tomllib.load(fh)
            desc = str(data.get("description", "")).strip()
            if not desc and data.get("extends"):
                desc = f"(extends {data['extends']})"
        except (OSError, tomllib.TOMLDecodeError) as exc:
            desc = f"(unreadable: {exc})"
        typer.echo(f"{name.ljust(width)}  {desc}")


# The analysis commands, each in its own module of this package.
app.command("ablate")(ablate_command)
app.command("sensitivity")(sensitivity_command)
app.command("calibrate")(calibrate_command)
app.command("robustness")(robustness_command)


def version_text() -> str:
    """``troika X.Y.Z`` of the installed distribution."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"troika {version('troika')}"
    except PackageNotFoundError:  # run from a clone that is not installed
        return "troika (not installed)"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit(0)


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="On an internal error, print the traceback too "
                           "(also TROIKA_DEBUG=1).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_show_version,
                           help="Print troika's version and exit.")
    ] = False,
) -> None:
    pass  # --debug is read by main(), before the command runs


PATH_OPTIONS = ("--out", "--json", "--doc")


def _empty_path_option(args: list[str]) -> str | None:
    """The first of ``--out``, ``--json``, ``--doc`` given an empty path (which would
    otherwise be read as the current folder)."""
    for k, arg in enumerate(args):
        if arg in PATH_OPTIONS and k + 1 < len(args) and args[k + 1] == "":
            return arg
        if arg in tuple(f"{o}=" for o in PATH_OPTIONS):
            return arg[:-1]
    return None


def _stopped_line(exc: BaseException) -> tuple[str, int]:
    """The line and exit status for a command stopped by Ctrl-C or a signal."""
    signum = getattr(exc, "signum", signal.SIGINT)  # a KeyboardInterrupt is Ctrl-C
    note = getattr(exc, "note", None)
    name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    what = note or ("nothing part-done was kept (a command writes its files whole when it "
                    "finishes); run it again")
    return f"troika: stopped by {name}; {what}", 128 + int(signum)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app; usage errors become one line on stderr and status 2,
    failures of the system or of the code one line and status 1, Ctrl-C and SIGTERM one
    line saying what was kept."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("TROIKA_DEBUG", "") not in ("", "0")
    args = [a for a in args if a != "--debug"]
    if (option := _empty_path_option(args)) is not None:
        typer.echo(f"troika: error: {option}: an empty path (see 'troika --help')", err=True)
        sys.exit(2)
    previous = stop_on_signals()
    try:
        _run(args, debug)
    finally:
        restore_signals(previous)


def _run(args: list[str], debug: bool) -> None:
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
    except (Stopped, KeyboardInterrupt) as exc:
        line, status = _stopped_line(exc)
        typer.echo(line, err=True)
        sys.exit(status)
    except OSError as exc:  # the system failed us: a full disk, a vanished folder
        if debug:
            traceback.print_exc()
        if exc.errno == errno.EPIPE:
            sys.exit(1)
        where = f" ({exc.filename})" if exc.filename else ""
        typer.echo(f"troika: error: {exc.strerror or exc}{where}; files already written are "
                   "whole", err=True)
        sys.exit(1)
    except Exception as exc:  # a failure of the code: exit 1, not a user error
        if debug:
            traceback.print_exc()
        first = (str(exc).splitlines() or [""])[0][:300]
        hint = "" if debug else " (troika --debug ... prints the traceback)"
        typer.echo(f"troika: internal error: {type(exc).__name__}: {first}{hint}", err=True)
        sys.exit(1)
    if result == 130:  # typer's own exit for a KeyboardInterrupt that got past Stopped
        typer.echo(_stopped_line(KeyboardInterrupt())[0], err=True)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
