"""Contracts, measurement runs and compliance over the store.

`measure_customer` loads a customer's whole event log through Arrow, runs the engine under
every contract version in force and stores a run (the hash of the contract texts, the
as-of instant, the engine version) with its rows. A changed contract gives a new run; the
old one stays, so both can be compared. `compliance` reads a stored run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine

import mittari
from mittari.db import repository as repo
from mittari.db.models import ContractVersion
from mittari.db.scope import Scoped
from mittari.engine.types import NO_VALUE, NULL_TS, STATE_NAMES, ContractPolicy, EventLog, Kind
from mittari.errors import ContractError, InputError, Problem
from mittari.importers.canonical.writer import UTC_US
from mittari.services.measure import compliance_table, measure_versions
from mittari.spec import load_contract_texts
from mittari.spec.check import versions_from_text


@dataclass
class ContractAdded:
    customer: str
    added: int
    versions: list[str]


@dataclass
class RunSummary:
    run: int
    customer: str
    contract_hash: str
    n_events: int
    n_tickets: int
    n_rows: int
    states: dict[str, int]
    unmeasured: dict[str, int]


def add_contract(engine: Engine, path: str | Path) -> ContractAdded:
    """Store the versions of a contract file (validated first, overlaps with the stored
    versions of the same customer included). Returns how many versions were new."""
    return add_contract_text(engine, Path(path).name, Path(path).read_text(encoding="utf-8"))


def add_contract_text(
    engine: Engine, name: str, text: str, *, customer: str | None = None
) -> ContractAdded:
    """`add_contract` for a file's text (an upload); `customer`, when given, must be the
    contract's own customer."""
    path = name
    found = load_contract_texts([(name, text)])  # ContractError with every problem
    policies = [p for versions in found.values() for p in versions]
    customers = {p.customer for p in policies}
    if len(customers) != 1:
        problem = Problem(str(path), None, "metadata.customer", None, "one customer per file")
        raise ContractError([problem])
    if customer is not None and customers != {customer}:
        message = f"the contract is for {customers.pop()!r}, not for {customer!r}"
        raise ContractError([Problem(name, None, "metadata.customer", None, message)])
    customer = customers.pop()
    sha = hashlib.sha256(text.encode()).hexdigest()
    display = customer_name(text, name)
    with engine.begin() as conn:
        owner = repo.customer_ids(conn, [customer], create=True)[customer]
        if display is not None:
            repo.set_customer_name(conn, owner, display)
        labels = {p.version for p in policies}
        kept = [v for v in repo.active_contracts(conn, owner) if v.label not in labels]
        _check_together(kept, str(path), text)
        rows = [
            {
                "label": p.version,
                "file_name": Path(path).name,
                "yaml": text,
                "sha256": sha,
                "effective_from_us": p.effective_from_us,
                "effective_to_us": p.effective_to_us,
            }
            for p in policies
        ]
        added = repo.add_contract_versions(conn, owner, rows)
    return ContractAdded(customer, added, sorted(labels))


def customer_name(text: str, name: str) -> str | None:
    """The customer's display name in a valid contract file: the `metadata.customerName` of
    its latest version that gives one (None: none does; the stored name is kept)."""
    versions, _ = versions_from_text(text, name)
    named = [v for v in versions if v.model.metadata.customer_name is not None]
    return max(named, key=lambda v: v.from_us).model.metadata.customer_name if named else None


def _check_together(stored: Sequence[ContractVersion], file: str, text: str) -> None:
    """Overlaps between the new file and the customer's other stored versions."""
    texts = {(v.file_name + " (stored)", v.yaml) for v in stored}
    load_contract_texts([*sorted(texts), (file, text)])


def policies_of(rows: Sequence[ContractVersion]) -> list[ContractPolicy]:
    """The engine policies of stored versions (each file parsed once)."""
    texts = sorted({(v.file_name, v.yaml) for v in rows})
    wanted = {(v.label, v.sha256) for v in rows}
    sha_of = {t: hashlib.sha256(t.encode()).hexdigest() for _, t in texts}
    found: list[ContractPolicy] = []
    for name, text in texts:
        for versions in load_contract_texts([(name, text)]).values():
            found += [p for p in versions if (p.version, sha_of[text]) in wanted]
    return sorted(found, key=lambda p: p.effective_from_us)


def contract_hash(rows: Sequence[ContractVersion]) -> str:
    lines = sorted(f"{v.label}:{v.sha256}" for v in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class StoredTables:
    """A customer's stored inputs read once, for a page that asks several services."""

    events: pa.Table  # `repository.EVENT_LOAD_SCHEMA`
    log: EventLog  # `log_from_rows(events)`: ticket ids are the store's ids as text
    tickets: pa.Table  # `repository.TICKET_LOAD_SCHEMA`
    answers: pa.Table  # `db.feedback.ANSWER_LOAD_SCHEMA`
    versions: list[ContractVersion]  # in force


def stored_tables(scope: Scoped, owner: int) -> StoredTables:
    """The customer's events, tickets, answers and versions in force, through `scope`."""
    events = scope.event_table(owner)
    return StoredTables(
        events,
        log_from_rows(events),
        scope.ticket_table(owner),
        scope.answer_table(owner),
        scope.contract_versions(owner, active_only=True),
    )


def stored_log(conn: Connection, customer: int) -> EventLog:
    """A customer's event log from the store, as the engine's EventLog (ticket ids are the
    store's ticket ids as text)."""
    return log_from_rows(repo.load_events(conn, customer))


def log_from_rows(table: pa.Table) -> EventLog:
    """Stored event rows (`repository.EVENT_LOAD_SCHEMA`, any order) as an EventLog."""
    ticket_pk = repo.numpy_column(table, "ticket_id", -1)
    ids, ticket = np.unique(ticket_pk, return_inverse=True)
    ts = repo.numpy_column(table, "ts_us", NULL_TS)
    kind = repo.numpy_column(table, "kind", -1).astype(np.int8)
    value = repo.numpy_column(table, "code", NO_VALUE)
    words = (kind == Kind.ASSIGN) | (kind == Kind.CATEGORY)
    encoded = pc.dictionary_encode(table.column("value").combine_chunks())
    codes = np.asarray(encoded.indices.fill_null(NO_VALUE).to_numpy(), dtype=np.int64)
    value = np.where(words, codes, value)
    actor = repo.numpy_column(table, "actor", NO_VALUE).astype(np.int8)
    order = np.lexsort((repo.numpy_column(table, "id", 0), ts, ticket))  # same ts: store order
    return EventLog(
        ticket[order].astype(np.int64),
        ts[order],
        kind[order],
        value[order],
        actor[order],
        tuple(str(i) for i in ids.tolist()),
        tuple(encoded.dictionary.to_pylist()),
    )


def measure_customer(engine: Engine, customer: str, as_of_us: int) -> RunSummary:
    with engine.connect() as conn:
        owner = _customer(conn, customer)
        versions = repo.active_contracts(conn, owner)
        if not versions:
            message = "no contract stored for this customer: add one with `mittari contract add`"
            raise InputError([Problem("--customer", None, "customer", customer, message)])
        policies = policies_of(versions)
        log = stored_log(conn, owner)
    customers = np.full(log.n_tickets, customer, dtype=object)
    result = measure_versions(log, policies, customers, as_of_us)
    rows = _measurement_rows(result.table, versions)
    states = {s: int(n) for s, n in _counts(result.table.column("state")).items()}
    digest = contract_hash(versions)
    with engine.begin() as conn:
        run = repo.add_run(
            conn,
            [v.id for v in versions],
            customer_id=owner,
            as_of_us=as_of_us,
            contract_hash=digest,
            engine_version=mittari.__version__,
            n_tickets=log.n_tickets,
            n_rows=rows.num_rows,
            unmeasured=result.unmeasured,
        )
        repo.insert_measurements(
            conn, rows.append_column("run_id", pa.array([run] * rows.num_rows, pa.int64()))
        )
    return RunSummary(
        run, customer, digest, len(log), log.n_tickets, rows.num_rows, states, result.unmeasured
    )


def _customer(conn: Connection, key: str) -> int:
    owner = repo.customer_id(conn, key)
    if owner is None:
        known = ", ".join(repo.list_customers(conn)) or "none yet"
        message = f"unknown customer; known: {known}"
        raise InputError([Problem("--customer", None, "customer", key, message)])
    return owner


def _counts(column: pa.ChunkedArray) -> dict[str, int]:
    counted = pc.value_counts(column.combine_chunks())
    return {str(v["values"]): int(v["counts"]) for v in counted.to_pylist()}


def _measurement_rows(table: pa.Table, versions: Sequence[ContractVersion]) -> pa.Table:
    """The engine's measurement table as store rows (ids and int64 µs, no names)."""
    label_ids = {v.label: v.id for v in versions}
    labels = pa.array(list(label_ids), pa.string())
    version = pc.index_in(table.column("contract_version"), value_set=labels)
    state = pc.index_in(table.column("state"), value_set=pa.array(STATE_NAMES))
    priority = pc.cast(pc.utf8_slice_codeunits(table.column("priority"), 1), pa.int64())
    return pa.table(
        {
            "ticket_id": pc.cast(table.column("ticket_id"), pa.int64()),
            "contract_version_id": pa.array(list(label_ids.values()), pa.int64()).take(version),
            "metric": table.column("metric"),
            "cycle": table.column("cycle"),
            "priority": priority,
            "target_us": _us(table, "target_s"),
            "start_at_us": pc.cast(table.column("start_at"), pa.int64()),
            "stop_at_us": pc.cast(table.column("stop_at"), pa.int64()),
            "state": pc.cast(state, pa.int64()),
            "elapsed_us": _us(table, "elapsed_s"),
            "wall_us": _us(table, "wall_s"),
            "due_at_us": pc.cast(table.column("due_at"), pa.int64()),
            "breached_at_us": pc.cast(table.column("breached_at"), pa.int64()),
        }
    )


def _us(table: pa.Table, seconds: str) -> pa.Array:
    values = np.asarray(table.column(seconds).to_numpy(), dtype=np.float64)
    return pa.array(np.rint(values * 1_000_000).astype(np.int64))


def run_table(conn: Connection, owner: int, customer: str, run: int) -> pa.Table:
    """A stored run in the engine's measurement table shape (ticket ids as in the source)."""
    rows = repo.load_measurements(conn, owner, run)
    labels = {v.id: v.label for v in repo.run_contracts(conn, run)}
    ids = pa.array(list(labels), pa.int64())
    version = pc.index_in(rows.column("contract_version_id"), value_set=ids)
    n = rows.num_rows
    return pa.table(
        {
            "ticket_id": rows.column("external_id"),
            "metric": rows.column("metric"),
            "cycle": rows.column("cycle"),
            "priority": pc.binary_join_element_wise(
                "P", pc.cast(rows.column("priority"), pa.string()), ""
            ),
            "target_s": pc.divide(pc.cast(rows.column("target_us"), pa.float64()), 1e6),
            "start_at": pc.cast(rows.column("start_at_us"), UTC_US),
            "stop_at": pc.cast(rows.column("stop_at_us"), UTC_US),
            "state": pa.array(STATE_NAMES).take(rows.column("state")),
            "elapsed_s": pc.divide(pc.cast(rows.column("elapsed_us"), pa.float64()), 1e6),
            "wall_s": pc.divide(pc.cast(rows.column("wall_us"), pa.float64()), 1e6),
            "due_at": pc.cast(rows.column("due_at_us"), UTC_US),
            "breached_at": pc.cast(rows.column("breached_at_us"), UTC_US),
            "customer": pa.array([customer] * n, pa.string()),
            "contract_version": pa.array(list(labels.values()), pa.string()).take(version),
        }
    )


@dataclass(frozen=True)
class StoredRun:
    """A stored run read once: its rows as `run_table` gives them, and its contracts."""

    id: int
    table: pa.Table
    contracts: list[ContractPolicy]


def stored_run(conn: Connection, owner: int, customer: str, run: int) -> StoredRun:
    """Run `run` of the customer with its rows (`run_table`) and its contracts' policies."""
    measured = run_table(conn, owner, customer, run)
    return StoredRun(run, measured, policies_of(repo.run_contracts(conn, run)))


def run_compliance(
    run: StoredRun, *, month: str | None = None, by: Sequence[str] = ("month", "metric", "priority")
) -> pa.Table:
    """Compliance of a stored run read by `stored_run`, optionally of one month."""
    keys = list(by) if month is None or "month" in by else ["month", *by]
    table = compliance_table(run.table, run.contracts, keys)
    if month is not None:
        table = table.filter(pc.equal(table.column("month"), month))
    return table


def compliance(
    engine: Engine,
    customer: str,
    *,
    month: str | None = None,
    run: int | None = None,
    by: Sequence[str] = ("month", "metric", "priority"),
) -> tuple[pa.Table, int]:
    """Compliance of a stored run (the latest by default), optionally of one month."""
    with engine.connect() as conn:
        owner = _customer(conn, customer)
        known = [r.id for r in repo.runs(conn, owner)]
        if not known:
            message = "no measurement run yet: run `mittari measure --customer` first"
            raise InputError([Problem("--customer", None, "customer", customer, message)])
        chosen = known[-1] if run is None else run
        if chosen not in known:
            message = f"not a run of this customer; its runs: {', '.join(map(str, known))}"
            raise InputError([Problem("--run", None, "run", run, message)])
        found = stored_run(conn, owner, customer, chosen)
    return run_compliance(found, month=month, by=by), chosen


def contract_versions(engine: Engine, customer: str) -> pa.Table:
    """The customer's contract versions in force, as a table for people."""
    with engine.connect() as conn:
        rows = repo.active_contracts(conn, _customer(conn, customer))
    return pa.table(
        {
            "version": [v.label for v in rows],
            "file": [v.file_name for v in rows],
            "sha256": [v.sha256[:12] for v in rows],
            "effective_from": [_instant(v.effective_from_us) for v in rows],
            "effective_to": [_instant(v.effective_to_us) for v in rows],
            "submitted_at": [repo.as_datetime(v.submitted_at) for v in rows],
        }
    )


def history(engine: Engine, customer: str) -> list[tuple[str, pa.Table]]:
    """The customer's measurement runs and import batches, oldest first."""
    with engine.connect() as conn:
        owner = _customer(conn, customer)
        runs = repo.runs(conn, owner)
        batches = repo.batches(conn, owner)
    run_table = pa.table(
        {
            "run": [r.id for r in runs],
            "created_at": [repo.as_datetime(r.created_at) for r in runs],
            "as_of": [_instant(r.as_of_us) for r in runs],
            "contracts": [r.contract_hash[:12] for r in runs],
            "engine": [r.engine_version for r in runs],
            "tickets": [r.n_tickets for r in runs],
            "rows": [r.n_rows for r in runs],
        }
    )
    batch_table = pa.table(
        {
            "batch": [b.id for b in batches],
            "source": [b.source for b in batches],
            "path": [b.path for b in batches],
            "status": [b.status for b in batches],
            "read": [b.n_read for b in batches],
            "imported": [b.n_imported for b in batches],
            "duplicates": [b.n_duplicates for b in batches],
            "rejected": [b.n_rejected for b in batches],
        }
    )
    return [("measurement runs", run_table), ("import batches", batch_table)]


def _instant(us: int | None) -> str:
    if us is None:
        return ""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(us / 1_000_000, UTC).isoformat(timespec="seconds")
