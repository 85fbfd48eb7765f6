"""Outages from a CSV (or Parquet) file: `service, start, end, weight, planned, source_id`.

Columns are matched by name (trimmed, case-insensitive); `service` and `start` are
required, the rest optional. Timestamps are ISO 8601 with an offset, as in events.csv (a
time without one is an error unless a time zone is named). A bad row is a Problem naming
its line, column and value; the other rows are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64, BoolArr
from mittari.errors import Problem
from mittari.importers.canonical.source import Source, load
from mittari.importers.canonical.timestamps import TsVerdict, parse_timestamps
from mittari.importers.outages.table import (
    OUTAGE_SCHEMA,
    OutageExtract,
    parse_flag,
    parse_weight,
)

T = TypeVar("T")
REQUIRED = ("service", "start")
_TS_MESSAGES = {
    TsVerdict.SYNTAX: "not an ISO 8601 timestamp; write e.g. 2026-03-03T10:00:00+02:00",
    TsVerdict.RANGE: "no such date or time",
    TsVerdict.NAIVE: "no UTC offset; add one (+02:00, Z) or name the file's time zone",
}


def read_csv(path: str | Path, *, timezone: str | None = None) -> OutageExtract:
    """Every outage of the file; rows with problems are left out and listed."""
    source = load(path, REQUIRED)
    n = source.table.num_rows
    lines = source.line_at()
    problems = list(source.problems)
    bad = np.zeros(n, dtype=bool)
    service = source.text("service")
    start, start_ok = _instants(source, "start", timezone, problems, lines, required=True)
    end, end_ok = _instants(source, "end", timezone, problems, lines, required=False)
    bad |= ~start_ok | ~end_ok
    for row in np.flatnonzero(np.asarray(pc.utf8_length(service)) == 0):
        problems.append(Problem(source.file, int(lines[row]), "service", "", "missing service"))
        bad[row] = True
    has_end = np.asarray(source.text("end").to_pylist(), dtype=object) != ""
    backwards = has_end & start_ok & end_ok & (end <= start)
    for row in np.flatnonzero(backwards):
        message = "the outage must end after it starts"
        problems.append(
            Problem(source.file, int(lines[row]), "end", _at(source, "end", int(row)), message)
        )
    bad |= backwards
    weight = _parsed(source, "weight", parse_weight, problems, lines, bad)
    planned = _parsed(source, "planned", parse_flag, problems, lines, bad)
    ids = source.text("source_id").to_pylist()
    start_at = pa.array(start, OUTAGE_SCHEMA.field("start").type, mask=~start_ok)
    # Without an id an outage is known by its service and start, not by its line: the
    # store keeps outages by id, and line 2 of one file is not line 2 of another.
    known_as = pc.binary_join_element_wise(
        service, pc.strftime(start_at, "%Y-%m-%dT%H:%M:%SZ"), "@"
    )
    table = pa.table(
        {
            "service": service,
            "start": start_at,
            "end": pa.array(end, OUTAGE_SCHEMA.field("end").type, mask=~has_end),
            "weight": pa.array(weight, pa.float64()),
            "planned": pa.array(planned, pa.bool_()),
            "source": pa.array(["csv"] * n, pa.string()),
            "source_id": pa.array(
                [i or k for i, k in zip(ids, known_as.to_pylist(), strict=True)], pa.string()
            ),
            "summary": pa.array(source.text("summary").to_pylist(), pa.string()),
            "file": pa.array([source.file] * n, pa.string()),
            "line": pa.array(lines, pa.int64()),
            "ref": pa.nulls(n, pa.string()),
        },
        schema=OUTAGE_SCHEMA,
    ).filter(pa.array(~bad))
    problems.sort(key=lambda p: p.line or 0)
    return OutageExtract("csv", table, problems, n_read=n)


def _at(source: Source, name: str, row: int) -> str:
    return str(source.text(name)[row].as_py())


def _instants(
    source: Source,
    name: str,
    timezone: str | None,
    problems: list[Problem],
    lines: I64,
    *,
    required: bool,
) -> tuple[I64, BoolArr]:
    """Instants (µs UTC) of one column and whether each row's value was taken."""
    text = source.text(name)
    instants, verdict = parse_timestamps(text, timezone)
    ok = verdict == TsVerdict.OK
    if not required:
        ok |= verdict == TsVerdict.EMPTY  # no end: the outage is still going on
    for row in np.flatnonzero(~ok):
        code = TsVerdict(int(verdict[row]))
        message = f"missing {name}" if code == TsVerdict.EMPTY else _TS_MESSAGES[code]
        problems.append(
            Problem(source.file, int(lines[row]), name, _at(source, name, int(row)), message)
        )
    return instants, ok


def _parsed(
    source: Source,
    name: str,
    parse: Callable[[str], T],
    problems: list[Problem],
    lines: I64,
    bad: BoolArr,
) -> list[T | None]:
    """A column parsed once per distinct value (few distinct weights and flags)."""
    values: list[str] = source.text(name).to_pylist()
    out: list[T | None] = []
    cache: dict[str, T | ValueError] = {}
    for row, text in enumerate(values):
        if text not in cache:
            try:
                cache[text] = parse(text)
            except ValueError as exc:
                cache[text] = exc
        found = cache[text]
        if isinstance(found, ValueError):
            problems.append(Problem(source.file, int(lines[row]), name, text, str(found)))
            bad[row] = True
            out.append(None)
        else:
            out.append(found)
    return out
