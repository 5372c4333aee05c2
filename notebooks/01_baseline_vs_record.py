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
# **What you should see:** this seed is one of the model's fast histories. Trotsky lost
# the War Commissariat to Frunze at the plenum of May 1924 (the record: January 1925),
# soon after Lenin's death lifted the "paramount's shadow" (while Lenin lives nobody in the
# Politburo can be sanctioned), and Kamenev, who took the chair of Sovnarkom at Lenin's
# death, lost it at the plenum of January 1925 (the record: Rykov chaired Sovnarkom from
# 1924).
#
# The 14th Congress met in December 1925; the record's tally on the Central Committee's
# report is 559 to 65. In the model the tally comes from the delegates, who follow the
# secretaries the Secretariat appointed.

# %%
while m.month < "1925-12":
    m.step()
pd.DataFrame([t for t in m.tallies if t["assembly"] == "14th Congress"])

# %% [markdown]
# **What you should see:** the report passes 584 to 37 with 44 of the 665 delegates absent,
# and the congress condemns Zinoviev, Kamenev and Trotsky (44 to 8 and 45 to 7 among the
# Central Committee's voters): in this run Zinoviev and Kamenev left Stalin in mid-1924 and
# Trotsky joined them in April 1925, so the opposition is there, but it has lost its offices
# and most of its delegates by December, and its count is about half the recorded 65 (the
# ensemble below puts the median above the record).
#
# ## The end of the run

# %%
m.run()
tables = run_tables(m)
key_events(m, case, tables)

# %%
offices_at_end(m, record)

# %% [markdown]
# **What you should see:** Stalin keeps the General Secretaryship to the end. The troika
# (inside one faction of everyone but Trotsky) holds from June 1922 and breaks in June 1924
# (the record: 1925); Trotsky joins Zinoviev and Kamenev in April 1925 (the United
# Opposition of the record formed in 1926); the same month Zinoviev loses Leningrad and the
# Comintern and Kamenev the Moscow Soviet (the record: January, October and May 1926).
# Trotsky and Zinoviev leave the Politburo in December 1925 (the record: October and July
# 1926) and, with Kamenev, the Central Committee in October 1926 (the record: October 1927),
# and all three are expelled from the party at the joint plenum of November 1927, the month
# the record has for Trotsky and Zinoviev. Zinoviev recants at once; Trotsky and Kamenev
# refuse and are deported, and Trotsky recants in December (the record: Zinoviev and Kamenev
# recanted at the 15th Congress, Trotsky never). At the end Voroshilov is War Commissar and
# Bukharin chairs the Comintern, as recorded, but Kalinin chairs Sovnarkom and the Moscow
# Soviet (the record: Rykov, and another man).
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
# **What you should see:** Stalin's power climbs from about 1.15 to about 1.95 by the end of
# 1923 and to about 2.1 in 1925, far above everyone else's; Trotsky's falls in steps (1922,
# late 1923) and drops to about 0.2 when he loses the War Commissariat in May 1924, as
# Frunze's rises; Kamenev's jumps to about 1.0 when he takes Sovnarkom at Lenin's death and
# falls in 1925 with Zinoviev's, when they lose their offices and Kalinin's rises; Lenin's
# line stops at his first stroke (May 1922), comes back for his return to work in the autumn
# of 1922 and stops at his second stroke (×); Frunze's stops at his death (1925). In the
# coalition chart Stalin's faction (blue) takes in everyone but Trotsky from mid-1922 and
# keeps its colour throughout; Zinoviev and Kamenev leave it together in June 1924 and
# Trotsky joins them in April 1925, and the right (Bukharin, Rykov, Tomsky) stays with
# Stalin to the end, as in the record. In the tallies of this run the opposition's count on
# the report is 37 at the 14th Congress and 2 at the 15th, after the expulsions; the record
# has a count only for the 14th Congress (65 against; the 13th and 15th were unanimous on a
# resolution, not the report).
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
# **What you should see** (at the default 50 runs): the model passes 16 of the 21 criteria
# (each row says why), 9 of the 11 main ones: the troika by mid-1923 (1.00, formed in the
# first months), Trotsky's loss of the War Commissariat in its window (0.76; median April
# 1925, the record January 1925), the troika's break in 1925 (0.62), both tests of the 14th
# Congress's count (median 83 against, the record 65; 90% interval 13 to 93), Stalin with
# the right (0.72), the United Opposition in 1926 (0.88), Trotsky's removal from the
# Politburo (0.64) and Stalin's General Secretaryship (1.00); and 7 of the 10 episodes. It
# fails the expulsions (0.22), the recantations (0.02), the distinct troika (never: the
# troika forms inside one faction of everyone but Trotsky), Kamenev's demotion in 1926
# (0.38) and Zinoviev's loss of the Comintern in 1926 (0.16; median October 1925). Several
# hit rates sit just above the 0.6 bar, so at 50 runs a pass can come and go with the seeds
# (the 1000-run scorecard passes fewer). It passes more criteria than each baseline (1 to
# 4) and beats every one on the proper scores (Brier 0.275 against 0.73-0.91). Nearly every
# run tells a different history (49 distinct in 50 runs). The dated outcomes' figure shows
# the War Commissariat's loss piled up in April 1925, three months after the record, with
# a smaller heap in May 1924; the tallies' figure shows the 14th Congress's dissent in two
# heaps, 10 to 45 against where the opposition has lost its delegates or Zinoviev and
# Kamenev are still with Stalin, and 70 to 95 against where the Leningrad delegation votes
# against the report, the baselines' (outlines) mostly below 30. The numbers above are from
# the rules as this notebook was last revised; `docs/validation.md` has the 1000-run
# scorecard.
#
# ## Where the runs stop on the way to the expulsions
#
# A criterion says whether an expulsion falls in its window; the sanction ladder says how
# far each leader gets: how often and when he loses his first office, is demoted to
# candidate, leaves the Politburo, the Central Committee and the party, and how many months
# each step takes after the one before it (`model/analysis/ladder.py`; `troika validate`
# writes it as `ladder.md`).

# %%
from IPython.display import Markdown  # noqa: E402

Markdown(result.ladder_markdown())

# %% [markdown]
# **What you should see** (at the default 50 runs): Trotsky loses his first office in every
# run (median April 1925), is demoted, and leaves the Politburo in 0.98 of the runs (median
# October 1926, as recorded) and the Central Committee in 0.88 (median July 1927; recorded
# 23 October 1927), but the party in only 0.30, a median 12 months after the Central
# Committee, where the record has three weeks (14 November 1927). Zinoviev and Kamenev
# lose their first offices and are demoted later than he is, leave the Politburo and the
# Central Committee in about the same months, and stop at the same step (0.26 and 0.32 out
# of the party). Most runs without his expulsion from the party stop there, a step short:
# `docs/model.md` §9 gives the measured cause. The numbers are from the rules as this
# notebook was last revised.
