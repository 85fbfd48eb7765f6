"""Row checks of the canonical event log: each column decoded to codes, each fault a mask.

Everything here works on whole columns; Python only loops over the rows that fail, to
word their problems.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import (
    ACTOR_NAMES,
    I8,
    I64,
    KIND_NAMES,
    STATUS_NAMES,
    BoolArr,
    Kind,
)
from mittari.errors import Problem
from mittari.importers.canonical.source import Source
from mittari.importers.canonical.timestamps import TsVerdict, parse_timestamps

_PRIORITY_WORDS = ("P1", "P2", "P3", "P4", "P5", "1", "2", "3", "4", "5")
_TS_EXAMPLE = "2025-03-01T09:30:00+02:00"
_TS_MESSAGES = {
    TsVerdict.EMPTY: "missing timestamp",
    TsVerdict.SYNTAX: f"not an ISO 8601 timestamp; expected e.g. {_TS_EXAMPLE}",
    TsVerdict.RANGE: "no such date, time or UTC offset",
    TsVerdict.NAIVE: "timestamp has no UTC offset (Z, +02:00); add one or name the file's zone",
}
_NEEDS_VALUE = {
    Kind.STATUS: "a status event needs a value: a canonical status",
    Kind.PRIORITY: "a priority event needs a value: P1..P5",
    Kind.ASSIGN: "an assign event needs a value: a group or an agent",
    Kind.CATEGORY: "a category event needs a value",
}
ACTOR_KINDS = (Kind.REPLY, Kind.NOTE)
_ACTORS = ", ".join(ACTOR_NAMES)


@dataclass(frozen=True)
class Decoded:
    """The columns of one file as codes; -1 where a word is not in the vocabulary."""

    ticket_id: pa.Array  # trimmed text
    ts: I64
    ts_verdict: I8
    kind: I64
    status: I64
    priority: I64  # 1..5
    actor: I64
    value: pa.Array  # trimmed text


@dataclass(frozen=True)
class Fault:
    """Rows that fail one check, the column they fail in and how to say so."""

    rows: BoolArr
    field: str  # the column; its text at the failing rows is the problem's value
    message: Callable[[str], str]


def decode(source: Source, timezone: str | None) -> Decoded:
    ts, verdict = parse_timestamps(source.table.column("ts"), timezone)
    value = source.text("value")
    return Decoded(
        ticket_id=source.text("ticket_id"),
        ts=ts,
        ts_verdict=verdict,
        kind=_lookup(source.text("kind"), list(KIND_NAMES), pc.utf8_lower),
        status=_lookup(value, list(STATUS_NAMES), pc.utf8_lower),
        priority=_priority_numbers(value),
        actor=_lookup(source.text("actor"), list(ACTOR_NAMES), pc.utf8_lower),
        value=value,
    )


def faults(source: Source, rows: Decoded) -> list[Fault]:
    """Every check of a single row, in column order."""
    no_kind = _empty(source.text("kind"))
    no_value = _empty(rows.value)
    found = [
        Fault(_empty(rows.ticket_id), "ticket_id", _say("missing ticket_id")),
        *(Fault(rows.ts_verdict == v, "ts", _say(m)) for v, m in _TS_MESSAGES.items()),
        Fault(no_kind, "kind", _say("missing kind")),
        Fault((rows.kind < 0) & ~no_kind, "kind", _unknown("kind", KIND_NAMES)),
        *(Fault((rows.kind == k) & no_value, "value", _say(m)) for k, m in _NEEDS_VALUE.items()),
        Fault(
            (rows.kind == Kind.STATUS) & ~no_value & (rows.status < 0),
            "value",
            _unknown("status", STATUS_NAMES),
        ),
        Fault(
            (rows.kind == Kind.PRIORITY) & ~no_value & (rows.priority < 1),
            "value",
            _say("not a priority; expected P1..P5 (or 1..5)"),
        ),
    ]
    needs_actor = np.isin(rows.kind, ACTOR_KINDS)
    no_actor = needs_actor & _empty(source.text("actor"))
    return [
        *found,
        Fault(no_actor, "actor", _say(f"a reply or note needs an actor: {_ACTORS}")),
        Fault(needs_actor & ~no_actor & (rows.actor < 0), "actor", _unknown("actor", ACTOR_NAMES)),
    ]


def problems_of(found: Sequence[Fault], source: Source) -> list[Problem]:
    """The problems of every failing row, ordered by line (then column order)."""
    problems = []
    for fault in found:
        where = np.flatnonzero(fault.rows)
        values = source.text_at(fault.field, where) if len(where) else []
        for row, value in zip(where, values, strict=True):
            line = int(source.line[row])
            problems.append(Problem(source.file, line, fault.field, value, fault.message(value)))
    return sorted(problems, key=lambda p: p.line or 0)  # stable: column order within a line


def bad_rows(found: Sequence[Fault], n: int) -> BoolArr:
    bad = np.zeros(n, dtype=bool)
    for fault in found:
        bad |= fault.rows
    return bad


def _say(message: str) -> Callable[[str], str]:
    return lambda _value: message


def _unknown(what: str, names: Iterable[str]) -> Callable[[str], str]:
    words = list(names)
    return lambda value: (
        f"unknown {what}{_did_you_mean(value.lower(), words)}; expected one of {', '.join(words)}"
    )


def _did_you_mean(word: str, words: list[str]) -> str:
    # the same hint as the contract loader's, without importing the spec layer (pydantic)
    close = difflib.get_close_matches(word, words, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _empty(text: pa.Array) -> BoolArr:
    return np.asarray(pc.utf8_length(text).to_numpy() == 0)


def _priority_numbers(value: pa.Array) -> I64:
    """`P1`..`P5` or `1`..`5` as 1..5, -1 for anything else."""
    found = _lookup(value, _PRIORITY_WORDS, pc.utf8_upper)
    return np.where(found >= 0, found % 5 + 1, -1)


def _lookup(text: pa.Array, names: Sequence[str], fold: Callable[[pa.Array], pa.Array]) -> I64:
    """Index of each (case-folded) word in `names`, -1 where it is not one of them.

    The names of an IntEnum (KIND_NAMES, ...) are listed in code order from 0, so the index
    of a name is its code.
    """
    found = pc.index_in(fold(text), value_set=pa.array(list(names), pa.string()))
    return np.asarray(found.fill_null(-1).to_numpy(), dtype=np.int64)
