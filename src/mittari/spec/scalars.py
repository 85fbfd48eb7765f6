"""Field types of the contract format: text as written, checked by the vocabulary parsers.

Each type keeps the value as written (the resolver parses it again); a failed check raises
ValueError, which the contract checker turns into a Problem with the message as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from mittari.spec.durations import parse_duration
from mittari.spec.hours import parse_day_key, parse_time_range
from mittari.spec.vocabulary import (
    check_timezone,
    parse_condition,
    parse_priority,
    parse_status,
)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _slug(text: str) -> str:
    if not _SLUG.fullmatch(text):
        raise ValueError("a customer slug is lower-case letters, digits and single hyphens")
    return text


def _name(text: str) -> str:
    if not _NAME.fullmatch(text):
        raise ValueError("a name is lower-case letters, digits, '_' and '-', e.g. office_hours")
    return text


def _non_empty(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _as_text(example: str) -> Callable[[object], object]:
    """Refuse what YAML read as a number or boolean where text was meant."""

    def check(value: object) -> object:
        if isinstance(value, bool | int | float):
            raise ValueError(
                f"YAML read this as the {type(value).__name__} {value!r}; quote it to keep it "
                f"as text, e.g. {example}"
            )
        return value

    return check


def _duration(value: object) -> object:
    parse_duration(value)  # raises DurationError (a ValueError) with the reason
    return value


def _objective(value: object) -> float:
    """`95%`, or a number meaning percent; a bare 0.95 is refused as a likely fraction."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _number(value.strip()[:-1])
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number <= 1:
            raise ValueError(
                f"a bare number is a percentage, so {value} means {value} %; write 95% for "
                f"ninety-five percent, or '{value}%' if {value} % is really meant"
            )
    else:
        raise ValueError("write the objective as a percentage, e.g. 95% or 99.5%")
    if not 0 < number <= 100:
        raise ValueError("an objective is a percentage above 0 and at most 100")
    return number


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"'{text}%' is not a percentage; write e.g. 95%") from None


def _time_range(text: str) -> str:
    parse_time_range(text)
    return text


def _day_key(text: str) -> str:
    parse_day_key(text)
    return text


def _priority_key(text: str) -> str:
    parse_priority(text)
    return text


def _status(text: str) -> str:
    parse_status(text)
    return text


def _condition(text: str) -> str:
    parse_condition(text)
    return text


Text = Annotated[str, BeforeValidator(_as_text('name: "2026"')), AfterValidator(_non_empty)]
VersionLabel = Annotated[
    str, BeforeValidator(_as_text('version: "2026.10"')), AfterValidator(_non_empty)
]
Slug = Annotated[str, AfterValidator(_slug)]
Name = Annotated[str, AfterValidator(_name)]
Zone = Annotated[str, AfterValidator(check_timezone)]
Duration = Annotated[str, BeforeValidator(_duration)]
Objective = Annotated[float, BeforeValidator(_objective)]
TimeRange = Annotated[str, AfterValidator(_time_range)]
DayKey = Annotated[str, AfterValidator(_day_key)]
PriorityKey = Annotated[str, AfterValidator(_priority_key)]
StatusName = Annotated[str, AfterValidator(_status)]
ConditionText = Annotated[str, AfterValidator(_condition)]
Region = Annotated[str, BeforeValidator(_as_text('country: "NO"'))]
