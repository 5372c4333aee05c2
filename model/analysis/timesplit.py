"""The time split of a scorecard: the criteria settled by a month (in sample) apart from the
later ones (out of sample), each part with its hit rates, proper scores and the model's skill
over every competitor (issue #11).

``troika calibrate --fit-until M`` fits only the outcomes recorded by month ``M``
(:func:`model.analysis.calibration.fitting_targets`); ``troika validate --fit-until M`` (by
default the case's ``fit_until``) then scores the criteria in two parts by one rule,
:data:`RULE`: a criterion belongs to the month its outcome is *settled*
(:func:`settled_month`), the month by which a history has decided whether it hits. A
criterion whose window straddles the split is settled after it, so it is out of sample: part
of what it asks about was still to come at the split; unless its measure is a fitting target
at the split (its recorded month by then), whose record the calibration has used: then it is
in sample whatever its window (:func:`fitting_criteria`).

Each part is scored as the whole scorecard is (:mod:`model.analysis.scores`: Brier and log
score of each criterion's hit, CRPS of dated and counted outcomes), and the model's skill
over each competitor is ``1 - mean(model) / mean(competitor)`` over the part's criteria:
above 0 the model is better. :func:`beats_every` says, score by score, whether the model is
better than every competitor (the "done when" of issue #11, out of sample).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from model.analysis.measures import Measure, measures_of
from model.analysis.outcomes import hit_text
from model.analysis.scores import SCORES, mean_scores, skill
from model.cases.casefile import Case
from model.tables import markdown_table, text_table

RULE = ("a criterion belongs to the month its outcome is settled: its `date` in the case "
        "file if it has one, else the month its measure's window closes, else (a vote at an "
        "assembly; a set of members or holders at a month) that month, else (a measure over "
        "the whole run, such as 'throughout' or 'by the end') the last month of the run; it "
        "is in sample if that month is on or before the split, or if its measure is a target "
        "that calibrate --fit-until fits at the split (its record was used), and out of "
        "sample otherwise, so a criterion whose window straddles the split is out of sample "
        "unless it was fitted")

SIDES = (("out", "Out of sample"), ("in", "In sample"))
LABELS = {"brier": "Brier", "log": "log", "crps": "CRPS"}


def settled_month(measure: Measure, scenario) -> str:
    """The month a history has decided whether it hits ``measure`` (:data:`RULE`): the close
    of its window; an assembly's month for a vote there; the measure's own ``month``; the
    latest of its parts for a combination; else the end of the scenario's horizon."""
    if measure.parts:
        return max(settled_month(m, scenario) for _, m in measure.parts)
    spec = measure.spec
    window = getattr(spec, "window", None)
    if window and window[1]:
        return window[1]
    assembly = getattr(spec, "assembly", None)
    if assembly:
        dates = [str(a.date)[:7] for a in scenario.assemblies if a.name == assembly]
        if dates:
            return max(dates)  # its month (a date may carry its day, YYYY-MM-DD)
    month = getattr(spec, "month", None)
    if month:
        return month
    return str(scenario.horizon.end)[:7]


def settled_months(case: Case, scenario) -> dict[str, str]:
    """Each criterion's settled month, by id, in case-file order (its ``date`` if given,
    else :func:`settled_month` of its measure)."""
    measures = measures_of(case)
    return {c.id: c.date or settled_month(measures[c.measure], scenario)
            for c in case.spec.criteria}


def fitting_criteria(case: Case, fit_until: str) -> set[str]:
    """The criteria whose measure is a fitting target that ``troika calibrate --fit-until``
    fits at this split (a target recorded by then): in sample *and* fitted."""
    fitted = {t.measure for t in case.spec.calibration.targets
              if t.month is not None and t.month <= fit_until}
    return {c.id for c in case.spec.criteria if c.measure in fitted}


def sides(settled: Mapping[str, str], fit_until: str, fitted=frozenset()) -> dict[str, str]:
    """``in`` for each criterion settled on or before ``fit_until`` or ``fitted`` at that
    split (:func:`fitting_criteria`), else ``out``."""
    return {cid: "in" if month <= fit_until or cid in fitted else "out"
            for cid, month in settled.items()}


def score_table(scores: Mapping[str, Sequence[dict]], ids=None) -> list[tuple[str, dict, dict]]:
    """Per rule (``model`` first as given): its mean scores over the criteria ``ids`` (all
    when None) and the model's skill over it on each score, ``1 − mean(model) / mean(rule)``
    (above 0 the model is better; None where a score is missing)."""
    def keep(rows):
        return [r for r in rows if ids is None or r["id"] in ids]

    model = mean_scores(keep(scores.get("model", [])))
    out = []
    for name, rows in scores.items():
        mean = mean_scores(keep(rows))
        skills: dict = {}
        if name != "model":
            skills = {s: skill(model[s], mean[s])
                      if model[s] is not None and mean[s] else None for s in SCORES}
        out.append((name, mean, skills))
    return out


def beats_every(table: Sequence[tuple[str, dict, dict]]) -> dict[str, bool | None]:
    """Per score: whether the model's mean is below every competitor's (its skill over each
    above 0; a competitor with a perfect score cannot be beaten). None when the part has no
    such score or there is no competitor."""
    means = {name: mean for name, mean, _ in table}
    model = means.get("model", {})
    others = [m for name, m in means.items() if name != "model"]
    out: dict[str, bool | None] = {}
    for s in SCORES:
        if not others or model.get(s) is None or any(m.get(s) is None for m in others):
            out[s] = None
        else:
            out[s] = all(model[s] < m[s] for m in others)
    return out


@dataclass
class Part:
    """One side of the split: its criteria (scorecard rows of every rule) and scores."""

    side: str
    title: str
    fit_until: str
    settled: dict[str, str]
    model: list[dict]
    baselines: dict[str, list[dict]]
    table: list[tuple[str, dict, dict]]
    fitted: frozenset[str] = frozenset()

    @property
    def ids(self) -> list[str]:
        return [r["id"] for r in self.model]

    def heading(self) -> str:
        when = "after" if self.side == "out" else "by"
        n = len(self.model)
        return (f"{self.title}: the {n} {'criterion' if n == 1 else 'criteria'} settled "
                f"{when} {self.fit_until}")

    def passed(self) -> dict[str, int]:
        """Criteria passed by each rule in this part."""
        rules = {"model": self.model, **self.baselines}
        return {name: sum(1 for r in rows if r["passed"]) for name, rows in rules.items()}

    def beats(self) -> dict[str, bool | None]:
        return beats_every(self.table)

    def beats_sentence(self) -> str:
        """Whether the model beats every competitor on each proper score, and where not."""
        parts = []
        for s, ok in self.beats().items():
            if ok is None:
                parts.append(f"{LABELS[s]} not scored")
                continue
            model = {name: mean for name, mean, _ in self.table}["model"][s]
            worse = [f"{name} {sk[s]:+.3f}" if sk.get(s) is not None else f"{name} also perfect"
                     for name, mean, sk in self.table
                     if name != "model" and not model < mean[s]]
            parts.append(f"{LABELS[s]} yes" if ok
                         else f"{LABELS[s]} no (skill {', '.join(worse)})")
        passed = self.passed()
        more = [f"{n} {p}" for n, p in passed.items() if n != "model" and p >= passed["model"]]
        count = (f"and it passes {passed['model']} of {len(self.model)}, "
                 + ("more than every competitor" if not more
                    else f"not more than every competitor ({', '.join(more)})"))
        return (f"{self.title}, does the model beat every competitor on each proper score? "
                + "; ".join(parts) + f"; {count}")

    def to_json(self) -> dict:
        return {
            "fit_until": self.fit_until,
            "criteria": [{"id": r["id"], "settled": self.settled[r["id"]],
                          "fitting_target": r["id"] in self.fitted,
                          "hit_rates": {"model": r["hit_rate"],
                                        **{n: rows[k]["hit_rate"]
                                           for n, rows in self.baselines.items()}},
                          "passed": r["passed"]}
                         for k, r in enumerate(self.model)],
            "total": len(self.model),
            "passed": self.passed(),
            "proper_scores": {name: {"mean": mean, "model_skill": skills}
                              for name, mean, skills in self.table},
            "model_beats_every_competitor": self.beats(),
            "model_passes_more_than_every_competitor": all(
                p < self.passed()["model"] for n, p in self.passed().items() if n != "model"),
        }


def split_parts(model: list[dict], baselines: Mapping[str, list[dict]],
                scores: Mapping[str, Sequence[dict]], settled: Mapping[str, str],
                fit_until: str, fitted=frozenset()) -> list[Part]:
    """The out-of-sample and in-sample parts (in that order) of a scorecard; a part with no
    criterion is left out."""
    side_of = sides(settled, fit_until, fitted)
    out = []
    for side, title in SIDES:
        keep = [k for k, r in enumerate(model) if side_of[r["id"]] == side]
        if not keep:
            continue
        ids = {model[k]["id"] for k in keep}
        out.append(Part(side, title, fit_until, dict(settled),
                        [model[k] for k in keep],
                        {n: [rows[k] for k in keep] for n, rows in baselines.items()},
                        score_table(scores, ids), frozenset(fitted)))
    return out


# --------------------------------------------------------------------------------------
# rendering


def _num(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def part_markdown(part: Part, baseline_names: Sequence[str] = ()) -> str:
    """One part as Markdown: a heading, the criteria with each rule's hit rate, the rules'
    criteria passed, the proper scores with the model's skill, and the verdict sentence."""
    names = list(part.baselines)
    head = ["criterion", "settled", "fitted", "recorded", "model", *names, "model passed"]
    rows = [[r["id"], part.settled[r["id"]], "yes" if r["id"] in part.fitted else "no",
             str(r["recorded"]).replace("|", "\\|"),
             hit_text(r), *(hit_text(part.baselines[n][k]) for n in names),
             "yes" if r["passed"] else "**no**"]
            for k, r in enumerate(part.model)]
    passed = part.passed()
    out = [f"# {part.heading()}", "",
           "Hit rates (fitted: the criterion's measure is a target of `troika calibrate "
           "--fit-until` at this split; a starred rate is shown for information, a test of "
           "the whole distribution decides that criterion):", "", markdown_table(head, rows),
           "",
           "Criteria passed: " + ", ".join(f"{n} {p} of {len(part.model)}"
                                           for n, p in passed.items()) + ".", "",
           "Proper scores over these criteria (lower is better) and the model's skill over "
           "each rule (1 − model's mean / rule's mean; above 0 the model is better):", "",
           markdown_table(["rule", "Brier", "log", "CRPS", "Brier skill", "log skill",
                           "CRPS skill"],
                          [[name, *(_num(mean[s]) for s in SCORES),
                            *(_num(sk.get(s)) for s in SCORES)]
                           for name, mean, sk in part.table]),
           "", part.beats_sentence() + "."]
    return "\n".join(out) + "\n"


def split_markdown(parts: Sequence[Part]) -> str:
    """The split's preamble and both parts, out of sample first."""
    if not parts:
        return ""
    lead = (f"Time split at {parts[0].fit_until}. The rule: {RULE}.")
    return "\n".join([lead, "", *(part_markdown(p) for p in parts)])


def part_text(part: Part) -> str:
    """One part as plain text for the terminal."""
    names = list(part.baselines)
    lines = [part.heading(), text_table(
        ["criterion", "settled", "fitted", "model", *names, "passed"],
        [[r["id"], part.settled[r["id"]], "yes" if r["id"] in part.fitted else "no", hit_text(r),
          *(hit_text(part.baselines[n][k]) for n in names), "yes" if r["passed"] else "NO"]
         for k, r in enumerate(part.model)])]
    lines.append("passed: " + ", ".join(f"{n} {p}" for n, p in part.passed().items())
                 + f" (of {len(part.model)})")
    lines.append(text_table(
        ["rule", "Brier", "log", "CRPS", "model skill (Brier, log, CRPS)"],
        [[name, *(_num(mean[s]) for s in SCORES),
          ", ".join(_num(sk.get(s)) for s in SCORES) if sk else ""]
         for name, mean, sk in part.table]))
    lines.append(part.beats_sentence())
    return "\n".join(lines)


def calendar_null_markdown(parts: Sequence[Part], whole: Sequence[tuple[str, dict, dict]],
                           whole_passed: Mapping[str, int], total: int, runs: int,
                           calibrated: bool = False, rule: str = "calendar") -> str:
    """What the scenario's dates give for free: the calendar-only competitor beside the
    model, out of sample, in sample and over all criteria (empty when it was not run)."""
    rows = []
    sections = [(p.title.lower(), p.table, p.passed(), len(p.model)) for p in parts]
    for label, table, passed, n in [*sections, ("all criteria", whole, whole_passed, total)]:
        by = {name: (mean, sk) for name, mean, sk in table}
        if rule not in by:
            return ""
        (m, _), (c, sk) = by["model"], by[rule]
        rows.append([label, f"{passed['model']} / {passed[rule]} of {n}",
                     *(f"{_num(m[s])} / {_num(c[s])}" for s in SCORES),
                     ", ".join(_num(sk.get(s)) for s in SCORES)])
    how = ("under its own calibrated posterior" if calibrated
           else "with the scenario's parameters, uncalibrated")
    return (f"The calendar-only null over the same {runs} runs as the scorecard, {how}: "
            "each cell gives the model / calendar only (the first month's coalitions frozen, "
            "only the scenario's calendar, acts and sanctions acting).\n\n"
            + markdown_table(["criteria", "passed", "Brier", "log", "CRPS",
                              "model's skill (Brier, log, CRPS)"], rows) + "\n")
