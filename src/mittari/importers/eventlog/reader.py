"""`read`: a CSV or XES event log and its mapping file → canonical events and tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from mittari.engine.types import BoolArr
from mittari.errors import InputError, Problem
from mittari.importers.eventlog.csvlog import read_csv
from mittari.importers.eventlog.emit import (
    Cases,
    Part,
    assemble,
    cases_of,
    change_part,
    created_part,
    first_rows_without_created,
    rule_parts,
)
from mittari.importers.eventlog.faults import check
from mittari.importers.eventlog.load import SHIPPED, Mapping, load
from mittari.importers.eventlog.rawlog import CASE, RawLog
from mittari.importers.eventlog.rules import Pairs, pairs_of
from mittari.importers.eventlog.tickets import tickets_of
from mittari.importers.eventlog.times import TimeFormat, parse
from mittari.importers.eventlog.xeslog import read_xes
from mittari.importers.extract import Extract, empty_events
from mittari.spec.vocabulary import check_timezone


@dataclass
class EventLogExtract(Extract):
    """An `Extract`, and the records that rules ignore (`emit: []`), counted by their
    `activity/lifecycle` as written."""

    ignored: dict[str, int] = field(default_factory=dict)


def read(
    path: str | Path, *, mapping: str | Path | None = None, timezone: str | None = None
) -> EventLogExtract:
    """Read the event log `path` (`.csv`, `.xes`, `.xes.gz`) as `mapping` says.

    `timezone` (an IANA name) is the zone of times written without an offset (or whose
    offset the mapping ignores); it overrides the mapping's `timestamps.zone`.
    """
    if mapping is None:
        message = (
            "the eventlog importer needs a mapping file: pass --mapping FILE "
            f"(shipped ones are in {SHIPPED})"
        )
        raise InputError([Problem(str(path), None, "--mapping", None, message)])
    loaded = load(mapping)
    times = _time_format(loaded, timezone)
    return _mapped(_raw(Path(path), loaded), loaded, times)


def _time_format(mapping: Mapping, timezone: str | None) -> TimeFormat:
    if timezone is not None:
        try:
            check_timezone(timezone)
        except ValueError as exc:
            raise InputError(
                [Problem(mapping.file, None, "timezone", timezone, str(exc))]
            ) from None
    times = TimeFormat.of(mapping.spec.timestamps, timezone)
    if times.ignore_offset and times.zone is None:
        message = "offset: ignore reads wall-clock times: name their zone here or pass --timezone"
        raise InputError([Problem(mapping.file, None, "timestamps.zone", None, message)])
    return times


def _raw(path: Path, mapping: Mapping) -> RawLog:
    name = path.name.lower()
    if name.endswith((".xes", ".xes.gz")) and mapping.spec.xes is not None:
        return read_xes(path, mapping.spec.xes)
    if name.endswith(".csv") and mapping.spec.csv is not None:
        return read_csv(path, mapping.spec.csv, mapping.file)
    if name.endswith((".xes", ".xes.gz", ".csv")):
        section = "csv" if name.endswith(".csv") else "xes"
        message = f"the mapping has no {section} section, so it cannot read {path.name}"
        raise InputError([Problem(mapping.file, None, section, None, message)])
    message = "expected an event log: .csv, .xes or .xes.gz"
    raise InputError([Problem(str(path), None, "file", path.suffix, message)])


def _mapped(raw: RawLog, mapping: Mapping, times: TimeFormat) -> EventLogExtract:
    spec = mapping.spec
    blank = pa.repeat(pa.scalar("", pa.string()), raw.num_rows)
    pairs = pairs_of(raw.column("activity"), raw.columns.get("lifecycle", blank), spec)
    ts, verdict = parse(raw.column("timestamp"), times)
    checked = check(raw, verdict, pairs, spec, mapping.file, times)
    ok, cases = checked.ok, cases_of(raw)
    parts: list[Part] = []
    if spec.created == "first_event":
        parts.append(created_part(cases, ok, pairs))
    parts += [change_part(raw, cases, ok, c, 1 + j) for j, c in enumerate(spec.changes)]
    parts += rule_parts(raw, ok, pairs, 1 + len(spec.changes))
    events = assemble(raw, cases, ts, parts) if parts else empty_events()
    problems = checked.problems
    if spec.created == "rule":
        problems = sorted(
            problems + _without_created(raw, cases, ok, parts), key=lambda p: p.line or 0
        )
    tickets = tickets_of(raw, cases, ok, spec.tickets)
    ignored = _ignored(pairs, ok)
    return EventLogExtract("eventlog", events, tickets, problems, raw.n_read, ignored=ignored)


def _ignored(pairs: Pairs, ok: BoolArr) -> dict[str, int]:
    counts = np.bincount(pairs.code[ok], minlength=len(pairs.rule))
    raw = pairs.raw.to_pylist()
    return {raw[p]: int(counts[p]) for p in np.flatnonzero(pairs.ignored & (counts > 0))}


def _without_created(raw: RawLog, cases: Cases, ok: BoolArr, parts: list[Part]) -> list[Problem]:
    """`created: rule`: a problem on the first record of each case that no created event
    came from (the canonical reader would skip its events)."""
    rows = first_rows_without_created(cases, ok, parts)
    ids = cases.ids.take(pa.array(cases.code[rows])).to_pylist()
    message = "no record of this case maps to created (created: rule), so it has no created event"
    return [
        raw.problem(row, CASE, case_id, message)
        for row, case_id in zip(rows.tolist(), ids, strict=True)
    ]
