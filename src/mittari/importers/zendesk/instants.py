"""Zendesk timestamps: ISO 8601 with `Z` (the API's form), or a named zone's wall-clock time.

The API writes `2025-03-03T07:05:00Z`; old exports wrote `2011/09/25 22:35:44 -0700`, read
too. A timestamp without an offset is an error unless the read names a time zone: then it is
local time there, with the canonical importer's rules for DST gaps and overlaps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from mittari.importers.canonical.zones import local_to_utc

_EPOCH = datetime(1970, 1, 1)
_LEGACY = "%Y/%m/%d %H:%M:%S %z"
EXPECTED = "expected ISO 8601 with a UTC offset, e.g. 2025-03-03T07:05:00Z"


def parse_instant(text: object, timezone: str | None) -> datetime | str:
    """The instant `text` names (aware, UTC), or why it names none."""
    if not isinstance(text, str) or not text.strip():
        return f"a timestamp is missing; {EXPECTED}"
    moment = _parse(text.strip())
    if moment is None:
        return f"not a timestamp; {EXPECTED}"
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    if timezone is None:
        return "a timestamp without a UTC offset; name the export's time zone (timezone=...)"
    return _local(moment, timezone)


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, _LEGACY)
    except ValueError:
        return None


def _local(wall: datetime, timezone: str) -> datetime:
    # Same DST rules as the canonical reader: a time in a gap becomes the transition
    # instant, a time that happens twice the earlier instant.
    wall_us = (wall - _EPOCH) // timedelta(microseconds=1)
    utc_us = int(local_to_utc(np.array([wall_us], dtype=np.int64), timezone)[0])
    return (_EPOCH + timedelta(microseconds=utc_us)).replace(tzinfo=UTC)
