"""Opening hours as written: weekday keys (`mon`, `mon-fri`) and `HH:MM-HH:MM` ranges."""

from __future__ import annotations

import re

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = weekday, Monday = 0
DAY_MINUTES = 1440

_RANGE = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


def parse_day_key(key: str) -> tuple[int, ...]:
    """Weekdays (Monday = 0) named by `mon` .. `sun` or a forward range such as `mon-fri`."""
    first, _, last = key.partition("-")
    names = [first, last or first]
    unknown = [n for n in names if n not in WEEKDAYS]
    if unknown:
        raise ValueError(
            f"unknown weekday '{unknown[0]}'; use {', '.join(WEEKDAYS)} or a range like mon-fri"
        )
    start, end = (WEEKDAYS.index(n) for n in names)
    if end < start:
        raise ValueError(f"a weekday range runs Monday-first: write e.g. 'mon-fri', not '{key}'")
    return tuple(range(start, end + 1))


def parse_time_range(text: str) -> tuple[int, int]:
    """Local minutes [start, end) of `HH:MM-HH:MM`.

    `24:00` is allowed as an end (the next midnight). An end before the start is an
    overnight shift that runs into the next date: `22:00-06:00` is (1320, 1800).
    """
    match = _RANGE.fullmatch("".join(text.split()))
    if match is None:
        raise ValueError(f"'{text}' is not a time range; write HH:MM-HH:MM, e.g. 08:00-16:00")
    start = _minutes(match[1], match[2])
    end = _minutes(match[3], match[4])
    if start == DAY_MINUTES:
        raise ValueError("24:00 can only end a range; start at 00:00 instead")
    if start == end:
        raise ValueError("a range's start and end must differ; for a whole day write 00:00-24:00")
    if end <= start:
        end += DAY_MINUTES  # overnight: the shift belongs to the date it starts on
    return start, end


def _minutes(hours: str, minutes: str) -> int:
    h, m = int(hours), int(minutes)
    if m >= 60:
        raise ValueError(f"minutes must be 00..59, not {minutes}")
    if h > 24 or (h == 24 and m != 0):
        raise ValueError(f"{hours}:{minutes} is not a time of day (00:00..24:00)")
    return h * 60 + m
