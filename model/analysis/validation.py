"""Validation: the model and its baselines scored against the record.

``validate`` runs an ensemble of the model and of each baseline (the same scenario, the same
seeds, the same scoring code; only the coalition rule differs) and returns a
:class:`Validation` that can be printed, saved as CSV, Markdown and JSON, and spliced into
``docs/validation.md`` between the markers ``<!-- scorecard:start -->`` and
``<!-- scorecard:end -->``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from model.analysis.ensemble import DEFAULT_BASE_SEED, run_ensemble
from model.analysis.histories import contingency
from model.analysis.ladder import ladder_markdown, ladder_rows
from model.analysis.outcomes import RunOutcome, criteria_of, hit_text, scorecard
from model.analysis.patterns import pattern_rows, patterns_markdown
from model.analysis.scores import SCORES, score_criteria
from model.analysis.timesplit import (
    RULE,
    Part,
    calendar_null_markdown,
    fitting_criteria,
    part_text,
    settled_months,
    split_markdown,
    split_parts,
)
from model.analysis.timesplit import score_table as _score_table
from model.atomic import atomic_write_text
from model.cases.casefile import Case
from model.cases.scenario import Scenario
from model.tables import markdown_table, text_table

BASELINES = {
    "random": "random coalitions: each month a leader moves at random with probability 0.2",
    "bandwagon": "largest power wins: everyone joins the most powerful leader",
    "aes": "static Acemoglu-Egorov-Sonin ruling coalition of the current powers, each month",
    "expected_utility": "Bueno de Mesquita's expected-utility blocs of the current powers, "
    "each month",
    "calendar": "calendar only: the first month's coalitions frozen, only the calendar, acts "
    "and sanctions acting",
}
SCORECARD_COLUMNS = (
    "id", "statement", "recorded", "median", "low", "high", "hit_rate", "criterion", "passed",
    "why",
)


def markers(name: str) -> tuple[str, str]:
    """The start and end markers of a generated section of a document."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


START, END = markers("scorecard")


@dataclass
class Validation:
    """Scorecards of the model and the baselines over one ensemble of seeds."""

    scenario: str
    runs: int
    base_seed: int
    model: list[dict]
    baselines: dict[str, list[dict]]
    outcomes: list[RunOutcome]
    baseline_outcomes: dict[str, list[RunOutcome]]
    seconds: float = 0.0
    pass_mark: int | None = None
    pass_marks: dict[str, int] | None = None
    criteria: tuple = ()
    posterior: str = ""
    baseline_posteriors: dict[str, str] | None = None
    patterns: list[dict] | None = None
    baseline_patterns: dict[str, list[dict]] | None = None
    fit_until: str = ""
    settled: dict[str, str] | None = None
    fitted: frozenset[str] = frozenset()
    input_priors: str = ""
    ladder: list[dict] | None = None

    def parts(self) -> list[Part]:
        """The out-of-sample and in-sample parts of the scorecard at the time split
        ``fit_until`` (:mod:`model.analysis.timesplit`); none without a split."""
        if not self.fit_until or not self.settled:
            return []
        return split_parts(self.model, self.baselines, self.scores(), self.settled,
                           self.fit_until, self.fitted)

    def calendar_null_markdown(self) -> str:
        """The calendar-only null beside the model, per part and overall ('' without it)."""
        passed = {"model": self.passed(self.model),
                  **{n: self.passed(rows) for n, rows in self.baselines.items()}}
        return calendar_null_markdown(
            self.parts(), self.score_table(), passed, len(self.model), self.runs,
            calibrated="calendar" in (self.baseline_posteriors or {}))

    @property
    def run_note(self) -> str:
        """What the model's runs drew their parameters from, for a table's heading."""
        return "posterior predictive" if self.posterior else "the scenario's parameters"

    def patterns_markdown(self) -> str:
        """The section of the patterns never fitted (:mod:`model.analysis.patterns`)."""
        return patterns_markdown(self.patterns or [], self.baseline_patterns or {},
                                 self.runs, self.run_note)

    def ladder_markdown(self) -> str:
        """The sanction ladder as the model's runs climb it (:mod:`model.analysis.ladder`)."""
        return ladder_markdown(self.ladder or [], self.runs, self.run_note)

    @property
    def needed(self) -> int:
        """Criteria the model must pass (the case's ``pass_mark``, else all of them)."""
        return len(self.model) if self.pass_mark is None else self.pass_mark

    def groups(self) -> list[tuple[str, int, int, int]]:
        """Per group of criteria: ``(group, passed, total, needed)``, in case-file order;
        ``needed`` from the case's ``pass_marks`` (else ``pass_mark`` for a single group,
        else all)."""
        names = list(dict.fromkeys(r.get("group", "main") for r in self.model))
        out = []
        for g in names:
            rows = [r for r in self.model if r.get("group", "main") == g]
            if self.pass_marks and g in self.pass_marks:
                need = self.pass_marks[g]
            elif len(names) == 1 and self.pass_mark is not None:
                need = self.pass_mark
            else:
                need = len(rows)
            out.append((g, self.passed(rows), len(rows), need))
        return out

    def verdict(self) -> bool:
        """Whether the model passes every group's pass mark."""
        return all(p >= need for _, p, _, need in self.groups())

    @staticmethod
    def passed(rows: list[dict]) -> int:
        """Number of criteria passed in a scorecard."""
        return sum(1 for r in rows if r["passed"])

    def to_json(self) -> dict:
        """The machine-readable form (shape fixed by issue #3)."""
        return {
            "scenario": self.scenario,
            "runs": self.runs,
            "base_seed": self.base_seed,
            "model": {"passed": self.passed(self.model), "total": len(self.model)},
            "baselines": {
                name: {"passed": self.passed(rows), "total": len(rows)}
                for name, rows in self.baselines.items()
            },
            "outcomes": [
                {k: r[k] for k in ("id", "recorded", "median", "low", "high", "hit_rate",
                                   "criterion", "passed", "why")}
                for r in self.model
            ],
            "baseline_outcomes": {
                name: [{"id": r["id"], "hit_rate": r["hit_rate"], "passed": r["passed"]}
                       for r in rows]
                for name, rows in self.baselines.items()
            },
            "groups": [{"group": g, "passed": p, "total": n, "needed": need}
                       for g, p, n, need in self.groups()],
            "proper_scores": {name: {"mean": mean, "model_skill": skills}
                              for name, mean, skills in self.score_table()},
            "contingency": {k: v for k, v in contingency(self.outcomes, "month").items()
                            if k != "top_history"},
            "posterior": self.posterior,
            "baseline_posteriors": dict(self.baseline_posteriors or {}),
            "input_priors": self.input_priors,
            "patterns": {"model": list(self.patterns or []),
                         **{name: rows for name, rows in (self.baseline_patterns or {}).items()}},
            "ladder": list(self.ladder or []),
            "time_split": ({"fit_until": self.fit_until, "rule": RULE,
                            **{_PART_KEYS[p.side]: p.to_json() for p in self.parts()}}
                           if self.parts() else None),
        }

    def scores(self) -> dict[str, list[dict]]:
        """Proper scores of the model and of every baseline on each criterion
        (:func:`model.analysis.scores.score_criteria`)."""
        if not hasattr(self, "_scores"):
            rules = {"model": self.outcomes, **self.baseline_outcomes}
            self._scores = {name: score_criteria(outs, self.criteria)
                            for name, outs in rules.items() if outs}
        return self._scores

    def score_table(self) -> list[tuple[str, dict, dict]]:
        """Per rule: its mean scores over the criteria, and the model's skill over it on
        each score, ``1 − mean(model) / mean(rule)`` (above 0 the model is better)."""
        return _score_table(self.scores())

    def beats_baselines(self) -> bool:
        """Whether the model passes strictly more criteria than every baseline."""
        mine = self.passed(self.model)
        return all(mine > self.passed(rows) for rows in self.baselines.values())

    def markdown(self) -> str:
        """The scorecard as Markdown: with a time split, the out-of-sample part first, then
        the in-sample part, then the whole scorecard and the baselines' totals."""
        out = [
            f"Scenario `{self.scenario}`, {self.runs} runs per rule, seeds "
            f"`SeedSequence({self.base_seed}).spawn({self.runs})`.",
            *self._posterior_lines(),
            "",
        ]
        if self.parts():
            out += [split_markdown(self.parts()), "# The whole scorecard", ""]
        out += [
            markdown_table(
                ["criterion", "recorded", "simulated median", "90% interval", "hit rate",
                 "test", "passed"],
                [[_fmt(r["statement"]), _fmt(r["recorded"]), _fmt(r["median"]),
                  f"{_fmt(r['low'])} – {_fmt(r['high'])}", hit_text(r), _fmt(r["criterion"]),
                  f"{'yes' if r['passed'] else '**no**'}: {_fmt(r['why'])}"]
                 for r in self.model]),
        ]
        if any(r.get("decided_by") == "ensemble" for r in self.model):
            out += ["", f"{ENSEMBLE_NOTE}."]
        totals = [["the model (leaders' own decisions)",
                   f"{self.passed(self.model)} of {len(self.model)}"]]
        totals += [[f"baseline: {BASELINES[name]}"
                    + (" (calibrated)" if name in (self.baseline_posteriors or {}) else ""),
                    f"{self.passed(rows)} of {len(rows)}"]
                   for name, rows in self.baselines.items()]
        out += ["", markdown_table(["rule", "criteria passed"], totals)]
        out += ["", "Hit rates of the baselines, criterion by criterion:", "",
                markdown_table(["criterion", *self.baselines],
                               [[r["id"], *(hit_text(rows[k], star=False)
                                            for rows in self.baselines.values())]
                                for k, r in enumerate(self.model)])]
        out += ["", "Proper scores (lower is better; mean over the criteria that have them) "
                "and the model's skill over each rule (1 − model's mean / rule's mean; above 0 "
                "the model is better):", "",
                markdown_table(["rule", "Brier", "log", "CRPS", "Brier skill", "log skill",
                                "CRPS skill"],
                               [[name, *(_num(mean[s]) for s in SCORES),
                                 *(_num(skills.get(s)) for s in SCORES)]
                                for name, mean, skills in self.score_table()])]
        c = contingency(self.outcomes, "month")
        out += ["", f"Contingency of the model: {c['distinct']} distinct histories in "
                f"{c['runs']} runs ({c['distinct_per_100']:.0f} per 100), entropy "
                f"{c['entropy_bits']:.2f} bits (at most {c['max_entropy_bits']:.2f}); the "
                f"most common history in {c['top_share']:.0%} of runs (histories: the "
                "months of every drop, office loss, demotion, expulsion, recantation and "
                "refusal)."]
        verdict = "passes" if self.verdict() else "does not pass"
        beats = "beats" if self.beats_baselines() else "does not beat"
        needs = "; ".join(f"{g}: {p} of {n} passed, {need} needed"
                          for g, p, n, need in self.groups())
        out += ["", f"The model {verdict} ({needs}) and {beats} every baseline."]
        return "\n".join(out) + "\n"

    def _posterior_lines(self) -> list[str]:
        """What the runs drew their parameters and inputs from (posterior predictive)."""
        from model.analysis.posterior import UNKNOWN, fitted_until

        def fitted(path: str) -> str:
            until = fitted_until(path)
            return ("" if until == UNKNOWN else
                    f", fitted to the targets recorded up to {until or 'the end'}")

        out = []
        if self.posterior:
            out.append(f"Posterior predictive: each run of the model draws its parameters and "
                       f"inputs from `{self.posterior}` (one particle by weight per run"
                       f"{fitted(self.posterior)}).")
        for name, path in (self.baseline_posteriors or {}).items():
            out.append(f"Calibrated competitor: each run of baseline {name} draws from "
                       f"`{path}`{fitted(path)}.")
        if self.input_priors:
            out.append("Uncertain inputs: every rule's runs draw the judgement-call inputs "
                       "their posterior does not carry from their priors in "
                       f"`{self.input_priors}` (one stream of draws for every rule).")
        return out

    def text(self) -> str:
        """A plain-text scorecard for the terminal."""
        lines = [text_table(
            ["criterion", "recorded", "median", "90% interval", "hit", "passed", "why"],
            [[r["id"], str(r["recorded"]), _fmt(r["median"]),
              f"{_fmt(r['low'])}..{_fmt(r['high'])}", hit_text(r),
              "yes" if r["passed"] else "NO", str(r["why"])] for r in self.model])]
        if any(r.get("decided_by") == "ensemble" for r in self.model):
            lines.append(f"({ENSEMBLE_NOTE})")
        lines.append("")
        groups = ", ".join(f"{g} {p} of {n} (needs {need})" for g, p, n, need in self.groups())
        lines.append(f"model: {self.passed(self.model)} of {len(self.model)} criteria passed "
                     f"({groups})")
        for name, rows in self.baselines.items():
            lines.append(f"baseline {name}: {self.passed(rows)} of {len(rows)}")
        lines.append("")
        lines.append(text_table(
            ["rule", "Brier", "log", "CRPS", "model skill (Brier, log, CRPS)"],
            [[name, _num(mean["brier"]), _num(mean["log"]), _num(mean["crps"]),
              ", ".join(_num(skills.get(s)) for s in SCORES) if skills else ""]
             for name, mean, skills in self.score_table()]))
        for part in self.parts():
            lines += ["", part_text(part)]
        c = contingency(self.outcomes, "month")
        lines.append("")
        lines.append(f"histories: {c['distinct']} distinct in {c['runs']} runs, entropy "
                     f"{c['entropy_bits']:.2f} bits, most common {c['top_share']:.0%}")
        return "\n".join(lines)

    def csv(self) -> str:
        """The model's and the baselines' scorecards as one CSV (column ``rule``)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(("rule", *SCORECARD_COLUMNS))
        for rule, rows in [("model", self.model), *self.baselines.items()]:
            for r in rows:
                w.writerow((rule, *(r[c] for c in SCORECARD_COLUMNS)))
        return buf.getvalue()


_PART_KEYS = {"out": "out_of_sample", "in": "in_sample"}
ENSEMBLE_NOTE = ("* a test of the whole distribution decides these criteria; their hit rate "
                 "(the share of runs whose value hits, e.g. within ±20) is shown for "
                 "information only")


def _num(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def _fmt(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:g}"
    return str(x).replace("|", "\\|")  # a bare | would split a Markdown table cell


def validate(
    scenario: Scenario,
    runs: int = 200,
    *,
    case: Case,
    workers: int = 1,
    base_seed: int = DEFAULT_BASE_SEED,
    baselines: tuple[str, ...] = tuple(BASELINES),
    progress_factory=None,
    posterior=None,
    baseline_posteriors: dict | None = None,
    fit_until: str | None = None,
    input_space=None,
    input_priors: str = "",
) -> Validation:
    """Score the model and the baselines over ``runs`` seeds each, against the case's
    criteria. With ``posterior`` (:class:`model.analysis.posterior.Posterior`) each run of
    the model draws its parameters and inputs from it (the posterior predictive scorecard);
    ``baseline_posteriors`` maps a baseline to its own calibrated posterior (``troika
    calibrate --baseline NAME``). With ``fit_until`` (``YYYY-MM``) the scorecard is also
    shown in two parts, the criteria settled after that month (out of sample) and by it
    (:mod:`model.analysis.timesplit`). With ``input_space`` (the priors of the case's
    judgement-call inputs, read from the ledger ``input_priors``) every rule's runs also
    draw the inputs their posterior does not carry from those priors
    (:func:`model.analysis.posterior.with_input_priors`), from one stream for every rule."""
    import time

    from model.analysis.posterior import with_input_priors

    t0 = time.monotonic()

    def ensemble(rule: str) -> list[RunOutcome]:
        progress = progress_factory(rule) if progress_factory else None
        post = posterior if rule == "agents" else (baseline_posteriors or {}).get(rule)
        if input_space is not None:
            post = with_input_priors(post, input_space, base_seed, source=input_priors)
        return run_ensemble(scenario, runs, workers=workers, base_seed=base_seed,
                            coalition_rule=rule, progress=progress, posterior=post)

    criteria = criteria_of(case)
    outcomes = ensemble("agents")
    base_out = {name: ensemble(name) for name in baselines}
    return Validation(
        scenario=scenario.name,
        runs=runs,
        base_seed=base_seed,
        model=scorecard(outcomes, criteria),
        baselines={name: scorecard(o, criteria) for name, o in base_out.items()},
        outcomes=outcomes,
        baseline_outcomes=base_out,
        seconds=time.monotonic() - t0,
        pass_mark=case.spec.pass_mark,
        pass_marks=dict(case.spec.pass_marks) or None,
        criteria=criteria,
        posterior=posterior.path if posterior is not None else "",
        baseline_posteriors={k: v.path for k, v in (baseline_posteriors or {}).items()
                             if k in baselines},
        patterns=pattern_rows(outcomes, case),
        baseline_patterns={name: pattern_rows(o, case) for name, o in base_out.items()},
        fit_until=fit_until or "",
        settled=settled_months(case, scenario) if fit_until else None,
        fitted=frozenset(fitting_criteria(case, fit_until)) if fit_until else frozenset(),
        input_priors=input_priors if input_space is not None else "",
        ladder=ladder_rows(outcomes),
    )


def _rows_csv(rows: list[dict]) -> str:
    """Rows of dicts (every one with the first's keys) as CSV text."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _patterns_csv(result: Validation) -> str:
    """The patterns of every rule, one row per rule and pattern."""
    rows = [{"rule": "model", **r} for r in result.patterns or []]
    for name, rs in (result.baseline_patterns or {}).items():
        rows += [{"rule": name, **r} for r in rs]
    return _rows_csv(rows)


def splice_doc(doc: str, block: str, name: str = "scorecard") -> str:
    """Replace what stands between a document's ``name`` markers by ``block``."""
    start, end = markers(name)
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(doc):
        raise ValueError(f"the document has no {start} ... {end} markers")
    return pattern.sub(lambda _: f"{start}\n{block}{end}", doc)


def write_validation(result: Validation, out_dir: Path | None = None,
                     json_path: Path | None = None) -> list[Path]:
    """Save the scorecard as CSV, Markdown and JSON (each file atomically). Splicing it
    into a document is :func:`model.cli_options.splice_into`'s job."""
    written = []
    as_json = json.dumps(result.to_json(), indent=2) + "\n"
    if out_dir is not None:
        out_dir = Path(out_dir)
        texts = [("scorecard.csv", result.csv()), ("scorecard.md", result.markdown()),
                 ("scorecard.json", as_json)]
        if result.patterns:
            texts += [("patterns.csv", _patterns_csv(result)),
                      ("patterns.md", result.patterns_markdown())]
        if result.ladder:
            texts += [("ladder.csv", _rows_csv(result.ladder)),
                      ("ladder.md", result.ladder_markdown())]
        if result.calendar_null_markdown():
            texts.append(("calendar_null.md", result.calendar_null_markdown()))
        for name, text in texts:
            atomic_write_text(out_dir / name, text)
            written.append(out_dir / name)
    if json_path is not None:
        atomic_write_text(Path(json_path), as_json)
        written.append(Path(json_path))
    return written
