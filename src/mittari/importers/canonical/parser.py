"""Read a canonical event log (interchange format v1) into the engine's `EventLog`.

Default mode takes what it can: a bad row is skipped with a Problem, and a ticket without a
valid `created` event is skipped whole (one more Problem on its first row). `strict=True`
takes nothing from a file with any problem and raises `BatchRejected` with all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64, NO_VALUE, BoolArr, EventLog, Kind
from mittari.errors import BatchRejected, InputError, Problem
from mittari.importers.canonical.rows import (
    ACTOR_KINDS,
    Decoded,
    bad_rows,
    decode,
    faults,
    problems_of,
)
from mittari.importers.canonical.source import Source, from_table, load
from mittari.importers.canonical.timestamps import check_timezone

EVENT_COLUMNS = ("ticket_id", "ts", "kind", "value", "actor")
REQUIRED_COLUMNS = ("ticket_id", "ts", "kind")


@dataclass(frozen=True)
class ReadResult:
    """What a file gave: the log, the kept rows as written, and what was wrong.

    `rows` holds the kept rows in the log's order (row i of `rows` is event i of `log`):
    `line` first, then the file's own columns exactly as read. Its `value` column is the
    raw value beside the canonical code in `log.value`.
    """

    log: EventLog
    rows: pa.Table
    problems: list[Problem]
    n_read: int

    @property
    def n_kept(self) -> int:
        return len(self.log)

    @property
    def n_skipped(self) -> int:
        return self.n_read - self.n_kept

    @property
    def raw_value(self) -> pa.Array:
        if "value" not in self.rows.column_names:
            return pa.nulls(self.rows.num_rows, pa.string())
        return self.rows.column("value").combine_chunks()


def read_events(
    path: str | Path, *, timezone: str | None = None, strict: bool = False
) -> ReadResult:
    """Read `events.csv` or `events.parquet` (columns ticket_id, ts, kind[, value, actor]).

    `timezone` (an IANA name) is the zone of timestamps written without a UTC offset;
    without it such a timestamp is a problem.
    """
    _check_zone(str(path), timezone)
    return _parse(load(path, REQUIRED_COLUMNS), timezone, strict)


def events_from_table(
    table: pa.Table, *, file: str = "<table>", timezone: str | None = None, strict: bool = False
) -> ReadResult:
    """The same as `read_events` for a table already in memory (lines are row numbers)."""
    _check_zone(file, timezone)
    source = from_table(table, file)
    missing = [c for c in REQUIRED_COLUMNS if c not in source.table.column_names]
    if missing:
        raise InputError(
            [Problem(file, None, c, None, "required column is missing") for c in missing]
        )
    return _parse(source, timezone, strict)


def _check_zone(file: str, timezone: str | None) -> None:
    if timezone is None:
        return
    try:
        check_timezone(timezone)
    except ValueError as exc:
        raise InputError([Problem(file, None, "timezone", timezone, str(exc))]) from exc


def _parse(source: Source, timezone: str | None, strict: bool) -> ReadResult:
    rows = decode(source, timezone)
    found = faults(source, rows)
    problems = source.problems + problems_of(found, source)
    row_ok = ~bad_rows(found, source.table.num_rows)
    ticket = pc.dictionary_encode(rows.ticket_id)
    codes = np.asarray(ticket.indices.to_numpy(), dtype=np.int64)
    ticket_ok, ticket_problems = _ticket_checks(source, rows, ticket, row_ok)
    problems = sorted(problems + ticket_problems, key=lambda p: p.line or 0)
    if strict and problems:
        raise BatchRejected(problems)
    keep = np.flatnonzero(row_ok & ticket_ok[codes])
    log, order = _build_log(rows, codes[keep], ticket.dictionary, keep)
    kept_rows = source.table.take(pa.array(keep[order]))
    kept_rows = kept_rows.add_column(0, "line", pa.array(source.line[keep[order]]))
    n_read = source.table.num_rows + len(source.problems)
    return ReadResult(log, kept_rows, problems, n_read)


def _ticket_checks(
    source: Source, rows: Decoded, ticket: pa.DictionaryArray, row_ok: BoolArr
) -> tuple[BoolArr, list[Problem]]:
    """Which tickets have a valid `created` row, and a problem for each that has none."""
    codes = np.asarray(ticket.indices.to_numpy(), dtype=np.int64)
    n_tickets = len(ticket.dictionary)
    created = rows.kind == Kind.CREATED
    has_valid = np.zeros(n_tickets, dtype=bool)
    has_valid[codes[row_ok & created]] = True
    has_any = np.zeros(n_tickets, dtype=bool)
    has_any[codes[created]] = True
    n_rows = np.bincount(codes, minlength=n_tickets)
    _, first_row = np.unique(codes, return_index=True)
    named = pc.utf8_length(ticket.dictionary).to_numpy() > 0
    problems = []
    for code in np.flatnonzero(~has_valid & named):  # a loop over bad tickets only
        why = "its `created` event is invalid" if has_any[code] else "it has no `created` event"
        message = f"ticket skipped: {why}, so all {n_rows[code]} of its rows are skipped"
        ticket_id = ticket.dictionary[int(code)].as_py()
        line = int(source.line[first_row[code]])
        problems.append(Problem(source.file, line, "ticket_id", ticket_id, message))
    return has_valid, problems


def _build_log(
    rows: Decoded, ticket_codes: I64, names: pa.Array, keep: I64
) -> tuple[EventLog, I64]:
    """The kept rows as an EventLog, and the permutation that puts them in log order."""
    used, ticket = np.unique(ticket_codes, return_inverse=True)  # first-appearance order
    kind = rows.kind[keep]
    value = np.full(len(keep), NO_VALUE, dtype=np.int64)
    is_status, is_priority = kind == Kind.STATUS, kind == Kind.PRIORITY
    value[is_status] = rows.status[keep][is_status]
    value[is_priority] = rows.priority[keep][is_priority]
    labelled = (kind == Kind.ASSIGN) | (kind == Kind.CATEGORY)
    labels = pc.dictionary_encode(rows.value.take(pa.array(keep[labelled])))
    value[labelled] = labels.indices.to_numpy()
    actor = np.where(np.isin(kind, ACTOR_KINDS), rows.actor[keep], NO_VALUE)
    ts = rows.ts[keep]
    # The permutation EventLog.from_unsorted applies (a stable lexsort on the same keys),
    # computed once more here to put the raw rows in the same order.
    order = np.lexsort((ts, ticket))
    log = EventLog.from_unsorted(
        ticket.astype(np.int64),
        ts,
        kind.astype(np.int8),
        value,
        actor.astype(np.int8),
        tuple(names.take(pa.array(used)).to_pylist()),
        tuple(labels.dictionary.to_pylist()),
    )
    return log, order
