# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
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
# (the test suite sets it to 3). The results at full budget are in `docs/validation.md`;
# at the budgets here they show how the methods work, not what they conclude, and the
# notebook says so where a result is too thin to mean anything.

# %%
# %matplotlib inline
import os

from IPython.display import Markdown, display

from model.analysis.ablation import ablate, ablation_figure
from model.analysis.ablation import table_markdown as ablation_table
from model.analysis.calibration import (
    PRIORS,
    budget_warnings,
    calibrate,
    marginals_figure,
    out_of_sample_markdown,
    summary_markdown,
)
from model.analysis.ensemble import default_workers
from model.analysis.sensitivity import sensitivity, sensitivity_figure
from model.analysis.sensitivity import table_markdown as sensitivity_table
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.rules import RULE_FAMILIES
from model.views.progress import tqdm_factory, tqdm_progress

BUDGET = int(os.environ.get("TROIKA_NB_RUNS", "20"))
WORKERS = 1 if BUDGET < 10 else default_workers()
scenario = load_scenario("baseline")
case = case_of("baseline")  # scenarios/bolshevik_1922: criteria and fitting targets

# %% [markdown]
# ## 1. Which rules are needed? (ablation)
#
# Each rule family is switched off in turn (by setting the parameters it reads to the
# value that disables it) and the model is scored against the record again, on the same
# seeds as the full model.

# %%
display(Markdown("\n".join(f"- **{r.name}**: {r.says} (off: `{r.off}`)"
                           for r in RULE_FAMILIES)))

# %%
rules = RULE_FAMILIES if BUDGET >= 20 else RULE_FAMILIES[:3]
result = ablate(scenario, max(BUDGET, 2), case=case, rules=rules, workers=WORKERS,
                progress_factory=tqdm_factory())
display(Markdown(ablation_table(result)))

# %%
ablation_figure(result)

# %% [markdown]
# **What you should see** (at the default budget of 20 runs per variant): the full model
# passes 15 of the 21 criteria.
#
# - **Carrying most of the fit.** Switching off the opposition's acts leaves 3; followers
#   joining factions and the grudges 5 each; the fear of the heir, minimum winning, the
#   lessons of votes and the paramount's shadow 6 each; the circular flow and the closing
#   condemnation 7 each; the nested choice of acts, the co-report at its assembly,
#   escalation and the charter of the bodies 8 each.
# - **Dated acts** (`acts_dated`: an act takes effect on a day of its month, so an assembly
#   judges only the acts taken before it opened) are worth 4: without them the model passes
#   11, losing six criteria and gaining two. The 14th Congress's median falls from 75 to
#   41, Trotsky leaves the Politburo in 0.50 of the runs (0.75 in the full model) and the
#   public acts of 1927 fall to 0.50 (0.95); the expulsions by 1927 rise to 0.60 (0.50)
#   and Kamenev's demotion to 0.65 (0.40), and both pass.
# - **The United Opposition of 1926** (0.75 in the full model) needs minimum winning,
#   followers joining and the circular flow: without any one of them it falls to 0.
#   Without the lessons of votes it falls to 0.05, without the acts to 0.15, without
#   exposure or the common enemy to 0.20.
# - **The War Commissariat** (0.85) needs the acts, the lessons of votes, the paramount's
#   shadow and the closing condemnation (0 without each); without the grudges or the
#   co-report at its assembly it falls to 0.20, without the charter of the bodies to 0.30.
# - **The 14th Congress** (median 75 against, interval 7-89). Without the opposition's acts
#   or minimum winning it is nearly unanimous (median 9 and 11 against); without the
#   lessons of votes or the grudges the median is 13 and 15. Without any one of 19 of the
#   38 families, the dated acts among them, the median is 9-42 and fails; without the
#   circular flow it is 81 (interval 64-111) and passes.
# - **No rule passes more criteria when switched off.** Ten pass the same 15. Switching
#   off the feared commander (`force_feared`: the contender who commands the army or the
#   police is the presumed successor before one of greater standing) changes no cell of
#   the table. The other nine (solidarity, sanction enmity, the final warning, the closed
#   press, commitment, one case, the outside bodies, the organised following, coercion)
#   move no hit rate more than 0.15 and keep the 14th Congress's median within 5 of 75.
#   Factionalism and the quiet enemy pass 14, each losing Stalin's alliance with the right
#   (0.55 and 0.15 against 0.60). Switching off any one of nine families, the dated acts
#   among them, lifts the expulsions by 1927 from 0.50 to 0.60-0.75, so that they pass,
#   while other criteria fail. At 20 runs a change of 0.05-0.15 is one to three runs; the
#   100-run ablation in `docs/validation.md` says whether it holds.
#
# `docs/validation.md` has the 100-run ablation. Grey rows show the 14th Congress's
# interval and median, which a test of the whole distribution judges; a ✗ there means the
# interval misses 65 or the median is more than 20 from it. At 20 runs a change of
# 0.05-0.10 is one or two runs: read only the large ones.
#
# ## 2. Which parameters drive which outcomes? (Morris screening)

# %%
sens = sensitivity(scenario, "morris", case=case, n=max(2, BUDGET // 5),
                   seeds=1 if BUDGET < 20 else 2, workers=WORKERS,
                   progress=tqdm_progress("Morris screening"))
display(Markdown(sensitivity_table(sens)))

# %%
sensitivity_figure(sens)

# %% [markdown]
# **What you should see:** the 14th Congress's dissent responds most to the weight of
# patronage (`w_apparatus`: a mean effect of about 340 votes over its range), the weight of
# grudges (`grudge_weight`, about 290) and the pace of the circular flow
# (`appointment_rate`, about 270), each with a ± of 140-300 votes in the list of top three,
# half the effect or more (for `grudge_weight`, more than the effect). The month Trotsky
# loses the War Commissariat responds most to `act_fear`, `grudge_weight` and `w_prestige`
# (30 ± 11, 29 ± 21 and 21 ± 13 months over their ranges). The month the troika breaks
# responds most to `enemy_beaten_share`, `act_fear` and `w_prestige` (35 ± 17, 20 ± 15 and
# 18 ± 15 months). The hit-rate rows come in steps of about 0.19: with 2 seeds a point,
# each is one run changing, so single cells there are noise. The full-budget screening is
# in `docs/validation.md`.
#
# ## 3. Where do the values come from? (ABC-SMC)
#
# The priors, and the recorded outcomes used for fitting; the other criteria are reported
# out of sample.

# %%
display(Markdown("\n".join(f"- `{p.name}` ~ U({p.low:g}, {p.high:g}): {p.reason}"
                           for p in PRIORS)))

# %%
cal = calibrate(scenario, case=case, population=max(6, BUDGET),
                generations=2 if BUDGET < 20 else 3, seeds_per_particle=1,
                predictive_runs=max(3, BUDGET), workers=WORKERS,
                refine_top=10 if BUDGET >= 20 else 3, refine_runs=40 if BUDGET >= 20 else 3,
                progress=lambda g: print(f"generation {g.index}: epsilon {g.epsilon:.3f}, "
                                         f"acceptance {g.acceptance_rate:.0%}"))
warnings = budget_warnings(cal)
if warnings:
    display(Markdown("> **Warning: this budget is too small for the result to mean "
                     "anything.**\n>\n" + "\n>\n".join(f"> {w}" for w in warnings)))
display(Markdown(summary_markdown(cal)))
display(Markdown(out_of_sample_markdown(cal)))

# %%
marginals_figure(cal)

# %% [markdown]
# **What you should see:** a warning above the tables, with three reasons.
#
# - The "calibrated" point fits worse than the scenario's own parameters on the same 40
#   fresh seeds (mean distance 1.28 against 0.71).
# - The posterior predictive runs hit the fitted criteria less often than the defaults (a
#   mean hit rate of 0.24 against 0.68).
# - The budget (population 20, 3 generations, 1 seed a particle) is far below the
#   documented calibration (100, 5, 2).
#
# No reason says the posterior has collapsed, but in every marginal above one bin holds
# about a third of the weight or more (about half in `act_drive`'s lowest). Twenty
# particles cannot draw a distribution in ten dimensions, and the posterior medians, some
# far from the scenario's values (`act_drive` 2.1 against 7.1, `act_cost` 0.131 against
# 0.058, `charge_scale` 1.0 against 1.4), describe a handful of draws. Nothing here is a
# fit; it shows how ABC-SMC works.
# `docs/validation.md` has the documented run and its out-of-sample test.
