"""``troika calibrate``: the command line of :mod:`model.analysis.calibration`."""

from __future__ import annotations

import math
import shlex
import sys
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
    fit_until_option,
    input_priors_option,
    load_case,
    nothing_to,
    splice_into,
)
from model.cli.options import fail as _fail
from model.cli.options import load as _load


def calibrate_command(
    scenario: ScenarioArg = "baseline",
    population: Annotated[
        int, typer.Option("--population", min=2, help="Particles per generation.")
    ] = 100,
    generations: Annotated[
        int, typer.Option("--generations", min=1, help="Generations, the prior included.")
    ] = 4,
    seeds_per_particle: Annotated[
        int, typer.Option("--seeds-per-particle", min=1,
                          help="Runs averaged in a particle's distance.")
    ] = 2,
    workers: WorkersOption = None,
    seed: Annotated[
        int, typer.Option("--seed", min=0, metavar="BASE",
                          help="Base seed of the root SeedSequence.")
    ] = DEFAULT_BASE_SEED,
    quantile: Annotated[
        float, typer.Option("--quantile",
                            help="Next tolerance = this quantile of the accepted distances.")
    ] = 0.5,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder [default: out/calibrate-SCENARIO]."),
    ] = None,
    refine_top: Annotated[
        int, typer.Option("--refine-top", min=1,
                          help="Best-fitting particles re-scored for the point estimate "
                               "(the posterior median is a candidate besides).")
    ] = 10,
    refine_runs: Annotated[
        int, typer.Option("--refine-runs", min=1,
                          help="Fresh seeds each candidate is re-scored on; the winner "
                               "and the scenario's parameters are then scored on as "
                               "many further seeds.")
    ] = 40,
    doc: DocOption = None,
    fit_until: Annotated[
        str | None,
        typer.Option("--fit-until", metavar="YYYY-MM",
                     help="Fit only the targets recorded up to this month; score the later "
                     "outcomes out of sample [default: the case's fit_until, as validate's "
                     "time split; 'none' to fit every target]."),
    ] = None,
    inputs: Annotated[
        bool, typer.Option("--inputs/--no-inputs",
                           help="Fit the scenario's judgement-call inputs (leaders' prestige, "
                           "ambition, resolve; regions' patrons and members) jointly, with "
                           "priors from the case's provenance ledger.")
    ] = False,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", metavar="NAME",
                     help="Fit a baseline instead of the model, with the same budget (the "
                     "machinery's parameters and the baseline's own).")
    ] = None,
) -> None:
    """Calibrate the free parameters to the record by ABC-SMC; write the posterior, summary,
    figures, an out-of-sample check and a calibrated parameter file."""
    from model.analysis.calibration import (
        BASELINE_OWN,
        Generation,
        budget_warnings,
        calibrate,
        inputs_markdown,
        out_of_sample_markdown,
        out_of_sample_text,
        priors_for,
        summary_markdown,
        summary_text,
        write_calibration,
    )
    from model.analysis.ensemble import default_workers
    from model.cases.scenario import scenario_name

    section = ("calibration" + ("-inputs" if inputs else "")
               + (f"-{baseline}" if baseline else ""))
    check_doc(doc, section)
    if not 0 < quantile < 1:
        raise _fail(f"--quantile: must be strictly between 0 and 1, got {quantile:g}")
    from model.analysis.validation import BASELINES
    if baseline is not None and baseline not in BASELINES:
        raise _fail(f"--baseline: unknown baseline {baseline!r} (choose from "
                    f"{', '.join(BASELINES)})")
    rule = baseline or "agents"
    source, spec = _load(scenario)
    case = load_case(source)
    defaulted = fit_until is None
    fit_until = fit_until_option(fit_until, case)
    space, _ = input_priors_option(inputs, spec, case, "--inputs")
    if not case.spec.calibration.targets:
        nothing_to("no calibration targets in the case file, nothing to fit", case)
    from model.analysis.calibration import fitting_targets
    if not fitting_targets(case, fit_until):
        raise _fail(f"--fit-until: case {case.name} has no calibration target recorded by "
                    f"{fit_until}" + (" (the case's fit_until)" if defaulted else "")
                    + "; --fit-until none fits every target")
    workers = default_workers() if workers is None else workers
    out_dir = out if out is not None else Path("out") / (
        f"calibrate-{spec.name}" + (f"-{baseline}" if baseline else ""))
    check_output_dir(out_dir)
    tty = sys.stderr.isatty()

    def report(g: Generation) -> None:
        if tty:
            eps = "inf (prior)" if math.isinf(g.epsilon) else f"{g.epsilon:.4f}"
            typer.echo(f"generation {g.index}: epsilon {eps}, accepted {g.accepted}/"
                       f"{g.attempts} ({g.acceptance_rate:.2f}), ESS {g.ess:.1f}, "
                       f"{g.seconds:.1f} s", err=True)

    own = len(BASELINE_OWN.get(rule, ()))
    typer.echo(f"scenario {spec.name} ({source}): ABC-SMC of "
               f"{'the model' if rule == 'agents' else 'baseline ' + rule}, "
               f"{len(priors_for(rule))} parameters ({own} of the rule's own)"
               + (f" and {len(space)} inputs" if space is not None else "") + ", "
               f"population {population}, {generations} generation(s), {seeds_per_particle} "
               f"seed(s) per particle, {workers} worker(s), base seed {seed}; fitted to the "
               f"targets recorded up to {fit_until or 'the end'}")
    result = calibrate(spec, case=case, population=population, generations=generations,
                       seeds_per_particle=seeds_per_particle, workers=workers,
                       base_seed=seed, quantile=quantile, refine_top=refine_top,
                       refine_runs=refine_runs, progress=report, fit_until=fit_until,
                       rule=rule, inputs=space)
    extends = scenario_name(source)
    command = shlex.join(["troika", *sys.argv[1:]])
    write_calibration(result, out_dir, extends=extends, command=command)
    typer.echo("")
    typer.echo("Generations: " + "; ".join(
        f"{g.index}: eps {'inf' if math.isinf(g.epsilon) else f'{g.epsilon:.3f}'}, "
        f"acceptance {g.acceptance_rate:.2f}" for g in result.generations))
    if result.stopped:
        typer.echo(f"stopped early: {result.stopped}")
    typer.echo(f"final epsilon {result.final_epsilon:.4f}")
    typer.echo("")
    typer.echo("Posterior (weighted median and 90% interval) vs default:")
    typer.echo(summary_text(result))
    typer.echo("")
    typer.echo("Hit rates, scenario parameters vs posterior predictive "
               f"({result.settings['predictive_runs']} runs each):")
    typer.echo(out_of_sample_text(result))
    typer.echo("")
    for warning in budget_warnings(result):
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"wall time {result.wall_seconds:.1f} s")
    typer.echo(f"Output written to {out_dir}")
    block = summary_markdown(result) + "\n" + out_of_sample_markdown(result)
    if space is not None and len(space):
        block += "\n" + inputs_markdown(result)
    splice_into(doc, section, block)
