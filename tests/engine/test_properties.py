"""Property tests: the vectorised engine agrees exactly with the slow reference twin, and
both keep the algebraic invariants of business time (docs/semantics.md)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import (
    DAY,
    calendar_specs,
    histories,
    instants,
    iso,
    metric_policies,
    nearby_instants,
)

from mittari.engine.reference import ref_business, ref_due, ref_measure
from mittari.engine.types import (
    NULL_TS,
    CalendarSpec,
    EventLog,
    Kind,
    Measurements,
    MetricPolicy,
    State,
)

# Modest by default so the file runs in well under a minute; raise it to hunt:
# MITTARI_PROPERTY_EXAMPLES=5000 pytest tests/engine/test_properties.py
EXAMPLES = int(os.environ.get("MITTARI_PROPERTY_EXAMPLES", "120"))
SETTINGS = settings(
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Impl:
    """business(a, b) and due(a, budget) of one implementation, for one calendar."""

    business: Callable[[int, int], int]
    due: Callable[[int, int], int]


def reference_impl(spec: CalendarSpec) -> Impl:
    return Impl(lambda a, b: ref_business(spec, a, b), lambda a, x: ref_due(spec, a, x))


def fast_impl(spec: CalendarSpec) -> Impl:
    from mittari.engine.calendar import BusinessCalendar  # the fast engine, once it lands

    cal = BusinessCalendar(spec)

    def business(a: int, b: int) -> int:
        return int(cal.business(np.array([a], np.int64), np.array([b], np.int64))[0])

    def due(a: int, budget: int) -> int:
        return int(cal.due(np.array([a], np.int64), np.array([budget], np.int64))[0])

    return Impl(business, due)


IMPLS = pytest.mark.parametrize("make_impl", [reference_impl, fast_impl], ids=["ref", "fast"])

# The fast calendar has two paths with identical results: the C kernel and numpy.
PATHS = pytest.mark.parametrize("path", ["kernel", "numpy"])


@contextmanager
def calendar_path(path: str) -> Iterator[None]:
    import mittari.engine.calendar as calendar

    saved = calendar._kernel
    if path == "numpy":
        calendar._kernel = None
    try:
        yield
    finally:
        calendar._kernel = saved


def test_the_c_kernel_is_built() -> None:
    """The install builds it (setup.py); without it the "kernel" runs would test numpy twice."""
    import mittari.engine.calendar as calendar

    assert calendar._kernel is not None


# Lengths of [a, b): mostly within days (near one hard instant), sometimes weeks.
lengths = st.one_of(st.just(0), st.integers(0, 4 * DAY), st.integers(0, 40 * DAY))


@st.composite
def calendar_and_instants(draw: st.DrawFn, n: int) -> tuple[CalendarSpec, list[int]]:
    """A calendar and n ascending instants, the first near one of its hard instants."""
    spec = draw(calendar_specs())
    moments = [draw(instants(spec))]
    for _ in range(n - 1):
        moments.append(moments[-1] + draw(lengths))
    return spec, moments


budgets = st.one_of(
    st.just(0),
    st.integers(1, 10 * 3600).map(lambda s: s * 1_000_000),
    st.integers(1, 6 * DAY),
)


# --- fast calendar == reference calendar -------------------------------------------------


@PATHS
@SETTINGS
@given(data=st.data())
def test_business_matches_reference(path: str, data: st.DataObject) -> None:
    from mittari.engine.calendar import BusinessCalendar

    spec = data.draw(calendar_specs())
    pairs = [(a, a + data.draw(lengths)) for a in data.draw(nearby_instants(spec, 6))]
    a = np.array([p[0] for p in pairs], np.int64)
    b = np.array([p[1] for p in pairs], np.int64)
    with calendar_path(path):
        fast = BusinessCalendar(spec).business(a, b).tolist()
    assert fast == [ref_business(spec, x, y) for x, y in pairs]


@PATHS
@SETTINGS
@given(data=st.data())
def test_due_matches_reference(path: str, data: st.DataObject) -> None:
    from mittari.engine.calendar import BusinessCalendar

    spec = data.draw(calendar_specs())
    starts = data.draw(nearby_instants(spec, 4))
    amounts = [data.draw(budgets) for _ in range(4)]
    a, x = np.array(starts, np.int64), np.array(amounts, np.int64)
    with calendar_path(path):
        fast = BusinessCalendar(spec).due(a, x).tolist()
    assert fast == [ref_due(spec, s, b) for s, b in zip(starts, amounts, strict=True)]


# --- invariants, held by both ------------------------------------------------------------


@IMPLS
@SETTINGS
@given(case=calendar_and_instants(3))
def test_business_is_additive_and_bounded(
    make_impl: Callable[[CalendarSpec], Impl], case: tuple[CalendarSpec, list[int]]
) -> None:
    spec, (a, b, c) = case
    impl = make_impl(spec)
    ab, bc = impl.business(a, b), impl.business(b, c)
    assert ab + bc == impl.business(a, c)
    assert 0 <= ab <= b - a
    assert 0 <= bc <= c - b
    if spec.always_open:
        assert ab == b - a


@IMPLS
@SETTINGS
@given(data=st.data())
def test_due_reaches_the_budget_first(
    make_impl: Callable[[CalendarSpec], Impl], data: st.DataObject
) -> None:
    spec = data.draw(calendar_specs())
    a, budget = data.draw(instants(spec)), data.draw(budgets)
    impl = make_impl(spec)
    t = impl.due(a, budget)
    assert t >= a
    assert impl.business(a, t) == budget
    if budget > 0:  # earliest: one µs sooner falls short
        assert impl.business(a, t - 1) == budget - 1


# --- fast clocks == reference clocks -----------------------------------------------------


COLUMNS = [f.name for f in fields(Measurements)]  # the row of ref_measure, in order


def rows_of(m: Measurements) -> list[dict[str, int | None]]:
    """The fast engine's columns as the twin's rows (NULL_TS as None), in the twin's order."""
    columns = {n: getattr(m, n).tolist() for n in COLUMNS}
    rows = [
        {n: (None if columns[n][i] == NULL_TS else int(columns[n][i])) for n in COLUMNS}
        for i in range(len(m))
    ]
    return sorted(
        rows, key=lambda r: (int(r["ticket"] or 0), int(r["metric"] or 0), int(r["cycle"] or 0))
    )


def describe(log: EventLog, ticket: int | None) -> str:
    """A ticket's events, one a line, to read beside a failing row."""
    lines = []
    for i in range(len(log)):
        if log.ticket[i] == ticket:
            kind = Kind(int(log.kind[i])).name.lower()
            lines.append(
                f"  {iso(int(log.ts[i]))} {kind} value={log.value[i]} actor={log.actor[i]}"
            )
    return "\n".join(lines)


MeasureCase = tuple[EventLog, list[MetricPolicy], dict[str, CalendarSpec], int]


@st.composite
def measure_cases(draw: st.DrawFn) -> MeasureCase:
    """Calendars (one always open), 1..3 metrics, and a history near the first calendar's hard
    instants."""
    specs = [draw(calendar_specs(name=f"c{i}")) for i in range(draw(st.integers(1, 2)))]
    specs.append(CalendarSpec(name="always", timezone="UTC", always_open=True))
    calendars = {s.name: s for s in specs}
    metrics = draw(st.lists(metric_policies(list(calendars)), min_size=1, max_size=3))
    first = draw(instants(specs[0]))
    log, as_of = draw(histories(instants(specs[0], around=first)))
    return log, metrics, calendars, as_of


@SETTINGS
@given(case=measure_cases())
def test_measure_matches_reference(case: MeasureCase) -> None:
    from mittari.engine.calendar import BusinessCalendar
    from mittari.engine.clock import measure

    log, metrics, calendars, as_of = case
    fast = measure(log, metrics, {n: BusinessCalendar(s) for n, s in calendars.items()}, as_of)
    expected = ref_measure(log, metrics, calendars, as_of)
    got = rows_of(fast)
    assert len(got) == len(expected), f"{len(got)} rows, the twin has {len(expected)}"
    for mine, theirs in zip(got, expected, strict=True):
        assert mine == theirs, f"fast {mine}\ntwin {theirs}\n{describe(log, theirs['ticket'])}"


@settings(deadline=None, max_examples=EXAMPLES // 2)
@given(case=measure_cases())
def test_reference_rows_are_consistent(case: MeasureCase) -> None:
    log, metrics, calendars, as_of = case
    for row in ref_measure(log, metrics, calendars, as_of):
        elapsed, wall, target = (int(row[k] or 0) for k in ("elapsed_us", "wall_us", "target_us"))
        assert 0 <= elapsed <= wall
        assert (row["breached_at"] is not None) == (elapsed > target)
        if row["state"] in (State.MET, State.BREACHED):
            assert (row["state"] == State.MET) == (elapsed <= target)
        assert (row["stop_at"] is None) == (row["state"] in (State.RUNNING, State.PAUSED))
        due, start = row["due_at"], row["start_at"]
        assert start is not None
        assert due is None or due >= start
