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
# # 1. The baseline against the record, step by step
#
# This notebook runs the baseline scenario of the Bolshevik succession struggle (May 1922 to
# December 1927) one month at a time and sets what the simulated leaders do beside what the
# record says they did. Nothing in the scenario schedules a coalition, a removal, an
# expulsion, a vote or a recantation: those come out of the rules in `model/`. The scenario
# only schedules what lay outside the leaders' control.
#
# `TROIKA_NB_RUNS` (an environment variable) sets how many runs the ensemble at the end
# uses; the test suite sets it small. The figures are matplotlib `Figure` objects: change
# one (`fig.axes[0].set_title(...)`) and show it again with `display(fig)`.

# %%
# %matplotlib inline
import os

import pandas as pd
from IPython.display import display

from model.analysis.ensemble import default_workers
from model.cases.casefile import case_of
from model.cases.scenario import load_scenario
from model.engine.model import SuccessionModel
from model.views.outputs import key_events, offices_at_end, run_tables
from model.views.plots import coalitions_figure, power_figure, tallies_figure
from model.views.progress import tqdm_factory

RUNS = int(os.environ.get("TROIKA_NB_RUNS", "50"))
WORKERS = 1 if RUNS < 10 else default_workers()
scenario = load_scenario("baseline")
case = case_of("baseline")  # scenarios/bolshevik_1922: its record, criteria, figures
record = case.record

# %% [markdown]
# ## What the scenario schedules
#
# Only exogenous events: strokes, deaths, recruitment, outside shocks, and the dates and
# sizes of congresses and plenums.

# %%
pd.DataFrame([e.model_dump(include={"date", "kind", "leader", "note"})
              for e in scenario.events])

# %%
pd.DataFrame([a.model_dump(include={"date", "kind", "name", "delegates"})
              for a in scenario.assemblies if a.kind != "plenum"])

# %% [markdown]
# **What you should see:** Lenin's strokes and death, the Lenin Enrollment and the other
# recruitment drives, and the congresses and conferences with their sizes. No alliance, no
# removal from office and no expulsion is in either table.
#
# ## Month by month
#
# A helper that shows who stands with whom and who holds which office.


# %%
def state(m):
    """Factions (by their strongest member) and offices, this month."""
    factions = {}
    for ld in m.leader_list:
        if ld.active:
            factions.setdefault(ld.faction_name, []).append(ld.name)
    offices = {o.name: (m.leader_list[o.holder].name if o.holder >= 0 else "-")
               for o in m.offices}
    return factions, offices


m = SuccessionModel(scenario, rng=0)
while m.month < "1923-06":
    m.step()
factions, offices = state(m)
print(m.month, "factions:", factions)

# %% [markdown]
# By mid-1923 the record has the troika (Stalin, Zinoviev, Kamenev), indeed a secret
# "seven" of all the Politburo but Trotsky, ranged against Trotsky.
#
# **What you should see** (seed 0): one faction, led by Stalin, holds everyone active but
# Trotsky (Zinoviev, Kamenev, Bukharin, Rykov, Tomsky and the rest): the "seven" of the
# record rather than a distinct troika of three, and Trotsky stands alone.
#
# Run on to January 1925, when Trotsky lost the War Commissariat.

# %%
while m.month < "1925-01":
    m.step()
factions, offices = state(m)
print(m.month, "War Commissar:", offices["War Commissar"])
pd.DataFrame([e for e in m.event_log if e["kind"] == "office_loss"])

# %% [markdown]
# **What you should see:** no office has changed hands yet: Trotsky is still War Commissar
# in January 1925, and no one has lost an office by a vote. While Lenin lives nobody in the
# Politburo can be sanctioned (the "paramount's shadow" rule), and after his death the
# first removals take a while to come.
#
# The 14th Congress met in December 1925; the record's tally on the Central Committee's
# report is 559 to 65. In the model the tally comes from the delegates, who follow the
# secretaries the Secretariat appointed.

# %%
while m.month < "1925-12":
    m.step()
pd.DataFrame([t for t in m.tallies if t["assembly"] == "14th Congress"])

# %% [markdown]
# **What you should see:** the report passes 606 to 15 with 44 of the 665 delegates absent:
# the Secretariat's majority is there, but the opposition is far smaller than the recorded
# 65. A motion condemning Trotsky passes 51 to 1 (among 52 voters).
#
# ## The end of the run

# %%
m.run()
tables = run_tables(m)
key_events(m, case, tables)

# %%
offices_at_end(m, record)

# %% [markdown]
# **What you should see:** Stalin keeps the General Secretaryship to the end; Trotsky loses
# the War Commissariat in December 1925 (the record: January 1925) and the troika breaks in
# April 1926 (the record: 1925); the United Opposition never forms in this run, nobody is
# expelled from the Politburo or the party, and nobody recants or refuses. At the end
# Voroshilov is War Commissar, as recorded, but Zinoviev still holds the Comintern and
# Leningrad, and Kamenev chairs Sovnarkom (the record: Bukharin, Kirov, Rykov).
#
# ## The run in pictures
#
# Power month by month (the recorded events numbered above the plot), who stood with whom
# (simulated above, recorded below) and the votes on the Central Committee's report
# (simulated beside recorded).

# %%
fig = power_figure(tables, case)
display(fig)

# %%
coalitions_figure(tables, case)

# %%
tallies_figure(tables, record)

# %% [markdown]
# **What you should see:** Stalin's power climbs from about 1.2 to about 1.95 by 1924 and
# stays far above everyone else's; Trotsky's falls in steps (1922, late 1923) and drops to
# about 0.2 when he loses the War Commissariat at the end of 1925, as Voroshilov's rises;
# Lenin's line stops at his first stroke (May 1922), comes back for his return to work in
# the autumn of 1922 and stops at his second stroke (×); Dzerzhinsky's stops at his death in
# 1926. In the coalition chart Stalin's faction (blue) takes in everyone but Trotsky from
# mid-1922 and keeps its colour throughout; Zinoviev leaves it for most of 1926, and the
# right (Bukharin, Rykov, Tomsky) leaves it in late 1926, the reverse of the record, in
# which the right stood with Stalin. In the tallies of this run the opposition never passes
# 40 (the 15th Congress); the record has a count only for the 14th Congress (65 against; the
# 13th and 15th were unanimous on a resolution, not the report).
#
# ## One run is not a distribution
#
# The scorecard below runs the model `RUNS` times with different seeds, and five simple
# baselines on the same seeds, and scores every recorded outcome against its simulated
# distribution (the criteria are in `docs/validation.md`; each row says what decided it).

# %%
from model.analysis.validation import validate  # noqa: E402
from model.views.validation_plots import dates_figure, dissent_figure  # noqa: E402

result = validate(scenario, runs=RUNS, case=case, workers=WORKERS,
                  progress_factory=tqdm_factory())
print(result.text())

# %%
dates_figure(result.outcomes, case)

# %%
dissent_figure(result.outcomes, result.baseline_outcomes, record,
               case.spec.plots.highlight_assembly)

# %% [markdown]
# **What you should see** (at the default 50 runs): the model passes 5 of the 21 criteria
# (each row says why): the troika by mid-1923 (in every run, formed in the first month), the
# 14th Congress's 90% interval (4 to 88 against, which contains 65; but its median, 32, is
# 33 from the record, so the median test fails), Stalin's General Secretaryship (1.00), and
# two episodes of 1923: Trotsky's Left Opposition (0.70) and its condemnation (0.86). It
# fails the timing of most removals: in half the runs Trotsky loses the War Commissariat in
# January 1924, just after Lenin's death (the record: January 1925), and the troika breaks
# by February 1924 (the record: 1925); the United Opposition forms in 1926 in only 0.38 of
# the runs; nobody is expelled from the party and nobody recants. It passes more criteria
# than each baseline (1 or 2) and beats every one on the proper scores (Brier 0.57 against
# 0.79-0.91). Nearly every run tells a different history (50 distinct in 50 runs). The dated
# outcomes' figure shows the War Commissariat's loss and the troika's break piled up just
# after Lenin's death (January 1924), a year before the record, while the 1923 opposition
# and its condemnation fall on the recorded months; the tallies' figure shows the 14th
# Congress's dissent spread from a handful to about 90 against, the baselines' (outlines)
# mostly below 30. The numbers above are from the rules as this notebook was last revised;
# `docs/validation.md` has the 1000-run scorecard.
