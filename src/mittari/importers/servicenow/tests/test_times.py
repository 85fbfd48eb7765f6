"""Timestamps: formats, zones, DST gaps and overlaps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.servicenow import read
from mittari.importers.servicenow.tests import SAMPLES, events_of, problems_of
from mittari.importers.servicenow.times import TimeReader

HistoryCsv = Callable[..., Path]
HEADER = "number,state,sys_updated_on,opened_at"


def _created_at(path: Path, **options: str) -> str:
    extract = read(path, **options)
    assert extract.problems == []
    return events_of(extract)[0][1]


def test_a_wall_time_in_the_spring_forward_gap_is_the_transition_instant(
    history_csv: HistoryCsv,
) -> None:
    # Helsinki, 2026-03-29: clocks go from 03:00 EET to 04:00 EEST; 03:30 does not exist
    path = history_csv("INC1,1,29/03/2026 03:30:00,29/03/2026 03:30:00", header=HEADER)
    assert _created_at(path, timezone="Europe/Helsinki") == "2026-03-29T01:00:00Z"


def test_a_wall_time_in_the_fall_back_overlap_is_the_earlier_instant(
    history_csv: HistoryCsv,
) -> None:
    # Helsinki, 2026-10-25: 04:00 EEST becomes 03:00 EET; 03:30 happens twice
    path = history_csv("INC1,1,25/10/2026 03:30:00,25/10/2026 03:30:00", header=HEADER)
    assert _created_at(path, timezone="Europe/Helsinki") == "2026-10-25T00:30:00Z"


def test_times_on_either_side_of_a_transition_take_their_own_offset(
    history_csv: HistoryCsv,
) -> None:
    path = history_csv(
        "INC1,1,29/03/2026 02:59:00,29/03/2026 02:59:00",
        "INC1,2,29/03/2026 04:00:00,29/03/2026 02:59:00",
        header=HEADER,
    )
    times = [e[1] for e in events_of(read(path, timezone="Europe/Helsinki"))]
    assert times == ["2026-03-29T00:59:00Z", "2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z"]


def test_a_time_with_an_offset_is_not_moved_by_the_zone(history_csv: HistoryCsv) -> None:
    path = history_csv("INC1,1,2026-03-02T09:00:00+05:30,2026-03-02T09:00:00Z", header=HEADER)
    assert _created_at(path, timezone="Europe/Helsinki") == "2026-03-02T09:00:00Z"
    assert _created_at(path) == "2026-03-02T09:00:00Z"  # no zone needed


def test_day_first_times_may_omit_seconds_and_use_dots(history_csv: HistoryCsv) -> None:
    path = history_csv("INC1,1,24.11.2026 09:30,24.11.2026 09:30", header=HEADER)
    assert _created_at(path, timezone="UTC") == "2026-11-24T09:30:00Z"


def test_an_unknown_zone_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown IANA time zone"):
        read(SAMPLES / "incident_history.csv", timezone="Europe/Atlantis")


@pytest.mark.parametrize(
    ("reader", "text", "expected"),
    [
        (
            TimeReader(dayfirst=True, timezone="UTC"),
            "05/06/2026 07:08:09",
            datetime(2026, 6, 5, 7, 8, 9),
        ),
        (
            TimeReader(dayfirst=False, timezone="UTC"),
            "05/06/2026 07:08:09",
            datetime(2026, 5, 6, 7, 8, 9),
        ),
        (
            TimeReader(format="%m/%d/%Y %I:%M %p", timezone="UTC"),
            "11/24/2026 09:30 PM",
            datetime(2026, 11, 24, 21, 30),
        ),
        (TimeReader(timezone="UTC"), "2026-11-24 09:30:00", datetime(2026, 11, 24, 9, 30)),
    ],
)
def test_formats(reader: TimeReader, text: str, expected: datetime) -> None:
    assert reader.parse([text]) == [expected.replace(tzinfo=UTC)]


@pytest.mark.parametrize(
    ("reader", "text", "message"),
    [
        (TimeReader(timezone="UTC"), "05/06/2026 07:08:09", "day and month order unknown"),
        (TimeReader(dayfirst=True, timezone="UTC"), "24/13/2026 07:08:09", "no such date"),
        (
            TimeReader(dayfirst=True, timezone="UTC"),
            "yesterday",
            "expected e.g. 24/11/2026 09:30:00",
        ),
        (
            TimeReader(format="%d.%m.%Y", timezone="UTC"),
            "2026-11-24",
            "timestamp_format '%d.%m.%Y'",
        ),
        (TimeReader(dayfirst=True), "24/11/2026 09:30:00", "name the zone with --timezone"),
        (TimeReader(), " ", "empty timestamp"),
    ],
)
def test_faults(reader: TimeReader, text: str, message: str) -> None:
    (found,) = reader.parse([text])
    assert isinstance(found, str) and message in found


def test_a_bad_time_names_its_line_column_and_value(history_csv: HistoryCsv) -> None:
    path = history_csv("INC1,1,24/11/2026 25:00:00,24/11/2026 09:00:00", header=HEADER)
    assert problems_of(read(path, timezone="UTC")) == [(2, "sys_updated_on", "24/11/2026 25:00:00")]
