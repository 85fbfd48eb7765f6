"""Local wall-clock times of a contract's zone as int64 µs UTC instants."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from mittari.engine.calendar import local_to_utc


def local_to_utc_us(day: date, minute: int, zone: str) -> int:
    """The UTC instant (µs) of local `day` + `minute` minutes in `zone`, by the calendar's
    rules (docs/semantics.md): a gap time is the transition instant, an ambiguous one the
    earlier instant."""
    return local_to_utc(day, minute, ZoneInfo(zone))
