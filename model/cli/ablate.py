"""``troika ablate``: the command line of :mod:`model.analysis.ablation`."""

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


def ablate_command(
    scenario: ScenarioArg = "baseline",
    runs: Annotated[int, typer.Option("--runs", min=1, help="Runs per variant.")] = 100,
    workers: WorkersOption = None,
    seed: SameSeedOption = DEFAULT_BASE_SEED,
    rules: Annotated[
        str | None,
        typer.Option("--rules", metavar="A,B", help="Comma-separated rule families to switch "
                     "off [default: all]."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/ablate-SCENARIO]."),
    ] = None,
    doc: DocOption = None,
) -> None:
    """Switch off each rule family in turn and score the model against the record: table
    (text, CSV, Markdown) and heatmap."""
    from model.analysis.ablation import (
        FILES,
        RULE_FAMILIES,
        ablate,
        resolve_rules,
        table_markdown,
        table_text,
        write_ablation,
    )
    from model.analysis.ensemble import Progress, default_workers

    check_doc(doc, "ablation")

    if rules is None:
        families = RULE_FAMILIES
    else:
        names = [r.strip() for r in rules.split(",") if r.strip()]
        if not names:
            raise _fail("--rules: no rule given")
        unknown = [n for n in names if n not in {f.name for f in RULE_FAMILIES}]
        if unknown:
            raise _fail(f"--rules: unknown rule {', '.join(map(repr, unknown))} (choose from "
                        f"{', '.join(f.name for f in RULE_FAMILIES)})")
        families = resolve_rules(names)
    source, spec = _load(scenario)
    case = load_case(source)
    if not case.spec.criteria:
        nothing_to("no criteria in the case file, nothing to score", case)
    workers = default_workers() if workers is None else workers
    out_dir = out if out is not None else Path("out") / f"ablate-{spec.name}"
    check_output_dir(out_dir)
    typer.echo(f"scenario {spec.name}: full model and {len(families)} rule(s) switched off, "
               f"{runs} runs each, {workers} worker(s), base seed {seed}")
    t0 = time.monotonic()
    result = ablate(spec, runs, case=case, workers=workers, base_seed=seed, rules=families,
                    progress_factory=lambda name: Progress(f"{name:>25s}"))
    wall = time.monotonic() - t0
    typer.echo("")
    typer.echo(table_text(result))
    typer.echo("")
    write_ablation(result, out_dir)
    typer.echo(f"wall time {wall:.1f} s")
    typer.echo(f"{', '.join(FILES)} written to {out_dir}")
    splice_into(doc, "ablation", table_markdown(result))
