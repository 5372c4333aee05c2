"""``troika robustness``: the command line of :mod:`model.analysis.robustness`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from model.analysis.seeds import DEFAULT_BASE_SEED
from model.cli.options import (
    DocOption,
    SameSeedOption,
    ScenarioArg,
    WorkersOption,
    check_doc,
    check_output_dir,
    load_case,
    nothing_to,
    splice_into,
)
from model.cli.options import fail as _fail
from model.cli.options import load as _load


def robustness_command(
    scenario: ScenarioArg = "baseline",
    runs: Annotated[int, typer.Option("--runs", min=1, help="Runs per variant.")] = 100,
    workers: WorkersOption = None,
    seed: SameSeedOption = DEFAULT_BASE_SEED,
    leaders: Annotated[
        str | None,
        typer.Option("--leaders", metavar="A,B", help="Comma-separated leaders to vary "
                     "[default: the case's first six main leaders, else the six of highest "
                     "starting prestige]."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/robustness-SCENARIO]."),
    ] = None,
    doc: DocOption = None,
) -> None:
    """Move each main leader's prestige, ambition and resolve up and down one at a time and
    score each variant against the record: criteria passed per variant and the minimum."""
    from model.analysis.ensemble import Progress, default_workers
    from model.analysis.outcomes import criteria_of
    from model.analysis.robustness import (
        FILES,
        INPUTS,
        main_leaders,
        resolve_leaders,
        robustness,
        table_markdown,
        table_text,
        variants,
        write_robustness,
    )

    check_doc(doc, "robustness")
    names = None
    if leaders is not None:
        names = [n.strip() for n in leaders.split(",") if n.strip()]
        if not names:
            raise _fail("--leaders: no leader given")
    source, spec = _load(scenario)
    case = load_case(source)
    criteria = criteria_of(case)
    if not criteria:
        nothing_to("no criteria to score, so no robustness table", case)
    if names is None and case.spec.plots.main_leaders:
        names = case.spec.plots.main_leaders[:6]
    try:
        names = main_leaders(spec) if names is None else resolve_leaders(spec, names)
    except ValueError as exc:
        raise _fail(f"--leaders: {exc}") from None
    workers = default_workers() if workers is None else workers
    out_dir = out if out is not None else Path("out") / f"robustness-{spec.name}"
    check_output_dir(out_dir)
    n_var = len(variants(spec, names, INPUTS))
    typer.echo(f"scenario {spec.name}: {', '.join(names)}; {n_var} variants and the "
               f"unchanged scenario, {runs} runs each, {workers} worker(s), base seed {seed}")
    t0 = time.monotonic()
    result = robustness(spec, runs, workers=workers, base_seed=seed, leaders=names,
                        criteria=criteria,
                        progress_factory=lambda name: Progress(f"{name:>28s}"))
    wall = time.monotonic() - t0
    typer.echo("")
    typer.echo(table_text(result))
    typer.echo("")
    write_robustness(result, out_dir)
    typer.echo(f"wall time {wall:.1f} s")
    typer.echo(f"{', '.join(FILES)} written to {out_dir}")
    splice_into(doc, "robustness", table_markdown(result))
