"""``troika sensitivity``: the command line of :mod:`model.analysis.sensitivity`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from model.analysis.seeds import DEFAULT_BASE_SEED
from model.cli.options import (
    DocOption,
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


def sensitivity_command(
    scenario: ScenarioArg = "baseline",
    method: Annotated[
        str, typer.Option("--method", metavar="morris|sobol", help="Morris screening or "
                          "Sobol variance decomposition.")
    ] = "morris",
    n: Annotated[
        int | None,
        typer.Option("--n", min=2, help="Morris: trajectories [default 10]; Sobol: base "
                     "samples, a power of 2 [default 64]."),
    ] = None,
    seeds: Annotated[int, typer.Option("--seeds", min=1, help="Runs per sample point.")] = 4,
    workers: WorkersOption = None,
    seed: Annotated[
        int, typer.Option("--seed", min=0, metavar="BASE",
                          help="Base seed of the runs and of the sampler.")
    ] = DEFAULT_BASE_SEED,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/sensitivity-SCENARIO]."),
    ] = None,
    doc: DocOption = None,
) -> None:
    """Global sensitivity analysis (SALib) of the main parameters: which ones drive which
    outcome. Writes tables, a heatmap and the sample points."""
    from model.analysis.ensemble import Progress, default_workers
    from model.analysis.sensitivity import (
        DEFAULT_N,
        FILES,
        INSTALL_HINT,
        METHODS,
        PRIORS,
        sensitivity,
        table_markdown,
        write_sensitivity,
    )
    from model.tables import print_table

    check_doc(doc, "sensitivity")

    if method not in METHODS:
        raise _fail(f"--method: {method!r} is not one of {', '.join(METHODS)}")
    if method == "sobol" and n is not None and n & (n - 1):
        raise _fail(f"--n: Sobol sampling needs a power of 2, got {n}")
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise _fail(INSTALL_HINT) from None
    source, spec = _load(scenario)
    case = load_case(source)
    if not case.spec.criteria and not case.spec.sensitivity.outputs:
        nothing_to("no criteria and no sensitivity outputs in the case file, nothing to "
                   "measure", case)
    workers = default_workers() if workers is None else workers
    out_dir = out if out is not None else Path("out") / f"sensitivity-{spec.name}"
    check_output_dir(out_dir)
    n_used = DEFAULT_N[method] if n is None else n
    typer.echo(f"scenario {spec.name}: {method} (n = {n_used}) over {len(PRIORS)} "
               f"parameters, {seeds} seed(s) per point, {workers} worker(s), base seed {seed}")
    t0 = time.monotonic()
    # the arguments were checked above: a ValueError from here on is a failure of the code
    result = sensitivity(spec, method, case=case, n=n_used, seeds=seeds, workers=workers,
                         base_seed=seed, progress=Progress(f"{method:>8s}"))
    wall = time.monotonic() - t0
    typer.echo(f"{len(result.X)} sample points x {seeds} seed(s)")
    typer.echo("")
    print_table(["outcome", f"top parameters ({result.index})"],
                [[o, "(constant over the sample)" if o in result.constant else
                  ", ".join(f"{p} {v:.3g}" for p, v in result.top(o))]
                 for o in result.outcomes],
                title=f"Top parameters per outcome ({result.index}):")
    typer.echo("")
    write_sensitivity(result, out_dir)
    typer.echo(f"wall time {wall:.1f} s")
    typer.echo(f"{', '.join(FILES)} written to {out_dir}")
    splice_into(doc, "sensitivity", table_markdown(result))
