"""The outage CSV: the sample read whole, every kind of bad row named with its line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mittari.errors import InputError
from mittari.importers.outages import read_outages
from mittari.importers.outages.csvfile import read_csv
from mittari.importers.outages.table import parse_flag, parse_weight

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_the_sample_reads_whole() -> None:
    extract = read_csv(SAMPLES / "outages.csv")
    assert extract.problems == [] and extract.n_read == extract.table.num_rows == 8
    first = extract.table.to_pylist()[0]
    assert first["service"] == "email" and first["source_id"] == "OUT-101"
    assert first["start"] == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert first["weight"] == 0.3 and first["planned"] is False and first["line"] == 2
    weights = extract.table.column("weight").to_pylist()
    assert weights == [0.3, 1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 1.0]  # empty = full, 50% = 0.5
    assert extract.table.column("planned").to_pylist().count(True) == 2


def test_bad_rows_are_problems_with_line_field_and_value() -> None:
    extract = read_csv(SAMPLES / "outages_errors.csv")
    found = {(p.line, p.field, p.value) for p in extract.problems}
    assert found == {
        (3, "service", ""),
        (4, "start", "2026-03-03 10:00"),
        (5, "end", "2026-03-03T11:00:00+02:00"),
        (6, "weight", "1.5"),
        (7, "planned", "maybe"),
        (8, "start", "2026-03-32T12:00:00+02:00"),
    }
    kept = extract.table.to_pylist()
    assert [r["source_id"] for r in kept] == ["OK-1", "ONGOING"]
    assert kept[1]["end"] is None  # no end: still going on


def test_a_named_zone_reads_times_without_an_offset(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("service,start,end\nerp,2026-03-29 03:30,2026-03-29 05:00\n", encoding="utf-8")
    row = read_csv(path, timezone="Europe/Helsinki").table.to_pylist()[0]
    assert row["start"] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # the DST gap → 04:00
    assert row["source_id"] == "erp@2026-03-29T01:00:00.000000Z"  # no id: service and start


def test_missing_required_columns_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("service,end\nerp,2026-03-29T05:00Z\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_outages(path)


@pytest.mark.parametrize(
    ("text", "weight"), [("", 1.0), ("0.3", 0.3), ("30%", 0.3), ("0.33333", 0.3333), ("1", 1.0)]
)
def test_weights(text: str, weight: float) -> None:
    assert parse_weight(text) == weight


@pytest.mark.parametrize("text", ["0", "-0.1", "1.01", "abc", "101%"])
def test_bad_weights(text: str) -> None:
    with pytest.raises(ValueError):
        parse_weight(text)


def test_flags() -> None:
    assert [parse_flag(t) for t in ("yes", "TRUE", "1", "planned")] == [True] * 4
    assert [parse_flag(t) for t in ("", "no", "False", "0", "unplanned")] == [False] * 5
