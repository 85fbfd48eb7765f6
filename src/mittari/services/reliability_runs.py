"""What the `availability`, `credits` and `recurring` commands do: read, compute, write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from mittari.importers.canonical.parser import read_events
from mittari.importers.canonical.tickets import read_tickets
from mittari.importers.canonical.writer import write_table
from mittari.importers.outages import OUTAGE_SCHEMA, read_outages
from mittari.services.availability import (
    availability_table,
    burn_table,
    measure_availability,
    month_range,
)
from mittari.services.credits import credit_statements
from mittari.services.recurring import RecurringFaults, recurring_faults
from mittari.services.runs import load_inputs, measure_loaded, read_notes
from mittari.spec.terms import load_terms

SHOWN_PROBLEMS = 20


def read_outage_files(
    paths: Sequence[Path], kind: str | None, mapping: Path | None, timezone: str | None
) -> tuple[pa.Table, list[str]]:
    """The outages of every file, one table, and a note per file and problem."""
    tables, notes = [], []
    for path in paths:
        extract = read_outages(path, kind=kind, mapping=mapping, timezone=timezone)
        tables.append(extract.table)
        notes.append(
            f"outages: {path} ({extract.source}): {extract.n_read} read, "
            f"{extract.table.num_rows} outages, {len(extract.problems)} problems"
        )
        notes += [f"  skipped: {p}" for p in extract.problems[:SHOWN_PROBLEMS]]
        notes += [f"  not outages: {why}: {n}" for why, n in extract.ignored.items()]
    table = pa.concat_tables(tables) if tables else OUTAGE_SCHEMA.empty_table()
    return table, notes


def _unmatched(outages: pa.Table, availability: pa.Table) -> list[str]:
    known = set(availability.column("service").to_pylist()) if availability.num_rows else set()
    found = set(outages.column("service").to_pylist()) - known
    return (
        [f"outages of services without an objective (ignored): {', '.join(sorted(found))}"]
        if found
        else []
    )


def run_availability(
    contracts: Sequence[Path],
    outage_files: Sequence[Path],
    as_of: int,
    month: str | None,
    kind: str | None = None,
    mapping: Path | None = None,
    timezone: str | None = None,
    out: Path | None = None,
) -> tuple[pa.Table, pa.Table, list[str]]:
    """Monthly availability per service, and the burn-rate checks at as-of."""
    terms = load_terms(contracts)
    outages, notes = read_outage_files(outage_files, kind, mapping, timezone)
    table = availability_table(measure_availability(outages, terms, as_of, month))
    notes += _unmatched(outages, table)
    if out is not None:
        notes.append(f"wrote {write_table(table, out)}")
    return table, burn_table(outages, terms, as_of), notes


def run_credits(
    contracts: Sequence[Path],
    events: Path,
    tickets: Path | None,
    outage_files: Sequence[Path],
    month: str,
    as_of: int,
    timezone: str | None = None,
    kind: str | None = None,
    mapping: Path | None = None,
    out: Path | None = None,
) -> tuple[pa.Table, list[str]]:
    """The credit statement of `month` per customer, line by line."""
    terms = load_terms(contracts)
    loaded = load_inputs(contracts, events, tickets, timezone, strict=False)
    measured = measure_loaded(loaded, as_of)
    outages, notes = read_outage_files(outage_files, kind, mapping, timezone)
    zone = terms[0].contract.timezone if terms else "UTC"
    since = month_range(month, zone)[0]
    availability = measure_availability(outages, terms, as_of, since=since)
    table = credit_statements(terms, measured.table, availability, month, as_of)
    notes = [*read_notes(loaded), *notes]
    if out is not None:
        notes.append(f"wrote {write_table(table, out)}")
    return table, notes


def run_recurring(
    events: Path,
    tickets: Path,
    as_of: int,
    top: int,
    threshold: float,
    min_size: int,
    incident_type: str | None,
    timezone: str | None = None,
    out: Path | None = None,
) -> tuple[RecurringFaults, list[str]]:
    """Problem candidates among the incidents of an event log and its tickets file."""
    read = read_events(events, timezone=timezone)
    found = recurring_faults(
        read.log,
        read_tickets(tickets),
        as_of,
        incident_type=incident_type,
        threshold=threshold,
        min_size=min_size,
        top=top,
    )
    notes = [f"incidents with a subject: {found.considered}"]
    if out is not None:
        notes.append(f"wrote {write_table(found.members, out)}")
    return found, notes
