"""Availability worked by hand: each test is one sentence of docs/availability.md."""

from __future__ import annotations

import numpy as np
import pytest
from availability_cases import MINUTE, OFFICE, outages, policy, service, us

from mittari.engine.availability import (
    Monthly,
    ServiceObjective,
    band_labels,
    monthly,
    service_steps,
)
from mittari.engine.burn import SLOTH_30D, burn_rates
from mittari.engine.calendar import BusinessCalendar
from mittari.engine.outage_steps import WEIGHT_SCALE

MARCH = (us("2026-03-01T00:00+02:00"), us("2026-04-01T00:00+03:00"))
LATER = us("2026-06-01T00:00+03:00")


Row = tuple[str, str, float, bool]


def run(
    rows: list[Row],
    svc: ServiceObjective | None = None,
    lo_hi: tuple[int, int] = MARCH,
    as_of: int = LATER,
) -> Monthly:
    svc = svc or service()
    return monthly(outages(*rows), svc, policy(svc), lo_hi[0], lo_hi[1], as_of)


def minutes(value: int) -> float:
    return value / WEIGHT_SCALE / MINUTE


def test_march_in_helsinki_has_743_hours_of_24x7_time() -> None:
    m = run([], svc=service(maintenance=()))
    assert m.labels == ["2026-03"]
    assert m.agreed_us[0] == (31 * 24 - 1) * 60 * MINUTE  # the clocks go forward on the 29th
    assert m.uptime_pct[0] == 100.0 and m.outages[0] == 0


def test_a_partial_outage_inside_a_full_one_counts_the_larger_weight_at_each_instant() -> None:
    m = run(
        [
            ("2026-03-03T10:00+02:00", "2026-03-03T11:00+02:00", 0.3, False),
            ("2026-03-03T10:30+02:00", "2026-03-03T10:40+02:00", 1.0, False),
        ]
    )
    assert minutes(m.downtime[0]) == pytest.approx(50 * 0.3 + 10)  # 25 minutes, exactly
    assert m.downtime[0] == 25 * MINUTE * WEIGHT_SCALE
    assert m.outages[0] == 1  # one episode, 10:00-11:00
    assert list(m.bands[0]) == [0, 0, 1, 0]


def test_two_overlapping_full_outages_are_never_counted_twice() -> None:
    m = run(
        [
            ("2026-03-03T10:00+02:00", "2026-03-03T10:20+02:00", 1.0, False),
            ("2026-03-03T10:10+02:00", "2026-03-03T10:30+02:00", 1.0, False),
        ]
    )
    assert m.downtime[0] == 30 * MINUTE * WEIGHT_SCALE
    assert m.outages[0] == 1


def test_planned_work_inside_a_window_leaves_agreed_time_outside_it_counts() -> None:
    m = run(
        [
            ("2026-03-08T02:30+02:00", "2026-03-08T03:30+02:00", 1.0, True),  # Sunday window
            ("2026-03-09T10:00+02:00", "2026-03-09T10:30+02:00", 1.0, True),
        ]
    )  # Monday
    assert m.excluded_us[0] == 60 * MINUTE
    assert m.agreed_us[0] == (743 * 60 - 60) * MINUTE
    assert m.downtime[0] == 30 * MINUTE * WEIGHT_SCALE
    assert m.outages[0] == 1


def test_an_unplanned_outage_inside_a_window_still_counts() -> None:
    m = run([("2026-03-08T02:30+02:00", "2026-03-08T03:30+02:00", 1.0, False)])
    assert m.excluded_us[0] == 0 and m.downtime[0] == 60 * MINUTE * WEIGHT_SCALE


def test_on_office_hours_only_agreed_time_is_lost_and_a_night_outage_is_no_outage() -> None:
    svc = service(calendar=OFFICE, maintenance=())
    m = run(
        [
            ("2026-03-03T15:00+02:00", "2026-03-03T17:00+02:00", 1.0, False),  # 1 h agreed
            ("2026-03-04T01:00+02:00", "2026-03-04T03:00+02:00", 1.0, False),
        ],
        svc=svc,
    )
    assert m.agreed_us[0] == 22 * 8 * 60 * MINUTE  # 22 weekdays of 8 hours
    assert m.downtime[0] == 60 * MINUTE * WEIGHT_SCALE
    assert m.outages[0] == 1 and list(m.bands[0]) == [0, 0, 1, 0]  # 2 h wall clock


def test_an_outage_across_the_month_end_is_split_by_time_and_counted_where_it_starts() -> None:
    lo_hi = (MARCH[0], us("2026-05-01T00:00+03:00"))
    m = run([("2026-03-31T23:30+03:00", "2026-04-01T00:30+03:00", 1.0, False)], lo_hi=lo_hi)
    assert m.labels == ["2026-03", "2026-04"]
    assert list(m.downtime) == [30 * MINUTE * WEIGHT_SCALE] * 2
    assert list(m.outages) == [1, 0]


def test_bands_take_the_lower_edge_and_the_wall_clock_length() -> None:
    day = "2026-03-1{}T{}+02:00"
    rows = [
        (day.format(0, "10:00"), day.format(0, "10:04:59"), 1.0, False),  # <5m
        (day.format(1, "10:00"), day.format(1, "10:05"), 1.0, False),  # 5m-30m
        (day.format(2, "10:00"), day.format(2, "14:00"), 1.0, False),  # 4h+
        (day.format(3, "10:00"), day.format(3, "10:30"), 0.5, False),
    ]  # 30m-4h
    m = run(rows)
    assert list(m.bands[0]) == [1, 1, 1, 1]
    assert band_labels(policy(service()).bands_us) == ["<5m", "5m-30m", "30m-4h", "4h+"]


def test_downtime_exactly_the_budget_meets_the_objective_one_microsecond_more_does_not() -> None:
    april = (us("2026-04-01T00:00+03:00"), us("2026-05-01T00:00+03:00"))
    svc = service(maintenance=())  # April: 720 h; 0.1 % of it is 43 min 12 s
    met = run([("2026-04-10T10:00+03:00", "2026-04-10T10:43:12+03:00", 1.0, False)], svc, april)
    assert bool(met.objective_met[0]) and met.budget_left_pct[0] == pytest.approx(0.0)
    over = run(
        [("2026-04-10T10:00+03:00", "2026-04-10T10:43:12.000001+03:00", 1.0, False)], svc, april
    )
    assert not over.objective_met[0]


def test_budget_left_and_burn_rate_of_a_month_in_progress() -> None:
    april = (us("2026-04-01T00:00+03:00"), us("2026-05-01T00:00+03:00"))
    as_of = us("2026-04-11T00:00+03:00")  # 10 days in: 14 400 agreed minutes so far
    m = run(
        [("2026-04-10T10:00+03:00", "2026-04-10T10:36+03:00", 0.5, False)],
        service(maintenance=()),
        april,
        as_of,
    )
    assert not m.complete[0] and m.agreed_us[0] == 14_400 * MINUTE
    assert minutes(m.downtime[0]) == 18.0
    assert m.burn_rate[0] == pytest.approx((18 / 14_400) / 0.001)  # 1.25
    assert m.budget_left_pct[0] == pytest.approx(100 * (1 - 18 / 43.2))


def test_a_fresh_ten_minute_outage_fires_both_page_alerts() -> None:
    svc = service(maintenance=())
    at = us("2026-04-10T10:10+03:00")
    found = outages(("2026-04-10T10:00+03:00", "2026-04-10T10:10+03:00", 1.0, False))
    steps = service_steps(found, svc, BusinessCalendar(svc.calendar), at - 4 * 86400 * 10**6, at)
    check = burn_rates(steps, svc, at, SLOTH_30D)
    assert check.factor.tolist() == pytest.approx([14.4, 6.0, 3.0, 1.0])
    assert check.long_rate[0] == pytest.approx((10 / 60) / 0.001)
    assert check.short_rate[0] == pytest.approx(1 / 0.001)
    assert check.short_rate[2] == pytest.approx((10 / 120) / 0.001)
    assert np.all(check.alerting)
