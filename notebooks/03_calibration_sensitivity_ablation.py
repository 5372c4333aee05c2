# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3. Where the parameters come from, which ones matter, which rules are needed
#
# A reviewer of an agent-based model of history asks three questions. This notebook answers
# each with the same functions the command line uses (`troika calibrate`,
# `troika sensitivity`, `troika ablate`), at small budgets: `TROIKA_NB_RUNS` scales them
# (the test suite sets it to 3). The results at full budget are in `docs/validation.md`.

# %%
import os
import tempfile
from pathlib import Path

from IPython.display import Image, Markdown, display

from model.analysis.ablation import ablate, plot_ablation
from model.analysis.ablation import table_markdown as ablation_table
from model.analysis.calibration import (
    PRIORS,
    calibrate,
    out_of_sample_markdown,
    plot_marginals,
    summary_markdown,
)
from model.analysis.sensitivity import plot_sensitivity, sensitivity
from model.analysis.sensitivity import table_markdown as sensitivity_table
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.rules import RULE_FAMILIES

BUDGET = int(os.environ.get("TROIKA_NB_RUNS", "20"))
scenario = load_scenario("baseline")
case = case_of("baseline")  # scenarios/bolshevik_1922: criteria and fitting targets
out = Path(tempfile.mkdtemp(prefix="troika-nb3-"))

# %% [markdown]
# ## 1. Which rules are needed? (ablation)
#
# Each rule family is switched off in turn (by setting the parameters it reads to the
# value that disables it) and the model is scored against the record again.

# %%
display(Markdown("\n".join(f"- **{r.name}**: {r.says} (off: `{r.off}`)"
                           for r in RULE_FAMILIES)))

# %%
rules = RULE_FAMILIES if BUDGET >= 20 else RULE_FAMILIES[:3]
result = ablate(scenario, max(BUDGET, 2), case=case, rules=rules)
display(Markdown(ablation_table(result)))
display(Image(filename=str(plot_ablation(result, out / "ablation.png"))))

# %% [markdown]
# ## 2. Which parameters drive which outcomes? (Morris screening)

# %%
sens = sensitivity(scenario, "morris", case=case, n=max(2, BUDGET // 5),
                   seeds=1 if BUDGET < 20 else 2)
display(Markdown(sensitivity_table(sens)))
display(Image(filename=str(plot_sensitivity(sens, out / "sensitivity.png"))))

# %% [markdown]
# ## 3. Where do the values come from? (ABC-SMC)
#
# The priors, and the recorded outcomes used for fitting; the other criteria are reported
# out of sample.

# %%
display(Markdown("\n".join(f"- `{p.name}` ~ U({p.low:g}, {p.high:g}): {p.reason}"
                           for p in PRIORS)))

# %%
cal = calibrate(scenario, case=case, population=max(6, BUDGET), generations=2 if BUDGET < 20 else 3,
                seeds_per_particle=1, predictive_runs=max(3, BUDGET))
display(Markdown(summary_markdown(cal)))
display(Markdown(out_of_sample_markdown(cal)))
display(Image(filename=str(plot_marginals(cal, out / "marginals.png"))))
