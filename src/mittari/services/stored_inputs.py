"""One customer's store as the inputs of the reports: its event log, its tickets, its
outages and its contract versions in force, each read through the caller's `Scoped`
reader (db/scope.py), so a report holds nothing the caller may not see.

The log's ticket ids are the tickets' own names (the source's id; `source:id` where two
sources of the customer use the same id), so flags, evidence and recurring-fault rows
name tickets as people know them, never by the store's keys.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.db.models import ContractVersion
from mittari.db.scope import Scoped
from mittari.engine.integrity import IntegrityPolicy
from mittari.engine.outage_steps import WEIGHT_SCALE
from mittari.engine.types import ContractPolicy, EventLog
from mittari.errors import ContractError
from mittari.importers.canonical.tickets import TicketTable
from mittari.importers.outages import OUTAGE_SCHEMA
from mittari.services.stored import StoredTables, log_from_rows
from mittari.spec.check import Version, versions_from_text
from mittari.spec.resolve import ContractTerms, resolve_integrity, resolve_terms

UTC_US = OUTAGE_SCHEMA.field("start").type


@dataclass(frozen=True)
class StoredInputs:
    """A customer's reports' inputs; `customer` is None when it has no contract."""

    customer: str | None
    terms: list[ContractTerms]  # versions in force, by effective date
    integrity: dict[tuple[str, str], IntegrityPolicy]  # (customer, version) → thresholds
    log: EventLog
    tickets: pa.Table  # aligned to `log.ticket_ids`: ticket_id, customer, service, … origin

    @property
    def contracts(self) -> list[ContractPolicy]:
        return [t.contract for t in self.terms]

    @property
    def timezone(self) -> str:
        return self.terms[0].contract.timezone if self.terms else "UTC"

    def customers(self) -> np.ndarray:
        """Each ticket's customer, as `measure_versions` routes tickets to versions."""
        return np.full(self.log.n_tickets, self.customer or "", dtype=object)

    def ticket_table(self) -> TicketTable:
        lines = np.zeros(self.tickets.num_rows, dtype=np.int64)
        return TicketTable(self.tickets, lines, [])


def stored_terms(
    scope: Scoped, owner: int
) -> tuple[list[ContractTerms], dict[tuple[str, str], IntegrityPolicy]]:
    """The customer's versions in force with their terms, and their integrity thresholds."""
    versions = _parsed(scope.contract_versions(owner, active_only=True))
    terms = sorted((resolve_terms(v.model) for v in versions), key=_effective)
    integrity = {
        (v.customer, v.model.metadata.version): resolve_integrity(v.model) for v in versions
    }
    return terms, integrity


def stored_inputs(
    scope: Scoped,
    owner: int,
    *,
    loaded: StoredTables | None = None,
    terms: tuple[list[ContractTerms], dict[tuple[str, str], IntegrityPolicy]] | None = None,
) -> StoredInputs:
    """The contract versions in force, the log and the tickets of customer `owner`; from
    `loaded` (`services.stored.stored_tables`) and `terms` (`stored_terms`) when given."""
    terms, integrity = terms or stored_terms(scope, owner)
    log = log_from_rows(scope.event_table(owner)) if loaded is None else loaded.log
    stored = scope.ticket_table(owner) if loaded is None else loaded.tickets
    ids = pa.array([int(i) for i in log.ticket_ids], pa.int64())
    tickets = stored.take(pc.index_in(ids, value_set=stored.column("id").combine_chunks()))
    names = _names(tickets)
    customer = terms[0].contract.customer if terms else None
    aligned = pa.table(
        {
            "ticket_id": pa.array(names, pa.string()),
            "customer": pa.array([customer] * len(names), pa.string()),
            **{c: tickets.column(c) for c in ("service", "type", "requester", "subject")},
            "origin": _origins(scope, owner, tickets),
        }
    )
    named = dataclasses.replace(log, ticket_ids=tuple(names))
    return StoredInputs(customer, terms, integrity, named, aligned)


def stored_outages(scope: Scoped, owner: int) -> pa.Table:
    """The customer's outages with the columns `services.availability` reads."""
    stored = scope.outage_table(owner)
    weight = np.asarray(stored.column("weight").to_numpy(), dtype=np.float64) / WEIGHT_SCALE
    return pa.table(
        {
            "service": stored.column("service"),
            "start": pc.cast(stored.column("start_us"), UTC_US),
            "end": pc.cast(stored.column("end_us"), UTC_US),
            "weight": pa.array(weight, pa.float64()),
            "planned": stored.column("planned"),
        }
    )


def _parsed(rows: Sequence[ContractVersion]) -> list[Version]:
    """The validated documents of the stored versions (each stored file parsed once)."""
    wanted = {(v.label, v.sha256) for v in rows}
    found: list[Version] = []
    for name, text in sorted({(v.file_name, v.yaml) for v in rows}):
        sha = hashlib.sha256(text.encode()).hexdigest()
        versions, problems = versions_from_text(text, name)
        if problems:  # stored texts were valid when stored; a newer mittari may disagree
            raise ContractError(problems)
        found += [v for v in versions if (v.model.metadata.version, sha) in wanted]
    return found


def _effective(terms: ContractTerms) -> int:
    return terms.contract.effective_from_us


def _names(tickets: pa.Table) -> list[str]:
    """The source's id of each ticket; `source:id` where the customer has it twice."""
    ids = tickets.column("external_id").to_pylist()
    sources = tickets.column("source").to_pylist()
    seen: dict[str, int] = {}
    for i in ids:
        seen[i] = seen.get(i, 0) + 1
    return [i if seen[i] == 1 else f"{s}:{i}" for i, s in zip(ids, sources, strict=True)]


def _origins(scope: Scoped, owner: int, tickets: pa.Table) -> pa.Array:
    """The `origin` attribute of each ticket (the ticket it was split or cloned from)."""
    found = scope.ticket_origins(owner)
    return pa.array([found.get(i) for i in tickets.column("id").to_pylist()], pa.string())
