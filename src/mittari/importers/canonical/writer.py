"""Measurements out: the engine's arrays as an Arrow table, then CSV or Parquet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from mittari.engine.types import I64, NULL_TS, STATE_NAMES, US, EventLog, Measurements

UTC_US = pa.timestamp("us", tz="UTC")
MEASUREMENT_SCHEMA = pa.schema(
    [
        ("ticket_id", pa.string()),
        ("metric", pa.string()),
        ("cycle", pa.int64()),
        ("priority", pa.string()),
        ("target_s", pa.float64()),
        ("start_at", UTC_US),
        ("stop_at", UTC_US),
        ("state", pa.string()),
        ("elapsed_s", pa.float64()),
        ("wall_s", pa.float64()),
        ("due_at", UTC_US),
        ("breached_at", UTC_US),
    ]
)
# Arrow's %S prints the column's sub-second digits: "00" for timestamp[s], "00.000000" for [us].
_CSV_TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def measurements_table(m: Measurements, log: EventLog, metric_names: Sequence[str]) -> pa.Table:
    """One row per measurement, in the engine's order, with names instead of codes."""
    columns = [
        _names(log.ticket_ids, m.ticket),
        _names(metric_names, m.metric),
        pa.array(m.cycle, pa.int64()),
        pc.binary_join_element_wise("P", pc.cast(pa.array(m.priority), pa.string()), ""),
        _seconds(m.target_us),
        _instants(m.start_at),
        _instants(m.stop_at),
        _names(STATE_NAMES, m.state.astype(np.int64)),
        _seconds(m.elapsed_us),
        _seconds(m.wall_us),
        _instants(m.due_at),
        _instants(m.breached_at),
    ]
    return pa.Table.from_arrays(columns, schema=MEASUREMENT_SCHEMA)


def write_table(table: pa.Table, path: str | Path) -> Path:
    """Write `table` to `.csv` (instants as ISO 8601 UTC, `...Z`) or `.parquet`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        pq.write_table(table, path)
    elif suffix == ".csv":
        pacsv.write_csv(_iso_instants(table), path)
    else:
        raise ValueError(f"{path}: expected a .csv or .parquet file name")
    return path


def _names(names: Sequence[str], codes: I64) -> pa.Array:
    return pa.array(list(names), pa.string()).take(pa.array(codes, pa.int64()))


def _seconds(us: I64) -> pa.Array:
    return pa.array(us / US, pa.float64())


def _instants(us: I64) -> pa.Array:
    return pa.array(us, UTC_US, mask=us == NULL_TS)


def _iso_instants(table: pa.Table) -> pa.Table:
    """Timestamp columns as ISO 8601 UTC text: whole seconds where a column has no
    fractions (2025-03-01T09:30:00Z), else microseconds (2025-03-01T09:30:00.250000Z)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            utc = table.column(i).cast(UTC_US)
            us = utc.cast(pa.int64()).fill_null(0).to_numpy()
            unit = "s" if bool(np.all(us % US == 0)) else "us"
            text = pc.strftime(utc.cast(pa.timestamp(unit, tz="UTC")), format=_CSV_TS_FORMAT)
            table = table.set_column(i, field.name, text)
    return table
