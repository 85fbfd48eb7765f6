"""Durations as written in contracts: `30m`, `4h`, `2h30m`, `90s`, `1h30m15s`."""

from __future__ import annotations

import re

_DURATION = re.compile(r"(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?")
_DAYS_OR_WEEKS = re.compile(r"\d+\s*[dw]")

EXAMPLES = "e.g. 30m, 4h, 2h30m, 90s"


class DurationError(ValueError):
    """A duration text that cannot be read; the message says what to write instead."""


def parse_duration(text: object) -> int:
    """Whole seconds of a duration made of hours, minutes and seconds, in that order.

    Days and weeks are refused on purpose: in business time "1 day" may mean 24 hours or
    one working day of 8 hours, and a contract must not leave that open.
    """
    if isinstance(text, bool) or not isinstance(text, str):
        raise DurationError(f"a duration is text with units, {EXAMPLES}; got {text!r}")
    compact = "".join(text.split())
    if _DAYS_OR_WEEKS.search(compact):
        raise DurationError(
            "days and weeks are ambiguous in business time (24 hours or one working day?); "
            "write hours instead, e.g. 24h or 8h"
        )
    if compact.startswith("-"):
        raise DurationError("a duration must be positive")
    match = _DURATION.fullmatch(compact)
    if not compact or match is None:
        raise DurationError(f"not a duration; use whole h, m and s in that order, {EXAMPLES}")
    seconds = sum(
        int(match[unit] or 0) * factor for unit, factor in (("h", 3600), ("m", 60), ("s", 1))
    )
    if seconds <= 0:
        raise DurationError("a duration must be positive")
    return seconds
