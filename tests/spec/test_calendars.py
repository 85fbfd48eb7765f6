from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mittari.spec import build_calendar
from mittari.spec.calendars import package_holidays
from mittari.spec.instants import local_to_utc_us
from mittari.spec.models import CalendarModel


def _calendar(**fields: object) -> CalendarModel:
    return CalendarModel.model_validate(fields)


def test_finnish_holidays_2026_with_listed_dates() -> None:
    model = _calendar(
        hours={"mon-fri": ["08:00-16:00"]},
        holidays={"country": "FI", "dates": [date(2026, 12, 24), date(2027, 1, 4)]},
    )
    holidays_2026 = build_calendar(model, "Europe/Helsinki").holidays(2026)
    assert date(2026, 12, 6) in holidays_2026  # Independence Day
    assert date(2026, 12, 24) in holidays_2026  # listed
    assert date(2026, 6, 20) in holidays_2026  # Midsummer Day
    assert date(2027, 1, 4) not in holidays_2026  # listed, but another year
    assert all(d.year == 2026 for d in holidays_2026)


def test_holidays_are_cached_per_country_subdivision_and_year() -> None:
    package_holidays.cache_clear()
    package_holidays("FI", None, 2026)
    package_holidays("FI", None, 2026)
    package_holidays("FI", None, 2027)
    info = package_holidays.cache_info()
    assert (info.hits, info.misses) == (1, 2)


def test_subdivision_holidays() -> None:
    model = _calendar(
        hours={"mon": ["08:00-16:00"]}, holidays={"country": "DE", "subdivision": "BY"}
    )
    assert date(2026, 1, 6) in build_calendar(model, "Europe/Berlin").holidays(2026)  # Epiphany
    plain = _calendar(hours={"mon": ["08:00-16:00"]}, holidays={"country": "DE"})
    assert date(2026, 1, 6) not in build_calendar(plain, "Europe/Berlin").holidays(2026)


def test_weekly_hours_sorted_merged_overnight_and_24_00() -> None:
    model = _calendar(
        hours={
            "mon-fri": ["13:00-17:00", "08:00-12:00"],
            "mon": ["11:00-14:00"],
            "sat": ["22:00-06:00"],
            "sun": ["16:00-24:00"],
        }
    )
    spec = build_calendar(model, "Europe/Helsinki", name="shifts")
    assert spec.name == "shifts"
    assert spec.weekly == (
        ((480, 1020),),
        ((480, 720), (780, 1020)),
        ((480, 720), (780, 1020)),
        ((480, 720), (780, 1020)),
        ((480, 720), (780, 1020)),
        ((1320, 1800),),
        ((960, 1440),),
    )


def test_calendar_timezone_defaults_to_the_contract_zone() -> None:
    hours = {"mon": ["08:00-16:00"]}
    assert build_calendar(_calendar(hours=hours), "Europe/Helsinki").timezone == "Europe/Helsinki"
    own = _calendar(hours=hours, timezone="America/New_York")
    assert build_calendar(own, "Europe/Helsinki").timezone == "America/New_York"


def test_always_open_calendar() -> None:
    spec = build_calendar(_calendar(alwaysOpen=True), "UTC", name="always")
    assert spec.always_open
    assert spec.weekly == ()


def _utc(us: int) -> datetime:
    return datetime.fromtimestamp(us / 1_000_000, UTC)


@pytest.mark.parametrize(
    ("day", "minute", "zone", "expected"),
    [
        (date(2026, 1, 1), 0, "Europe/Helsinki", datetime(2025, 12, 31, 22, tzinfo=UTC)),
        (date(2026, 7, 1), 0, "Europe/Helsinki", datetime(2026, 6, 30, 21, tzinfo=UTC)),
        # 03:30 does not exist in Helsinki on 29 March 2026: the transition instant
        (date(2026, 3, 29), 210, "Europe/Helsinki", datetime(2026, 3, 29, 1, tzinfo=UTC)),
        # 03:30 happens twice on 25 October 2026: the earlier instant
        (date(2026, 10, 25), 210, "Europe/Helsinki", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # midnight does not exist in Santiago on 6 September 2026
        (date(2026, 9, 6), 0, "America/Santiago", datetime(2026, 9, 6, 4, tzinfo=UTC)),
        (date(2026, 9, 6), 30, "America/Santiago", datetime(2026, 9, 6, 4, tzinfo=UTC)),
    ],
)
def test_local_wall_times_to_utc(day: date, minute: int, zone: str, expected: datetime) -> None:
    assert _utc(local_to_utc_us(day, minute, zone)) == expected
