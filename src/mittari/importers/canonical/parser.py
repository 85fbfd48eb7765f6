"""Read a canonical event log (interchange format v1) into the engine's `EventLog`.

Default mode takes what it can: a bad row is skipped with a Problem, and a ticket without a
valid `created` event is skipped whole (one more Problem on its first row). `strict=True`
takes nothing from a file with any problem and raises `BatchRejected` with all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mittari.engine.types import I8, I64, NO_VALUE, BoolArr, EventLog, Kind
from mittari.errors import BatchRejected, InputError, Problem
from mittari.importers.canonical.rows import (
    Decoded,
    decode,
    faults,
    needs_an_actor,
    problems_of,
)
from mittari.importers.canonical.source import Source, as_read, from_table, load
from mittari.importers.canonical.timestamps import check_timezone
from mittari.importers.canonical.words import first_appearance, first_rows, lengths

EVENT_COLUMNS = ("ticket_id", "ts", "kind", "value", "actor")
REQUIRED_COLUMNS = ("ticket_id", "ts", "kind")
_WORD_COLUMNS = ("ticket_id", "kind", "value", "actor")  # read from Parquet as dictionaries

_T = TypeVar("_T", bound=np.generic)


@dataclass(frozen=True)
class KeptRows:
    """The kept rows of a source in log order, as a selection: a table only when asked for."""

    source: Source
    rows: I64 | None  # the source row of each log event; None: every row, in file order

    def table(self) -> pa.Table:
        """`line` (each row's line in the file), then the file's columns as read."""
        line = pa.array(self.source.line_at(self.rows))
        columns = [self._kept(column) for column in self.source.table.columns]
        return pa.table([line, *columns], names=["line", *self.source.table.column_names])

    def column(self, name: str) -> pa.ChunkedArray:
        """One of the file's columns, as read, at the kept rows."""
        return self._kept(self.source.table.column(name))

    def _kept(self, column: pa.ChunkedArray) -> pa.ChunkedArray:
        return as_read(column if self.rows is None else column.take(pa.array(self.rows)))


@dataclass(frozen=True)
class ReadResult:
    """What a file gave: the log, the kept rows as written, and what was wrong.

    `rows` holds the kept rows in the log's order (row i of `rows` is event i of `log`):
    `line` first, then the file's own columns exactly as read. Its `value` column is the
    raw value beside the canonical code in `log.value`. It is built when first asked for.
    """

    log: EventLog
    problems: list[Problem]
    n_read: int
    kept: KeptRows = field(repr=False, compare=False)

    @property
    def n_kept(self) -> int:
        return len(self.log)

    @property
    def n_skipped(self) -> int:
        return self.n_read - self.n_kept

    @cached_property
    def rows(self) -> pa.Table:
        return self.kept.table()

    @property
    def raw_value(self) -> pa.Array:
        if "value" not in self.kept.source.table.column_names:
            return pa.nulls(len(self.log), pa.string())
        return self.kept.column("value").combine_chunks()


def read_events(
    path: str | Path,
    *,
    timezone: str | None = None,
    strict: bool = False,
    require_created: bool = True,
) -> ReadResult:
    """Read `events.csv` or `events.parquet` (columns ticket_id, ts, kind[, value, actor]).

    `timezone` (an IANA name) is the zone of timestamps written without a UTC offset;
    without it such a timestamp is a problem.
    """
    _check_zone(str(path), timezone)
    return _parse(load(path, REQUIRED_COLUMNS, dictionary=_WORD_COLUMNS), timezone, strict)


def events_from_table(
    table: pa.Table,
    *,
    file: str = "<table>",
    timezone: str | None = None,
    strict: bool = False,
    require_created: bool = True,
) -> ReadResult:
    """The same as `read_events` for a table already in memory (lines are row numbers)."""
    _check_zone(file, timezone)
    source = from_table(table, file)
    missing = [c for c in REQUIRED_COLUMNS if c not in source.table.column_names]
    if missing:
        raise InputError(
            [Problem(file, None, c, None, "required column is missing") for c in missing]
        )
    return _parse(source, timezone, strict, require_created)


def _check_zone(file: str, timezone: str | None) -> None:
    if timezone is None:
        return
    try:
        check_timezone(timezone)
    except ValueError as exc:
        raise InputError([Problem(file, None, "timezone", timezone, str(exc))]) from exc


def _parse(
    source: Source, timezone: str | None, strict: bool, require_created: bool = True
) -> ReadResult:
    rows = decode(source, timezone)
    found, bad = faults(rows)
    problems = source.problems + problems_of(found, source)
    row_ok = ~bad
    if require_created:
        ticket_ok, ticket_problems = _ticket_checks(source, rows, row_ok)
    else:  # every ticket with an id; the caller knows which tickets exist already
        ticket_ok, ticket_problems = lengths(rows.ticket_ids) > 0, []
    problems = sorted(problems + ticket_problems, key=lambda p: p.line or 0)
    if strict and problems:
        raise BatchRejected(problems)
    keep = _selection(row_ok & ticket_ok[rows.ticket])
    log, order = _build_log(rows, ticket_ok, keep)
    n_read = source.table.num_rows + len(source.problems)
    return ReadResult(log, problems, n_read, KeptRows(source, _then(keep, order)))


def _ticket_checks(source: Source, rows: Decoded, row_ok: BoolArr) -> tuple[BoolArr, list[Problem]]:
    """Which tickets have a valid `created` row, and a problem for each that has none."""
    ticket, n_tickets = rows.ticket, len(rows.ticket_ids)
    created = rows.kind == Kind.CREATED
    has_valid = np.zeros(n_tickets, dtype=bool)
    has_valid[ticket[row_ok & created]] = True
    skipped = np.flatnonzero(~has_valid & (lengths(rows.ticket_ids) > 0))
    if len(skipped) == 0:
        return has_valid, []
    has_any = np.zeros(n_tickets, dtype=bool)
    has_any[ticket[created]] = True
    n_rows = np.bincount(ticket, minlength=n_tickets)
    first_line = source.line_at(first_rows(ticket))
    problems = []
    for code in skipped.tolist():  # a loop over bad tickets only
        why = "its `created` event is invalid" if has_any[code] else "it has no `created` event"
        message = f"ticket skipped: {why}, so all {n_rows[code]} of its rows are skipped"
        ticket_id = rows.ticket_ids[code].as_py()
        line = int(first_line[code])
        problems.append(Problem(source.file, line, "ticket_id", ticket_id, message))
    return has_valid, problems


def _selection(rows: BoolArr) -> I64 | None:
    """The indexes of the True rows; None when all are."""
    return None if rows.all() else np.flatnonzero(rows)


def _then(first: I64 | None, second: I64 | None) -> I64 | None:
    """Selection `second` applied to the result of selection `first`."""
    if first is None or second is None:
        return second if first is None else first
    return first[second]


def _take(column: npt.NDArray[_T], rows: I64 | None) -> npt.NDArray[_T]:
    return column if rows is None else column[rows]


def _build_log(rows: Decoded, ticket_ok: BoolArr, keep: I64 | None) -> tuple[EventLog, I64 | None]:
    """The kept rows as an EventLog, and the permutation that puts them in log order.

    Tickets are numbered by first appearance in the file (kept tickets only); events are
    sorted by (ticket, ts), same-ts events in file order. Rows already in that order (the
    usual export) are not sorted: the permutation is then None.
    """
    ticket = _kept_tickets(rows.ticket, ticket_ok, keep)
    ts = _take(rows.ts, keep)
    kind = _take(rows.kind, keep)
    value, strings = _values(rows, keep, kind)
    actor_of = _take(rows.actor.per_row(rows.actor_of), keep)
    actor = np.where(needs_an_actor(kind), actor_of, np.int8(NO_VALUE))
    order = _log_order(ticket, ts)
    if order is not None:
        ts, value, kind, actor = ts[order], value[order], kind[order], actor[order]
        events = np.bincount(ticket, minlength=int(ticket_ok.sum()))  # >= 1 per kept ticket
        ticket = np.repeat(np.arange(len(events)), events)  # = ticket[order], sequentially
    kept_ids = rows.ticket_ids if ticket_ok.all() else rows.ticket_ids.filter(pa.array(ticket_ok))
    ticket_ids = tuple(kept_ids.to_pylist())
    return EventLog(ticket, ts, kind, value, actor, ticket_ids, strings), order


def _kept_tickets(ticket: I64, ticket_ok: BoolArr, keep: I64 | None) -> I64:
    """Each kept row's ticket, numbered among the kept tickets (in the same order)."""
    if ticket_ok.all():
        return _take(ticket, keep)
    number = np.cumsum(ticket_ok) - 1
    return number[_take(ticket, keep)]


def _values(rows: Decoded, keep: I64 | None, kind: I8) -> tuple[I64, tuple[str, ...]]:
    """`EventLog.value` of the kept rows, and the strings its assign/category values index.

    The strings are the distinct (trimmed) values of kept assign and category events, in
    order of first appearance in the file.
    """
    # no word is both a status and a priority: one code per word serves both kinds
    code_of = np.where(rows.status_of >= 0, rows.status_of, rows.priority_of)
    coded = (kind == Kind.STATUS) | (kind == Kind.PRIORITY)
    value = np.where(coded, _take(rows.value.per_row(code_of), keep), np.int64(NO_VALUE))
    labelled = np.flatnonzero((kind == Kind.ASSIGN) | (kind == Kind.CATEGORY))
    labels, old = first_appearance(rows.value.at(labelled if keep is None else keep[labelled]))
    value[labelled] = labels
    return value, tuple(rows.value.words.take(pa.array(old)).to_pylist())


def _log_order(ticket: I64, ts: I64) -> I64 | None:
    """The stable sort by (ticket, ts), or None when the rows are in that order already."""
    if _in_log_order(ticket, ts):
        return None
    return np.lexsort((ts, ticket))  # lexsort is stable: same-ts events keep file order


def _in_log_order(ticket: I64, ts: I64) -> bool:
    """Whether the rows are sorted by (ticket, ts), checked a block at a time (the masks of
    a block are small)."""
    block = 1 << 20
    for start in range(0, len(ticket) - 1, block):
        t, s = ticket[start : start + block + 1], ts[start : start + block + 1]
        if ((t[1:] < t[:-1]) | ((t[1:] == t[:-1]) & (s[1:] < s[:-1]))).any():
            return False
    return True
