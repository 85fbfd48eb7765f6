"""Property tests: the vectorised experience metrics agree exactly with the slow twin
(`engine/reference_experience.py`) on generated answers and histories, and parts of any
split of the rows merge into the parts of the whole."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import DAY, HOUR, histories, utc

from mittari.engine.experience import (
    NO_SCORE,
    SCALE_RANGES,
    Answers,
    Parts,
    answer_parts,
    merge_parts,
)
from mittari.engine.experience_tickets import ticket_experience, ticket_parts
from mittari.engine.reference_experience import (
    Groups,
    ref_answer_groups,
    ref_ticket_facts,
    ref_ticket_groups,
)
from mittari.engine.types import NO_VALUE, NULL_TS, Actor, EventLog, Kind, Status

EXAMPLES = int(os.environ.get("MITTARI_PROPERTY_EXAMPLES", "120"))
SETTINGS = settings(
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Ticket factors, a team-only factor and `other`, which both surveys name.
FACTOR_NAMES = ("speed", "not_fixed", "friendly", "clock_rules", "other")
_KEY = st.integers(-1, 2)


@st.composite
def _answer(draw: st.DrawFn) -> tuple[int, ...]:
    scale = draw(st.integers(0, 2))
    low, high = SCALE_RANGES[scale]
    score = draw(st.one_of(st.integers(low, high), st.just(NO_SCORE)))
    factors = draw(st.integers(0, 2 ** len(FACTOR_NAMES) - 1))
    return (
        draw(st.integers(0, 2)),  # survey: ticket, pulse, team
        scale,
        score,
        draw(st.integers(-1, 4)),  # lost time
        factors,
        draw(st.integers(-1, 2)),  # sentiment
        draw(_KEY),
        draw(_KEY),
        draw(st.integers(0, 3)),  # question, whatever the survey and scale
    )


@st.composite
def answers(draw: st.DrawFn) -> tuple[list[np.ndarray], Answers]:
    rows = draw(st.lists(_answer(), max_size=40))
    cols = np.array(rows, dtype=np.int64).reshape(-1, 9)
    bits = np.array([1 << j for j in range(len(FACTOR_NAMES))])
    factors = (cols[:, 4:5] & bits) > 0
    a = Answers(
        survey=cols[:, 0].astype(np.int8),
        scale=cols[:, 1].astype(np.int8),
        score=cols[:, 2].copy(),
        lost_time=cols[:, 3].astype(np.int8),
        factors=factors,
        factor_names=FACTOR_NAMES,
        sentiment=cols[:, 5].astype(np.int8),
        question=cols[:, 8].astype(np.int8),
    )
    return [cols[:, 6].copy(), cols[:, 7].copy()], a


def as_groups(parts: Parts) -> Groups:
    out: Groups = {}
    for g in range(len(parts)):
        key = tuple(int(k[g]) for k in parts.keys)
        out[key] = {n: int(parts.counts[g, j]) for j, n in enumerate(parts.names)}
    return out


def same_groups(fast: Parts, slow: Groups) -> None:
    found = as_groups(fast)
    assert set(found) == set(slow)
    for key, counts in found.items():
        expected = slow[key]
        assert set(expected) <= set(counts), key
        assert counts == {n: expected.get(n, 0) for n in counts}, key


@SETTINGS
@given(answers())
def test_answer_parts_agree_with_the_twin(drawn: tuple[list[np.ndarray], Answers]) -> None:
    keys, a = drawn
    same_groups(answer_parts(keys, a), ref_answer_groups(keys, a))


@SETTINGS
@given(answers(), st.data())
def test_parts_of_any_split_merge_into_the_whole(
    drawn: tuple[list[np.ndarray], Answers], data: st.DataObject
) -> None:
    keys, a = drawn
    side = np.array(data.draw(st.lists(st.booleans(), min_size=len(a), max_size=len(a))), bool)
    pieces = [answer_parts([k[m] for k in keys], _rows(a, m)) for m in (side, ~side)]
    whole = answer_parts(keys, a)
    merged = merge_parts(pieces[::-1] if data.draw(st.booleans()) else pieces)
    assert as_groups(merged) == as_groups(whole)
    assert merged.names == merge_parts([whole]).names


def _rows(a: Answers, mask: np.ndarray) -> Answers:
    return Answers(
        a.survey[mask],
        a.scale[mask],
        a.score[mask],
        a.lost_time[mask],
        a.factors[mask],
        a.factor_names,
        a.sentiment[mask],
        a.question[mask],
    )


# Creation on a coarse grid, so that two tickets are often exactly a window apart.
_CREATED = st.integers(0, 40).map(lambda k: utc("2026-03-01T00:00:00Z") + k * 6 * HOUR)
_WITHIN = st.sampled_from([6 * HOUR, DAY, 7 * DAY])
_STEPS = st.sampled_from([0, 1, 30, 60]).map(lambda m: m * 60 * 1_000_000)
# What the experience facts read, often: stops, reopens, cancels, replies, assignments.
_EVENTS = st.sampled_from(
    [(Kind.STATUS, int(s), NO_VALUE) for s in Status]
    + [(Kind.STATUS, int(Status.RESOLVED), NO_VALUE)] * 3
    + [(Kind.REPLY, NO_VALUE, int(a)) for a in Actor] * 3
    + [(Kind.ASSIGN, v, NO_VALUE) for v in (0, 1, 2)] * 3
    + [(Kind.NOTE, NO_VALUE, int(Actor.AGENT)), (Kind.PRIORITY, 2, NO_VALUE)]
)


@st.composite
def experience_histories(draw: st.DrawFn) -> tuple[EventLog, int]:
    rows: list[tuple[int, ...]] = []
    n = draw(st.integers(1, 4))
    for t in range(n):
        ts = draw(_CREATED)
        rows.append((t, ts, int(Kind.CREATED), NO_VALUE, NO_VALUE))
        for _ in range(draw(st.integers(0, 10))):
            ts += draw(_STEPS)
            rows.append((t, ts, *draw(_EVENTS)))
    times = [r[1] for r in rows]
    as_of = draw(st.one_of(st.just(max(times)), st.sampled_from(times)))
    a = np.array(rows, dtype=np.int64)
    ids = tuple(f"T{i}" for i in range(n))
    log = EventLog.from_unsorted(
        a[:, 0].copy(),
        a[:, 1].copy(),
        a[:, 2].astype(np.int8),
        a[:, 3].copy(),
        a[:, 4].astype(np.int8),
        ids,
        ("team-a", "team-b", "team-c"),
    )
    return log, as_of


_HISTORIES = st.one_of(experience_histories(), histories(_CREATED))


@SETTINGS
@given(_HISTORIES, st.data(), st.integers(1, 4), _WITHIN)
def test_ticket_facts_and_parts_agree_with_the_twin(
    drawn: tuple[EventLog, int], data: st.DataObject, after: int, within: int
) -> None:
    log, as_of = drawn
    n = log.n_tickets
    codes = st.lists(st.integers(-1, 1), min_size=n, max_size=n)
    requester, service = np.array(data.draw(codes)), np.array(data.draw(codes))
    fast = ticket_experience(
        log, as_of, requester, service, ping_pong_after=after, repeat_within_us=within
    )
    slow = ref_ticket_facts(log, as_of, requester, service, after, within)
    for name in slow[0]:
        assert getattr(fast, name).astype(np.int64).tolist() == [f[name] for f in slow], name
    answered = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool)
    month = (fast.created_at != NULL_TS).astype(np.int64)
    created_keys, resolved_keys = [service, month], [service, 1 - month]
    same_groups(
        ticket_parts(created_keys, resolved_keys, fast, answered),
        ref_ticket_groups(created_keys, resolved_keys, slow, answered.tolist()),
    )
