"""Reads and writes of the store. Every query that reads a customer's data takes the
customer's id here, in one place; callers never filter by customer themselves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Select, func, insert, select, update
from sqlalchemy.orm import Session

from mittari.db import bulk
from mittari.db.models import (
    ContractVersion,
    Customer,
    Event,
    Feedback,
    ImportBatch,
    Measurement,
    MeasurementRun,
    RejectedRow,
    RunContract,
    Ticket,
    utcnow,
)

EVENT_LOAD_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("ticket_id", pa.int64()),
        ("ts_us", pa.int64()),
        ("kind", pa.int8()),
        ("code", pa.int64()),
        ("value", pa.string()),
        ("actor", pa.int8()),
    ]
)
TICKET_LOAD_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("source", pa.string()),
        ("external_id", pa.string()),
        ("service", pa.string()),
        ("type", pa.string()),
        ("requester", pa.string()),
        ("subject", pa.string()),
    ]
)
MEASUREMENT_COLUMNS = [c.name for c in Measurement.__table__.columns if c.name not in ("id",)]


def entities(conn: Connection, query: Select[Any]) -> list[Any]:
    """ORM objects of a query, read on the caller's connection (and transaction)."""
    with Session(bind=conn) as session:
        return list(session.scalars(query))


# --- customers -------------------------------------------------------------------------------


def customer_ids(conn: Connection, keys: Sequence[str], *, create: bool) -> dict[str, int]:
    """The id of each customer key; missing ones are created when `create`."""
    wanted = sorted(set(keys))
    found = _customer_rows(conn, wanted)
    missing = [k for k in wanted if k not in found]
    if missing and create:
        conn.execute(insert(Customer), [{"key": k, "created_at": utcnow()} for k in missing])
        found = _customer_rows(conn, wanted)
    return found


def _customer_rows(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    rows = conn.execute(select(Customer.key, Customer.id).where(Customer.key.in_(keys)))
    return {key: id_ for key, id_ in rows}


def set_customer_name(conn: Connection, customer: int, name: str) -> None:
    conn.execute(update(Customer).where(Customer.id == customer).values(name=name))


def customer_id(conn: Connection, key: str) -> int | None:
    return conn.scalar(select(Customer.id).where(Customer.key == key))


def list_customers(conn: Connection) -> list[str]:
    return list(conn.scalars(select(Customer.key).order_by(Customer.key)))


# --- contracts -------------------------------------------------------------------------------


def active_contracts(conn: Connection, customer: int) -> list[ContractVersion]:
    query = (
        select(ContractVersion)
        .where(ContractVersion.customer_id == customer, ContractVersion.superseded_at.is_(None))
        .order_by(ContractVersion.effective_from_us)
    )
    return entities(conn, query)


def add_contract_versions(conn: Connection, customer: int, rows: Sequence[dict[str, Any]]) -> int:
    """Store new versions; a stored version of the same label is superseded. Returns added."""
    added = 0
    now = utcnow()
    for row in rows:
        same = conn.scalar(
            select(ContractVersion.id).where(
                ContractVersion.customer_id == customer,
                ContractVersion.label == row["label"],
                ContractVersion.sha256 == row["sha256"],
                ContractVersion.superseded_at.is_(None),
            )
        )
        if same is not None:
            continue
        conn.execute(
            update(ContractVersion)
            .where(
                ContractVersion.customer_id == customer,
                ContractVersion.label == row["label"],
                ContractVersion.superseded_at.is_(None),
            )
            .values(superseded_at=now)
        )
        # a resubmission of an older text: the old row comes back rather than a duplicate
        revived = conn.execute(
            update(ContractVersion)
            .where(
                ContractVersion.customer_id == customer,
                ContractVersion.label == row["label"],
                ContractVersion.sha256 == row["sha256"],
            )
            .values(superseded_at=None, submitted_at=now)
        )
        if revived.rowcount == 0:
            conn.execute(
                insert(ContractVersion), [{**row, "customer_id": customer, "submitted_at": now}]
            )
        added += 1
    return added


# --- import batches --------------------------------------------------------------------------


def open_batch(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(ImportBatch).values(started_at=utcnow(), **values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def close_batch(conn: Connection, batch: int, **counts: Any) -> None:
    conn.execute(
        update(ImportBatch).where(ImportBatch.id == batch).values(finished_at=utcnow(), **counts)
    )


def add_rejected(conn: Connection, batch: int, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(RejectedRow), [{**row, "batch_id": batch} for row in rows])


def batches(conn: Connection, customer: int) -> list[ImportBatch]:
    """The customer's batches, and batches of several customers that brought its tickets."""
    brought = select(Ticket.batch_id).where(Ticket.customer_id == customer).distinct()
    query = (
        select(ImportBatch)
        .where((ImportBatch.customer_id == customer) | ImportBatch.id.in_(brought))
        .order_by(ImportBatch.id)
    )
    return entities(conn, query)


def rejected_rows(conn: Connection, batch: int) -> list[RejectedRow]:
    query = select(RejectedRow).where(RejectedRow.batch_id == batch).order_by(RejectedRow.id)
    return entities(conn, query)


# --- tickets and events ----------------------------------------------------------------------


def upsert_tickets(conn: Connection, tickets: pa.Table) -> np.ndarray:
    """Insert new tickets; a known ticket takes the new attribute values that are not null.
    Returns the ids of the new tickets (call it after a first write in the transaction)."""
    merge = ("service", "type", "requester", "subject", "attributes")
    conflict = ("customer_id", "source", "external_id")
    return bulk.upsert_new_ids(conn, "tickets", tickets, conflict=conflict, merge=merge)


def add_services(conn: Connection, pairs: pa.Table) -> int:
    """Record the services named by tickets (`customer_id`, `service`), once each."""
    named = pairs.filter(pc.is_valid(pairs.column("service")))
    distinct = named.group_by(["customer_id", "service"]).aggregate([])
    rows = distinct.rename_columns(["customer_id", "key"])
    return bulk.insert(conn, "services", rows, conflict=("customer_id", "key"))


def ticket_ids(
    conn: Connection, source: str, customer: int, wanted: pa.Array | None = None
) -> pa.Table:
    """`id`, `external_id` of a customer's tickets from one source (only the `wanted`
    external ids, when few are wanted: a webhook names one ticket, not 100,000)."""
    schema = pa.schema([("id", pa.int64()), ("external_id", pa.string())])
    sql = "SELECT id, external_id FROM tickets WHERE customer_id = :c AND source = :s"
    params: dict[str, object] = {"c": customer, "s": source}
    if wanted is not None and len(wanted) <= 500:
        names = [w for w in wanted.to_pylist() if w is not None]
        if not names:
            return schema.empty_table()
        marks = ", ".join(f":w{i}" for i in range(len(names)))
        sql += f" AND external_id IN ({marks})"
        params |= {f"w{i}": name for i, name in enumerate(names)}
        return bulk.select(conn, sql, params, schema, small=True)
    return bulk.select(conn, sql, params, schema)


def count_tickets(conn: Connection, customer: int) -> int:
    query = select(func.count()).select_from(Ticket).where(Ticket.customer_id == customer)
    return int(conn.scalar(query) or 0)


def count_events(conn: Connection, customer: int) -> int:
    query = (
        select(func.count())
        .select_from(Event)
        .join(Ticket, Ticket.id == Event.ticket_id)
        .where(Ticket.customer_id == customer)
    )
    return int(conn.scalar(query) or 0)


def insert_events(
    conn: Connection, events: pa.Table, *, new_tickets: bool, progress: bulk.Progress | None = None
) -> int:
    """Add the events that are not stored yet. Events of tickets created in this transaction
    (`new_tickets`) cannot be stored yet, so they skip the duplicate check."""
    conflict = () if new_tickets else ("ticket_id", "event_key")
    return bulk.insert(conn, "events", events, conflict=conflict, progress=progress)


def insert_feedback(conn: Connection, rows: pa.Table) -> int:
    return bulk.insert(conn, "feedback", rows, conflict=("customer_id", "source", "external_id"))


def load_events(conn: Connection, customer: int) -> pa.Table:
    """A customer's whole event log (EVENT_LOAD_SCHEMA), in no particular order: sort by
    (ticket_id, ts_us, id) in memory, which is cheaper than asking the database to."""
    sql = (
        "SELECT e.id, e.ticket_id, e.ts_us, e.kind, e.code, e.value, e.actor FROM events e "
        "JOIN tickets t ON t.id = e.ticket_id WHERE t.customer_id = :c"
    )
    return bulk.select(conn, sql, {"c": customer}, EVENT_LOAD_SCHEMA)


def load_tickets(conn: Connection, customer: int) -> pa.Table:
    sql = (
        "SELECT id, source, external_id, service, type, requester, subject "
        "FROM tickets WHERE customer_id = :c"
    )
    return bulk.select(conn, sql, {"c": customer}, TICKET_LOAD_SCHEMA)


# --- measurement runs ------------------------------------------------------------------------


def add_run(conn: Connection, contracts: Sequence[int], **values: Any) -> int:
    result = conn.execute(insert(MeasurementRun).values(created_at=utcnow(), **values))
    run = int(result.inserted_primary_key[0])  # type: ignore[index]
    rows = [{"run_id": run, "contract_version_id": c} for c in contracts]
    if rows:
        conn.execute(insert(RunContract), rows)
    return run


def insert_measurements(conn: Connection, rows: pa.Table) -> int:
    return bulk.insert(conn, "measurements", rows.select(MEASUREMENT_COLUMNS))


def runs(conn: Connection, customer: int) -> list[MeasurementRun]:
    query = (
        select(MeasurementRun)
        .where(MeasurementRun.customer_id == customer)
        .order_by(MeasurementRun.id)
    )
    return entities(conn, query)


def run_contracts(conn: Connection, run: int) -> list[ContractVersion]:
    query = (
        select(ContractVersion)
        .join(RunContract, RunContract.contract_version_id == ContractVersion.id)
        .where(RunContract.run_id == run)
        .order_by(ContractVersion.effective_from_us)
    )
    return entities(conn, query)


def load_measurements(conn: Connection, customer: int, run: int) -> pa.Table:
    """The rows of one run of this customer (none if the run is another customer's)."""
    columns = [c for c in MEASUREMENT_COLUMNS if c != "run_id"]
    types = {c: pa.int64() for c in columns} | {"metric": pa.string()}
    schema = pa.schema([(c, types[c]) for c in columns] + [("external_id", pa.string())])
    sql = (
        f"SELECT {', '.join('m.' + c for c in columns)}, t.external_id FROM measurements m "
        "JOIN measurement_runs r ON r.id = m.run_id JOIN tickets t ON t.id = m.ticket_id "
        "WHERE r.customer_id = :c AND m.run_id = :r ORDER BY m.id"
    )
    return bulk.select(conn, sql, {"c": customer, "r": run}, schema)


def feedback_count(conn: Connection, customer: int) -> int:
    query = select(func.count()).select_from(Feedback).where(Feedback.customer_id == customer)
    return int(conn.scalar(query) or 0)


def as_datetime(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="seconds")


def numpy_column(table: pa.Table, name: str, null: int) -> np.ndarray:
    """An integer column as numpy, nulls replaced by `null`."""
    return np.asarray(pc.fill_null(table.column(name), null).to_numpy(), dtype=np.int64)
