"""Small builders the availability and credit tests share: instants from local text,
services on calendars, outages from tuples."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from mittari.engine.availability import (
    AvailabilityPolicy,
    MaintenancePolicy,
    Outages,
    ServiceObjective,
)
from mittari.engine.types import US, CalendarSpec

ZONE = "Europe/Helsinki"
MINUTE = 60 * US
ALWAYS = CalendarSpec("always", ZONE, always_open=True)
OFFICE = CalendarSpec("office", ZONE, weekly=(((480, 960),),) * 5 + ((), ()))
SUNDAY_NIGHT = MaintenancePolicy(ZONE, weekly=((),) * 6 + (((120, 360),),))


def us(text: str) -> int:
    """µs UTC of an ISO 8601 instant with an offset."""
    dt = datetime.fromisoformat(text)
    assert dt.tzinfo is not None
    return int(dt.timestamp()) * US + dt.microsecond


def service(
    objective_ppm: int = 999_000,
    calendar: CalendarSpec = ALWAYS,
    maintenance: tuple[MaintenancePolicy, ...] = (SUNDAY_NIGHT,),
) -> ServiceObjective:
    return ServiceObjective("email", objective_ppm, calendar, maintenance)


def policy(
    svc: ServiceObjective, bands_minutes: tuple[int, ...] = (5, 30, 240)
) -> AvailabilityPolicy:
    return AvailabilityPolicy(ZONE, (svc,), tuple(b * MINUTE for b in bands_minutes))


def outages(*rows: tuple[str, str, float, bool]) -> Outages:
    """(start, end, weight, planned) rows, instants as ISO text."""
    return Outages(
        np.array([us(r[0]) for r in rows], dtype=np.int64),
        np.array([us(r[1]) for r in rows], dtype=np.int64),
        np.array([round(r[2] * 10_000) for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=bool),
    )
