"""Importer output, checked by the canonical reader, as one shape ready for the store.

Every source ends up as a `Staged`: the kept events as an `EventLog`, beside each event its
raw source value and where it came from (file, line, native reference), the tickets'
attributes aligned to the log's tickets, and every problem found on the way, each naming
the file, line, field and value in the *source*, not in an intermediate table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from mittari.engine.types import PRIORITIES, STATUS_NAMES, EventLog, Kind
from mittari.errors import Problem
from mittari.importers.canonical import events_from_table, read_events, read_tickets
from mittari.importers.extract import TICKET_FIELDS, Extract

CANONICAL_COLUMNS = ["ticket_id", "ts", "kind", "value", "actor"]


@dataclass
class Staged:
    source: str
    path: str
    log: EventLog
    raw_value: pa.Array  # per log event: the source's own value
    file: pa.Array  # per log event
    line: pa.Array  # per log event, int64, null where the source has no lines
    ref: pa.Array  # per log event, a native reference (null for CSV sources)
    tickets: pa.Table  # aligned to log.ticket_ids: TICKET_FIELDS first, then attributes
    problems: list[Problem]
    n_read: int
    feedback: pa.Table | None = None


def stage_extract(extract: Extract, path: str | Path, timezone: str | None) -> Staged:
    """Check an importer's events with the canonical reader; keep provenance per event."""
    events = extract.events
    result = events_from_table(
        events.select(CANONICAL_COLUMNS), file=str(path), timezone=timezone, require_created=False
    )
    rows = result.kept.rows
    taken = np.arange(events.num_rows) if rows is None else rows
    pick = pa.array(taken, pa.int64())
    problems = list(extract.problems) + [_in_source(p, events) for p in result.problems]
    return Staged(
        source=extract.source,
        path=str(path),
        log=result.log,
        raw_value=events.column("raw_value").take(pick).combine_chunks(),
        file=events.column("file").take(pick).combine_chunks(),
        line=events.column("line").take(pick).combine_chunks(),
        ref=events.column("ref").take(pick).combine_chunks(),
        tickets=_aligned(extract.tickets, result.log.ticket_ids),
        problems=problems,
        n_read=extract.n_read,
        feedback=extract.feedback,
    )


def _in_source(problem: Problem, events: pa.Table) -> Problem:
    """A problem found in row N of the importer's table, told at its place in the source."""
    if problem.line is None or not 1 <= problem.line <= events.num_rows:
        return problem
    row = problem.line - 1
    file = events.column("file")[row].as_py() or problem.file
    line = events.column("line")[row].as_py()
    ref = events.column("ref")[row].as_py()
    message = problem.message if ref is None else f"{problem.message} (at {ref})"
    return replace(problem, file=file, line=line, message=message)


def stage_canonical(events: str | Path, tickets: str | Path | None, timezone: str | None) -> Staged:
    """The canonical files: events.csv/.parquet and, optionally, tickets.csv/.parquet."""
    result = read_events(events, timezone=timezone, require_created=False)
    problems = list(result.problems)
    if tickets is not None:
        table = read_tickets(tickets)
        problems += table.problems
        attributes = table.aligned(result.log.ticket_ids).drop_columns(["ticket_id"])
        ids = pa.array(list(result.log.ticket_ids), pa.string())
        aligned = pa.table(
            [ids, *attributes.columns], names=["ticket_id", *attributes.column_names]
        )
    else:
        aligned = _aligned(None, result.log.ticket_ids)
    rows = result.kept.rows
    source = result.kept.source
    n = len(result.log)
    return Staged(
        source="canonical",
        path=str(events),
        log=result.log,
        raw_value=result.raw_value,
        file=pa.array([str(events)] * n, pa.string()) if n else pa.array([], pa.string()),
        line=pa.array(source.line_at(rows), pa.int64()),
        ref=pa.nulls(n, pa.string()),
        tickets=aligned,
        problems=problems,
        n_read=result.n_read,
    )


def _aligned(tickets: pa.Table | None, ticket_ids: tuple[str, ...]) -> pa.Table:
    """Ticket attributes in the order of the log's tickets; null rows where none given."""
    ids = pa.array(list(ticket_ids), pa.string())
    if tickets is None or tickets.num_rows == 0:
        columns = {"ticket_id": ids} | {
            name: pa.nulls(len(ids), pa.string()) for name in TICKET_FIELDS[1:]
        }
        return pa.table(columns)
    import pyarrow.compute as pc

    index = pc.index_in(ids, value_set=tickets.column("ticket_id").combine_chunks())
    taken = tickets.take(index)
    return taken.set_column(0, "ticket_id", ids)


def canonical_values(log: EventLog) -> tuple[pa.Array, pa.Array]:
    """Per event: the numeric code (status code, priority number; null otherwise) and the
    canonical text (`pending_customer`, `P2`, the group, the category; null otherwise)."""
    kind, value = log.kind, log.value
    is_status = kind == Kind.STATUS
    is_priority = kind == Kind.PRIORITY
    is_word = (kind == Kind.ASSIGN) | (kind == Kind.CATEGORY)
    statuses = list(STATUS_NAMES)
    priorities = [f"P{p}" for p in PRIORITIES]
    vocabulary = pa.array([*statuses, *priorities, *log.strings], pa.string())
    index = np.full(len(kind), -1, dtype=np.int64)
    index[is_status] = value[is_status]
    index[is_priority] = len(statuses) + value[is_priority] - PRIORITIES[0]
    index[is_word] = len(statuses) + len(priorities) + value[is_word]
    text = vocabulary.take(pa.array(index, mask=index < 0))
    numeric = is_status | is_priority
    code = pa.array(value, pa.int64(), mask=~numeric)
    return code, text
