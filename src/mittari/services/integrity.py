"""Integrity: the flags of every contract version, and compliance reported beside honest.

Tickets are judged under the version that measures them (as in `measure_versions`);
follow-ups and successors are looked for among all tickets of the log. The honest figures
are `measure_versions` run on the honest log (`engine.integrity.honest_log`), and both
compliance tables come from the same `compliance_table`, so the two figures of a row are
counted the same way. docs/integrity.md states every rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.calendar import BusinessCalendar
from mittari.engine.integrity import Flags, IntegrityPolicy, TicketFacts, find_flags, honest_log
from mittari.engine.types import I64, NULL_TS, BoolArr, ContractPolicy, EventLog
from mittari.services.integrity_tables import (
    Policies,
    bunching_table,
    flag_counts,
    flags_table,
    side_by_side,
    with_assignee,
)
from mittari.services.measure import MeasureResult, compliance_table, created_at, measure_versions
from mittari.services.runs import _customers, load_inputs, measure_notes, read_notes
from mittari.spec.integrity_load import load_integrity


@dataclass
class IntegrityReport:
    flags: pa.Table  # one row per hit, with its evidence
    counts: pa.Table  # per flag: hits, tickets flagged, share of the tickets judged
    bunching: pa.Table  # per version, team and month: the deadline-bunching test
    compliance: pa.Table  # reported and honest compliance side by side
    reported: MeasureResult
    honest: MeasureResult


def ticket_facts(log: EventLog, tickets: pa.Table | None) -> TicketFacts:
    """Requester and service codes and the `origin` ticket of each ticket of the log, from
    a tickets table aligned to `log.ticket_ids` (columns it lacks stay unknown)."""
    facts = TicketFacts.unknown(log.n_tickets)
    if tickets is None:
        return facts
    names = tickets.column_names
    for column in ("requester", "service"):
        if column in names:
            enc = pc.dictionary_encode(_text(tickets.column(column)))
            getattr(facts, column)[:] = np.asarray(enc.indices.fill_null(-1), dtype=np.int64)
    if "origin" in names:
        ids = pa.array(list(log.ticket_ids), pa.string())
        found = pc.index_in(_text(tickets.column("origin")), value_set=ids)
        facts.origin[:] = np.asarray(found.fill_null(-1), dtype=np.int64)
    return facts


def _text(column: pa.ChunkedArray) -> pa.Array:
    """The column as text, an empty value as unknown (files write unknown as empty)."""
    text = column.combine_chunks().cast(pa.string())
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def version_tickets(
    log: EventLog, version: ContractPolicy, customers: np.ndarray, created: I64, as_of_us: int
) -> BoolArr:
    """The tickets this version measures: its customer's, created in its range (as in
    measure_versions)."""
    mine: BoolArr = (customers == version.customer) & (created != NULL_TS)
    mine &= (created >= version.effective_from_us) & (created <= as_of_us)
    if version.effective_to_us is not None:
        mine &= created < version.effective_to_us
    return mine


def judge(
    log: EventLog,
    contracts: Sequence[ContractPolicy],
    policies: Policies,
    customers: np.ndarray,
    tickets: pa.Table | None,
    as_of_us: int,
    by: Sequence[str],
) -> IntegrityReport:
    """Flags, deadline bunching, and reported vs honest compliance grouped by `by` (any key
    of `compliance_table`, plus `assignee`: the group or agent holding a ticket when its
    clock stopped). `tickets` is aligned to `log.ticket_ids`."""
    facts = ticket_facts(log, tickets)
    created = created_at(log)
    found: list[tuple[ContractPolicy, Flags]] = []
    judged = np.zeros(log.n_tickets, dtype=bool)
    for version in contracts:
        mine = version_tickets(log, version, customers, created, as_of_us)
        judged |= mine
        policy = policies.get((version.customer, version.version), IntegrityPolicy())
        calendars = {n: BusinessCalendar(s) for n, s in version.calendars.items()}
        flags = find_flags(log, version.metrics, calendars, policy, facts, mine, as_of_us)
        found.append((version, flags))
    merged = merge_flags([f for _, f in found])
    reported = measure_versions(log, contracts, customers, as_of_us)
    honest = measure_versions(honest_log(log, merged), contracts, customers, as_of_us)
    reported.table = with_assignee(reported.table, log, as_of_us)
    honest.table = with_assignee(honest.table, log, as_of_us)
    keyed = None if tickets is None else _keyed_by_log(tickets, log)
    as_reported = compliance_table(reported.table, contracts, by, keyed)
    as_honest = compliance_table(honest.table, contracts, by, keyed)
    return IntegrityReport(
        flags=flags_table(log, found),
        counts=flag_counts(found, int(judged.sum())),
        bunching=bunching_table(reported.table, contracts, policies),
        compliance=side_by_side(as_reported, as_honest, by),
        reported=reported,
        honest=honest,
    )


def _keyed_by_log(tickets: pa.Table, log: EventLog) -> pa.Table:
    """The aligned tickets table with the log's ticket ids (rows absent from the file are
    null rows: their ids must still be the log's)."""
    ids = pa.array(list(log.ticket_ids), pa.string())
    if "ticket_id" in tickets.column_names:
        return tickets.set_column(tickets.column_names.index("ticket_id"), "ticket_id", ids)
    return tickets.append_column("ticket_id", ids)


def merge_flags(parts: Sequence[Flags]) -> Flags:
    """The flags of several versions (disjoint tickets) as one Flags."""
    if not parts:
        z = np.zeros(0, dtype=np.int64)
        return Flags(z, z, z, np.zeros(1, dtype=np.int64), z)
    shift = np.cumsum([0] + [len(p.evidence) for p in parts[:-1]])
    offsets = [parts[0].offsets[:1]] + [
        p.offsets[1:] + s for p, s in zip(parts, shift, strict=True)
    ]
    return Flags(
        np.concatenate([p.ticket for p in parts]),
        np.concatenate([p.rule for p in parts]),
        np.concatenate([p.at for p in parts]),
        np.concatenate(offsets).astype(np.int64),
        np.concatenate([p.evidence for p in parts]),
    )


def run_integrity(
    contracts: Sequence[Path],
    events: Path,
    tickets: Path | None,
    as_of_us: int,
    timezone: str | None,
    strict: bool,
    by: Sequence[str],
) -> tuple[IntegrityReport, list[str]]:
    """`mittari integrity` from files: read, judge, and the notes to show."""
    loaded = load_inputs(contracts, events, tickets, timezone, strict)
    policies = load_integrity(contracts)
    log = loaded.log
    aligned = loaded.tickets.aligned(log.ticket_ids) if loaded.tickets is not None else None
    # The same routing of tickets to customers as `mittari compute`.
    report = judge(log, loaded.contracts, policies, _customers(loaded), aligned, as_of_us, by)
    return report, [*read_notes(loaded), *measure_notes(report.reported)]
