"""Row checks: each fault a mask over whole columns; only failing rows are worded.

A row with any fault emits nothing (and is not its case's first event); the other rows of
its case are mapped as usual. Problems come in row order, then in the order of the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I8, I64, BoolArr
from mittari.errors import Problem
from mittari.importers.canonical.timestamps import TsVerdict
from mittari.importers.eventlog.model import MappingModel
from mittari.importers.eventlog.rawlog import CASE, RawLog
from mittari.importers.eventlog.rules import Pairs
from mittari.importers.eventlog.times import TimeFormat


@dataclass(frozen=True)
class Fault:
    """The rows failing one check, the field they fail in, and how to word each."""

    rows: BoolArr
    field: str
    message: Callable[[int], str]  # row → message
    value: Callable[[I64], list[object]]  # failing rows → the values shown


@dataclass(frozen=True)
class Checked:
    """The rows that can be mapped, and what is wrong with the others."""

    ok: BoolArr
    problems: list[Problem]


def check(
    raw: RawLog, verdict: I8, pairs: Pairs, spec: MappingModel, mapping: str, times: TimeFormat
) -> Checked:
    found = list(_faults(raw, verdict, pairs, spec, mapping, times))
    bad = np.zeros(raw.num_rows, dtype=bool)
    worded: list[tuple[int, int, Problem]] = []
    for order, fault in enumerate(found):
        bad |= fault.rows
        rows = np.flatnonzero(fault.rows)  # a loop over failing rows only
        for row, value in zip(rows.tolist(), fault.value(rows), strict=True):
            problem = raw.problem(row, fault.field, value, fault.message(row))
            worded.append((row, order, problem))
    worded.sort(key=lambda item: item[:2])
    # malformed CSV rows (read before any check) go to their lines; XES has none: order kept
    problems = sorted(raw.problems + [p for _, _, p in worded], key=lambda p: p.line or 0)
    return Checked(~bad, problems)


def _text(column: pa.Array) -> Callable[[I64], list[object]]:
    return lambda rows: list(column.take(pa.array(rows)).to_pylist())


def _always(message: str) -> Callable[[int], str]:
    return lambda _: message


def _empty(column: pa.Array) -> BoolArr:
    return np.asarray(pc.utf8_length(column).to_numpy() == 0, dtype=bool)


def _faults(
    raw: RawLog, verdict: I8, pairs: Pairs, spec: MappingModel, mapping: str, times: TimeFormat
) -> Iterator[Fault]:
    case = raw.column(CASE)
    yield Fault(_empty(case), CASE, _always("missing case id"), _text(case))
    yield Fault(
        verdict != TsVerdict.OK,
        "timestamp",
        lambda row: times.message(int(verdict[row])),
        _text(raw.column("timestamp")),
    )
    activity = raw.column("activity")
    yield Fault(_empty(activity), "activity", _always("missing activity"), _text(activity))
    yield _no_rule(pairs, mapping)
    yield from _unmapped_values(raw, spec, mapping)
    yield from _empty_sources(raw, pairs)


def _no_rule(pairs: Pairs, mapping: str) -> Fault:
    def message(row: int) -> str:
        pair = int(pairs.code[row])
        activity, lifecycle = pairs.activity[pair], pairs.lifecycle[pair]
        said = f"no rule for activity {activity!r} with lifecycle {lifecycle!r}"
        return f"{said}; add a rule to {mapping}"

    raw = pairs.raw
    return Fault(
        pairs.unmatched[pairs.code],
        "activity",
        message,
        lambda rows: raw.take(pa.array(pairs.code[rows])).to_pylist(),
    )


def _unmapped_values(raw: RawLog, spec: MappingModel, mapping: str) -> Iterator[Fault]:
    """Values of a `changes` field that its `values` map lacks."""
    for j, change in enumerate(spec.changes):
        if change.values is None:
            continue
        column = raw.column(change.field)
        known = pa.array(list(change.values), pa.string())
        unknown = ~_empty(column) & ~pc.is_in(column, value_set=known).to_numpy(
            zero_copy_only=False
        )
        message = (
            f"no canonical {change.kind} for this value; add it to changes.{j}.values in {mapping}"
        )
        yield Fault(unknown, change.field, _always(message), _text(column))


def _empty_sources(raw: RawLog, pairs: Pairs) -> Iterator[Fault]:
    """Rows whose rule takes an event's value from a field that is empty there."""
    for k in range(pairs.most_emitted):
        emits = pairs.emits(k)
        for field in sorted({e.value_from for e in emits if e is not None and e.value_from}):
            uses = np.array([e is not None and e.value_from == field for e in emits], dtype=bool)
            kinds = [e.kind if e is not None else "" for e in emits]
            column = raw.column(field)

            def message(row: int, kinds: list[str] = kinds, field: str = field) -> str:
                kind = kinds[int(pairs.code[row])]
                return f"empty, but the rule of this activity takes its {kind} value from {field}"

            yield Fault(uses[pairs.code] & _empty(column), field, message, _text(column))
