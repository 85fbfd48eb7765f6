"""What a clean file becomes: codes, order, instants, and the raw text beside them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from mittari.engine.types import NO_VALUE, Actor, EventLog, Kind, Status
from mittari.importers.canonical import events_from_table, read_events
from mittari.importers.canonical.tests import SAMPLES

EventsCsv = Callable[..., Path]


def _us(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1_000_000)


def _assert_same_log(a: EventLog, b: EventLog) -> None:
    for name in ("ticket", "ts", "kind", "value", "actor"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.ticket_ids, a.strings) == (b.ticket_ids, b.strings)


def test_the_sample_reads_clean_into_codes() -> None:
    result = read_events(SAMPLES / "events.csv", strict=True)
    log = result.log
    assert log.ticket_ids == ("INC-1001", "INC-1002", "INC-1003", "REQ-2001")
    assert (result.n_read, result.n_kept, result.problems) == (36, 36, [])
    first = slice(0, 5)
    assert list(log.kind[first]) == [
        Kind.CREATED,
        Kind.PRIORITY,
        Kind.ASSIGN,
        Kind.REPLY,
        Kind.STATUS,
    ]
    assert list(log.value[first]) == [NO_VALUE, 3, 0, NO_VALUE, Status.OPEN]
    assert list(log.actor[first]) == [NO_VALUE, NO_VALUE, NO_VALUE, Actor.SYSTEM, NO_VALUE]
    assert log.strings[0] == "Service Desk"
    assert log.ts[0] == _us("2025-03-03T08:12:00+02:00")


def test_events_with_the_same_ts_keep_their_input_order(events_csv: EventsCsv) -> None:
    path = events_csv(
        "B,2025-03-03T09:00:00Z,status,resolved,agent",
        "A,2025-03-03T08:00:00Z,created,,",
        "B,2025-03-03T08:00:00Z,created,,",
        "B,2025-03-03T09:00:00Z,status,open,customer",
        "B,2025-03-03T09:00:00Z,status,closed,agent",
    )
    result = read_events(path, strict=True)
    assert result.log.ticket_ids == ("B", "A")  # first appearance in the file
    assert list(result.rows.column("line").to_pylist()) == [4, 2, 5, 6, 3]
    statuses = result.log.value[result.log.kind == Kind.STATUS]
    assert list(statuses) == [Status.RESOLVED, Status.OPEN, Status.CLOSED]


def test_offsets_and_fractions_become_utc_microseconds(events_csv: EventsCsv) -> None:
    stamps = [
        "2025-03-03T08:00:00Z",
        "2025-03-03T10:00:00.5+02:00",
        "2025-03-03T03:30:00.123456-0430",
        "2025-03-03 08:00:01+00",
    ]
    path = events_csv(*(f"T1,{ts},created,," for ts in stamps))
    got = read_events(path, strict=True).log.ts
    expected = [_us(s.replace("-0430", "-04:30").replace("+00", "+00:00")) for s in stamps]
    assert list(got) == sorted(expected)


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        ("2025-03-30T02:30:00", "2025-03-30T00:30:00Z"),  # before the gap: EET, +02:00
        ("2025-03-30T03:30:00", "2025-03-30T01:00:00Z"),  # in the gap: to the transition
        ("2025-03-30T04:00:00", "2025-03-30T01:00:00Z"),  # after the gap: EEST, +03:00
        ("2025-10-26T03:30:00", "2025-10-26T00:30:00Z"),  # twice: the earlier (EEST)
        ("2025-10-26T04:00:00", "2025-10-26T02:00:00Z"),  # after the overlap: EET
    ],
)
def test_naive_timestamps_are_local_time_in_the_named_zone_on_dst_days(
    events_csv: EventsCsv, local: str, utc: str
) -> None:
    path = events_csv(f"T1,{local},created,,")
    log = read_events(path, timezone="Europe/Helsinki", strict=True).log
    assert log.ts[0] == _us(utc)


def test_a_named_zone_does_not_touch_timestamps_with_an_offset(events_csv: EventsCsv) -> None:
    path = events_csv("T1,2025-03-30T03:30:00+02:00,created,,")
    log = read_events(path, timezone="Europe/Helsinki", strict=True).log
    assert log.ts[0] == _us("2025-03-30T01:30:00+00:00")


def test_words_are_case_and_space_insensitive(events_csv: EventsCsv) -> None:
    path = events_csv(
        " T1 ,2025-03-03T08:00:00Z,Created,,",
        "T1,2025-03-03T08:01:00Z, STATUS ,Pending_Customer,",
        "T1,2025-03-03T08:02:00Z,priority,p2,",
        "T1,2025-03-03T08:03:00Z,reply,,Agent",
    )
    log = read_events(path, strict=True).log
    assert log.ticket_ids == ("T1",)
    assert list(log.value[1:3]) == [Status.PENDING_CUSTOMER, 2]
    assert log.actor[3] == Actor.AGENT


def test_header_names_are_case_and_space_insensitive_and_extra_columns_stay(
    events_csv: EventsCsv,
) -> None:
    path = events_csv("T1,2025-03-03T08:00:00Z,created,web", header=" Ticket_ID ,TS,Kind,channel")
    result = read_events(path, strict=True)
    assert result.rows.column_names == ["line", "ticket_id", "ts", "kind", "channel"]
    assert result.rows.column("channel").to_pylist() == ["web"]


def test_raw_values_stay_beside_the_codes(events_csv: EventsCsv) -> None:
    path = events_csv(
        "T1,2025-03-03T09:00:00Z,priority,2,",
        "T1,2025-03-03T08:00:00Z,created,,",
        "T1,2025-03-03T09:00:00Z,assign, Network ,",
    )
    result = read_events(path, strict=True)
    assert result.raw_value.to_pylist() == ["", "2", " Network "]
    assert result.log.strings == ("Network",)


def test_csv_and_parquet_give_identical_logs(tmp_path: Path) -> None:
    from_csv = read_events(SAMPLES / "events.csv", strict=True)
    table = pacsv.read_csv(
        SAMPLES / "events.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={"ts": pa.string(), "value": pa.string()}
        ),
    )
    pq.write_table(table, tmp_path / "events.parquet")
    from_parquet = read_events(tmp_path / "events.parquet", strict=True)
    _assert_same_log(from_csv.log, from_parquet.log)
    assert from_parquet.rows.column("line").to_pylist() == list(range(1, 37))


def test_parquet_timestamp_columns_are_read_as_instants(tmp_path: Path) -> None:
    from_csv = read_events(SAMPLES / "events.csv", strict=True)
    table = pacsv.read_csv(
        SAMPLES / "events.csv",
        convert_options=pacsv.ConvertOptions(
            column_types={"ts": pa.timestamp("ms", tz="Europe/Helsinki"), "value": pa.string()}
        ),
    )
    pq.write_table(table, tmp_path / "typed.parquet")
    _assert_same_log(from_csv.log, read_events(tmp_path / "typed.parquet", strict=True).log)


def test_naive_arrow_timestamps_need_a_zone() -> None:
    table = pa.table(
        {
            "ticket_id": ["T1"],
            "ts": pa.array([datetime(2025, 3, 30, 3, 30)], pa.timestamp("us")),
            "kind": ["created"],
        }
    )
    problems = events_from_table(table).problems
    assert [(p.line, p.field) for p in problems] == [(1, "ts"), (1, "ticket_id")]
    log = events_from_table(table, timezone="Europe/Helsinki", strict=True).log
    assert log.ts[0] == _us("2025-03-30T01:00:00+00:00")


def test_an_empty_file_gives_an_empty_log(events_csv: EventsCsv) -> None:
    result = read_events(events_csv(), strict=True)
    assert (len(result.log), result.log.ticket_ids, result.n_read) == (0, (), 0)
