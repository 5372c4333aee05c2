"""Leaders: Mesa agents who form and break coalitions.

Each decision is one small method whose docstring cites the sentence of the record or the
theory it follows (keys resolve in ``docs/references.md``). A leader's value for a coalition
(:meth:`Leader.coalition_value`) adds up the rule families of ``model.coalitions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from model.engine.acts import (
    ORGANISE,
    act_values,
    agreement,
    fear_of_sanction,
    grievance,
    logit_choice,
    press_reach,
    voice,
    would_bring_sanction,
)
from model.engine.coalitions import (
    apprehension,
    exposure,
    grudge_cost,
    policy_cost,
    policy_distance,
    share_of_spoils,
    successor_threat,
    tie_bonus,
    win_probability,
)
from model.engine.sanctions import (
    BEYOND,
    CENTRAL_COMMITTEE,
    censure_suffices,
    needed_charge,
    news_since_refusal,
    next_rung,
    partners_charge,
    under_shadow,
    warning_stands,
)

if TYPE_CHECKING:
    from model.engine.model import SuccessionModel


class Leader(Agent):
    """A party leader.

    Attributes:
        idx: position in the model's leader arrays (file order of the scenario).
        name: the leader's name.
        prestige: personal authority (0..1); eroded by the ruling coalition's campaigns.
        renown: his standing before the struggle (his prestige at the start), which the
            campaigns do not erode: how far his acts are heard (:func:`acts.voice`).
        health: capacity to act (0..1); below ``Parameters.active_health`` he cannot act.
        ambition: weight he gives to his share of power against policy.
        resolve: propensity to resist rather than recant.
        suited: office kinds he is suited to take over.
        alive, in_party, in_cc: standing.
        charge: the case against him: the severity of his opposition acts, decaying
            (:mod:`model.engine.acts`).
        following: the organised following of his faction (0..1): its press, its
            meetings, its members; built by organising, it adds to his power.
        gravest_act: the severity of the gravest opposition act he has taken (0 before
            any); his bloc's gravest bounds the acts open to it
            (:func:`~model.engine.acts.repertoire`).
        warned_at_rung: the rung at which a condemnation of his acts was last moved (-1
            never): one condemnation per rung, the Central Committee's standing for the
            party's (:func:`~model.engine.sanctions.warning_stands`).
        condemned_at_rung: the rung at which a condemnation of his acts last passed (-1
            never): the warning he dreads (:meth:`dread`).
        defeated: whether a sanction against him has passed.
        recanted, refused: how he answered defeat; exiled: deported by the security office.
        stand: the least hope of his bloc and the least gap between his line and the
            ruling line at any of his refusals to recant (None before any refusal): what
            later news is measured against (:meth:`reconsider_recant`).
        joined: the step at which his current coalition was last formed or joined.
        support_seen: the members' agreement with him as he believes it, learnt from the
            last Central Committee vote taken on him (None before any); see
            :meth:`observe_vote`. Not read once he is outside the bodies
            (:meth:`outside_bodies`).
        expelled_at: the step at which he was expelled from the party (-1 if never).
    """

    model: SuccessionModel

    def __init__(self, model: SuccessionModel, spec, idx: int):
        super().__init__(model)
        self.idx = idx
        self.name = spec.name
        self.prestige = spec.prestige
        self.renown = spec.prestige
        self.health = spec.health
        self.ambition = spec.ambition
        self.resolve = spec.resolve
        self.suited = tuple(spec.suited)
        self.alive = True
        self.in_party = True
        self.in_cc = spec.central_committee
        self.charge = 0.0
        self.following = 0.0
        self.gravest_act = 0.0
        self.warned_at_rung = -1
        self.condemned_at_rung = -1
        self.defeated = False
        self.exiled = False
        self.recanted = False
        self.refused = False
        self.stand: tuple[float, float] | None = None
        self.joined = 0
        self.expelled_at = -1
        self.support_seen: float | None = None

    # ---- standing ---------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """Alive, in the party and well enough to take part in politics."""
        return self.alive and self.in_party and self.health >= self.model.params.active_health

    @property
    def is_contender(self) -> bool:
        """A contender for the succession: ambition at least ``contender_ambition``
        ("Lenin's three lieutenants", Trotsky, Bukharin [seed]). Ambition shapes his
        choices (he proposes coalitions, reviews his line, can be the feared heir), not
        whether he can be sanctioned."""
        return self.ambition >= self.model.params.contender_ambition

    @property
    def power(self) -> float:
        """Current power (computed by the model each month)."""
        return float(self.model.power[self.idx])

    @property
    def faction_name(self) -> str:
        """Name of the strongest member of his faction ('' when inactive)."""
        return self.model.faction_leader_name(self.idx)

    # ---- the value of a coalition -------------------------------------------------------
    def coalition_value(self, members: list[int], rival_power: float) -> float:
        """Value to this leader of belonging to ``members`` against a strongest rival bloc.

        V = win·[a·s + (1−a)·(1−d)] − λ·d − γ·g − a·κ·apprehension − φ·fear − η·exposure,
        where win is the probability the coalition is decisive (majority rule, on a mix of
        its share of power and of the Politburo's full members), s his share of its power
        [AES2008], d his policy distance to its line, g his strongest grudge toward a
        partner, and a his ambition. Exposure counts only for a coalition with a contender
        in it: a bystander alone is nobody's target. Apprehension weighs with ambition: a
        rival for the succession fears a dominant partner, a follower does not; the presumed
        successor (a "potential Bonaparte" [seed]) is feared by all. See
        ``model.coalitions`` for each term's evidence.
        """
        m = self.model
        p = m.params
        pw = m.power_list
        total = m.total_power
        own = sum(pw[j] for j in members)
        power_share = own / total if total > 0 else 0.0
        if p.politburo_weight > 0:
            seats = m.full_members.sum()
            pb_share = float(m.full_members[members].sum()) / seats if seats else 0.0
            power_share += p.politburo_weight * (pb_share - power_share)
        win = win_probability(power_share, p.win_softness)
        share = share_of_spoils(self.idx, members, pw, own)
        dist = policy_cost(self.idx, members, pw, m.position_list)
        a = self.ambition
        value = win * (p.ambition_weight * a * share + (1.0 - a) * (1.0 - dist))
        value -= p.policy_weight * dist
        value -= p.grudge_weight * grudge_cost(self.idx, members, m.animosity)
        value += p.tie_weight * tie_bonus(self.idx, members, m.ties)
        value -= a * p.apprehension_weight * apprehension(
            self.idx, members, pw, p.apprehension_threshold, own
        )
        value -= p.successor_fear * successor_threat(self.idx, members, pw, m.feared)
        if any(m.contender[j] for j in members):
            rival_win = win_probability(rival_power / total if total > 0 else 0.0,
                                        p.win_softness)
            value -= p.exposure_weight * exposure(own, rival_power, rival_win)
        return value

    # ---- decisions ----------------------------------------------------------------------
    def decide_coalition(self) -> None:
        """This month's move: prune a surplus partner if he leads, defect, or propose.

        Leaders "form and break coalitions" by their own decisions [seed]: a faction's
        strongest member may drop a partner (:meth:`prune_surplus`); any member may walk
        out (:meth:`defect`); a contender for the succession (ambition at least
        ``contender_ambition``: "Lenin's three lieutenants", Trotsky, Bukharin) may propose
        a new coalition to other factions' leaders, who accept or refuse
        (:meth:`propose_coalition`, :meth:`accepts`).
        """
        if not self.active:
            return
        if (self.model.params.prune_partners
                and self.model.faction_leader(self.idx) == self.idx and self.prune_surplus()):
            return
        if self.defect():
            return
        if self.is_contender:
            self.propose_coalition()
        elif self.model.params.followers_apply:
            self.apply_to_join()

    def current_value(self) -> float:
        """Value of the coalition he is in now, against the strongest other faction."""
        m = self.model
        key = (self.idx, m.state_version)
        if key not in m.value_cache:
            label = m.faction[self.idx]
            m.value_cache[key] = self.coalition_value(
                m.members(label), max(m.faction_powers(exclude=label), default=0.0)
            )
        return m.value_cache[key]

    def prune_surplus(self) -> bool:
        """Drop the partner whose exclusion most raises this leader's value, if worth it.

        Minimum winning coalitions [Riker1962]: once the common enemy is beaten, surplus
        partners are a cost. He weighs each drop with the partners who would leave with the
        one dropped (``solidarity_exit``, :meth:`~model.engine.factions.FactionBook.in_solidarity`):
        blocs, not single men, are the units a coalition is built of and pruned of; he
        prunes only when the leader of the strongest rival bloc has
        been defeated in a vote and the bloc has stopped fighting, or that bloc holds less
        than ``enemy_beaten_share`` of all power (:meth:`enemy_beaten`). Trotsky lost the
        War Commissariat in January 1925 and "Stalin took the
        initiative in breaking up the triumvirate: he refused to consult his partners or to
        concert with them his moves" [seed; calendar].
        """
        m = self.model
        mine = m.members(m.faction[self.idx])
        own = m.faction[self.idx]
        rivals = [lb for lb in m.labels() if lb != own]
        others = [m.faction_power(lb) for lb in rivals]
        strongest_rival = max(others, default=0.0)
        if len(mine) < 2 or not self.enemy_beaten(rivals, strongest_rival):
            return False
        base = self.coalition_value(mine, strongest_rival)
        best_gain, best_j = m.params.switch_cost, None
        for j in mine:
            if j == self.idx or m.steps - m.leader_list[j].joined < m.params.min_tenure:
                continue
            going = [j, *(m.in_solidarity(j, self.idx) if m.params.solidarity_exit else ())]
            rest = [k for k in mine if k not in going]
            rival = max([*others, float(m.power[going].sum())], default=0.0)
            gain = self.coalition_value(rest, rival) - base + m.decision_noise()
            if gain > best_gain:
                best_gain, best_j = gain, j
        if best_j is None:
            return False
        m.expel_from_faction(best_j, by=self.idx)
        return True

    def enemy_beaten(self, rivals: list[int], strongest_rival: float) -> bool:
        """Whether the common enemy counts as beaten: the strongest rival bloc's leader has
        lost a vote (a sanction passed against him) and the bloc has stopped fighting (the
        case against each of its members has fallen below what a condemnation needs,
        :func:`~model.engine.sanctions.censure_suffices`); or the bloc holds less than
        ``enemy_beaten_share`` of all power (no rival at all counts as beaten).

        A coalition holds together while its enemy fights: conflict with an out-group binds
        the in-group [Coser1956]. "In his fight against Trotsky, Stalin joined with" the
        right [seed], and kept it while the United Opposition fought on through 1926-27;
        the troika broke in 1925, after Trotsky's statement of 15 January accepted his
        removal and while he made no further move that year [seed; calendar]. Without
        ``quiet_enemy`` a defeat alone counts, however hard the beaten bloc still fights.
        """
        m = self.model
        if not rivals:
            return True
        if strongest_rival < m.params.enemy_beaten_share * m.total_power:
            return True
        top = max(rivals, key=lambda lb: (m.faction_power(lb), -lb))
        if not m.leader_of(top).defeated:
            return False
        if not m.params.quiet_enemy:
            return True
        own = int(m.faction[self.idx])
        return not any(censure_suffices(m, j, own) for j in m.members(top))

    def defect(self) -> bool:
        """Walk out of the faction to stand alone if that is worth more than staying.

        Apprehension drives partners out of a coalition dominated by one of them: Zinoviev
        and Kamenev "gradually moved toward opposition" [seed].
        """
        m = self.model
        label = m.faction[self.idx]
        mine = m.members(label)
        if len(mine) < 2 or m.steps - self.joined < m.params.min_tenure:
            return False
        rest_power = float(m.power[mine].sum() - m.power[self.idx])
        others = m.faction_powers(exclude=label)
        alone = self.coalition_value([self.idx], max([*others, rest_power]))
        if alone + m.decision_noise() > self.current_value() + m.params.switch_cost:
            m.leave_faction(self.idx)
            return True
        return False

    def propose_coalition(self) -> bool:
        """Propose a coalition of his faction with others; form it with those who accept.

        He adds the other factions one at a time, each time the one that raises his value
        most (greedy forward selection), and proposes the stage worth most to him (a
        winning coalition if one pays, else a defensive bloc). Balancing against the
        strongest [Waltz1979; AES2008] and the exclusion of the presumed successor follow:
        a partner who would dominate, or whom he hates, is added last or not at all.
        Invited faction leaders, and the leader of his own faction if he is not its leader,
        accept only if it raises their own value.
        """
        m = self.model
        own = int(m.faction[self.idx])
        mine = m.members(own)
        current = self.current_value()
        others = [lb for lb in m.labels() if lb != own]
        if not others:
            return False
        power_of = {lb: m.faction_power(lb) for lb in others}

        def value_with(labels: list[int]) -> float:
            members = mine + [j for lb in labels for j in m.members(lb)]
            rival = max((power_of[lb] for lb in others if lb not in labels), default=0.0)
            return self.coalition_value(members, rival)

        chosen: list[int] = []
        best_value, best_k = current + m.params.switch_cost, 0
        pool = list(others)
        while pool:
            value, label = max((value_with([*chosen, lb]), -lb) for lb in pool)
            chosen.append(-label)
            pool.remove(-label)
            if value > best_value:
                best_value, best_k = value, len(chosen)
            elif value < best_value - m.params.proposal_patience:
                break
        if best_k == 0:
            return False
        ranked = chosen
        invited = ranked[:best_k]
        members = mine + [j for lb in invited for j in m.members(lb)]
        head = m.leader_of(own)
        if head.idx != self.idx and not head.accepts(members, own, power_of):
            return False
        accepted = invited
        while True:  # those who accept are asked again about the coalition that remains
            members = mine + [j for lb in accepted for j in m.members(lb)]
            still = [lb for lb in accepted if m.leader_of(lb).accepts(members, lb, power_of)]
            if still == accepted or not still:
                accepted = still
                break
            accepted = still
        if not accepted:
            return False
        if accepted != invited and value_with(accepted) <= current + m.params.switch_cost:
            return False
        if head.idx != self.idx and not head.accepts(members, own, power_of):
            return False
        m.merge_factions(own, accepted, proposer=self.idx)
        return True

    def apply_to_join(self) -> bool:
        """A follower asks to join the faction where he would be worth most; its members
        decide by majority.

        Followers do not organise blocs, they attach themselves to one: "Stalin joined with
        a group of Politburo members who constituted the emerging 'right opposition'"
        [seed]. A faction admits him if most of its members gain by it (the leader alone
        would turn away anyone who dilutes his share [Riker1962]; a bloc of several
        decides collectively).
        """
        m = self.model
        own = int(m.faction[self.idx])
        mine = m.members(own)
        if len(mine) > 1:
            return False
        current = self.current_value()
        power_of = {lb: m.faction_power(lb) for lb in m.labels()}
        best_value, best_label = current + m.params.switch_cost, -1
        for lb in m.labels():
            if lb == own:
                continue
            members = [*m.members(lb), self.idx]
            rival = max((pw for k, pw in power_of.items() if k not in (lb, own)), default=0.0)
            value = self.coalition_value(members, rival)
            if value > best_value:
                best_value, best_label = value, lb
        if best_label < 0:
            return False
        members = [*m.members(best_label), self.idx]
        votes = [m.leader_list[j].accepts(members, best_label, power_of)
                 for j in m.members(best_label)]
        if sum(votes) * 2 <= len(votes):
            return False
        m.merge_factions(best_label, [own], proposer=self.idx)
        return True

    def accepts(self, members: list[int], label: int, power_of: dict[int, float]) -> bool:
        """Whether this leader agrees that his faction ``label`` enter the coalition
        ``members``: only if it raises his own value [Riker1962; AES2008]."""
        m = self.model
        rival = max(
            (pw for lb, pw in power_of.items() if not set(m.members(lb)) & set(members)),
            default=0.0,
        )
        value = self.coalition_value(members, rival) + m.decision_noise()
        return value > self.current_value()

    def decide_recant(self, hope: float) -> bool:
        """Recant or resist after expulsion from the party; returns True if he recants.

        "Its Trotskyist section refused to yield to the demands of the congress ... Zinoviev,
        Kamenev, and their followers, however, issued a statement in which they renounced
        their views" [seed]. The chance of recanting is (1 − resolve)·(1 − hope), where hope
        is his bloc's share of power against the ruling coalition.
        """
        p = (1.0 - self.resolve) * (1.0 - float(np.clip(hope, 0.0, 1.0)))
        return bool(self.model.rng.random() < p)

    def reconsider_recant(self, hope: float, gap: float) -> bool:
        """After a refusal, weigh recanting again on the news alone; returns True if he
        recants.

        A public refusal binds: a leader persists in a course he has chosen and answered
        for [Staw1976], and re-opens it when its grounds change. The chance is
        (1 − resolve)·news, where news is what has changed since he last refused: his
        bloc's hope fallen, the ruling line come toward his
        (:func:`~model.engine.sanctions.news_since_refusal`). The Trotskyists who
        "refused to yield" [seed] in December 1927 capitulated in 1929, after the left
        turn [Sedov1936]; Trotsky, whose line it never became, did not.
        """
        if self.stand is None:
            return self.decide_recant(hope)
        hope_then, gap_then = self.stand
        p = (1.0 - self.resolve) * news_since_refusal(hope_then, hope, gap_then, gap)
        return bool(self.model.rng.random() < p)

    # ---- opposition acts and lines ------------------------------------------------------
    def choose_act(self, ruling: int, assembly_meets: bool, forum: float = 1.0) -> int:
        """Outside the ruling coalition, choose this month's act (an index of
        :data:`model.engine.acts.ACTS`) or keep quiet (:data:`~model.engine.acts.QUIET`).

        What drives him: his grievance (ambition shut out, policy gap to the ruling line),
        carried by his bloc's voice (its members' renown together, at most 1:
        :func:`~model.engine.acts.voice`) and by the members' readiness to
        listen (their agreement with his line against the ruling one, as he perceives it
        after the last vote taken on him while he sits in a body, as it is once he is outside
        them: :meth:`perceived_agreement`), and the more so in
        the run-up to an assembly (``forum``: the pre-congress discussion opened the press
        to the opposition, as in December 1923 and in the autumn of 1927 [calendar]). What
        holds him back: effort, and the fear of sanction, which resolve and a strong bloc
        allay. He chooses by a nested logit, not knowing what an act will
        bring [McKelveyPalfrey1995]: whether to break discipline at all, then how
        (:func:`~model.engine.acts.logit_choice`), among the acts his bloc's repertoire
        holds: no graver than one level above the gravest act any of its members has taken
        (:func:`~model.engine.acts.repertoire`; ``escalation``). Once the press is closed to
        him (:meth:`press_closed`), a platform reaches only the leadership
        (:func:`~model.engine.acts.press_reach`). "Trotsky, in his turn,
        attacked the ruling group ... with increasing vehemence" [seed].
        """
        m = self.model
        p = m.params
        gap = policy_distance(m.positions[self.idx], m.faction_line(ruling))
        bloc = m.faction_power(m.faction[self.idx])
        rulers = m.faction_power(ruling)
        hope = bloc / (bloc + rulers) if bloc + rulers > 0 else 0.0
        receptive = self.perceived_agreement(self.members_agreement(ruling, m.apparatus.mood()))
        gain = np.zeros(len(p.act_reach))
        gain[ORGANISE] = p.organise_gain * receptive * (1.0 - self.following)
        gain -= self.dread(ruling, hope)
        bloc_members = m.members(m.faction[self.idx])
        heard = voice(m.leader_list[j].renown for j in bloc_members)
        gravest = (max(m.leader_list[j].gravest_act for j in bloc_members)
                   if p.escalation else None)
        values = act_values(
            p.act_drive * forum * grievance(self.ambition, gap), heard,
            fear_of_sanction(self.resolve, hope, p.act_fear), p.act_cost,
            p.act_severity, press_reach(p.act_reach, self.press_closed()), assembly_meets,
            receptive,
            in_leadership=self.has_seat(), gain=gain,
            gravest=gravest,
        )
        return logit_choice(values, p.act_temperature, float(m.rng.random()), p.act_nest)

    def press_closed(self) -> bool:
        """Whether the party press is closed to him: once the last warning before the
        expulsions has been given, a condemnation passed at the Central Committee's rung
        or beyond (``condemned_at_rung``; ``press_closes``).

        The final severe warning of the joint plenum of July-August 1927 was followed by
        the refusal, on 8 September, to print the Opposition's platform; after the
        condemnations of 1924 Trotsky's "Lessons of October" had still been printed, as
        the preface to his works [calendar].
        """
        return self.model.params.press_closes and self.condemned_at_rung >= CENTRAL_COMMITTEE

    def dread(self, ruling: int, hope: float) -> np.ndarray:
        """The dread of the sanction, per act: ``sanction_dread`` scaled like the fear of
        sanction (:func:`~model.engine.acts.fear_of_sanction`: the irresolute and the
        isolated dread most) on each act after which the case against him would reach the
        next rung's need (:func:`~model.engine.acts.would_bring_sanction`; from the Central
        Committee's rung on, the case is his bloc's strongest charge,
        :func:`~model.engine.sanctions.partners_charge`), once a condemnation of his acts has
        passed at that rung (``condemned_at_rung``); 0 for every act before such a warning,
        under the paramount's shadow (no sanction can come) and past the last rung. A case
        already at the need makes every act dreaded: keeping quiet lets the charge decay
        before the next assembly. A warning, once given, stands until a sanction moves him
        to the next rung, and the last warning before the expulsion from the Central
        Committee stands for the party's rung too
        (:func:`~model.engine.sanctions.warning_stands`).

        A warning is a threat made credible [Schelling1966]: it tells him how little more
        the majority will bear, and an offender weighs the punishment he expects
        [Becker1968]. The 13th Conference condemned the opposition in January 1924,
        "confirmed by the 13th Congress (May 1924)", and Trotsky's next move was "Lessons of
        October" in the autumn [calendar]. The dread is weighed against the drive, and it
        does not always win: after the joint plenum of July-August 1927 (the opposition's
        "statement" of 8 August, then a "final severe warning"), the opposition submitted
        its platform, set up its press and went into the streets [calendar].
        """
        m = self.model
        severity = np.asarray(m.params.act_severity, dtype=float)
        rung = next_rung(m, self.idx)
        if (m.params.sanction_dread <= 0 or rung >= BEYOND
                or not warning_stands(self.condemned_at_rung, rung, m.params.final_warning)
                or under_shadow(m, self.idx)):
            return np.zeros(len(severity))
        near = would_bring_sanction(self.charge, severity,
                                    needed_charge(m, self.idx, rung, ruling),
                                    others=partners_charge(m, self.idx, rung))
        return fear_of_sanction(self.resolve, hope, m.params.sanction_dread) * near

    def observe_vote(self, yes: int, no: int) -> None:
        """Learn from a Central Committee vote taken on him (a condemnation or a sanction)
        how far the members side with him: the share that voted against the motion becomes
        his belief (``support_seen``). The body is disciplined by its patrons, so the lesson
        overstates his isolation. Votes are the one public measure of support in a party where
        "the Stalinist apparatus demonstrated itself in complete control" [seed]; after
        each defeat the opposition fell silent or gave a statement renouncing factional
        methods (15 January 1925, 16 October 1926, 8 August 1927) and took up its acts again
        months later [calendar]. Switched off by ``votes_teach = false``."""
        if self.model.params.votes_teach and yes + no > 0:
            self.support_seen = no / (yes + no)

    def members_agreement(self, ruling: int, mood: np.ndarray) -> float:
        """The members' true agreement with his line against the ruling faction's, at their
        ``mood`` (:func:`~model.engine.acts.agreement`)."""
        m = self.model
        return agreement(policy_distance(m.positions[self.idx], mood),
                         policy_distance(m.faction_line(ruling), mood),
                         m.params.delegate_policy_sharpness)

    def perceived_agreement(self, actual: float) -> float:
        """The members' agreement with him as he perceives it: what the last vote on him
        showed (:meth:`observe_vote`), or their true agreement ``actual`` before any vote and
        once he is outside the bodies (:meth:`outside_bodies`)."""
        if self.support_seen is None or self.outside_bodies():
            return actual
        return self.support_seen

    def outside_bodies(self) -> bool:
        """Whether he reads the members directly, not through the last vote taken on him: he
        holds no seat in the Central Committee or the Politburo (``outside_reads_members``).

        The vote that taught him was the body's, and a body disciplined by its patrons
        overstates his isolation (:meth:`observe_vote`); once he has left it, he addresses
        the members themselves, over the apparatus: the United Opposition made "sporadic
        vigorous attacks on the 'apparatus'" [seed], and two weeks after their expulsion from
        the Central Committee (23 October 1927) Trotsky and Zinoviev "led their followers in
        separate processions through the streets" [seed; calendar]. Shut out of the
        institutions, challengers turn to the forms left open to them [Tarrow1998].
        """
        return self.model.params.outside_reads_members and not self.has_seat()

    def has_seat(self) -> bool:
        """Whether he sits in the leadership: in the Central Committee or the Politburo (a
        candidate's seat counts). It opens criticism inside the leadership and a co-report
        (:func:`~model.engine.acts.available_acts`), and while he has one he reads the
        members through the body's last vote on him (:meth:`outside_bodies`)."""
        return bool(self.in_cc or self.model.politburo[self.idx] > 0)

    def forget_vote(self, actual: float) -> None:
        """The lesson of the last vote fades: his belief moves toward the members' true
        agreement ``actual`` by ``charge_decay`` a month, the rate at which the party forgets
        offences (the same memory of the struggle on both sides). Called each month while a
        faction rules (:func:`~model.engine.opposition.decay_charges`)."""
        if self.support_seen is not None:
            self.support_seen += self.model.params.charge_decay * (actual - self.support_seen)

    def review_line(self, ruling: int, mood: np.ndarray) -> np.ndarray | None:
        """Weigh a shift of his declared policy line by one step on one axis; return the
        new line, or None to keep his own.

        A line close to the members' mood is worth power (``w_mood``); in opposition, a line
        apart from the ruling one is worth a platform (``line_distinction``); each shift
        costs credibility (``line_shift_cost``). Stalin's "socialism in one country"
        (1924–25) and Zinoviev's turn to the left in 1925 [seed] are shifts of this kind;
        in the baseline they are already in the starting lines, so that the reviews add
        undirected movement to them.

        He misjudges what each line is worth, his own included: every one of the five
        alternatives (keeping the line, or one step either way on either axis) draws its
        own noise (``decision_noise``), as in random utility [McFadden1974], where each
        alternative carries its own error. Noise on the shifts alone would bias him toward
        shifting whenever the values are close: with equal values he would keep his line
        in 1 review of 16 rather than 1 of 5.
        """
        m = self.model
        p = m.params
        here = m.positions[self.idx]
        outside = ruling >= 0 and m.faction[self.idx] != ruling
        ruling_line = m.faction_line(ruling) if outside else None

        def worth(line) -> float:
            value = p.w_mood * (1.0 - policy_distance(line, mood))
            if ruling_line is not None:
                value += p.line_distinction * policy_distance(line, ruling_line)
            return value

        best, best_value = None, worth(here) + p.line_shift_cost * p.line_step + m.decision_noise()
        for axis in (0, 1):
            for sign in (-1.0, 1.0):
                line = here.copy()
                line[axis] = float(np.clip(line[axis] + sign * p.line_step, -1.0, 1.0))
                value = worth(line) + m.decision_noise()
                if value > best_value:
                    best, best_value = line, value
        return best
