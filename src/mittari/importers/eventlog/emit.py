"""Canonical events from the rows that passed the checks, built column-wise.

Each source of events (the first event of each case, each declared change, the k-th event
of the rules) gives a `Part`: the rows it fires on, its slot, and its kind, value, actor and
raw value per event. The parts are laid end to end and sorted once, stably, by (row,
slot): a record's events follow the file, and within one record `created` comes first,
then the changes in mapping order, then the rule's events in the order listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64, BoolArr
from mittari.importers.eventlog.model import ChangeModel, EmitModel
from mittari.importers.eventlog.rawlog import RawLog
from mittari.importers.eventlog.rules import Pairs


@dataclass(frozen=True)
class Part:
    """Events of one source: row and slot of each, and its columns (strings)."""

    rows: I64
    slot: int
    kind: pa.Array
    value: pa.Array
    actor: pa.Array
    raw_value: pa.Array


@dataclass(frozen=True)
class Cases:
    """Each row's case as a code (first appearance order) and the case ids."""

    code: I64
    ids: pa.Array

    def first_rows(self, rows: I64) -> I64:
        """The first of `rows` (ascending) of each case that has one."""
        _, first = np.unique(self.code[rows], return_index=True)
        return np.sort(rows[first])


def cases_of(raw: RawLog) -> Cases:
    encoded = pc.dictionary_encode(raw.column("case"))
    return Cases(np.asarray(encoded.indices.to_numpy(), dtype=np.int64), encoded.dictionary)


def _constant(text: str | None, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(text, pa.string()), n)


def created_part(cases: Cases, ok: BoolArr, pairs: Pairs) -> Part:
    """`created` at the first mappable record of each case."""
    rows = cases.first_rows(np.flatnonzero(ok))
    raw = pairs.raw.take(pa.array(pairs.code[rows]))
    n = len(rows)
    return Part(rows, 0, _constant("created", n), _constant(None, n), _constant(None, n), raw)


def change_part(raw: RawLog, cases: Cases, ok: BoolArr, change: ChangeModel, slot: int) -> Part:
    """An event where `change.field` takes a canonical value different from the case's
    previous one (`when: first`: only its first). Empty values, and values the map sends
    to null, are no value: they neither fire nor interrupt a run of the same value."""
    values = raw.column(change.field)
    rows = np.flatnonzero(ok & (pc.utf8_length(values).to_numpy() > 0))
    encoded = pc.dictionary_encode(values.take(pa.array(rows)))
    word = np.asarray(encoded.indices.to_numpy(), dtype=np.int64)
    canonical = _canonical(encoded.dictionary, change.values)
    same = np.asarray(pc.dictionary_encode(canonical).indices.fill_null(-1).to_numpy())
    valid = canonical.is_valid().to_numpy(zero_copy_only=False)[word]
    rows, word = rows[valid], word[valid]
    order = np.argsort(cases.code[rows], kind="stable")  # each case's rows together, in order
    case, word, rows = cases.code[rows][order], word[order], rows[order]
    fires = np.ones(len(rows), dtype=bool)
    fires[1:] = case[1:] != case[:-1]
    if change.when == "change":
        fires[1:] |= same[word[1:]] != same[word[:-1]]
    rows, taken = rows[fires], pa.array(word[fires])
    kind, actor = _constant(change.kind, len(rows)), _constant(None, len(rows))
    return Part(rows, slot, kind, canonical.take(taken), actor, encoded.dictionary.take(taken))


def _canonical(words: pa.Array, values: dict[str, str | None] | None) -> pa.Array:
    """The canonical value of each distinct native word (itself when there is no map)."""
    if values is None:
        return words
    return pa.array([values.get(w) for w in words.to_pylist()], pa.string())


def rule_parts(raw: RawLog, ok: BoolArr, pairs: Pairs, first_slot: int) -> list[Part]:
    """The k-th event of each record's rule, for every k."""
    parts = []
    for k in range(pairs.most_emitted):
        emits = pairs.emits(k)
        fires = np.array([e is not None for e in emits], dtype=bool)
        rows = np.flatnonzero(ok & fires[pairs.code])
        pair = pa.array(pairs.code[rows])
        value = _values(raw, emits, rows, pair)
        kind = pa.array([e.kind if e else None for e in emits], pa.string()).take(pair)
        actor = pa.array([e.actor if e else None for e in emits], pa.string()).take(pair)
        parts.append(Part(rows, first_slot + k, kind, value, actor, pairs.raw.take(pair)))
    return parts


def _values(raw: RawLog, emits: list[EmitModel | None], rows: I64, pair: pa.Array) -> pa.Array:
    """Each event's value: the rule's own, or the record's `value_from` field."""
    value = pa.array([e.value if e else None for e in emits], pa.string()).take(pair)
    code = pair.to_numpy()
    for field in sorted({e.value_from for e in emits if e is not None and e.value_from}):
        uses = np.array([e is not None and e.value_from == field for e in emits], dtype=bool)
        mask = uses[code]
        taken = raw.column(field).take(pa.array(rows[mask]))
        value = pc.replace_with_mask(value, pa.array(mask), taken)
    return value


def first_rows_without_created(cases: Cases, ok: BoolArr, parts: list[Part]) -> I64:
    """The first mappable record of each case that no part gives a created event."""
    created = np.zeros(len(cases.ids), dtype=bool)
    for part in parts:
        is_created = pc.equal(part.kind, "created").to_numpy(zero_copy_only=False)
        created[cases.code[part.rows[is_created]]] = True
    first = cases.first_rows(np.flatnonzero(ok))
    return first[~created[cases.code[first]]]


def assemble(raw: RawLog, cases: Cases, ts: I64, parts: list[Part]) -> pa.Table:
    """The parts as one `EVENT_SCHEMA` table, sorted by (row, slot)."""
    rows = np.concatenate([part.rows for part in parts])
    slots = np.concatenate([np.full(len(part.rows), part.slot) for part in parts])
    order = pa.array(np.lexsort((slots, rows)))
    rows = rows[order.to_numpy()]
    taken = pa.array(rows)

    def column(name: str) -> pa.Array:
        return pa.concat_arrays([getattr(part, name) for part in parts]).take(order)

    n = len(rows)
    return pa.table(
        {
            "ticket_id": cases.ids.take(pa.array(cases.code[rows])),
            "ts": pa.array(ts[rows], pa.timestamp("us", tz="UTC")),
            "kind": column("kind"),
            "value": column("value"),
            "actor": column("actor"),
            "raw_value": column("raw_value"),
            "file": _constant(raw.file, n),
            "line": pa.nulls(n, pa.int64()) if raw.lines is None else pa.array(raw.lines[rows]),
            "ref": pa.nulls(n, pa.string()) if raw.refs is None else raw.refs.take(taken),
        }
    )
