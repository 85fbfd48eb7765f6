"""Jira timestamps to aware UTC datetimes.

Jira writes `2017-07-06T16:58:09.000+0300` (an offset, so no zone is needed) and webhook
bodies carry `timestamp` in milliseconds since the epoch. A timestamp without an offset is
local wall-clock time in the zone the caller names, with the calendars' DST rules.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np

from mittari.importers.canonical.zones import local_to_utc

_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_DATE_AND_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
EXPECTED = "expected e.g. 2017-07-06T16:58:09.000+0300"


def instant(value: object, timezone: str | None) -> datetime:
    """The UTC instant of a Jira timestamp; ValueError with a message a user can act on."""
    if value is None:
        raise ValueError(f"no timestamp; {EXPECTED}")
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return _EPOCH_UTC + timedelta(milliseconds=value)
        except OverflowError:
            raise ValueError("milliseconds since 1970 out of range") from None
    if not isinstance(value, str) or not _DATE_AND_TIME.match(value.strip()):
        raise ValueError(f"not a Jira timestamp; {EXPECTED}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"not a Jira timestamp; {EXPECTED}") from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    if timezone is None:
        raise ValueError("timestamp without a UTC offset; name the export's time zone")
    wall_us = (parsed - _EPOCH) // timedelta(microseconds=1)
    utc_us = int(local_to_utc(np.array([wall_us], dtype=np.int64), timezone)[0])
    return _EPOCH_UTC + timedelta(microseconds=utc_us)
