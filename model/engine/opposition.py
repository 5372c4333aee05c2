"""The opposition's side of the month and the ruling coalition's answer outside the bodies:
acts and their effects, declared lines, the campaign, the decay of charges, purges.

The sanctions that answer acts inside the bodies are in :mod:`model.engine.sanctions`.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING

import numpy as np

from model.engine.acts import (
    ACTS,
    CO_REPORT,
    ORGANISE,
    QUIET,
    available_acts,
    press_reach,
    standing_change,
)
from model.engine.spec import day_of
from model.engine.votes import is_opposition, ruling_faction

if TYPE_CHECKING:
    from model.engine.model import SuccessionModel


def may_act(model: SuccessionModel, i: int, ruling: int) -> bool:
    """Who may act against the ruling coalition: an active party member outside it who
    has not recanted. Ambition shapes the choice (:meth:`Leader.choose_act`), not the
    right to make it."""
    ld = model.leader_list[i]
    return ruling >= 0 and ld.active and not ld.recanted and model.faction[i] != ruling


def take_acts(model: SuccessionModel) -> None:
    """Each leader outside the ruling coalition, in random order, chooses an act or keeps
    quiet (:meth:`Leader.choose_act`) and the act takes effect (:func:`apply_act`); with
    ``co_report_at_assembly`` a co-report waits for its congress or conference
    (:func:`give_co_reports`); with ``acts_dated``, in a month with assemblies, every other
    act waits for its day (:func:`act_day`; :meth:`SuccessionModel.catch_up` applies it),
    unless one of the month's assemblies is dated only to the month (then every act is
    taken before them, as no day places it after one). In a month of dated assemblies every
    leader chooses before any act of the month takes effect, so none sees another's."""
    ruling = ruling_faction(model)
    if ruling < 0:
        return
    held = model.assemblies_at.get(model.steps, [])
    meets = any(a.kind in ("congress", "conference") for a in held)
    forum = forum_of(model)
    dated = model.params.acts_dated and bool(held) and all(day_of(a.date) for a in held)
    order = [ld for ld in model.leader_list if may_act(model, ld.idx, ruling)]
    model.random.shuffle(order)
    for ld in order:
        k = ld.choose_act(ruling, meets, forum)
        if k == CO_REPORT and model.params.co_report_at_assembly:
            model.co_reports.append(ld.idx)
        elif k not in (QUIET, CO_REPORT) and dated:
            model.dated_acts.append((act_day(model), ld.idx, k))
        elif k != QUIET:
            apply_act(model, ld.idx, k, ruling)


def act_day(model: SuccessionModel) -> int:
    """The day of the month on which an act takes effect, drawn uniformly from the month's
    days (``model.rng``).

    The calendar dates its assemblies to the day and the model's acts only to the month,
    and an assembly can judge only what was done before it met: the Declaration of the 46
    (15 October 1923) came after Trotsky's letter of 8 October and before the joint plenum
    of 25-27 October that condemned both; the plenum of 3-10 October 1925 answered the
    "Platform of the Four" (September or early October; its date is approximate), not the
    Leningraders' speeches of December; the demonstrations of 7 November 1927 came before
    the joint session of 12-14 November that expelled Trotsky and Zinoviev from the party
    [calendar]. With nothing in the record to
    place a month's acts within it, every day is as likely as another; a plenum that opens
    on the 3rd sees few of its month's acts, one that opens on the 28th most of them. The
    record's examples lean the other way, acts timed before the assembly they address; the
    uniform day is the assumption of ignorance, not a finding (docs/model.md, ``take_acts``).
    """
    first = model.date_of_step(model.steps)
    return int(model.rng.integers(1, calendar.monthrange(first.year, first.month)[1] + 1))


def dated_acts_due(model: SuccessionModel, day: int | None = None) -> list[tuple[int, int, int]]:
    """Take out of the acts held back this month (``dated_acts``: :func:`take_acts`,
    ``acts_dated``) those dated before ``day``, all of them when ``day`` is None, and return
    them as ``(day, leader, act)`` in the order they were chosen;
    :meth:`SuccessionModel.catch_up` applies them in the order of their days (a stable sort,
    so acts of the same day keep that order). An act on an
    assembly's opening day comes after the opening."""
    due = [act for act in model.dated_acts if day is None or act[0] < day]
    model.dated_acts = [act for act in model.dated_acts if day is not None and act[0] >= day]
    return due


def take_dated_act(model: SuccessionModel, day: int, i: int, k: int) -> None:
    """A held-back act of leader ``i`` takes effect on its day (:func:`apply_act`), against
    the coalition ruling that day, if he may still act (:func:`may_act`: alive, not
    recanted, not expelled, not gone over to the rulers, and some faction rules) and still
    has the seat the act needs (:func:`~model.engine.acts.available_acts`); otherwise it
    lapses. A leader expelled from the bodies at a plenum before his act's day does not
    give the criticism inside the leadership he chose at the start of the month; an act
    against a coalition that has broken up, leaving no faction ruling, is not taken. The
    event log gives the act's ``day``, or an ``act_lapsed`` event with it."""
    ruling = ruling_faction(model)
    if still_may_take(model, i, k, ruling, assembly_meets=False):
        apply_act(model, i, k, ruling, day)
    else:
        model.log_event("act_lapsed", model.leader_list[i].name, ACTS[k], f"day {day}", "")


def still_may_take(model: SuccessionModel, i: int, k: int, ruling: int,
                   assembly_meets: bool) -> bool:
    """Whether leader ``i`` may still take act ``k``, chosen earlier in the month, when it
    falls due: he may still act (:func:`may_act`) and still has the seat it needs
    (:func:`~model.engine.acts.available_acts`). A held-back act (:func:`take_dated_act`)
    and a co-report waiting for its assembly (:func:`give_co_reports`) are both checked so."""
    seated = model.leader_list[i].has_seat()
    return may_act(model, i, ruling) and bool(available_acts(seated, assembly_meets)[k])


def give_co_reports(model: SuccessionModel) -> None:
    """With ``co_report_at_assembly``, the co-reports chosen this month (:func:`take_acts`)
    are given when the month's first congress or conference meets, before its vote on the
    report, and take effect then (:func:`apply_act`): a plenum held earlier in the month
    does not see them, one held later does. Each is given by a leader who may still act
    (:func:`may_act`) and still has the seat a co-report needs
    (:func:`~model.engine.acts.available_acts`); the rest lapse, as do any still waiting
    when the month's assemblies are over (:meth:`SuccessionModel.hold_assemblies`).

    A co-report is a speech at the assembly: the plenum of 15 December 1925 met three days
    before the 14th Congress (18-31 December) at which the Leningraders spoke against the
    report, and the plenum of 28 December met after it [calendar]. Without it a co-report
    takes effect when it is chosen, before any of the month's assemblies (docs/model.md,
    ``take_acts``).
    """
    ruling = ruling_faction(model)
    given, model.co_reports = model.co_reports, []
    for i in given:
        if still_may_take(model, i, CO_REPORT, ruling, assembly_meets=True):
            apply_act(model, i, CO_REPORT, ruling)


def forum_of(model: SuccessionModel) -> float:
    """How much an act is worth this month for the assemblies ahead: ``1 + forum_weight``
    when a congress or conference meets this month or within ``forum_months``, ``1 +
    forum_weight / 2`` when only a plenum meets this month, else 1. Congresses were
    preceded by a discussion in which the opposition could publish [calendar: the "New
    Course" articles of December 1923 before the 13th Conference; the platform of September
    1927 before the 15th Congress]."""
    p = model.params
    for k in range(model.steps, model.steps + p.forum_months + 1):
        if any(a.kind in ("congress", "conference") for a in model.assemblies_at.get(k, [])):
            return 1.0 + p.forum_weight
    if model.assemblies_at.get(model.steps):
        return 1.0 + p.forum_weight / 2
    return 1.0


def apply_act(model: SuccessionModel, i: int, k: int, ruling: int,
              day: int | None = None) -> None:
    """An act takes effect: the charge against its author grows by its severity; the
    members' mood moves toward his line by ``act_mood_effect``·reach·prestige (the reach
    as the press allows him, :func:`~model.engine.acts.press_reach`); his prestige
    rises or falls with the members' agreement (:func:`~model.engine.acts.standing_change`);
    organising adds to his faction's following as far as the members agree with him; the
    act's severity, if graver than any he has taken, widens his bloc's repertoire
    (``gravest_act``, :func:`~model.engine.acts.repertoire`). The ``day`` of an act dated
    within its month (:func:`take_dated_act`) goes into the logged event's detail.

    "The literary discussion" and the platforms moved opinion and cost their authors
    standing when the party sided with the majority [seed; calendar].
    """
    p = model.params
    ld = model.leader_list[i]
    reach = float(press_reach(p.act_reach, ld.press_closed())[k])
    ld.charge += p.act_severity[k]
    ld.gravest_act = max(ld.gravest_act, float(p.act_severity[k]))
    app = model.apparatus
    own = model.positions[i]
    pull = p.act_mood_effect * reach * ld.prestige
    app.economy += pull * (own[0] - app.economy)
    app.world += pull * (own[1] - app.world)
    mood = app.mood()
    agree = ld.members_agreement(ruling, mood)
    ld.prestige = float(np.clip(ld.prestige + standing_change(reach, agree, p.act_standing_effect),
                                0.0, 1.0))
    if k == ORGANISE:
        ld.following += p.organise_gain * agree * (1.0 - ld.following)
    on = "" if day is None else f", day {day}"
    model.log_event("act", ld.name, ACTS[k], f"agreement {agree:.2f}{on}", "")
    model.state_changed()


def review_lines(model: SuccessionModel) -> None:
    """Contenders, each with a monthly chance ``line_review_rate``, weigh a shift of their
    declared line (:meth:`Leader.review_line`); a shift costs credibility."""
    p = model.params
    if p.line_review_rate <= 0:
        return
    ruling = ruling_faction(model)
    mood = model.apparatus.mood()
    for ld in model.leader_list:
        if not ld.active or not ld.is_contender:
            continue
        if model.rng.random() >= p.line_review_rate:
            continue
        line = ld.review_line(ruling, mood)
        if line is None:
            continue
        model.set_line(ld.idx, line)
        ld.prestige = max(0.0, ld.prestige - p.line_shift_cost * p.line_step)
        model.log_event("line_shift", ld.name, f"{line[0]:+.2f} {line[1]:+.2f}", "", "")


def organisation(model: SuccessionModel, label: int) -> float:
    """How far faction ``label`` is organised as a faction in the sense of the 1921 ban: its
    members' organised followings (its press, its meetings, its network: the act of
    organising, :func:`apply_act`) together, at most 1. A bloc of leaders who only speak and
    publish together is not yet one. "Despite interdictions, organized factions continued
    to exist" [seed]: the opposition's illegal meeting in the forest near Dolgoprudnaya (6
    June 1926) cost Zinoviev his seat in the Politburo, and its illegal press (September
    1927) brought the expulsions [calendar]."""
    return min(1.0, float(sum(model.leader_list[j].following for j in model.members(label))))


def run_campaign(model: SuccessionModel) -> None:
    """The ruling coalition's press and apparatus answer the opposition's acts by eroding
    its authors' prestige.

    "Stalin's counterattack against Trotsky's vigorous criticism was likewise strong ...
    Trotsky, the army leader, was a potential 'Bonaparte'" [seed]. The monthly loss is
    ``campaign_rate`` × the ruling coalition's control of press and apparatus × the charge
    against the leader, raised by ``factionalism`` for each further member of his bloc as
    far as the bloc is organised (:func:`organisation`): factions had been banned since
    1921 [RCP1921] and "Despite interdictions, organized factions continued to exist" [seed]
    drew the heaviest fire. A bloc that has not organised draws the fire its members' charges
    draw, no more.
    """
    ruling = ruling_faction(model)
    if ruling < 0:
        return
    p = model.params
    members = model.members(ruling)
    press = sum(o.weight for o in model.offices if o.kind == "press")
    press_held = sum(
        o.weight for o in model.offices if o.kind == "press" and o.holder in members
    )
    patronage = model.apparatus.patronage_share(len(model.leader_list))[members].sum()
    s = p.press_control_share
    control = s * (press_held / press if press > 0 else 0.0) + (1.0 - s) * patronage
    for ld in model.leader_list:
        if is_opposition(model, ld.idx, ruling):
            label = model.faction[ld.idx]
            bloc = len(model.members(label))
            heavier = p.factionalism * (bloc - 1) * organisation(model, label)
            rate = p.campaign_rate * (1.0 + heavier) * ld.charge
            ld.prestige *= 1.0 - min(rate * control, 1.0)


def decay_charges(model: SuccessionModel) -> None:
    """Offences are forgotten and followings drift away: every charge and following decays
    by ``charge_decay`` a month; an expelled leader's following is gone; the lesson of the
    last vote on a leader fades toward the members' true agreement with him
    (:meth:`Leader.forget_vote`)."""
    keep = 1.0 - model.params.charge_decay
    ruling = ruling_faction(model)
    mood = model.apparatus.mood() if ruling >= 0 else None
    for ld in model.leader_list:
        ld.charge *= keep
        ld.following *= keep
        if not ld.in_party:
            ld.following = 0.0
        if ld.support_seen is not None and mood is not None:
            ld.forget_vote(ld.members_agreement(ruling, mood))


def purge(model: SuccessionModel, share: float) -> None:
    """A purge (a scheduled verification of the membership; its date and size are
    exogenous) expels ``share`` of the members of the regions whose secretary is an
    opposition leader's man, or of every region when none is."""
    ruling = ruling_faction(model)
    app = model.apparatus
    opposed = np.array([pt >= 0 and is_opposition(model, int(pt), ruling) for pt in app.patron])
    hit = opposed if opposed.any() else np.ones(app.size, dtype=bool)
    app.members = np.where(hit, app.members * (1.0 - share), app.members)
