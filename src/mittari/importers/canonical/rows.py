"""Row checks of the canonical event log: each column decoded to codes, each fault a mask.

Everything here works on whole columns; Python only loops over the rows that fail, to
word their problems.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
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
from mittari.importers.canonical.words import Words, lengths, lookup

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
_ACTORS = ", ".join(ACTOR_NAMES)


# What each kind needs of its value, as the fault bits of `_value_faults`, indexed by Kind
# code; the last entry is also index -1, no kind.
_STATUS, _PRIORITY, _LABEL = 1, 2, 4
_NEEDS = {
    Kind.STATUS: _STATUS,
    Kind.PRIORITY: _PRIORITY,
    Kind.ASSIGN: _LABEL,
    Kind.CATEGORY: _LABEL,
}
_NEEDED = np.array([_NEEDS.get(kind, 0) for kind in Kind] + [0], dtype=np.uint8)


@dataclass(frozen=True)
class Decoded:
    """The columns of one file as codes, per row or per distinct word (-1: not a word of
    the vocabulary)."""

    ticket_ids: pa.Array  # the distinct ticket ids, in order of first appearance
    ticket: I64  # each row's index into ticket_ids
    ts: I64
    ts_verdict: I8
    kind: I8  # per row
    kind_text: Words
    value: Words
    status_of: I8  # per value word: its Status code
    priority_of: I8  # per value word: its priority number 1..5
    actor: Words
    actor_of: I8  # per actor word: its Actor code


@dataclass(frozen=True)
class Fault:
    """Rows that fail one check, the column they fail in and how to say so."""

    rows: I64  # the failing rows
    field: str  # the column; its text at the failing rows is the problem's value
    message: Callable[[str], str]


@dataclass(frozen=True)
class _Checked:
    """What the checks look at, per row, for some rows."""

    no_ticket: BoolArr
    ts_verdict: I8
    kind: I8
    no_kind: BoolArr
    no_value: BoolArr
    status: I8
    priority: I8
    no_actor: BoolArr
    actor: I8


def decode(source: Source, timezone: str | None) -> Decoded:
    ts, verdict = parse_timestamps(source.table.column("ts"), timezone)
    ticket_ids, ticket = source.words("ticket_id").by_appearance()
    kind, value, actor = (source.words(name) for name in ("kind", "value", "actor"))
    return Decoded(
        ticket_ids=ticket_ids,
        ticket=ticket,
        ts=ts,
        ts_verdict=verdict,
        kind=kind.per_row(lookup(kind.words, list(KIND_NAMES), pc.utf8_lower)),
        kind_text=kind,
        value=value,
        status_of=lookup(value.words, list(STATUS_NAMES), pc.utf8_lower),
        priority_of=_priority_numbers(value.words),
        actor=actor,
        actor_of=lookup(actor.words, list(ACTOR_NAMES), pc.utf8_lower),
    )


def faults(rows: Decoded) -> tuple[list[Fault], BoolArr]:
    """The rows failing each check of a single row (in column order), and those failing any.

    The checks are worded one by one only for the rows that fail one of them: a clean file
    costs a few passes over its codes.
    """
    bad = failing(rows)
    suspects = np.flatnonzero(bad)
    found = [
        Fault(suspects[failed], field, message)
        for failed, field, message in checks(_checked(rows, suspects))
    ]
    return found, bad


def failing(rows: Decoded) -> BoolArr:
    """The rows that fail any of `checks`, in a few passes over whole columns."""
    bad = rows.ts_verdict != TsVerdict.OK
    for code in np.flatnonzero(lengths(rows.ticket_ids) == 0).tolist():  # "" at most once
        bad |= rows.ticket == code
    bad |= rows.kind < 0
    missing = rows.value.per_row(_value_faults(rows))  # what each value is not
    missing &= _NEEDED[rows.kind]  # what each kind needs
    bad |= missing != 0
    del missing
    bad |= needs_an_actor(rows.kind) & rows.actor.per_row(rows.actor_of < 0)
    return np.asarray(bad)


def checks(rows: _Checked) -> Iterator[tuple[BoolArr, str, Callable[[str], str]]]:
    """Every check of a single row, in column order: the failing rows as a mask."""
    yield rows.no_ticket, "ticket_id", _say("missing ticket_id")
    for verdict, message in _TS_MESSAGES.items():
        yield rows.ts_verdict == verdict, "ts", _say(message)
    yield rows.no_kind, "kind", _say("missing kind")
    yield (rows.kind < 0) & ~rows.no_kind, "kind", _unknown("kind", KIND_NAMES)
    for kind, message in _NEEDS_VALUE.items():
        yield (rows.kind == kind) & rows.no_value, "value", _say(message)
    not_status = (rows.kind == Kind.STATUS) & ~rows.no_value & (rows.status < 0)
    yield not_status, "value", _unknown("status", STATUS_NAMES)
    not_priority = (rows.kind == Kind.PRIORITY) & ~rows.no_value & (rows.priority < 1)
    yield not_priority, "value", _say("not a priority; expected P1..P5 (or 1..5)")
    needs_actor = needs_an_actor(rows.kind)
    yield needs_actor & rows.no_actor, "actor", _say(f"a reply or note needs an actor: {_ACTORS}")
    unknown = needs_actor & ~rows.no_actor & (rows.actor < 0)
    yield unknown, "actor", _unknown("actor", ACTOR_NAMES)


def needs_an_actor(kind: I8) -> BoolArr:
    """Rows of the kinds that carry an actor (reply, note)."""
    return np.asarray((kind == Kind.REPLY) | (kind == Kind.NOTE))


def _value_faults(rows: Decoded) -> npt.NDArray[np.uint8]:
    """Per value word, the bits of what it is not: a status, a priority, a label."""
    bits = np.zeros(len(rows.value.words), dtype=np.uint8)
    bits[rows.status_of < 0] |= _STATUS
    bits[rows.priority_of < 1] |= _PRIORITY
    bits[lengths(rows.value.words) == 0] |= _LABEL
    return bits


def _checked(rows: Decoded, at: I64) -> _Checked:
    value = rows.value.at(at)
    actor = rows.actor.at(at)
    return _Checked(
        no_ticket=lengths(rows.ticket_ids)[rows.ticket[at]] == 0,
        ts_verdict=rows.ts_verdict[at],
        kind=rows.kind[at],
        no_kind=lengths(rows.kind_text.words)[rows.kind_text.at(at)] == 0,
        no_value=lengths(rows.value.words)[value] == 0,
        status=rows.status_of[value],
        priority=rows.priority_of[value],
        no_actor=lengths(rows.actor.words)[actor] == 0,
        actor=rows.actor_of[actor],
    )


def problems_of(found: Sequence[Fault], source: Source) -> list[Problem]:
    """The problems of every failing row, ordered by line (then column order)."""
    problems = []
    for fault in found:
        if len(fault.rows) == 0:
            continue
        values = source.text_at(fault.field, fault.rows)
        for line, value in zip(source.line_at(fault.rows).tolist(), values, strict=True):
            problems.append(Problem(source.file, line, fault.field, value, fault.message(value)))
    return sorted(problems, key=lambda p: p.line or 0)  # stable: column order within a line


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


def _priority_numbers(words: pa.Array) -> I8:
    """`P1`..`P5` or `1`..`5` as 1..5, -1 for anything else (a value per word)."""
    found = lookup(words, _PRIORITY_WORDS, pc.utf8_upper)
    return np.where(found >= 0, found % 5 + 1, -1).astype(np.int8)
