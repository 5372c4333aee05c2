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
# **What you should see:** by January 1925 Voroshilov is War Commissar. In this run Trotsky
# lost the office at the plenum of August 1924, five months before the record's January
# 1925, to Frunze, who lost it in turn at the plenum of January 1925 after he had followed
# Zinoviev out of Stalin's faction. Kamenev, who took the chair of Sovnarkom at Lenin's
# death, lost it at that plenum (the record: Rykov chaired Sovnarkom from 1924), and
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
# **What you should see:** the report passes 569 to 48 with 48 of the 665 delegates absent
# (the record: 559 to 65), and the congress condemns Kamenev, Zinoviev and Trotsky (44 to 7,
# 44 to 7, 43 to 8) but takes nothing from them: a congress elects the Central Committee
# and may expel, but the Politburo's seats and the offices are the Central Committee's to
# take (`docs/model.md` §7.5, `body_may_take`). This seed runs well ahead of the record.
# Stalin dropped Kamenev in November 1924 and Zinoviev left with him, a year before the
# record's New Opposition; Trotsky joined them in October 1925. By the congress Trotsky had
# been demoted (April 1925), removed from the Politburo (October 1925) and expelled from the
# Central Committee at the plenum of 15 December, three days before it, and Zinoviev and
# Kamenev demoted at that plenum.
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
#   holds from July 1922. It breaks in November 1924, when Stalin drops Kamenev and
#   Zinoviev leaves with him (the record: 1925). Trotsky joins them in October 1925 (the
#   record's United Opposition formed in 1926).
# - **The offices.** Zinoviev loses the Comintern in January 1925 and Leningrad in April
#   1925 (the record: October 1926 and January 1926). Kamenev loses the Moscow Soviet in
#   April 1925 (the record: May 1926).
# - **The ladder.** Trotsky's runs early: the War Commissariat in August 1924, five months
#   early, and the rungs after it one to two years early: demotion in April 1925, the
#   Politburo in October 1925, the Central Committee in December 1925 and the party in April
#   1926 (the record: January 1925, no demotion, October 1926, October and November 1927).
#   He refuses to recant, as recorded, and the security office deports him in November 1926
#   (the record: January 1928). Zinoviev, demoted on 15 December 1925, is out of the
#   Politburo on 28 December, of the Central Committee in April 1926 and of the party in
#   July 1926, and recants at once (the record: July 1926, October and November 1927,
#   recanted in December 1927). Kamenev, demoted with him, leaves the Politburo and the
#   Central Committee in one vote in July 1926 and the party in October 1926, and refuses to
#   recant (the record: demoted in January 1926, expelled in December 1927, recanted).
# - **The right.** In December 1926 Stalin drops Tomsky, and Bukharin, Rykov and Kalinin
#   leave with him; Rykov comes back in June 1927 and Bukharin in October 1927 (the record:
#   Stalin and the right held together through 1927).
# - **The offices at the end.** Voroshilov is War Commissar, Rykov chairs Sovnarkom and
#   Bukharin the Comintern, as recorded. Kalinin chairs the Moscow Soviet (the record:
#   another man).
#
# This is one run, and not a typical one: the 50-run scorecard below puts Trotsky's loss of
# the War Commissariat at a median January 1925, and the ladder below his expulsion from the
# party at a median July 1927. What it shows, in the extreme, is an error the 1000-run
# scorecard shows too: Trotsky's rungs after the first come early. Here he kept up his
# platforms through 1925 (February to August, and a co-report at the 14th Conference) and
# went into the streets from October 1925 to March 1926 (the record's Trotsky kept quiet in
# 1925, and the opposition went into the streets only in 1927).
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
#   2.1 from the spring of 1925, far above everyone else's.
# - **Trotsky** falls in steps through 1922 and 1923, rises a little when he recovers in the
#   spring of 1924 and drops to about 0.1 when he loses the War Commissariat in August 1924,
#   as Frunze's power rises; his line ends with his expulsion in April 1926 (×).
# - **Kamenev and Zinoviev.** Kamenev's power jumps to about 1.0 when he takes Sovnarkom at
#   Lenin's death. Both fall from the end of 1924, as they lose their offices and Kalinin's
#   rises, to about 0.2-0.3 by the end of 1925. Zinoviev's line ends with his expulsion in
#   July 1926, Kamenev's with his in October 1926 (×).
# - **Lenin and Frunze.** Lenin's line stops at his first stroke (May 1922), comes back for
#   his return to work in the autumn of 1922 and stops at his second stroke (×). Frunze's
#   rises with the War Commissariat, falls when he loses it in January 1925 and stops at his
#   death (October 1925).
# - **The coalition chart.** Stalin's faction (blue) takes in everyone but Trotsky by July
#   1922 and rules throughout (white ticks) except from December 1926 to May 1927, when no
#   faction holds the Politburo's majority. Zinoviev and Kamenev leave it in
#   November 1924, and Trotsky joins them in October 1925. Bukharin, Rykov, Tomsky and
#   Kalinin leave Stalin for Kalinin's faction (dark blue) in December 1926; Rykov and then
#   Bukharin come back in 1927. The rows of Trotsky, Zinoviev and Kamenev turn grey with
#   their expulsions (April, July and October 1926).
# - **The tallies.** The opposition's count on the report is 18 at the 13th Congress, 48 at
#   the 14th and 33 at the 15th. The record has a count only for the 14th Congress
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
# **What you should see** (at the default 50 runs): the model passes 14 of the 21 criteria
# (each row says why).
#
# - **Main criteria passed (8 of 11).** The troika by mid-1923 (1.00, formed in the first
#   month). Trotsky's loss of the War Commissariat in its window (0.84; median January
#   1925, the record's month). The 14th Congress's count: its 90% interval (8 to 92
#   against) and its median (75, 10 from the record's 65). Stalin with the right (0.60).
#   The United Opposition in 1926 (0.80, median January 1926). Trotsky's removal from the
#   Politburo in its window (0.70; median July 1926). Stalin's General Secretaryship (1.00).
# - **Episodes passed (6 of 10).** The Left Opposition of 1923 (0.96) and its condemnation
#   (0.98). The New Opposition (0.72). Kamenev's speech (0.70). The Leningrad delegation
#   against the report (0.62). The public acts of 1927 (0.78).
# - **Failed.** The troika's break in 1925 (0.58), the expulsions by the end of 1927 (0.56,
#   median November 1927), the recantations (0.10) and the distinct troika (never: the
#   troika forms inside one faction of everyone but Trotsky). Also Kamenev's demotion in
#   1926 (0.50; median October 1926), Zinoviev's removal in mid-1926 (0.34; median July
#   1927) and Zinoviev's loss of the Comintern in 1926 (0.14; median October 1925).
#
# The model passes more criteria than each baseline (1 to 4) and beats every one on the
# proper scores (Brier 0.248 against 0.72-0.91). Every run tells a different history (50
# distinct in 50 runs). Earlier versions of this notebook showed 16 of 21: part of that fit
# came from charging every act of a month at its start, so that a plenum that opened days
# before a congress judged a co-report given only at the congress, and one that opened on
# the 3rd judged acts taken later in the month (`docs/model.md`, `take_acts`, "The order
# within a month"). Acts now take effect on a day of their month and a co-report at its
# assembly; the free parameters were refitted for the co-report's new order, not for the
# acts' days. At 50 runs the score moves by a criterion or two with the seeds: the 1000-run
# scorecard in `docs/validation.md` passes fewer.
#
# The dated outcomes' figure shows the War Commissariat's loss heaped in January and April
# 1925, with a spread through 1924. The troika's break spreads from 1924 to 1926, heaped in
# 1925, and so does the United Opposition, around January 1926. Trotsky's removal from the
# Politburo heaps between March and October 1926. The expulsions of Trotsky and Zinoviev
# from the party spread from late 1926 to November 1927, heaped in October and November
# 1927, and in 22 of the 50 runs they do not both come. Kamenev's demotion heaps in the
# summer and autumn of 1926, and Zinoviev's removal from the Politburo in October 1926 and
# in the summer of 1927. The tallies' figure shows the 14th Congress's dissent in two heaps:
# up to about 35 against, from runs where the opposition has lost its delegates or Zinoviev
# and Kamenev are still with Stalin, and 70 to 100 against, from runs where the Leningrad
# delegation votes against the report. At the 15th Congress one run in ten counts some 700
# against: in those runs Stalin no longer leads the ruling faction by then (in 1000 runs,
# 108 count more than 300 against, and in 97 of them Kalinin's faction rules at the end),
# and the delegates vote against its report. The baselines' counts (outlines) lie mostly
# below 35. The numbers above are from the rules as this notebook was last revised;
# `docs/validation.md` has the 1000-run scorecard.
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
# every run (median January 1925, the record's month) and is demoted in every run (median
# December 1925; the record never demoted him). He leaves the Politburo in 0.96 (median July
# 1926; recorded October 1926), the Central Committee in 0.92 (median April 1927; recorded
# 23 October 1927) and the party in 0.88, a median three months after the Central
# Committee, at a median July 1927 (recorded 14 November 1927): after his first office, his
# rungs come three to six months early. Zinoviev and Kamenev lose their first offices
# later than he does (median October 1925) and are demoted ten months after that (median
# July and October 1926). They leave the Politburo in April 1927 and October 1926 (0.80 and
# 0.78), the Central Committee in 1927 (0.64 and 0.70), and the party at a median July
# 1927 (0.56 and 0.62). `docs/model.md` §9 ("The ladder's last step, and the rung before
# it") gives what moves the last step and what is still early. The numbers are from the
# rules as this notebook was last revised.
