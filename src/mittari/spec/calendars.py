"""Business calendars: the contract's `calendars` entries as engine `CalendarSpec`s.

Public holidays come from the `holidays` package, looked up lazily per year and cached; the
engine sees only plain frozensets of dates, so its hot path never computes holidays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import holidays

from mittari.engine.types import CalendarSpec, Minutes
from mittari.spec.hours import parse_day_key, parse_time_range
from mittari.spec.vocabulary import did_you_mean

if TYPE_CHECKING:
    from mittari.spec.models import CalendarModel


@cache
def package_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """Closed dates of `year` in `country` (and `subdivision`) per the `holidays` package."""
    # Neighbouring years too: a holiday may be observed across a year boundary (a Saturday
    # New Year's Day observed on the Friday before), and it belongs to the year it falls in.
    years = (year - 1, year, year + 1)
    found = holidays.country_holidays(country, subdiv=subdivision, years=years)
    return frozenset(d for d in found if d.year == year)


@dataclass(frozen=True)
class HolidayLookup:
    """`CalendarSpec.holidays`: a year's public holidays merged with the listed dates.

    A dataclass rather than a closure so that calendars pickle (to worker processes).
    """

    country: str | None = None
    subdivision: str | None = None
    listed: frozenset[date] = frozenset()

    def __call__(self, year: int) -> frozenset[date]:
        listed = frozenset(d for d in self.listed if d.year == year)
        if self.country is None:
            return listed
        return package_holidays(self.country, self.subdivision, year) | listed


def build_calendar(model: CalendarModel, default_tz: str, name: str = "") -> CalendarSpec:
    """The engine's calendar for one `calendars.<name>` entry of a validated contract."""
    timezone = model.timezone or default_tz
    if model.always_open:
        return CalendarSpec(name, timezone, holidays=HolidayLookup(), always_open=True)
    rules = model.holidays
    lookup = HolidayLookup(
        rules.country if rules else None,
        rules.subdivision if rules else None,
        frozenset(rules.dates) if rules else frozenset(),
    )
    closures = sorted((c.day, *parse_time_range(c.hours)) for c in model.closures)
    return CalendarSpec(
        name,
        timezone,
        weekly=weekly_hours(model.hours or {}),
        holidays=lookup,
        closures=tuple(closures),
    )


def weekly_hours(hours: Mapping[str, Sequence[str]]) -> tuple[tuple[Minutes, ...], ...]:
    """Opening intervals per weekday (Monday first), sorted, overlaps within a day merged."""
    days: list[list[Minutes]] = [[] for _ in range(7)]
    for key, ranges in hours.items():
        for weekday in parse_day_key(key):
            days[weekday].extend(parse_time_range(text) for text in ranges)
    return tuple(_merged(day) for day in days)


def _merged(intervals: Iterable[Minutes]) -> tuple[Minutes, ...]:
    merged: list[Minutes] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


@lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    supported: dict[str, list[str]] = holidays.list_supported_countries(include_aliases=False)
    return supported


def check_holiday_country(country: str) -> str:
    """The code itself if the `holidays` package knows the country."""
    try:
        if not (len(country) == 2 and country.isalpha() and country.isupper()):
            raise NotImplementedError(country)  # the package also takes names and alpha-3
        holidays.country_holidays(country)  # cheap: computes nothing until a year is asked
    except NotImplementedError:
        hint = did_you_mean(country.upper(), _supported())
        raise ValueError(
            f"unknown holiday country '{country}'{hint}; "
            "use an ISO 3166-1 alpha-2 code the holidays package supports, e.g. FI"
        ) from None
    return country


def check_holiday_subdivision(country: str, subdivision: str) -> str:
    """The code itself if the package knows it as a subdivision of `country`."""
    try:
        holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        known = ", ".join(_supported().get(country, [])) or "none"
        raise ValueError(
            f"unknown subdivision '{subdivision}' of {country}; known subdivisions: {known}"
        ) from None
    return subdivision
