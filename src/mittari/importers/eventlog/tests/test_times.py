"""Timestamps: ISO or strptime formats, offsets kept or ignored, wall-clock times in a named
zone with the canonical DST rules (a gap time becomes the end of the gap, an overlap time
the earlier instant)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mittari.importers.eventlog import read

Write = Callable[[str, str], Path]


def _mapping(write: Write, timestamps: str) -> Path:
    text = f"""\
name: times
timestamps: {timestamps}
csv:
  case: Case
  fields: {{ activity: Activity, timestamp: Time }}
rules:
  - activity: Work
    emit: [{{ kind: status, value: open }}]
"""
    return write("m.yaml", text)


def _read(write: Write, timestamps: str, times: list[str], zone: str | None = None) -> list[str]:
    rows = "".join(f'T-1,Work,"{t}"\n' for t in times)
    log = write("log.csv", "Case,Activity,Time\n" + rows)
    extract = read(log, mapping=_mapping(write, timestamps), timezone=zone)
    assert extract.problems == []
    return [e["ts"].isoformat() for e in extract.events.to_pylist() if e["kind"] == "status"]


def test_a_day_first_format_in_a_named_zone_across_dst(write: Write) -> None:
    times = ["03/03/2025 09:00", "30/03/2025 03:30", "26/10/2025 03:30", "26/10/2025 04:30"]
    found = _read(write, '{ format: "%d/%m/%Y %H:%M", zone: Europe/Helsinki }', times)
    assert found == [
        "2025-03-03T07:00:00+00:00",  # EET, +02:00
        "2025-03-30T01:00:00+00:00",  # 03:30 does not exist: the end of the gap (04:00 EEST)
        "2025-10-26T00:30:00+00:00",  # 03:30 happens twice: the earlier (EEST, +03:00)
        "2025-10-26T02:30:00+00:00",  # after the overlap: EET again
    ]


def test_a_format_with_an_offset_needs_no_zone(write: Write) -> None:
    found = _read(write, '{ format: "%d.%m.%Y %H:%M %z" }', ["03.03.2025 09:00 +0100"])
    assert found == ["2025-03-03T08:00:00+00:00"]


def test_ignored_offsets_leave_wall_clock_times_in_the_zone(write: Write) -> None:
    times = ["2025-03-30 03:30:00+05:00", "2025-10-26T03:30:00.5Z", "2025-07-01 12:00+0200"]
    found = _read(write, "{ offset: ignore, zone: Europe/Helsinki }", times)
    assert found == [
        "2025-03-30T01:00:00+00:00",
        "2025-10-26T00:30:00.500000+00:00",
        "2025-07-01T09:00:00+00:00",
    ]


def test_the_timezone_argument_serves_an_ignoring_mapping(write: Write) -> None:
    found = _read(write, "{ offset: ignore }", ["2025-01-10 12:00:00+02:00"], zone="Europe/Rome")
    assert found == ["2025-01-10T11:00:00+00:00"]


@pytest.mark.parametrize(
    ("timestamps", "text", "message"),
    [
        ("{ format: iso }", "2025-03-03 09:00:00",
         "timestamp has no UTC offset; name its zone (timestamps.zone or --timezone)"),
        ('{ format: "%d/%m/%Y %H:%M" }', "03/03/2025 09:00",
         "timestamp has no UTC offset; name its zone (timestamps.zone or --timezone)"),
        ('{ format: "%d/%m/%Y %H:%M", zone: UTC }', "2025-03-03 09:00",
         "does not match the timestamp format '%d/%m/%Y %H:%M'"),
    ],
)  # fmt: skip
def test_unreadable_times_are_problems(
    write: Write, timestamps: str, text: str, message: str
) -> None:
    log = write("log.csv", f"Case,Activity,Time\nT-1,Work,{text}\n")
    extract = read(log, mapping=_mapping(write, timestamps))
    assert [(p.line, p.field, p.value, p.message) for p in extract.problems] == [
        (2, "Time", text, message)
    ]
    assert extract.events.num_rows == 0
