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
# **What you should see:** in January 1925 Trotsky is still War Commissar, and nobody has
# lost an office (the table is empty). In this run he loses it at the plenum of April 1925,
# three months after the record's January 1925, to Frunze, who loses it in turn to
# Voroshilov at the plenum of October 1925, after he had followed Zinoviev out of Stalin's
# faction in July, and dies that month. Kamenev, who took the chair of Sovnarkom at Lenin's
# death, loses it at that plenum (the record: Rykov chaired Sovnarkom from 1924), and
# Zinoviev the Comintern (the record: October 1926).
#
# The 14th Congress met in December 1925; the record's tally on the Central Committee's
# report is 559 to 65. In the model the tally comes from the delegates, who follow the
# secretaries the Secretariat appointed.

# %%
while m.month < "1925-12":
    m.step()
pd.DataFrame([t for t in m.tallies if t["assembly"] == "14th Congress"])

# %% [markdown]
# **What you should see:** the report passes 549 to 84 with 32 of the 665 delegates absent
# (the record: 559 to 65), and the congress condemns Kamenev, Zinoviev and Trotsky (44 to 8,
# 43 to 9, 49 to 3) but takes nothing from them: a congress elects the Central Committee
# and may expel, but the Politburo's seats and the offices are the Central Committee's to
# take (`docs/model.md` §7.5, `body_may_take`). This seed keeps close to the record's
# alignments and runs ahead of it on the offices. Stalin dropped Zinoviev in July 1925 and
# Kamenev left with him, the record's New Opposition of 1925; Trotsky joined them in
# February 1926, after the congress. By the congress Trotsky had lost the War Commissariat
# (April 1925) and been demoted at the plenum of 15 December, three days before it, and
# Zinoviev and Kamenev had lost their offices: the Comintern and the chair of Sovnarkom in
# October, Leningrad and the Moscow Soviet at that plenum (the record: the Comintern in
# October 1926, Leningrad in January 1926, the Moscow Soviet in May 1926).
#
# ## The end of the run

# %%
m.run()
tables = run_tables(m)
key_events(m, case, tables)

# %%
offices_at_end(m, record)

# %% [markdown]
# **What you should see:** Stalin keeps the General Secretaryship to the end.
#
# - **The troika and its break.** The troika (inside one faction of everyone but Trotsky)
#   holds from July 1922. It breaks in July 1925, when Stalin drops Zinoviev and Kamenev
#   leaves with him (the record: 1925). Trotsky joins them in February 1926 (the record's
#   United Opposition formed in 1926).
# - **The offices.** Zinoviev loses the Comintern in October 1925 and Leningrad in December
#   1925 (the record: October 1926 and January 1926). Kamenev loses the Moscow Soviet in
#   December 1925 (the record: May 1926).
# - **The ladder.** Trotsky loses the War Commissariat in April 1925, three months late,
#   and the rungs after it come one to three months early: demotion in December 1925, the
#   Politburo in July 1926, the Central Committee in July 1927 and the party in October
#   1927 (the record: January 1925, no demotion, October 1926, October and November 1927).
#   He recants at the plenum that expels him (the record: he refused). Zinoviev, demoted in
#   July 1926, is out of the Politburo in October 1926, of the Central Committee in July
#   1927 and of the party in October 1927, and recants at once (the record: July 1926,
#   October and November 1927, recanted in December 1927). Kamenev, demoted with him, leaves
#   the Politburo in July 1927, the Central Committee in October 1927 and the party in
#   November 1927, and recants at once (the record: demoted in January 1926, expelled in
#   December 1927, recanted).
# - **The right.** Bukharin, Rykov, Tomsky and Kalinin stay with Stalin to the end (the
#   record: Stalin and the right held together through 1927).
# - **The offices at the end.** Voroshilov is War Commissar and Bukharin chairs the
#   Comintern, as recorded. Kalinin chairs Sovnarkom (the record: Rykov) and the Moscow
#   Soviet (the record: another man).
#
# This is one run. The 50-run scorecard below puts Trotsky's loss of the War Commissariat at
# a median April 1925, this run's month, and the ladder below his removal from the Politburo
# at a median July 1926, as here, and his expulsion from the party at a median July 1927
# (here October 1927). It shows an error 1000 runs show too: Trotsky's rungs after the
# first come early, and he is demoted, which the record's Trotsky never was. Here he kept
# up his platforms from December 1924 to March 1925 (and a co-report at the 14th
# Conference), and the opposition went into the streets from April to November 1927 (the
# record's Trotsky kept quiet in 1925, and the opposition went into the streets in 1927).
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
# **What you should see:**
#
# - **Power.** Stalin's climbs from about 1.15 to about 1.95 by the end of 1923 and to about
#   2.1 from December 1925, far above everyone else's.
# - **Trotsky** falls in steps through 1922 and 1923, rises a little when he recovers in the
#   spring of 1924 and drops to about 0.1 when he loses the War Commissariat in April 1925,
#   as Frunze's power rises; his line ends with his expulsion in October 1927 (×).
# - **Kamenev and Zinoviev.** Kamenev's power jumps to about 1.0 when he takes Sovnarkom at
#   Lenin's death. Both fall from the autumn of 1925, as they lose their offices and
#   Kalinin's and Bukharin's rise, to about 0.4 by the end of 1925 and below 0.2 by 1927.
#   Zinoviev's line ends with his expulsion in October 1927, Kamenev's with his in November
#   1927 (×).
# - **Lenin and Frunze.** Lenin's line stops at his first stroke (May 1922), comes back for
#   his return to work in the autumn of 1922 and stops at his second stroke (×). Frunze's
#   rises with the War Commissariat in April 1925 and stops at his death (October 1925), the
#   month he loses it.
# - **The coalition chart.** Stalin's faction (blue) takes in everyone but Trotsky by July
#   1922 and rules throughout (white ticks). Zinoviev and Kamenev leave it in July 1925, and
#   Trotsky joins them in February 1926. Bukharin, Rykov, Tomsky and Kalinin stay in it to
#   the end. The rows of Trotsky, Zinoviev and Kamenev turn grey with their expulsions
#   (October, October and November 1927).
# - **The tallies.** The opposition's count on the report is 17 at the 13th Congress, 84 at
#   the 14th and 3 at the 15th. The record has a count only for the 14th Congress
#   (65 against; the 13th and 15th were unanimous on a resolution, not the report).
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
# **What you should see** (at the default 50 runs): the model passes 17 of the 21 criteria
# (each row says why).
#
# - **Main criteria passed (10 of 11).** The troika by mid-1923 (1.00, formed in the first
#   month). Trotsky's loss of the War Commissariat in its window (0.96; median April 1925,
#   three months after the record's January). The troika's break in 1925 (0.90, median July
#   1925). The 14th Congress's count: its 90% interval (20 to 92 against) and its median
#   (84, 19 from the record's 65). Stalin with the right (0.60). The United Opposition in
#   1926 (0.92, median February 1926). Trotsky's removal from the Politburo in its window
#   (0.84; median July 1926). The expulsions by the end of 1927 (0.66, median November
#   1927). Stalin's General Secretaryship (1.00).
# - **Episodes passed (7 of 10).** The Left Opposition of 1923 (1.00) and its condemnation
#   (1.00). The New Opposition (0.88). Kamenev's speech (0.90). The Leningrad delegation
#   against the report (0.88). Kamenev's demotion in 1926 (0.66; median October 1926). The
#   public acts of 1927 (0.94).
# - **Failed.** The recantations (0.16) and the distinct troika (never: the troika forms
#   inside one faction of everyone but Trotsky). Also Zinoviev's removal in mid-1926 (0.24;
#   median April 1927) and Zinoviev's loss of the Comintern in 1926 (0.06; median October
#   1925).
#
# The model passes more criteria than each baseline (1 to 5) and beats every one on the
# proper scores (Brier 0.203 against 0.705-0.905). Every run tells a different history (50
# distinct in 50 runs). Earlier versions of this notebook showed 16 of 21: part of that fit
# came from charging every act of a month at its start, so that a plenum that opened days
# before a congress judged a co-report given only at the congress, and one that opened on
# the 3rd judged acts taken later in the month (`docs/model.md`, `take_acts`, "The order
# within a month"). Acts now take effect on a day of their month and a co-report at its
# assembly; the free parameters were refitted for the co-report's new order, not for the
# acts' days. Lowering `act_temperature` from 0.15 to 0.05, by a profile of the
# calibration's distance (`docs/model.md` §8, "The temperature of the choice of acts"), took
# this notebook from 14 of 21 to 17. At 50 runs the score moves by a criterion or two with
# the seeds; 1000 runs on the validation seeds, with the same parameters, pass the same 17.
#
# The dated outcomes' figure shows the War Commissariat's loss heaped in April 1925 (42 of
# the 50 runs), with a few in January 1925 and in 1924. The troika's break spreads from 1924
# to 1926, heaped in July 1925, and the United Opposition from 1925 to early 1927, heaped
# from January to May 1926. Trotsky's removal from the Politburo heaps in July and October
# 1926. The expulsions of Trotsky and Zinoviev from the party spread from July to December
# 1927, heaped in October 1927, and in 17 of the 50 runs they do not both come. Kamenev's
# demotion heaps in the summer and autumn of 1926, and Zinoviev's removal from the
# Politburo in October 1926, April 1927 and July 1927. The tallies' figure shows the 14th
# Congress's dissent mostly in one heap, 69 to 101 against (44 runs), from runs where the
# Leningrad delegation votes against the report; six runs count 14 to 33 against, where
# the opposition has lost its delegates or Zinoviev and Kamenev are still with Stalin. At
# the 15th Congress one run in five counts some 700 against: in those runs Stalin no longer
# leads the ruling faction by then (in 1000 runs, 137 count more than 300 against, and in
# 135 of them Kalinin's faction rules at the end), and the delegates vote against its
# report. The baselines' counts (outlines) lie below 35 but for 18 runs of the aes baseline
# (15 of them beyond the axis). The numbers above are from the rules as this notebook was
# last revised; `docs/validation.md` has the 1000-run scorecard.
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
# **What you should see** (at the default 50 runs): Trotsky loses his first office in
# every run (median April 1925, three months after the record's January) and is demoted in
# every run (median December 1925; the record never demoted him). He leaves the Politburo in
# 0.98 (median July 1926; recorded October 1926), the Central Committee in 0.92 (median
# April 1927; recorded 23 October 1927) and the party in 0.92, a median three months after
# the Central Committee, at a median July 1927 (recorded 14 November 1927): after his first
# office, his rungs come three to six months early. Zinoviev and Kamenev lose their first
# offices later than he does (median October 1925) and are demoted ten months after that
# (median October 1926). They leave the Politburo in April 1927 (0.88 and 0.84), the
# Central Committee in July 1927 (0.76 and 0.72), and the party at a median October 1927
# (0.66 and 0.70). `docs/model.md` §9 ("The ladder's last step, and the rung before
# it") gives what moves the last step and what is still early. The numbers are from the
# rules as this notebook was last revised.
