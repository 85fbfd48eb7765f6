from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from mittari.engine.types import NULL_TS, EventLog, Measurements, State
from mittari.importers.canonical import MEASUREMENT_SCHEMA, measurements_table, write_table

T0 = 1_740_988_800_000_000  # 2025-03-03T08:00:00Z


def _i64(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


@pytest.fixture
def table() -> pa.Table:
    log = EventLog(
        _i64(0, 1),
        _i64(T0, T0),
        np.zeros(2, np.int8),
        _i64(-1, -1),
        np.full(2, -1, np.int8),
        ("INC-1", "INC-2"),
    )
    m = Measurements(
        ticket=_i64(1, 0, 0),
        metric=_i64(0, 0, 1),
        cycle=_i64(0, 0, 0),
        priority=_i64(2, 3, 3),
        target_us=_i64(3_600_000_000, 7_200_000_000, 28_800_000_000),
        start_at=_i64(T0, T0, T0),
        stop_at=_i64(T0 + 1_500_000, NULL_TS, NULL_TS),
        state=np.array([State.MET, State.RUNNING, State.PAUSED], dtype=np.int8),
        elapsed_us=_i64(1_500_000, 60_000_000, 0),
        wall_us=_i64(1_500_000, 60_000_000, 0),
        due_at=_i64(T0 + 3_600_000_000, T0 + 7_200_000_000, NULL_TS),
        breached_at=_i64(NULL_TS, NULL_TS, NULL_TS),
    )
    return measurements_table(m, log, ["first_response", "resolution"])


def test_names_units_and_nulls(table: pa.Table) -> None:
    assert table.schema == MEASUREMENT_SCHEMA
    row = table.slice(0, 1).to_pylist()[0]
    assert (row["ticket_id"], row["metric"], row["priority"], row["state"]) == (
        "INC-2",
        "first_response",
        "P2",
        "met",
    )
    assert (row["target_s"], row["elapsed_s"]) == (3600.0, 1.5)
    assert table.column("stop_at").null_count == 2
    assert table.column("state").to_pylist() == ["met", "running", "paused"]


@pytest.mark.parametrize("name", ["m.csv", "m.parquet"])
def test_the_writer_round_trips(table: pa.Table, tmp_path: Path, name: str) -> None:
    path = write_table(table, tmp_path / name)
    if name.endswith(".csv"):
        back = pacsv.read_csv(
            path, convert_options=pacsv.ConvertOptions(column_types=MEASUREMENT_SCHEMA)
        )
    else:
        back = pq.read_table(path)
    assert back.equals(table)


def test_csv_instants_are_iso_8601_utc(table: pa.Table, tmp_path: Path) -> None:
    text = write_table(table, tmp_path / "m.csv").read_text(encoding="utf-8")
    assert '"2025-03-03T08:00:00Z"' in text  # start_at: whole seconds
    assert '"2025-03-03T08:00:01.500000Z"' in text  # stop_at has a fraction


def test_other_extensions_are_refused(table: pa.Table, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"csv or \.parquet"):
        write_table(table, tmp_path / "m.xlsx")
