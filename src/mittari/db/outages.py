"""Outages in the store: written idempotently, read back as columns for the engine.

An outage's identity is (customer, source, external id). A record seen before adds
nothing, except that a record with an end closes an outage stored while it was still
going on (the `resolved` notification of a firing alert, a later export with the
recovery). Nothing else of a stored outage changes: the first record of it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Insert, select, update

from mittari.db.models import Outage, utcnow

IDENTITY = ("customer_id", "source", "external_id")
CHUNK = 500  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits
OUTAGE_LOAD_SCHEMA = pa.schema(
    [
        ("service", pa.string()),
        ("start_us", pa.int64()),
        ("end_us", pa.int64()),
        ("weight", pa.int64()),
        ("planned", pa.bool_()),
    ]
)


@dataclass(frozen=True)
class Stored:
    added: int
    closed: int
    duplicates: int


def store_outages(conn: Connection, customer: int, rows: Sequence[dict[str, Any]]) -> Stored:
    """Store one source's outage rows (the columns of `Outage`, without `customer_id`)."""
    rows = _last_word(rows)
    known = _stored_ends(conn, customer, [(r["source"], r["external_id"]) for r in rows])
    new = [r for r in rows if (r["source"], r["external_id"]) not in known]
    inserted = _insert_new(conn, customer, new)
    # Rows with an end close what is stored open, and what a concurrent writer inserted
    # open between our read and our insert (it is in neither `known` nor `inserted`).
    closing = [
        r
        for r in rows
        if r["end_us"] is not None
        and (r["source"], r["external_id"]) not in inserted
        and known.get((r["source"], r["external_id"])) is None
    ]
    closed = sum(_close(conn, customer, r) for r in closing)
    return Stored(len(inserted), closed, len(rows) - len(inserted) - closed)


def _last_word(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per identity: the first, or the first with an end (it closes the outage)."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["source"], row["external_id"])
        if key not in chosen or (chosen[key]["end_us"] is None and row["end_us"] is not None):
            chosen[key] = row
    return list(chosen.values())


def _stored_ends(
    conn: Connection, customer: int, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int | None]:
    """(source, external id) → stored end, of those of `keys` that are stored. Only these
    are read: a webhook's few alerts must not read years of a customer's outages."""
    found: dict[tuple[str, str], int | None] = {}
    for source in sorted({s for s, _ in keys}):
        ids = sorted({x for s, x in keys if s == source})
        for at in range(0, len(ids), CHUNK):
            query = select(Outage.external_id, Outage.end_us).where(
                Outage.customer_id == customer,
                Outage.source == source,
                Outage.external_id.in_(ids[at : at + CHUNK]),
            )
            found |= {(source, x): end for x, end in conn.execute(query)}
    return found


def _insert_new(
    conn: Connection, customer: int, rows: Sequence[dict[str, Any]]
) -> set[tuple[str, str]]:
    """Insert, skipping any a concurrent writer stored meanwhile; the identities inserted."""
    if not rows:
        return set()
    now = utcnow()
    values = [{**r, "customer_id": customer, "received_at": now} for r in rows]
    statement = _insert_skipping(conn).returning(Outage.source, Outage.external_id)
    return {(s, x) for s, x in conn.execute(statement, values)}


def _insert_skipping(conn: Connection) -> Insert:
    """INSERT … ON CONFLICT (identity) DO NOTHING, in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(Outage).on_conflict_do_nothing(index_elements=list(IDENTITY))
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(Outage).on_conflict_do_nothing(index_elements=list(IDENTITY))


def _close(conn: Connection, customer: int, row: dict[str, Any]) -> int:
    """Give a still open outage its end; 1 if it was open, else 0."""
    result = conn.execute(
        update(Outage)
        .where(
            Outage.customer_id == customer,
            Outage.source == row["source"],
            Outage.external_id == row["external_id"],
            Outage.end_us.is_(None),
        )
        .values(end_us=row["end_us"], closed_at=utcnow())
    )
    return int(result.rowcount)
