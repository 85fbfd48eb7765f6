"""The slow twin of the experience metrics: one plain loop per ticket and per answer.

Written from docs/experience.md without the vectorised engine's tricks, so that property
tests can hold `experience.py` and `experience_tickets.py` to the same results. Groups are
dictionaries keyed by the tuple of key codes; each holds the named counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from mittari.engine.experience import (
    FACTOR_PREFIX,
    FACTORS,
    LOST_TIME_MINUTES,
    NO_SCORE,
    TEAM_FACTOR_PREFIX,
    TEAM_FACTORS,
    Answers,
    Question,
    Scale,
    Sentiment,
    Survey,
)
from mittari.engine.types import NULL_TS, Actor, EventLog, Kind, Status

Groups = dict[tuple[int, ...], dict[str, int]]
STOPPED = {int(Status.RESOLVED), int(Status.CLOSED)}
TERMINAL = STOPPED | {int(Status.CANCELLED)}


def ref_answer_groups(keys: Sequence[Sequence[int]], answers: Answers) -> Groups:
    groups: Groups = defaultdict(lambda: defaultdict(int))
    for i in range(len(answers)):
        key = tuple(int(k[i]) for k in keys)
        counts = groups[key]
        for name, value in _answer_counts(answers, i).items():
            counts[name] += value
    return {k: dict(v) for k, v in groups.items()}


def _answer_counts(a: Answers, i: int) -> dict[str, int]:
    score, scale, survey = int(a.score[i]), int(a.scale[i]), int(a.survey[i])
    counts = {"answers": 0}
    if score == NO_SCORE:
        return counts
    if survey == Survey.PULSE:
        return _pulse_counts(score, scale, int(a.question[i]))
    if survey == Survey.TEAM:
        if scale == Scale.ONE_TO_FIVE and a.question[i] == Question.MEASURED_WELL:
            named = [n for j, n in enumerate(a.factor_names) if a.factors[i, j]]
            obstacles = [n for n in named if n in TEAM_FACTORS]
            counts |= {"team_n": 1, "team_agree": int(score >= 4), "team_sum": score}
            counts["team_factored"] = int(bool(obstacles))
            for name in obstacles:
                counts[TEAM_FACTOR_PREFIX + name] = 1
        return counts
    counts["answers"] = 1
    if scale == Scale.ZERO_TO_TEN:
        top, bottom = int(score >= 9), int(score <= 6)
        counts |= {"happy_n": 1, "happy_top": top, "happy_bottom": bottom, "happy_sum": score}
    elif scale == Scale.ONE_TO_FIVE:
        counts |= {"csat5_n": 1, "csat5_top": int(score >= 4), "csat5_sum": score}
    else:
        counts |= {"good_bad_n": 1, "good_n": int(score == 1)}
    if a.lost_time[i] >= 0:
        counts |= {"lost_n": 1, "lost_min": int(LOST_TIME_MINUTES[a.lost_time[i]])}
    named = [n for j, n in enumerate(a.factor_names) if a.factors[i, j]]
    named = [n for n in named if n in FACTORS or n not in TEAM_FACTORS]  # no team-only one
    counts["factored"] = int(bool(named))
    for name in named:
        counts[FACTOR_PREFIX + name] = 1
    if a.sentiment[i] >= 0:
        counts["commented"] = 1
        counts["comment_positive"] = int(a.sentiment[i] == Sentiment.POSITIVE)
        counts["comment_negative"] = int(a.sentiment[i] == Sentiment.NEGATIVE)
    return {k: int(v) for k, v in counts.items()}


def _pulse_counts(score: int, scale: int, question: int) -> dict[str, int]:
    """A pulse answer: the recommend question on 0-10 is the NPS; each statement on 1-5."""
    if question == Question.RECOMMEND and scale == Scale.ZERO_TO_TEN:
        return {"pulse_n": 1, "pulse_promoters": score >= 9, "pulse_detractors": score <= 6}
    statement = {Question.UNDERSTAND: "pulse_understand", Question.PREVENT: "pulse_prevent"}
    if question in statement and scale == Scale.ONE_TO_FIVE:
        name = statement[Question(question)]
        return {f"{name}_n": 1, f"{name}_agree": int(score >= 4), f"{name}_sum": score}
    return {}


def ref_ticket_facts(
    log: EventLog,
    as_of_us: int,
    requester: Sequence[int],
    service: Sequence[int],
    ping_pong_after: int,
    repeat_within_us: int,
) -> list[dict[str, int]]:
    """Per ticket index: created_at, resolved_at, reopened, first_contact, reassignments,
    ping_pong, repeat."""
    events: list[list[tuple[int, int, int, int]]] = [[] for _ in range(log.n_tickets)]
    for i in range(len(log)):
        if log.ts[i] <= as_of_us:
            row = (int(log.ts[i]), int(log.kind[i]), int(log.value[i]), int(log.actor[i]))
            events[int(log.ticket[i])].append(row)
    facts = [_one_ticket(rows, ping_pong_after) for rows in events]
    for t, fact in enumerate(facts):
        fact["repeat"] = int(_is_repeat(t, facts, requester, service, repeat_within_us))
    return facts


def _one_ticket(rows: list[tuple[int, int, int, int]], ping_pong_after: int) -> dict[str, int]:
    created = resolved = NULL_TS
    status = int(Status.NEW)
    reopened = False
    held: list[int] = []  # the assignments in force, in order, repeats collapsed
    agent_replies: list[int] = []
    customer_replies: list[int] = []
    for pos, (ts, kind, value, actor) in enumerate(rows):
        if kind == Kind.CREATED and created == NULL_TS:
            created = ts
        elif kind == Kind.STATUS:
            if value in STOPPED and resolved == NULL_TS:
                resolved = ts
            if status in STOPPED and value not in TERMINAL:
                reopened = True
            status = value
        elif kind == Kind.ASSIGN and (not held or held[-1] != value):
            held.append(value)
        elif kind == Kind.REPLY and actor == Actor.AGENT:
            agent_replies.append(pos)
        elif kind == Kind.REPLY and actor == Actor.CUSTOMER:
            customer_replies.append(pos)
    reassignments = max(len(held) - 1, 0)
    came_back = len(set(held)) < len(held)
    answered_once = len(agent_replies) == 1 and all(c < agent_replies[0] for c in customer_replies)
    first_contact = resolved != NULL_TS and not reopened and answered_once and reassignments == 0
    return {
        "created_at": created,
        "resolved_at": resolved,
        "reopened": int(reopened),
        "first_contact": int(first_contact),
        "reassignments": reassignments,
        "ping_pong": int(came_back or reassignments >= ping_pong_after),
    }


def _is_repeat(
    t: int,
    facts: list[dict[str, int]],
    requester: Sequence[int],
    service: Sequence[int],
    within_us: int,
) -> bool:
    mine = facts[t]["created_at"]
    if mine == NULL_TS or requester[t] < 0 or service[t] < 0:
        return False
    for other, fact in enumerate(facts):
        theirs = fact["created_at"]
        if other == t or theirs == NULL_TS:
            continue
        same = requester[other] == requester[t] and service[other] == service[t]
        earlier = (theirs, other) < (mine, t)
        if same and earlier and mine - theirs <= within_us:
            return True
    return False


def ref_ticket_groups(
    created_keys: Sequence[Sequence[int]],
    resolved_keys: Sequence[Sequence[int]],
    facts: list[dict[str, int]],
    answered: Sequence[bool],
) -> Groups:
    groups: Groups = defaultdict(lambda: defaultdict(int))
    for t, fact in enumerate(facts):
        if fact["created_at"] != NULL_TS:
            counts = groups[tuple(int(k[t]) for k in created_keys)]
            counts["created"] += 1
            counts["repeat_contacts"] += fact["repeat"]
        if fact["resolved_at"] != NULL_TS:
            counts = groups[tuple(int(k[t]) for k in resolved_keys)]
            counts["resolved"] += 1
            counts["answered"] += int(answered[t])
            for name in ("reopened", "first_contact", "ping_pong", "reassignments"):
                counts[name] += fact[name]
    return {k: dict(v) for k, v in groups.items()}
