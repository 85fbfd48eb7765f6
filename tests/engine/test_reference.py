"""Hand-worked checks of the reference twin itself: each expected value is worked out in
the comment beside it, from docs/semantics.md, without running any code."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from strategies import first_response, fixed_holidays, make_log, resolution, utc, weekly, workweek

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.clock import measure as fast_measure
from mittari.engine.reference import ref_business, ref_due, ref_measure, wall_to_utc
from mittari.engine.types import (
    US,
    CalendarSpec,
    Condition,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    State,
    Status,
    Target,
    Trigger,
)

H = 3600 * US
M = 60 * US
OFFICE = CalendarSpec(
    "office",
    "Europe/Helsinki",
    workweek("08:00-16:00"),
)
ALWAYS = CalendarSpec("always", "UTC", always_open=True)
CALENDARS = {"office": OFFICE, "always": ALWAYS}
FAST_CALENDARS = {name: BusinessCalendar(spec) for name, spec in CALENDARS.items()}


def cal(zone: str, **days: list[str]) -> CalendarSpec:
    return CalendarSpec("c", zone, weekly(**days))


# --- wall times to instants --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "minute", "expected"),
    [
        # Helsinki springs 03:00 EET -> 04:00 EEST at 01:00Z: 03:30 does not exist.
        ("Europe/Helsinki", date(2026, 3, 29), 210, "2026-03-29T01:00:00Z"),
        # Helsinki falls 04:00 EEST -> 03:00 EET at 01:00Z: 03:30 is read twice, first at +03.
        ("Europe/Helsinki", date(2026, 10, 25), 210, "2026-10-25T00:30:00Z"),
        # Santiago springs 00:00 -04 -> 01:00 -03 at 04:00Z: 24:00 on the 5th does not exist,
        # nor does 00:00 on the 6th.
        ("America/Santiago", date(2026, 9, 5), 1440, "2026-09-06T04:00:00Z"),
        ("America/Santiago", date(2026, 9, 6), 0, "2026-09-06T04:00:00Z"),
        # Santiago falls 00:00 -03 -> 23:00 -04 at 03:00Z: 23:30 on the 4th is read twice;
        # 24:00 is read once, at -04.
        ("America/Santiago", date(2026, 4, 4), 1410, "2026-04-05T02:30:00Z"),
        ("America/Santiago", date(2026, 4, 4), 1440, "2026-04-05T04:00:00Z"),
        # Lord Howe springs 02:00 +10:30 -> 02:30 +11 at 15:30Z the day before.
        ("Australia/Lord_Howe", date(2026, 10, 4), 135, "2026-10-03T15:30:00Z"),
        # Lord Howe falls 02:00 +11 -> 01:30 +10:30: 01:45 first read at +11.
        ("Australia/Lord_Howe", date(2026, 4, 5), 105, "2026-04-04T14:45:00Z"),
        # An overnight end: 06:00 of the next date.
        ("Europe/Helsinki", date(2026, 1, 5), 1800, "2026-01-06T04:00:00Z"),
    ],
)
def test_wall_to_utc(zone: str, day: date, minute: int, expected: str) -> None:
    assert wall_to_utc(ZoneInfo(zone), day, minute) == utc(expected)


# --- business time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "a", "b", "expected"),
    [
        # Fri 17:00 EET .. Mon 09:30 EEST: only Mon 08:00-09:30 is open.
        (OFFICE, "2026-03-27T17:00:00+02:00", "2026-03-30T09:30:00+03:00", 90 * M),
        # Fri 10:00 .. Mon 10:00 across the spring change: Fri 6 h + Mon 2 h.
        (OFFICE, "2026-03-27T10:00:00+02:00", "2026-03-30T10:00:00+03:00", 8 * H),
        # Within one shift, µs exact.
        (OFFICE, "2026-03-27T10:00:00.000001+02:00", "2026-03-27T10:00:00.000003+02:00", 2),
        # Empty and before-opening ranges.
        (OFFICE, "2026-03-27T10:00:00+02:00", "2026-03-27T10:00:00+02:00", 0),
        (OFFICE, "2026-03-27T05:00:00+02:00", "2026-03-27T08:00:00+02:00", 0),
        # Overlapping shifts merge: 08-12 ∪ 10-14 = 6 h.
        (
            cal("UTC", mon=["08:00-12:00", "10:00-14:00"]),
            "2026-03-30T00:00Z",
            "2026-03-31T00:00Z",
            6 * H,
        ),
        # Santiago Sat 5 Sep 08:00-24:00: 12:00Z .. 04:00Z (24:00 is the transition) = 16 h.
        (
            cal("America/Santiago", sat=["08:00-24:00"]),
            "2026-09-05T00:00Z",
            "2026-09-07T00:00Z",
            16 * H,
        ),
        # Santiago Sun 6 Sep 00:00-08:00: 04:00Z .. 11:00Z = 7 h.
        (
            cal("America/Santiago", sun=["00:00-08:00"]),
            "2026-09-05T00:00Z",
            "2026-09-07T00:00Z",
            7 * H,
        ),
        # Santiago Sat 4 Apr 08:00-24:00: 11:00Z .. 04:00Z (fall back repeats 23:00) = 17 h.
        (
            cal("America/Santiago", sat=["08:00-24:00"]),
            "2026-04-04T00:00Z",
            "2026-04-06T00:00Z",
            17 * H,
        ),
        # Lord Howe Sun 4 Oct 00:00-08:00: 13:30Z .. 21:00Z = 7.5 h.
        (
            cal("Australia/Lord_Howe", sun=["00:00-08:00"]),
            "2026-10-03T00:00Z",
            "2026-10-05T00:00Z",
            450 * M,
        ),
        # New York Sun 8 Mar 02:00-03:00 lies in the gap: both ends are 07:00Z, empty.
        (cal("America/New_York", sun=["02:00-03:00"]), "2026-03-07T00:00Z", "2026-03-10T00:00Z", 0),
        # ... and 01:00-04:00 is 06:00Z .. 08:00Z = 2 h.
        (
            cal("America/New_York", sun=["01:00-04:00"]),
            "2026-03-07T00:00Z",
            "2026-03-10T00:00Z",
            2 * H,
        ),
        # Helsinki Sun 25 Oct 03:00-04:00: 03:00 first read at +03 = 00:00Z, 04:00 +02 = 02:00Z.
        (
            cal("Europe/Helsinki", sun=["03:00-04:00"]),
            "2026-10-24T00:00Z",
            "2026-10-26T00:00Z",
            2 * H,
        ),
    ],
)
def test_business(spec: CalendarSpec, a: str, b: str, expected: int) -> None:
    assert ref_business(spec, utc(a), utc(b)) == expected


def test_overnight_shift_belongs_to_its_start_date() -> None:
    # Mon-Fri 22:00-06:00, holiday Fri 1 May 2026. From Thu 00:00 to Mon 00:00 (EEST):
    # Wed's shift gives Thu 00-06 (6 h), Thu's shift 22:00 Thu - 06:00 Fri (8 h), Fri's
    # shift is closed by the holiday, including its Saturday morning part: 14 h.
    spec = CalendarSpec(
        "night",
        "Europe/Helsinki",
        workweek("22:00-06:00"),
        holidays=fixed_holidays([date(2026, 5, 1)]),
    )
    a, b = utc("2026-04-30T00:00:00+03:00"), utc("2026-05-04T00:00:00+03:00")
    assert ref_business(spec, a, b) == 14 * H


def test_partial_closure_subtracts() -> None:
    # Wed 23 Dec 2026, office 08-16, closed from 12:00 to 24:00: 4 h open that day.
    spec = CalendarSpec(
        "office", "Europe/Helsinki", OFFICE.weekly, closures=((date(2026, 12, 23), 720, 1440),)
    )
    a, b = utc("2026-12-23T00:00:00+02:00"), utc("2026-12-24T00:00:00+02:00")
    assert ref_business(spec, a, b) == 4 * H


def test_always_open() -> None:
    a = utc("2026-03-29T00:00:00Z")
    assert ref_business(ALWAYS, a, a + 5 * H) == 5 * H
    assert ref_due(ALWAYS, a, 5 * H) == a + 5 * H


# --- due ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "budget", "expected"),
    [
        # Fri 15:00 + 2 h: Fri 15-16, then Mon 08:00-09:00 (EEST after the change).
        ("2026-03-27T15:00:00+02:00", 2 * H, "2026-03-30T09:00:00+03:00"),
        # Zero budget is due at once, even when closed.
        ("2026-03-28T12:00:00+02:00", 0, "2026-03-28T12:00:00+02:00"),
        # Exactly one whole shift from its opening ends at its close, not at the next opening.
        ("2026-03-27T08:00:00+02:00", 8 * H, "2026-03-27T16:00:00+02:00"),
        # One µs more spills into Monday.
        ("2026-03-27T08:00:00+02:00", 8 * H + 1, "2026-03-30T08:00:00.000001+03:00"),
    ],
)
def test_due(a: str, budget: int, expected: str) -> None:
    assert ref_due(OFFICE, utc(a), budget) == utc(expected)


# --- measurements ------------------------------------------------------------------------


def at(hhmm: str) -> str:
    return f"2026-03-02T{hhmm}:00Z"


def measure(
    metric: MetricPolicy, events: list[tuple[str, str, str]], as_of: str
) -> list[dict[str, int | None]]:
    """Events as (hh:mm, kind, value or actor) of ticket T1 on Monday 2 March 2026."""
    rows = []
    for hhmm, kind, word in events:
        value, actor = ("", word) if kind in ("reply", "note") else (word, "")
        rows.append(("T1", at(hhmm), kind, value, actor))
    return ref_measure(make_log(rows), [metric], CALENDARS, utc(at(as_of)))


def row(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"ticket": 0, "metric": 0, "cycle": 0, "priority": 3}
    for key in ("start_at", "stop_at", "due_at", "breached_at"):
        value = fields.get(key)
        fields[key] = None if value is None else utc(at(str(value)))
    for key in ("target_us", "elapsed_us", "wall_us"):
        fields[key] = int(fields[key]) * M  # type: ignore[call-overload]
    fields["state"] = int(fields["state"])  # type: ignore[call-overload]
    return base | fields


ALWAYS_30M = {3: Target(30 * 60, "always")}
ALWAYS_2H = {3: Target(2 * 3600, "always")}


def test_system_reply_is_not_a_response() -> None:
    # 09:00 created, 09:01 auto-acknowledgement, 09:05 internal note, 09:20 agent reply.
    events = [
        ("09:00", "created", ""),
        ("09:01", "reply", "system"),
        ("09:05", "note", "agent"),
        ("09:20", "reply", "agent"),
    ]
    got = measure(first_response(ALWAYS_30M), events, "12:00")
    # 20 min of 30: met, due = 09:20 + 10 min.
    assert got == [
        row(
            target_us=30,
            start_at="09:00",
            stop_at="09:20",
            state=State.MET,
            elapsed_us=20,
            wall_us=20,
            due_at="09:30",
        )
    ]
    counted = measure(first_response(ALWAYS_30M, system_replies=True), events, "12:00")
    assert counted[0]["stop_at"] == utc(at("09:01"))


def test_pause_excluded_from_elapsed_and_wall() -> None:
    events = [
        ("09:00", "created", ""),
        ("10:00", "status", "pending_customer"),
        ("12:00", "status", "open"),
        ("13:00", "status", "resolved"),
    ]
    # Counting 09-10 and 12-13: 2 h of 2 h is met; due = stop + 0 = 13:00.
    assert measure(resolution(ALWAYS_2H), events, "14:00") == [
        row(
            target_us=120,
            start_at="09:00",
            stop_at="13:00",
            state=State.MET,
            elapsed_us=120,
            wall_us=120,
            due_at="13:00",
        )
    ]


REOPENED = [
    ("09:00", "created", ""),
    ("10:00", "status", "resolved"),
    ("11:00", "status", "open"),
    ("11:30", "status", "resolved"),
]


def test_reopen_resume_carries_on_in_cycle_0() -> None:
    # 09-10 and 11-11:30 count: 90 min of 120, due = 11:30 + 30 min.
    assert measure(resolution(ALWAYS_2H), REOPENED, "14:00") == [
        row(
            target_us=120,
            start_at="09:00",
            stop_at="11:30",
            state=State.MET,
            elapsed_us=90,
            wall_us=90,
            due_at="12:00",
        )
    ]


def test_reopen_restart_opens_a_new_cycle() -> None:
    got = measure(resolution(ALWAYS_2H, reopen=ReopenPolicy.RESTART), REOPENED, "14:00")
    assert got == [
        row(
            target_us=120,
            start_at="09:00",
            stop_at="10:00",
            state=State.MET,
            elapsed_us=60,
            wall_us=60,
            due_at="11:00",
        ),
        row(
            cycle=1,
            target_us=120,
            start_at="11:00",
            stop_at="11:30",
            state=State.MET,
            elapsed_us=30,
            wall_us=30,
            due_at="13:00",
        ),
    ]


def test_reopen_ignore_keeps_the_first_stop() -> None:
    got = measure(resolution(ALWAYS_2H, reopen=ReopenPolicy.IGNORE), REOPENED, "14:00")
    assert got == [
        row(
            target_us=120,
            start_at="09:00",
            stop_at="10:00",
            state=State.MET,
            elapsed_us=60,
            wall_us=60,
            due_at="11:00",
        )
    ]


def test_cancel_ends_a_running_clock_but_not_a_stopped_one() -> None:
    cancelled = [("09:00", "created", ""), ("10:00", "status", "cancelled")]
    assert measure(resolution(ALWAYS_2H), cancelled, "14:00") == [
        row(
            target_us=120,
            start_at="09:00",
            stop_at="10:00",
            state=State.CANCELLED,
            elapsed_us=60,
            wall_us=60,
        )
    ]
    after_stop = [
        ("09:00", "created", ""),
        ("09:10", "reply", "agent"),
        ("10:00", "status", "cancelled"),
    ]
    got = measure(first_response(ALWAYS_30M), after_stop, "14:00")
    assert got[0]["state"] == State.MET and got[0]["stop_at"] == utc(at("09:10"))


def test_reopen_after_cancel_resumes_and_forgets_the_cancel() -> None:
    events = [
        ("09:00", "created", ""),
        ("10:00", "status", "cancelled"),
        ("11:00", "status", "open"),
        ("12:00", "status", "resolved"),
    ]
    assert measure(resolution(ALWAYS_2H), events, "14:00") == [
        row(
            target_us=120,
            start_at="09:00",
            stop_at="12:00",
            state=State.MET,
            elapsed_us=120,
            wall_us=120,
            due_at="12:00",
        )
    ]


PRIORITIES = [
    ("09:00", "created", ""),
    ("09:00", "priority", "P3"),
    ("09:30", "priority", "P1"),
    ("10:00", "priority", "P4"),
    ("11:00", "status", "resolved"),
]
EVERY_P = {p: Target(p * 3600, "always") for p in (1, 2, 3, 4, 5)}


@pytest.mark.parametrize(
    ("rule", "priority"),
    [(PriorityRule.CURRENT, 4), (PriorityRule.INITIAL, 3), (PriorityRule.HIGHEST, 1)],
)
def test_priority_rules(rule: PriorityRule, priority: int) -> None:
    # Created at P3 (same ts), raised to P1, lowered to P4, resolved after 2 h.
    got = measure(resolution(EVERY_P, rule=rule), PRIORITIES, "14:00")
    assert (got[0]["priority"], got[0]["target_us"]) == (priority, priority * H)


def test_initial_priority_set_after_the_start() -> None:
    events = [
        ("09:00", "created", ""),
        ("09:30", "priority", "P2"),
        ("10:00", "status", "resolved"),
    ]
    got = measure(resolution(EVERY_P, rule=PriorityRule.INITIAL), events, "14:00")
    assert got[0]["priority"] == 2


def test_default_priority_and_missing_target() -> None:
    events = [("09:00", "created", ""), ("10:00", "status", "resolved")]
    assert measure(resolution(EVERY_P, default=5), events, "14:00")[0]["priority"] == 5
    assert measure(resolution({1: Target(60, "always")}, default=5), events, "14:00") == []


def test_open_clock_running_and_paused() -> None:
    running = [("09:00", "created", "")]
    # 40 min of 60 at 09:40: due at as-of + 20 min.
    one_hour = {3: Target(3600, "always")}
    assert measure(resolution(one_hour), running, "09:40") == [
        row(
            target_us=60,
            start_at="09:00",
            state=State.RUNNING,
            elapsed_us=40,
            wall_us=40,
            due_at="10:00",
        )
    ]
    paused = [("09:00", "created", ""), ("09:20", "status", "pending_customer")]
    # 20 min counted, 40 min left from as-of 09:40: due 10:20.
    assert measure(resolution(one_hour), paused, "09:40") == [
        row(
            target_us=60,
            start_at="09:00",
            state=State.PAUSED,
            elapsed_us=20,
            wall_us=20,
            due_at="10:20",
        )
    ]


def test_breach_inside_the_second_counting_span() -> None:
    events = [
        ("09:00", "created", ""),
        ("10:00", "status", "pending_vendor"),
        ("11:00", "status", "open"),
        ("13:00", "status", "resolved"),
    ]
    # Spans 09-10 (60) and 11-13 (120): the 2 h target is reached 60 min into the second.
    assert measure(resolution(ALWAYS_2H), events, "14:00") == [
        row(
            target_us=120,
            start_at="09:00",
            stop_at="13:00",
            state=State.BREACHED,
            elapsed_us=180,
            wall_us=180,
            due_at="12:00",
            breached_at="12:00",
        )
    ]


def test_events_after_as_of_are_ignored() -> None:
    events = [("09:00", "created", ""), ("10:00", "status", "resolved")]
    got = measure(resolution(ALWAYS_2H), events, "09:30")
    assert got[0]["state"] == State.RUNNING and got[0]["elapsed_us"] == 30 * M


def test_reset_wins_over_set_on_one_event() -> None:
    # Custom: starts and stops on pending_vendor; an event that is both does nothing while unset.
    vendor = Condition(Trigger.STATUS, int(Status.PENDING_VENDOR))
    metric = MetricPolicy(
        "m",
        (vendor,),
        (vendor,),
        frozenset(),
        ReopenPolicy.RESTART,
        PriorityRule.CURRENT,
        ALWAYS_2H,
        90.0,
        3,
    )
    events = [("09:00", "created", ""), ("09:30", "status", "pending_vendor")]
    assert measure(metric, events, "14:00") == []


def _vendor_wait(reopen: ReopenPolicy) -> MetricPolicy:
    return MetricPolicy(
        "vendor_wait",
        (Condition(Trigger.STATUS, int(Status.PENDING_VENDOR)),),
        (Condition(Trigger.STATUS, int(Status.RESOLVED)),),
        frozenset({int(Status.OPEN), int(Status.NEW)}),
        reopen,
        PriorityRule.CURRENT,
        ALWAYS_2H,
        90.0,
        3,
    )


@pytest.mark.parametrize("reopen", [ReopenPolicy.RESUME, ReopenPolicy.RESTART])
def test_reopen_never_starts_a_clock_that_never_started(reopen: ReopenPolicy) -> None:
    # No vendor wait before the resolve: the reopen at 11:00 must not start vendor_wait.
    events = [
        ("09:00", "created", ""),
        ("10:00", "status", "resolved"),
        ("11:00", "status", "open"),
        ("11:30", "status", "resolved"),
    ]
    assert measure(_vendor_wait(reopen), events, "14:00") == []
    log = make_log([("T1", at(h), k, w, "") for h, k, w in events])
    fast = fast_measure(log, [_vendor_wait(reopen)], FAST_CALENDARS, utc(at("14:00")))
    assert len(fast) == 0


def test_reopen_re_arms_a_clock_that_ran_before() -> None:
    # Vendor waits 09:30-10:00 (30 min), resolved; reopened 11:00, waits again 11:15-11:45.
    events = [
        ("09:00", "created", ""),
        ("09:30", "status", "pending_vendor"),
        ("10:00", "status", "resolved"),
        ("11:00", "status", "open"),
        ("11:15", "status", "pending_vendor"),
        ("11:45", "status", "resolved"),
    ]
    got = measure(_vendor_wait(ReopenPolicy.RESUME), events, "14:00")
    assert [(r["start_at"], r["stop_at"], r["elapsed_us"]) for r in got] == [
        (utc(at("09:30")), utc(at("11:45")), 60 * M)
    ]
