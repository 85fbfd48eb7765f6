"""Property tests: the vectorised integrity rules agree exactly with the slow twin
(`engine/reference_integrity.py`) on generated histories, calendars, thresholds and
ticket facts; and the honest log leaves an unflagged log as it is."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import (
    DAY,
    HOUR,
    MINUTE,
    calendar_specs,
    first_response,
    histories,
    instants,
    iso,
)
from strategies import (
    resolution as resolution_metric,
)
from test_properties import describe

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.integrity import (
    RULE_NAMES,
    ClonePolicy,
    HollowResponsePolicy,
    IntegrityPolicy,
    LateDowngradePolicy,
    PausePolicy,
    PrematureResolvePolicy,
    ScopeEscapePolicy,
    TicketFacts,
    find_flags,
    honest_log,
)
from mittari.engine.reference_integrity import ref_flags
from mittari.engine.types import (
    NO_VALUE,
    PRIORITIES,
    Actor,
    CalendarSpec,
    EventLog,
    Kind,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    Status,
    Target,
)

EXAMPLES = int(os.environ.get("MITTARI_PROPERTY_EXAMPLES", "120"))
SETTINGS = settings(
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_SHARES = st.sampled_from([10.0, 20.0, 50.0, 80.0, 100.0])
_WINDOWS = st.sampled_from([MINUTE, HOUR, DAY, 7 * DAY])
_DURATIONS = st.sampled_from([MINUTE, 30 * MINUTE, HOUR, 4 * HOUR])
_NAMES = st.frozensets(st.sampled_from(["team-a", "team-b", "team-c"]))
_SOME_NAMES = st.frozensets(st.sampled_from(["team-a", "team-b", "team-c"]), min_size=1)
_TARGET_SECONDS = st.sampled_from([600, 3600, 2 * 3600, 4 * 3600, 10 * 3600, 86400])


@st.composite
def integrity_policies(draw: st.DrawFn) -> IntegrityPolicy:
    return IntegrityPolicy(
        premature_resolve=PrematureResolvePolicy(True, draw(_SHARES), draw(_WINDOWS)),
        late_downgrade=LateDowngradePolicy(True, draw(_SHARES)),
        pause_without_cause=PausePolicy(
            True, draw(st.booleans()), draw(_WINDOWS), draw(_DURATIONS), draw(_SHARES)
        ),
        hollow_first_response=HollowResponsePolicy(True, draw(_WINDOWS), draw(_DURATIONS)),
        clone_to_restart=ClonePolicy(True, draw(_SHARES), draw(_WINDOWS), draw(_SOME_NAMES)),
        scope_escape=ScopeEscapePolicy(True, draw(_NAMES | _SOME_NAMES)),
    )


@st.composite
def targets(draw: st.DrawFn, calendars: list[str]) -> dict[int, Target]:
    chosen = draw(st.sets(st.sampled_from(PRIORITIES), min_size=1))
    return {p: Target(draw(_TARGET_SECONDS), draw(st.sampled_from(calendars))) for p in chosen}


@st.composite
def facts(draw: st.DrawFn, n: int) -> TicketFacts:
    codes = st.sampled_from([-1, 0, 0, 0, 1])
    return TicketFacts(
        np.array([draw(codes) for _ in range(n)], dtype=np.int64),
        np.array([draw(codes) for _ in range(n)], dtype=np.int64),
        np.array([draw(st.integers(-1, n - 1)) for _ in range(n)], dtype=np.int64),
    )


Case = tuple[
    EventLog, list[MetricPolicy], dict[str, CalendarSpec], IntegrityPolicy, TicketFacts,
    np.ndarray, int,
]  # fmt: skip


# Histories shaped for the rules: several tickets created close together (so that follow-ups
# and successors fall inside their windows), many status changes, replies by every actor,
# priority and category changes.
_KINDS = st.sampled_from(
    [Kind.STATUS] * 8 + [Kind.REPLY] * 4 + [Kind.PRIORITY] * 2 + [Kind.CATEGORY] * 2 + [Kind.NOTE]
)
_STATUSES = st.sampled_from(
    [Status.OPEN, Status.RESOLVED, Status.PENDING_CUSTOMER] * 3 + list(Status)
)
_GAPS = st.sampled_from([0, MINUTE, 5 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 9 * HOUR, DAY])


@st.composite
def _rows(draw: st.DrawFn, ticket: int, created: int) -> list[tuple[int, int, int, int, int]]:
    rows = [(ticket, created, int(Kind.CREATED), NO_VALUE, NO_VALUE)]
    if draw(st.booleans()):
        rows.append((ticket, created, int(Kind.PRIORITY), draw(st.sampled_from(PRIORITIES)), -1))
    ts = created
    for _ in range(draw(st.integers(0, 14))):
        ts += draw(_GAPS)
        kind = draw(_KINDS)
        value, actor = NO_VALUE, NO_VALUE
        if kind == Kind.STATUS:
            value = int(draw(_STATUSES))
        elif kind == Kind.PRIORITY:
            value = draw(st.sampled_from(PRIORITIES))
        elif kind == Kind.CATEGORY:
            value = draw(st.integers(0, 2))
        else:
            actor = int(draw(st.sampled_from(list(Actor))))
        rows.append((ticket, ts, int(kind), value, actor))
    return rows


@st.composite
def integrity_histories(draw: st.DrawFn, start: int) -> tuple[EventLog, int]:
    rows: list[tuple[int, int, int, int, int]] = []
    for ticket in range(draw(st.integers(1, 4))):
        created = start + draw(st.sampled_from([0, 10 * MINUTE, 2 * HOUR, 10 * HOUR, 2 * DAY]))
        if rows and draw(st.booleans()):  # right after the previous ticket's last event
            created = rows[-1][1] + draw(st.sampled_from([0, MINUTE, HOUR, 3 * DAY]))
        rows += draw(_rows(ticket, created))
    arr = np.array(rows, dtype=np.int64)
    last = int(arr[:, 1].max())
    as_of = draw(st.sampled_from([last, last + HOUR, last + 8 * DAY, int(arr[:, 1].min())]))
    log = EventLog.from_unsorted(
        arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].astype(np.int8), arr[:, 3].copy(),
        arr[:, 4].astype(np.int8), tuple(f"T{i}" for i in range(int(arr[:, 0].max()) + 1)),
        ("team-a", "team-b", "team-c"),
    )  # fmt: skip
    return log, as_of


@st.composite
def integrity_cases(draw: st.DrawFn) -> Case:
    spec = draw(calendar_specs(name="c0"))
    always = CalendarSpec(name="always", timezone="UTC", always_open=True)
    calendars = {"c0": spec, "always": always}
    names = list(calendars)
    pauses = draw(
        st.sampled_from(
            [(Status.PENDING_CUSTOMER, Status.PENDING_VENDOR), (Status.PENDING_CUSTOMER,), ()]
        )
    )
    metrics = [
        resolution_metric(
            draw(targets(names)),
            reopen=draw(st.sampled_from(list(ReopenPolicy))),
            rule=draw(st.sampled_from(list(PriorityRule))),
            pause=pauses,
            default=draw(st.sampled_from(PRIORITIES)),
        ),
        first_response(
            draw(targets(names)),
            system_replies=draw(st.booleans()),
            default=draw(st.sampled_from(PRIORITIES)),
        ),
    ]
    start = draw(instants(spec))
    if draw(st.integers(0, 3)) == 0:  # the engine's own history shapes now and then
        log, as_of = draw(histories(instants(spec, around=start)))
    else:
        log, as_of = draw(integrity_histories(start))
    judged = np.array([draw(st.booleans()) for _ in range(log.n_tickets)] or [True])
    return (log, metrics, calendars, draw(integrity_policies()), draw(facts(log.n_tickets)),
            judged, as_of)  # fmt: skip


def fast_rows(case: Case) -> list[tuple[int, int, int, tuple[int, ...]]]:
    log, metrics, calendars, policy, ticket_facts, judged, as_of = case
    compiled = {n: BusinessCalendar(s) for n, s in calendars.items()}
    f = find_flags(log, metrics, compiled, policy, ticket_facts, judged, as_of)
    return [
        (int(f.ticket[i]), int(f.rule[i]), int(f.at[i]), tuple(int(e) for e in f.events_of(i)))
        for i in range(len(f))
    ]


@SETTINGS
@given(case=integrity_cases())
def test_flags_match_the_reference_twin(case: Case) -> None:
    assert_matches_twin(case)


def assert_matches_twin(case: Case) -> None:
    log, metrics, calendars, policy, ticket_facts, judged, as_of = case
    twin = ref_flags(log, metrics, calendars, policy, ticket_facts, list(judged), as_of)
    fast = fast_rows(case)
    if fast != twin:
        shown = {r[0] for r in fast} ^ {r[0] for r in twin} or {r[0] for r in fast + twin}
        story = "\n".join(f"T{t}:\n{describe(log, t)}" for t in sorted(shown))
        named = [(t, RULE_NAMES[r], iso(at), ev) for t, r, at, ev in fast]
        twin_named = [(t, RULE_NAMES[r], iso(at), ev) for t, r, at, ev in twin]
        raise AssertionError(f"fast {named}\ntwin {twin_named}\nas-of {iso(as_of)}\n{story}")


@settings(deadline=None, max_examples=EXAMPLES // 2)
@given(case=integrity_cases())
def test_an_unflagged_log_is_its_own_honest_log(case: Case) -> None:
    log, metrics, calendars, policy, ticket_facts, judged, as_of = case
    compiled = {n: BusinessCalendar(s) for n, s in calendars.items()}
    f = find_flags(log, metrics, compiled, policy, ticket_facts, np.zeros_like(judged), as_of)
    assert len(f) == 0
    honest = honest_log(log, f)
    for column in ("ticket", "ts", "kind", "value", "actor"):
        assert np.array_equal(getattr(honest, column), getattr(log, column))


# --- follow-ups and successors: a close, then tickets created around it ----------------

_CLOSE_AFTER = st.sampled_from([30 * MINUTE, 57 * MINUTE, HOUR, 9 * HOUR, 9 * HOUR + 30 * MINUTE,
                                10 * HOUR, 11 * HOUR, 20 * HOUR])  # fmt: skip
_AROUND = st.sampled_from([-HOUR, 0, 1, MINUTE, HOUR, 7 * HOUR, 2 * DAY, 8 * DAY])
_CLOSES = st.sampled_from([Status.RESOLVED, Status.CLOSED, Status.CANCELLED])


@st.composite
def successor_histories(draw: st.DrawFn, start: int) -> tuple[EventLog, TicketFacts, int]:
    """Ticket 0 is closed (maybe marked, maybe reopened); tickets 1.. are created around
    the close, mostly by the same requester on the same service, some naming it as origin."""
    close = start + draw(_CLOSE_AFTER)
    rows = [(0, start, int(Kind.CREATED), NO_VALUE, NO_VALUE)]
    rows.append((0, start, int(Kind.PRIORITY), draw(st.sampled_from(PRIORITIES)), NO_VALUE))
    if draw(st.booleans()):
        rows.append(
            (0, close - draw(_AROUND) % HOUR, int(Kind.CATEGORY), draw(st.integers(0, 2)), -1)
        )
    rows.append((0, close, int(Kind.STATUS), int(draw(_CLOSES)), NO_VALUE))
    if draw(st.booleans()):
        rows.append((0, close + abs(draw(_AROUND)), int(Kind.STATUS), int(Status.OPEN), -1))
    n = draw(st.integers(2, 4))
    for t in range(1, n):
        created = close + draw(_AROUND)
        rows.append((t, created, int(Kind.CREATED), NO_VALUE, NO_VALUE))
        rows.append((t, created + HOUR, int(Kind.STATUS), int(draw(_CLOSES)), NO_VALUE))
    arr = np.array(rows, dtype=np.int64)
    log = EventLog.from_unsorted(
        arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 2].astype(np.int8), arr[:, 3].copy(),
        arr[:, 4].astype(np.int8), tuple(f"T{i}" for i in range(n)),
        ("team-a", "team-b", "team-c"),
    )  # fmt: skip
    origin = [draw(st.sampled_from([-1, 0])) for _ in range(n)]
    same = st.sampled_from([0, 0, 0, 1, -1])
    ticket_facts = TicketFacts(
        np.array([draw(same) for _ in range(n)], dtype=np.int64),
        np.array([draw(same) for _ in range(n)], dtype=np.int64),
        np.array(origin, dtype=np.int64),
    )
    return log, ticket_facts, int(arr[:, 1].max()) + draw(st.sampled_from([0, DAY]))


@st.composite
def successor_cases(draw: st.DrawFn) -> Case:
    calendars = {"always": CalendarSpec(name="always", timezone="UTC", always_open=True)}
    metrics = [resolution_metric(draw(targets(["always"])), reopen=ReopenPolicy.RESTART)]
    log, ticket_facts, as_of = draw(successor_histories(draw(instants(calendars["always"]))))
    judged = np.ones(log.n_tickets, dtype=bool)
    policy = draw(integrity_policies())
    if draw(st.booleans()):  # any category marks a duplicate, any resolve is just in time
        every = frozenset(log.strings)
        policy = replace(
            policy,
            clone_to_restart=replace(policy.clone_to_restart, categories=every),
            premature_resolve=replace(policy.premature_resolve, last_share_pct=100.0),
        )
    return log, metrics, calendars, policy, ticket_facts, judged, as_of


@SETTINGS
@given(case=successor_cases())
def test_follow_ups_and_successors_match_the_reference_twin(case: Case) -> None:
    assert_matches_twin(case)
