"""The tickets table: one row per case that has a mapped record, its attributes taken from
the first or last non-empty value of a field within the case, or constants."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64, BoolArr
from mittari.importers.eventlog.emit import Cases
from mittari.importers.eventlog.model import TicketFieldModel
from mittari.importers.eventlog.rawlog import RawLog
from mittari.importers.extract import TICKET_FIELDS


def tickets_of(
    raw: RawLog, cases: Cases, ok: BoolArr, attributes: dict[str, TicketFieldModel]
) -> pa.Table:
    """`TICKET_FIELDS` first (null where not mapped), then the further attributes, in
    mapping order; tickets in the order their cases first appear."""
    first = cases.first_rows(np.flatnonzero(ok))
    position = np.full(len(cases.ids), -1, dtype=np.int64)  # case code → ticket row
    position[cases.code[first]] = np.arange(len(first))
    names = list(TICKET_FIELDS) + [n for n in attributes if n not in TICKET_FIELDS]
    columns = {"ticket_id": cases.ids.take(pa.array(cases.code[first]))}
    for name in names[1:]:
        spec = attributes.get(name)
        if spec is None:
            columns[name] = pa.nulls(len(first), pa.string())
        elif spec.value is not None:
            columns[name] = pa.repeat(pa.scalar(spec.value, pa.string()), len(first))
        else:
            assert spec.field is not None  # the model holds one of field and value
            columns[name] = _taken(raw.column(spec.field), cases, ok, position, spec.take)
    return pa.table(columns)


def _taken(column: pa.Array, cases: Cases, ok: BoolArr, position: I64, take: str) -> pa.Array:
    """Per ticket, the field's first (or last) non-empty value among the case's rows."""
    rows = np.flatnonzero(ok & (pc.utf8_length(column).to_numpy() > 0))
    if take == "last":
        rows = rows[::-1]
    _, chosen = np.unique(cases.code[rows], return_index=True)
    rows = rows[chosen]
    at = np.full(int((position >= 0).sum()), -1, dtype=np.int64)
    at[position[cases.code[rows]]] = rows
    return column.take(pa.array(at, mask=at < 0))
