"""Timestamps of ServiceNow exports to aware UTC datetimes, a column at a time.

Exports carry the exporting user's date format and no zone (`24/11/2026 09:30:00`); the
Table API returns `2026-11-24 09:30:00` in UTC. Wall times in a named zone go through the
canonical reader's `local_to_utc`, so the DST rules are the calendars' own: a time in a
spring-forward gap becomes the transition instant, one in a fall-back overlap the earlier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from mittari.importers.canonical.zones import local_to_utc

_EPOCH = datetime(1970, 1, 1)
_ONE_US = timedelta(microseconds=1)
_SAMPLE = datetime(2026, 11, 24, 9, 30)
# dd/mm/yyyy or mm/dd/yyyy (also with . or -), a space or T, hh:mm[:ss]
_NUMERIC = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII
)

Parsed = datetime | str  # an aware UTC instant, or why the text is not one


@dataclass(frozen=True)
class TimeReader:
    """How the timestamps of one input are written."""

    format: str | None = None  # a strptime format; None: ISO 8601, or numeric dates
    dayfirst: bool | None = None  # order of numeric dates; None: such a date is a problem
    timezone: str | None = None  # IANA zone of wall times; None: a wall time is a problem

    def parse(self, texts: Sequence[str]) -> list[Parsed]:
        """One result per text: the instant, or a message saying what was expected."""
        found = [self._read(text.strip()) for text in texts]
        naive = [
            i for i, item in enumerate(found) if isinstance(item, datetime) and not _aware(item)
        ]
        if naive:
            self._place(found, naive)
        return [item.astimezone(UTC) if isinstance(item, datetime) else item for item in found]

    def _place(self, found: list[datetime | str], naive: list[int]) -> None:
        """Wall times (at `naive`) to instants in the named zone, or problems without one."""
        if self.timezone is None:
            for i in naive:
                found[i] = "no UTC offset and no time zone named: name the zone with --timezone"
            return
        wall = np.array([_wall_us(found[i]) for i in naive], dtype=np.int64)
        # DST: local_to_utc moves a time in a gap to the transition, takes the earlier of two
        utc = local_to_utc(wall, self.timezone).tolist()
        for i, instant in zip(naive, utc, strict=True):
            found[i] = _EPOCH.replace(tzinfo=UTC) + timedelta(microseconds=instant)

    def example(self) -> str:
        if self.format is not None:
            return _SAMPLE.strftime(self.format)
        if self.dayfirst is None:
            return "2026-11-24 09:30:00"
        return "24/11/2026 09:30:00" if self.dayfirst else "11/24/2026 09:30:00"

    def _read(self, text: str) -> datetime | str:
        if not text:
            return "empty timestamp"
        expected = f"not a timestamp; expected e.g. {self.example()}"
        if self.format is not None:
            try:
                return datetime.strptime(text, self.format)
            except ValueError:
                return f"{expected} (timestamp_format {self.format!r})"
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
        match = _NUMERIC.fullmatch(text)
        if match is None:
            return expected
        if self.dayfirst is None:
            return "day and month order unknown: set dayfirst (true or false) in the mapping"
        return _numeric(match, self.dayfirst) or f"{expected} (no such date or time)"


def _numeric(match: re.Match[str], dayfirst: bool) -> datetime | None:
    first, second, year, hour, minute, second_s = match.groups()
    day, month = (first, second) if dayfirst else (second, first)
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second_s or 0))
    except ValueError:
        return None


def _aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None


def _wall_us(moment: datetime | str) -> int:
    assert isinstance(moment, datetime)  # only naive datetimes are passed here
    return (moment - _EPOCH) // _ONE_US
