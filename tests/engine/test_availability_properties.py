"""The vectorised availability engine against the minute-by-minute twin, on generated
outages, calendars and windows around a month end and a DST change."""

from __future__ import annotations

import numpy as np
from availability_cases import MINUTE, us
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mittari.engine.availability import (
    AvailabilityPolicy,
    MaintenancePolicy,
    Outages,
    ServiceObjective,
    monthly,
)
from mittari.engine.reference_availability import RefOutage, reference_months
from mittari.engine.types import CalendarSpec

ZONE = "Europe/Helsinki"
MONTH = us("2026-03-01T00:00+02:00")  # months are whole: the twin walks from here
LO = us("2026-03-27T00:00+02:00")  # the clocks go forward on the 29th; April starts on the 1st
SPAN = 7 * 24 * 60  # minutes
BANDS = (5 * MINUTE, 30 * MINUTE, 240 * MINUTE)
CALENDARS = (
    CalendarSpec("always", ZONE, always_open=True),
    CalendarSpec("office", ZONE, weekly=(((480, 960),),) * 5 + ((), ())),
    CalendarSpec("nights", ZONE, weekly=(((1320, 1800),),) * 7),  # 22:00-06:00
    CalendarSpec("utc-days", "UTC", weekly=(((0, 720),),) * 7),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def outage(draw: st.DrawFn) -> RefOutage:
    start = draw(st.integers(0, SPAN - 1))
    length = draw(st.integers(1, 600))
    weight = draw(st.sampled_from([10_000, 10_000, 5_000, 3_000, 1, 9_999]))
    return RefOutage(
        LO + start * MINUTE, LO + min(start + length, SPAN) * MINUTE, weight, draw(st.booleans())
    )


@st.composite
def weekly(draw: st.DrawFn) -> tuple[tuple[tuple[int, int], ...], ...]:
    days: list[tuple[tuple[int, int], ...]] = [() for _ in range(7)]
    for _ in range(draw(st.integers(0, 3))):
        day = draw(st.integers(0, 6))
        start = draw(st.integers(0, 1439))
        days[day] = ((start, start + draw(st.integers(1, 600))),)
    return tuple(days)


@SETTINGS
@given(
    rows=st.lists(outage(), max_size=8),
    calendar=st.sampled_from(CALENDARS),
    windows=weekly(),
    dated=st.lists(st.tuples(st.integers(0, SPAN - 1), st.integers(1, 300)), max_size=2),
    as_of_minute=st.integers(1, SPAN),
)
def test_engine_equals_the_minute_by_minute_twin(
    rows: list[RefOutage],
    calendar: CalendarSpec,
    windows: tuple[tuple[tuple[int, int], ...], ...],
    dated: list[tuple[int, int]],
    as_of_minute: int,
) -> None:
    as_of = LO + as_of_minute * MINUTE
    dated_us = tuple((LO + s * MINUTE, LO + (s + n) * MINUTE) for s, n in dated)
    svc = ServiceObjective("svc", 999_000, calendar, (MaintenancePolicy(ZONE, windows, dated_us),))
    arrays = Outages(
        np.array([o.start for o in rows], dtype=np.int64),
        np.minimum(np.array([o.end for o in rows], dtype=np.int64), as_of),
        np.array([o.weight for o in rows], dtype=np.int64),
        np.array([o.planned for o in rows], dtype=bool),
    )
    keep = arrays.start < arrays.end
    arrays = Outages(
        arrays.start[keep], arrays.end[keep], arrays.weight[keep], arrays.planned[keep]
    )
    got = monthly(arrays, svc, AvailabilityPolicy(ZONE, (svc,), BANDS), LO, as_of, as_of)
    clipped = [RefOutage(o.start, min(o.end, as_of), o.weight, o.planned) for o in rows]
    want = reference_months(clipped, calendar, ZONE, windows, dated_us, MONTH, as_of, ZONE)
    assert got.labels == sorted(want)
    for k, label in enumerate(got.labels):
        ref = want[label]
        assert got.agreed_us[k] == ref.agreed_us, label
        assert got.excluded_us[k] == ref.excluded_us, label
        assert got.downtime[k] == ref.downtime, label
        lengths = np.array(ref.episodes or [], dtype=np.int64)
        bands = np.bincount(np.searchsorted(np.array(BANDS), lengths, side="right"), minlength=4)
        assert got.bands[k].tolist() == bands.tolist(), label
