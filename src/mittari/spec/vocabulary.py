"""The words of a contract: priorities, statuses, clock conditions and time zones."""

from __future__ import annotations

import difflib
import zoneinfo
from collections.abc import Iterable
from functools import lru_cache

from mittari.engine.types import (
    ACTOR_NAMES,
    PRIORITIES,
    STATUS_NAMES,
    Condition,
    Trigger,
)

PRIORITY_KEYS = tuple(f"P{p}" for p in PRIORITIES)
_PLAIN_TRIGGERS = {
    "created": Trigger.CREATED,
    "reopened": Trigger.REOPENED,
    "assign": Trigger.ASSIGN,
    "category": Trigger.CATEGORY,
}
CONDITION_FORMS = (*_PLAIN_TRIGGERS, "status:<status>", "reply:<actor>", "priority:P<n>")


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A ' (did you mean ...?)' hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_priority(key: str) -> int:
    """`P1` .. `P5` as the priority number 1 .. 5."""
    if key not in PRIORITY_KEYS:
        raise ValueError(f"unknown priority '{key}'; use one of {', '.join(PRIORITY_KEYS)}")
    return int(key[1:])


def parse_status(name: str) -> int:
    """A canonical status name as its Status code."""
    if name not in STATUS_NAMES:
        raise ValueError(
            f"unknown status '{name}'{did_you_mean(name, STATUS_NAMES)}; "
            f"canonical statuses: {', '.join(STATUS_NAMES)}"
        )
    return int(STATUS_NAMES[name])


def parse_condition(text: str) -> Condition:
    """A start/stop condition: one of CONDITION_FORMS, e.g. `status:pending_vendor`."""
    if text in _PLAIN_TRIGGERS:
        return Condition(_PLAIN_TRIGGERS[text])
    head, sep, arg = text.partition(":")
    if sep and head == "status":
        return Condition(Trigger.STATUS, parse_status(arg))
    if sep and head == "priority":
        return Condition(Trigger.PRIORITY, parse_priority(arg))
    if sep and head == "reply":
        if arg not in ACTOR_NAMES:
            raise ValueError(f"unknown actor '{arg}'; use one of {', '.join(ACTOR_NAMES)}")
        return Condition(Trigger.REPLY, int(ACTOR_NAMES[arg]))
    raise ValueError(f"unknown condition '{text}'; use one of {', '.join(CONDITION_FORMS)}")


def check_timezone(name: str) -> str:
    """The name itself if it is an IANA time zone known to zoneinfo."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, _zone_names())
        raise ValueError(f"unknown time zone '{name}'{hint}; use an IANA name") from None
    return name


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
