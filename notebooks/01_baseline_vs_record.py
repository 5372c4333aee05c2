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
# **What you should see:** by January 1925 Frunze is War Commissar: in this run Trotsky
# lost the office at the plenum of February 1924, eleven months before the record's January
# 1925. Kamenev, who took the chair of Sovnarkom at Lenin's death, lost it in October 1924
# (the record: Rykov chaired Sovnarkom from 1924), and Zinoviev the Comintern at the same
# plenum (the record: October 1926).
#
# The 14th Congress met in December 1925; the record's tally on the Central Committee's
# report is 559 to 65. In the model the tally comes from the delegates, who follow the
# secretaries the Secretariat appointed.

# %%
while m.month < "1925-12":
    m.step()
pd.DataFrame([t for t in m.tallies if t["assembly"] == "14th Congress"])

# %% [markdown]
# **What you should see:** the report passes 611 to 28 with 26 of the 665 delegates absent
# (the record: 559 to 65), and the congress condemns Kamenev (43 to 7) but takes nothing
# from him: a congress elects the Central Committee and may expel, but the Politburo's seats
# and the offices are the Central Committee's to take (`docs/model.md` §7.5,
# `body_may_take`). This seed runs far ahead of the record. Stalin dropped Kamenev in April
# 1924 and Zinoviev left with him, a year before the record's New Opposition; Trotsky joined
# them in October 1924. By December 1925 Trotsky had been demoted, removed from the
# Politburo and expelled from the Central Committee, and the plenum of 15 December expelled
# him from the party, two years before the record; Kamenev, already out of the Central
# Committee, is condemned here, and the opposition's vote is small because its leaders are
# out of the bodies.
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
#   holds from June 1922. It breaks in April 1924, when Stalin drops Kamenev and Zinoviev
#   leaves with him (the record: 1925). Trotsky joins them in October 1924 (the record's
#   United Opposition formed in 1926).
# - **The offices.** Zinoviev loses the Comintern in October 1924 and Leningrad in April
#   1925 (the record: October 1926 and January 1926). Kamenev loses the Moscow Soviet in
#   January 1925 (the record: May 1926).
# - **The ladder.** Trotsky's runs two years early: the War Commissariat in February 1924,
#   demotion in October 1924, the Politburo in January 1925, the Central Committee in
#   October 1925 and the party in December 1925 (the record: January 1925, no demotion,
#   October 1926, October and November 1927). He refuses to recant, as recorded, and the
#   security office deports him that month (the record: January 1928). Kamenev, demoted in
#   April 1925, is out of the Politburo in October 1925, of the Central Committee in
#   December and of the party in April 1926, and refuses to recant (the record: demoted in
#   January 1926, expelled in December 1927, recanted). Zinoviev alone keeps near the
#   record's months: demoted in October 1925, out of the Politburo at the joint plenum of
#   October 1926 (the record: July 1926), of the Central Committee in October 1927 and of
#   the party in November 1927, as recorded, and he recants, as recorded.
# - **The offices at the end.** Voroshilov is War Commissar and Bukharin chairs the
#   Comintern, as recorded. Kalinin chairs Sovnarkom and the Moscow Soviet (the record:
#   Rykov, and another man).
#
# This is one run, and not a typical one: the 50-run scorecard below puts Trotsky's loss of
# the War Commissariat at a median January 1925, and the ladder below his expulsion from the
# party at a median November 1926. What it shows, in the extreme, is an error the 1000-run
# scorecard shows too: Trotsky's last rungs come about a year ahead of the record. Here his
# expulsions from the Central Committee and the party follow his appeals to the streets
# from September 1925 (the record's opposition went into the streets only in 1927).
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
# - **Trotsky** falls in steps through 1922 and 1923 and drops to about 0.1 when he loses
#   the War Commissariat in February 1924, as Frunze's power rises; his line ends with his
#   expulsion in December 1925 (×).
# - **Kamenev and Zinoviev.** Kamenev's power jumps to about 1.0 when he takes Sovnarkom at
#   Lenin's death. Both fall from the autumn of 1924, as they lose their offices and
#   Kalinin's rises, to about 0.2-0.3 by the end of 1925. Kamenev's line ends with his
#   expulsion in April 1926, Zinoviev's with his in November 1927 (×).
# - **Lenin and Frunze.** Lenin's line stops at his first stroke (May 1922), comes back for
#   his return to work in the autumn of 1922 and stops at his second stroke (×). Frunze's
#   stops at his death (1925).
# - **The coalition chart.** Stalin's faction (blue) takes in everyone but Trotsky by June
#   1922 and keeps its colour throughout. Zinoviev and Kamenev leave it in April 1924, and
#   Trotsky joins them in October 1924. The right (Bukharin, Rykov, Tomsky) stays with
#   Stalin to the end, as in the record. The rows of Trotsky, Kamenev and Zinoviev turn grey
#   with their expulsions (December 1925, April 1926, November 1927).
# - **The tallies.** The opposition's count on the report is 97 at the 13th Congress, 28 at
#   the 14th and 2 at the 15th. The record has a count only for the 14th Congress
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
# **What you should see** (at the default 50 runs): the model passes 11 of the 21 criteria
# (each row says why).
#
# - **Main criteria passed (6 of 11).** The troika by mid-1923 (0.98, formed in the first
#   months). Trotsky's loss of the War Commissariat in its window (0.66; median January
#   1925, the record's month). The 90% interval of the 14th Congress's count (7 to 92
#   against, the record 65). The United Opposition in 1926 (0.76, but a median October
#   1925). The expulsions of Trotsky and Zinoviev by the end of 1927 (0.72, median July
#   1927). Stalin's General Secretaryship (1.00).
# - **Episodes passed (5 of 10).** The Left Opposition of 1923 (0.92) and its condemnation
#   (0.98). The New Opposition (0.76). Kamenev's speech (0.72). Kamenev's demotion in 1926
#   (0.60, median July 1926 where the record has January).
# - **Failed.** The troika's break in 1925 (0.48), the 14th Congress's median count (41
#   against, 24 from the record), Stalin with the right through 1926-27 (0.42), Trotsky's
#   removal from the Politburo in its window (0.50; median April 1926), the recantations
#   (0.18) and the distinct troika (never: the troika forms inside one faction of everyone
#   but Trotsky). Also the Leningrad delegation's vote (0.46), Zinoviev's removal in
#   mid-1926 (0.38; median October 1926), the public acts of 1927 (0.48) and Zinoviev's
#   loss of the Comintern in 1926 (0.10; median October 1925).
#
# The model passes more criteria than each baseline (1 to 5) and beats every one on the
# proper scores (Brier 0.275 against 0.72-0.91). Every run tells a different history (50
# distinct in 50 runs). Earlier versions of this notebook showed 16 of 21: part of that fit
# came from charging a co-report before the plenum that opens days before its congress or
# conference (`docs/model.md`, `take_acts`, "The order within a month"); the co-report is
# now charged at its assembly and the free parameters refitted.
#
# The dated outcomes' figure shows the War Commissariat's loss in two heaps, January and
# April 1925, with a spread through 1924. The troika's break spreads from 1924 to 1926, as
# does the United Opposition, which forms mostly in 1925, a year early. The expulsions of
# Trotsky and Zinoviev from the party spread over 1926 and 1927, with a heap in July 1927,
# four months before the record, and only a few runs beside it. Kamenev's demotion heaps
# in the autumn of 1926, and Zinoviev's removal from the Politburo spreads from late 1925
# to the end of 1927. The tallies' figure shows the 14th Congress's dissent in two heaps:
# 5 to 45 against, from runs where the opposition has lost its delegates or Zinoviev and
# Kamenev are still with Stalin, and 75 to 95 against, from runs where the Leningrad
# delegation votes against the report. At the 15th Congress a fifth of the runs count some
# 700 against: in those runs Stalin no longer leads the ruling faction by then (in 1000
# runs, 129 count more than 300 against, and in every one of them another leader's faction
# rules at the end, Kalinin's in 113), and the delegates vote against its report.
# The baselines' counts (outlines) lie mostly below 30. The numbers above are from the
# rules as this notebook was last revised; `docs/validation.md` has the 1000-run scorecard.
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
# **What you should see** (at the default 50 runs): Trotsky loses his first office in 0.98
# of the runs (median January 1925, the record's month) and is demoted in 0.98 (median
# October 1925; the record never demoted him). He leaves the Politburo in 0.98 (median April
# 1926; recorded October 1926), the Central Committee in 0.88 (median October 1926; recorded
# 23 October 1927) and the party in 0.88, a median three months after the Central Committee,
# at a median November 1926 (recorded 14 November 1927): after his first office, his
# Politburo rung comes six months early and his last two about a year early. Zinoviev and
# Kamenev lose their first offices later than he does (median October 1925) and are demoted
# nine months after that (median July 1926). They leave the Politburo in October 1926 and
# the Central Committee in 1927 (0.76 and 0.84), and the party a median three months later
# (0.72 and 0.82). `docs/model.md` §9 ("The ladder's last step, and the rung before it")
# gives what moves the last step and what is still early. The numbers are from the rules as
# this notebook was last revised.
