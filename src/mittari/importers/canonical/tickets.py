"""`tickets.csv`: one row of attributes per ticket, aligned to an EventLog's tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64
from mittari.errors import BatchRejected, Problem
from mittari.importers.canonical.source import Source, load

TICKET_COLUMNS = ("ticket_id", "customer", "service", "type", "requester", "subject")
REQUIRED_TICKET_COLUMNS = ("ticket_id", "customer")


@dataclass(frozen=True)
class TicketTable:
    """Ticket attributes, one row per ticket_id, every column as strings.

    The standard columns are always present (null where the file lacks one); further
    columns of the file follow them. `line` is each row's line in the file.
    """

    table: pa.Table
    line: I64
    problems: list[Problem]

    def align(self, ticket_ids: Sequence[str]) -> I64:
        """Row index of each of `ticket_ids` (e.g. `log.ticket_ids`), -1 where none."""
        found = pc.index_in(pa.array(list(ticket_ids), pa.string()), value_set=self.ids)
        return np.asarray(found.fill_null(-1).to_numpy(), dtype=np.int64)

    def aligned(self, ticket_ids: Sequence[str]) -> pa.Table:
        """The table's rows in the order of `ticket_ids`; an all-null row where none."""
        rows = self.align(ticket_ids)
        return self.table.take(pa.array(rows, mask=rows < 0))

    @property
    def ids(self) -> pa.Array:
        return self.table.column("ticket_id").combine_chunks()


def read_tickets(path: str | Path, *, strict: bool = False) -> TicketTable:
    """Read `tickets.csv` (or Parquet). Duplicate or empty ticket_ids are problems;
    the first row of a duplicated ticket_id is kept. `strict=True` raises on any problem.
    """
    source = load(path, REQUIRED_TICKET_COLUMNS)
    ids = source.text("ticket_id")
    keep, problems = _unique_ids(source, ids)
    problems = sorted(source.problems + problems, key=lambda p: p.line or 0)
    if strict and problems:
        raise BatchRejected(problems)
    table = _standard_columns(source, ids).filter(pa.array(keep))
    return TicketTable(table, source.line_at()[keep], problems)


def _unique_ids(source: Source, ids: pa.Array) -> tuple[np.ndarray, list[Problem]]:
    """Rows to keep (first of each non-empty id) and a problem for each other row."""
    encoded = pc.dictionary_encode(ids)
    codes = np.asarray(encoded.indices.to_numpy(), dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    keep = np.zeros(len(codes), dtype=bool)
    keep[first] = True
    empty = pc.utf8_length(ids).to_numpy() == 0
    line = source.line_at()
    problems = [
        Problem(source.file, int(line[row]), "ticket_id", "", "missing ticket_id")
        for row in np.flatnonzero(empty)
    ]
    for row in np.flatnonzero(~keep & ~empty):  # a loop over duplicates only
        first_line = int(line[first[codes[row]]])
        message = f"duplicate ticket_id (first on line {first_line}); this row is skipped"
        value = ids[int(row)].as_py()
        problems.append(Problem(source.file, int(line[row]), "ticket_id", value, message))
    return keep & ~empty, problems


def _standard_columns(source: Source, ids: pa.Array) -> pa.Table:
    names = list(TICKET_COLUMNS)
    columns = [ids] + [_column(source, name) for name in names[1:]]
    for name in source.table.column_names:
        if name not in TICKET_COLUMNS:
            names.append(name)
            columns.append(_column(source, name))
    return pa.table(columns, names=names)


def _column(source: Source, name: str) -> pa.Array:
    if name not in source.table.column_names:
        return pa.nulls(source.table.num_rows, pa.string())
    column = source.table.column(name).combine_chunks()
    return column if pa.types.is_string(column.type) else column.cast(pa.string())
