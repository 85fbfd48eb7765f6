"""Hypothesis strategies for calendars, instants, event histories and metric policies,
and the few plain builders that hand-written engine tests share with them.

Generated data leans on the hard places: instants near DST transitions (including
America/Santiago, which changes at midnight, and Australia/Lord_Howe, which moves by 30
minutes), holidays and closures next to those transitions, overnight shifts and `24:00`
ends, same-timestamp events, reopen and cancel sequences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import strategies as st

from mittari.engine.reference import to_us, wall_to_utc
from mittari.engine.types import (
    ACTOR_NAMES,
    KIND_NAMES,
    NO_VALUE,
    PRIORITIES,
    STATUS_NAMES,
    US,
    Actor,
    CalendarSpec,
    Condition,
    EventLog,
    Kind,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    Status,
    Target,
    Trigger,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MINUTE = 60 * US
HOUR = 60 * MINUTE
DAY = 24 * HOUR
ZONES = (
    "Europe/Helsinki",
    "America/Santiago",  # changes DST at local midnight: 00:00 may not exist
    "Australia/Lord_Howe",  # DST moves the clock by 30 minutes
    "America/New_York",
    "UTC",
)
FIRST_DAY, LAST_DAY = date(2025, 3, 1), date(2027, 10, 31)
STOP_STATUSES = (
    Condition(Trigger.STATUS, int(Status.RESOLVED)),
    Condition(Trigger.STATUS, int(Status.CLOSED)),
)

# --- plain builders ----------------------------------------------------------------------


def utc(text: str) -> int:
    """µs of an ISO 8601 instant with an offset (`Z` allowed)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return to_us(moment)


def iso(instant: int | None) -> str:
    """An instant as ISO 8601 UTC with a `Z`, whole seconds when whole; '' for none."""
    if instant is None:
        return ""
    moment = _EPOCH + timedelta(microseconds=instant)
    spec = "seconds" if moment.microsecond == 0 else "microseconds"
    return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def hours(text: str) -> tuple[int, int]:
    """'08:00-16:00' as local minutes; an end at or before the start runs overnight."""
    start, end = (int(p[:2]) * 60 + int(p[3:]) for p in text.split("-"))
    return (start, end if end > start else end + 1440)


def weekly(**days: list[str]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """weekly(mon=['08:00-16:00'], ...) as CalendarSpec.weekly."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return tuple(tuple(hours(h) for h in days.get(n, [])) for n in names)


def workweek(*shift_hours: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The same shifts Monday to Friday, none at the weekend."""
    return weekly(**{day: list(shift_hours) for day in ("mon", "tue", "wed", "thu", "fri")})


def fixed_holidays(dates: Iterable[date]) -> Callable[[int], frozenset[date]]:
    """A CalendarSpec.holidays callable for a fixed set of dates."""
    closed = frozenset(dates)
    return lambda year: frozenset(d for d in closed if d.year == year)


def first_response(
    targets: dict[int, Target],
    *,
    system_replies: bool = False,
    rule: PriorityRule = PriorityRule.CURRENT,
    default: int = 3,
) -> MetricPolicy:
    """The stock first_response metric."""
    system = (Condition(Trigger.REPLY, int(Actor.SYSTEM)),) if system_replies else ()
    return MetricPolicy(
        name="first_response",
        start=(Condition(Trigger.CREATED),),
        stop=(Condition(Trigger.REPLY, int(Actor.AGENT)), *STOP_STATUSES, *system),
        pause_statuses=frozenset(),
        reopen=ReopenPolicy.IGNORE,
        priority_rule=rule,
        targets=targets,
        objective_pct=95.0,
        default_priority=default,
    )


def resolution(
    targets: dict[int, Target],
    *,
    reopen: ReopenPolicy = ReopenPolicy.RESUME,
    rule: PriorityRule = PriorityRule.CURRENT,
    pause: Iterable[Status] = (Status.PENDING_CUSTOMER, Status.PENDING_VENDOR),
    default: int = 3,
) -> MetricPolicy:
    """The stock resolution metric."""
    return MetricPolicy(
        name="resolution",
        start=(Condition(Trigger.CREATED),),
        stop=STOP_STATUSES,
        pause_statuses=frozenset(int(s) for s in pause),
        reopen=reopen,
        priority_rule=rule,
        targets=targets,
        objective_pct=90.0,
        default_priority=default,
    )


def make_log(rows: Iterable[tuple[str, str, str, str, str]]) -> EventLog:
    """An EventLog from (ticket_id, ts, kind, value, actor) text rows, as in events.csv."""
    ids: dict[str, int] = {}
    strings: dict[str, int] = {}
    cols: list[tuple[int, int, int, int, int]] = []
    for ticket_id, ts, kind_name, value, actor in rows:
        kind = KIND_NAMES[kind_name]
        cols.append(
            (
                ids.setdefault(ticket_id, len(ids)),
                utc(ts),
                int(kind),
                _value_code(kind, value, strings),
                int(ACTOR_NAMES[actor]) if actor else NO_VALUE,
            )
        )
    arr = np.array(cols, dtype=np.int64).reshape(-1, 5)
    return EventLog.from_unsorted(
        arr[:, 0].copy(),
        arr[:, 1].copy(),
        arr[:, 2].astype(np.int8),
        arr[:, 3].copy(),
        arr[:, 4].astype(np.int8),
        tuple(ids),
        tuple(strings),
    )


def _value_code(kind: Kind, value: str, strings: dict[str, int]) -> int:
    if kind == Kind.STATUS:
        return int(STATUS_NAMES[value])
    if kind == Kind.PRIORITY:
        return int(value.removeprefix("P"))
    if kind in (Kind.ASSIGN, Kind.CATEGORY):
        return strings.setdefault(value, len(strings))
    return NO_VALUE


# --- instants ----------------------------------------------------------------------------
# Strategies are built once (module constants, or per zone / per calendar) and reused:
# constructing and validating them afresh on every draw costs more than the tests.


@lru_cache
def transitions(zone_name: str) -> tuple[int, ...]:
    """UTC instants (µs) where the zone's offset changes between FIRST_DAY and LAST_DAY."""
    zone = ZoneInfo(zone_name)
    found: list[int] = []
    step = timedelta(minutes=30)  # every transition of ZONES falls on a half hour
    moment = datetime.combine(FIRST_DAY, datetime.min.time(), UTC)
    before = moment.astimezone(zone).utcoffset()
    while moment.date() <= LAST_DAY:
        moment += step
        offset = moment.astimezone(zone).utcoffset()
        if offset != before:
            found.append(to_us(moment))
        before = offset
    return tuple(found)


@lru_cache
def _dates_near_transitions(zone_name: str) -> st.SearchStrategy[date]:
    """Local dates within three days of one of the zone's DST changes (UTC: of Europe's)."""
    zone = ZoneInfo(zone_name)
    moments = (_EPOCH + timedelta(microseconds=t) for t in transitions(zone_name))
    near = [m.astimezone(zone).date() for m in moments] or [date(2026, 3, 29), date(2026, 10, 25)]
    return st.builds(lambda d, k: d + timedelta(days=k), st.sampled_from(near), st.integers(-3, 3))


_OFFSETS = st.one_of(  # within ±4 days: on quarter hours, on minutes, or any µs
    st.integers(-4 * 96, 4 * 96).map(lambda k: k * 15 * MINUTE),
    st.integers(-4 * 1440, 4 * 1440).map(lambda k: k * MINUTE),
    st.integers(-4 * DAY, 4 * DAY),
)
_ANYWHERE = st.integers(utc("2025-03-05T00:00:00Z"), utc("2027-10-25T00:00:00Z"))


def instants(spec: CalendarSpec, around: int | None = None) -> st.SearchStrategy[int]:
    """Instants near the calendar's DST transitions, holidays and closures, or anywhere.

    With `around`, only within three weeks of it: one test case's instants stay close
    together, so that the fast engine compiles weeks of calendar, not years.
    """
    zone = ZoneInfo(spec.timezone)
    anchors = list(transitions(spec.timezone))
    for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
        anchors += [wall_to_utc(zone, d, 0) for d in spec.holidays(year)]
    anchors += [wall_to_utc(zone, d, s) for d, s, _ in spec.closures]
    anywhere = _ANYWHERE
    if around is not None:
        anchors = [t for t in anchors if abs(t - around) <= 21 * DAY]
        anywhere = st.integers(around - 21 * DAY, around + 21 * DAY)
    near = st.sampled_from(anchors) if anchors else anywhere
    return st.builds(int.__add__, st.one_of(near, near, anywhere), _OFFSETS)


@st.composite
def nearby_instants(draw: st.DrawFn, spec: CalendarSpec, n: int) -> list[int]:
    """n instants at the calendar's hard places, all within a few weeks of each other."""
    first = draw(instants(spec))
    near = instants(spec, around=first)
    return [first, *(draw(near) for _ in range(n - 1))]


# --- calendars ---------------------------------------------------------------------------

_STARTS = st.one_of(st.integers(0, 47).map(lambda k: 30 * k), st.integers(0, 1439))
_LENGTHS = st.one_of(st.sampled_from([30, 60, 90, 480, 600, 720, 1440]), st.integers(1, 1440))


@st.composite
def shifts(draw: st.DrawFn, min_length: int = 1) -> tuple[int, int]:
    """One (start, end) in local minutes: overnight ends and `24:00` ends included."""
    start = draw(_STARTS)
    if draw(st.integers(0, 4)) == 0:
        return (start, 1440)  # ends at 24:00
    return (start, start + max(min_length, draw(_LENGTHS)))


_SHIFT = shifts()
_DAY_SHIFTS = st.lists(_SHIFT, max_size=3)
_LONG_SHIFT = shifts(min_length=120)  # longer than any DST gap
_ZONE_NAMES = st.sampled_from(ZONES)
_WEEKDAYS = st.integers(0, 6)
_ALWAYS_OPEN_ODDS = st.integers(0, 9)


@st.composite
def calendar_specs(draw: st.DrawFn, name: str = "c0") -> CalendarSpec:
    """A calendar in one of ZONES with several shifts a day, holidays and closures."""
    zone = draw(_ZONE_NAMES)
    if draw(_ALWAYS_OPEN_ODDS) == 0:
        return CalendarSpec(name=name, timezone=zone, always_open=True)
    days = [draw(_DAY_SHIFTS) for _ in range(7)]
    days[draw(_WEEKDAYS)].append(draw(_LONG_SHIFT))  # so that every week has working time
    near = _dates_near_transitions(zone)
    holidays = draw(st.frozensets(st.one_of(near, st.dates(FIRST_DAY, LAST_DAY)), max_size=6))
    closures = draw(st.lists(st.tuples(near, _SHIFT), max_size=3))  # may run past 24:00
    return CalendarSpec(
        name=name,
        timezone=zone,
        weekly=tuple(tuple(d) for d in days),
        holidays=fixed_holidays(holidays),
        closures=tuple((d, s, e) for d, (s, e) in closures),
    )


# --- event histories ---------------------------------------------------------------------

_GAPS = st.one_of(
    st.just(0),  # same timestamp as the previous event
    st.integers(1, 120).map(lambda k: k * MINUTE),
    st.integers(1, 72).map(lambda k: k * HOUR),
    st.integers(1, 3 * DAY),
)
_STATUSES = st.sampled_from(list(Status))
_ACTORS = st.sampled_from(list(Actor))
_PRIORITY_VALUES = st.sampled_from(PRIORITIES)
# Weighted so that clocks stop, reopen and pause often enough to matter.
_EVENT_STATUSES = st.sampled_from(
    [Status.OPEN] * 3 + [Status.RESOLVED] * 3 + [Status.PENDING_CUSTOMER] * 2 + list(Status)
)
_EVENT_KINDS = st.sampled_from(
    [Kind.STATUS] * 6
    + [Kind.REPLY] * 3
    + [Kind.PRIORITY] * 2
    + [Kind.NOTE, Kind.ASSIGN, Kind.CATEGORY]
)
_EVENT_ACTORS = st.sampled_from([Actor.AGENT, *Actor])
_EVENT_COUNTS = st.integers(0, 12)
_TICKET_COUNTS = st.integers(1, 3)


@st.composite
def _event(draw: st.DrawFn) -> tuple[int, int, int]:
    """(kind, value, actor) of one event after `created`."""
    kind = draw(_EVENT_KINDS)
    if kind == Kind.STATUS:
        return (kind, int(draw(_EVENT_STATUSES)), NO_VALUE)
    if kind == Kind.PRIORITY:
        return (kind, draw(_PRIORITY_VALUES), NO_VALUE)
    if kind in (Kind.REPLY, Kind.NOTE):
        return (kind, NO_VALUE, int(draw(_EVENT_ACTORS)))
    return (kind, draw(st.integers(0, 2)), NO_VALUE)


_EVENTS = _event()


@st.composite
def _ticket_rows(draw: st.DrawFn, ticket: int, created: int) -> list[tuple[int, ...]]:
    """`created` (sometimes with a priority at the same ts), then up to 12 events."""
    ts = created
    rows: list[tuple[int, ...]] = [(ticket, ts, int(Kind.CREATED), NO_VALUE, NO_VALUE)]
    if draw(st.booleans()):
        rows.append((ticket, ts, int(Kind.PRIORITY), draw(_PRIORITY_VALUES), NO_VALUE))
    for _ in range(draw(_EVENT_COUNTS)):
        ts += draw(_GAPS)
        rows.append((ticket, ts, *draw(_EVENTS)))
    return rows


@st.composite
def histories(draw: st.DrawFn, created: st.SearchStrategy[int]) -> tuple[EventLog, int]:
    """A log of 1..3 tickets and an as-of instant (after, at or amid the events)."""
    rows = [
        row
        for ticket in range(draw(_TICKET_COUNTS))
        for row in draw(_ticket_rows(ticket, draw(created)))
    ]
    times = [r[1] for r in rows]
    as_of = draw(
        st.one_of(
            st.integers(max(times), max(times) + 3 * DAY),
            st.sampled_from(times),  # exactly at an event
            st.integers(min(times), max(times)),  # drops later events
        )
    )
    arr = np.array(rows, dtype=np.int64)
    log = EventLog.from_unsorted(
        arr[:, 0].copy(),
        arr[:, 1].copy(),
        arr[:, 2].astype(np.int8),
        arr[:, 3].copy(),
        arr[:, 4].astype(np.int8),
        tuple(f"T{i}" for i in range(int(arr[:, 0].max()) + 1)),
        ("team-a", "team-b", "team-c"),
    )
    return log, as_of


# --- metric policies ---------------------------------------------------------------------

_CONDITIONS = st.one_of(
    st.just(Condition(Trigger.CREATED)),
    _STATUSES.map(lambda s: Condition(Trigger.STATUS, int(s))),
    _ACTORS.map(lambda a: Condition(Trigger.REPLY, int(a))),
    _PRIORITY_VALUES.map(lambda p: Condition(Trigger.PRIORITY, p)),
    st.just(Condition(Trigger.REOPENED)),
    st.just(Condition(Trigger.ASSIGN)),
    st.just(Condition(Trigger.CATEGORY)),
)
_CONDITION_LISTS = st.lists(_CONDITIONS, min_size=1, max_size=2).map(tuple)
_TARGET_SECONDS = st.one_of(
    st.sampled_from([0, 60, 1800, 3600, 4 * 3600, 8 * 3600, 16 * 3600, 3 * 86400]),
    st.integers(0, 5 * 86400),
)
_PRIORITY_SETS = st.sets(_PRIORITY_VALUES, min_size=1)
_REOPENS = st.sampled_from(list(ReopenPolicy))
_RULES = st.sampled_from(list(PriorityRule))
_FAMILIES = st.sampled_from(["first_response", "resolution", "custom"])
_PENDING = st.frozensets(
    st.sampled_from([Status.PENDING_CUSTOMER, Status.PENDING_VENDOR, Status.ON_HOLD])
)
_ANY_PAUSE = st.frozensets(st.sampled_from([int(s) for s in Status]))


@st.composite
def _targets(draw: st.DrawFn, calendar_names: list[str]) -> dict[int, Target]:
    names = st.sampled_from(calendar_names)
    return {p: Target(draw(_TARGET_SECONDS), draw(names)) for p in sorted(draw(_PRIORITY_SETS))}


@st.composite
def metric_policies(draw: st.DrawFn, calendar_names: list[str]) -> MetricPolicy:
    """A stock first_response or resolution metric, or a custom one, with random targets."""
    family = draw(_FAMILIES)
    targets = draw(_targets(calendar_names))
    rule, default = draw(_RULES), draw(_PRIORITY_VALUES)
    if family == "first_response":
        system = draw(st.booleans())
        return first_response(targets, system_replies=system, rule=rule, default=default)
    if family == "resolution":
        reopen, pause = draw(_REOPENS), draw(_PENDING)
        return resolution(targets, reopen=reopen, rule=rule, pause=pause, default=default)
    return MetricPolicy(
        name="custom",
        start=draw(_CONDITION_LISTS),
        stop=draw(_CONDITION_LISTS),
        pause_statuses=draw(_ANY_PAUSE),
        reopen=draw(_REOPENS),
        priority_rule=rule,
        targets=targets,
        objective_pct=95.0,
        default_priority=default,
    )
