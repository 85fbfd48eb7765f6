"""Outages into the store: a file (`mittari import outages`) or a webhook delivery.

One import is one batch and one transaction: its outages, its problems (kept as rejected
rows, with file, line, field and value) and the batch record. It is idempotent: an outage
is known by (customer, source, external id) and a record seen before adds nothing, except
that a record with an end closes an outage stored while it was going on (db/outages.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine

from mittari.db import repository as repo
from mittari.db.outages import store_outages
from mittari.engine.outage_steps import WEIGHT_SCALE
from mittari.errors import Problem
from mittari.importers.outages import OutageExtract, read_outages

MAX_ID = 200  # outages.external_id; longer ids (an alert's labels as JSON) are hashed


@dataclass
class OutagesStored:
    batch: int
    status: str  # committed, rejected
    n_read: int = 0
    n_added: int = 0
    n_closed: int = 0
    n_duplicates: int = 0
    n_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)


def import_outages(
    engine: Engine,
    path: str | Path,
    *,
    customer: str,
    kind: str | None = None,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    strict: bool = False,
) -> OutagesStored:
    """Read an outage file (csv, alertmanager or zabbix; None: detected) and store it."""
    extract = read_outages(path, kind=kind, mapping=mapping, timezone=timezone)
    options: dict[str, object] = {"format": extract.source, "timezone": timezone}
    options["mapping"] = None if mapping is None else str(mapping)
    with engine.begin() as conn:
        return store_extract(
            conn, extract, customer=customer, path=str(path), options=options, strict=strict
        )


def store_extract(
    conn: Connection,
    extract: OutageExtract,
    *,
    customer: str,
    path: str,
    options: dict[str, object],
    strict: bool = False,
) -> OutagesStored:
    """Store an extract's outages in the caller's transaction (a webhook's, or an import's).
    Under `strict` a batch with any problem stores only its rejection and its problems."""
    owner = repo.customer_ids(conn, [customer], create=True)[customer]
    problems = extract.problems
    rejected = strict and bool(problems)
    batch = repo.open_batch(
        conn,
        customer_id=owner,
        source=f"outages:{extract.source}",
        path=path,
        sha256=_file_hash(path),
        status="rejected" if rejected else "committed",
        strict=strict,
        n_read=extract.n_read,
        options={k: v for k, v in options.items() if v is not None},
    )
    repo.add_rejected(conn, batch, [_rejected(p) for p in problems])
    if rejected:
        repo.close_batch(conn, batch, n_rejected=len(problems))
        n = len(problems)
        return OutagesStored(batch, "rejected", extract.n_read, n_rejected=n, problems=problems)
    stored = store_outages(conn, owner, outage_rows(extract.table, batch))
    counts = {"n_imported": stored.added, "n_duplicates": stored.duplicates}
    noted = {**options, "closed": stored.closed}  # import_batches has no column for it
    repo.close_batch(
        conn,
        batch,
        n_rejected=len(problems),
        options={k: v for k, v in noted.items() if v is not None},
        **counts,
    )
    return OutagesStored(
        batch,
        "committed",
        extract.n_read,
        stored.added,
        stored.closed,
        stored.duplicates,
        len(problems),
        problems,
    )


def outage_rows(table: pa.Table, batch: int) -> list[dict[str, object]]:
    """`OUTAGE_SCHEMA` rows as `outages` rows: µs instants, weights in 1/10 000."""
    weight = np.rint(np.asarray(table.column("weight").to_numpy()) * WEIGHT_SCALE)
    columns = {
        "service": table.column("service").to_pylist(),
        "start_us": pc.cast(table.column("start"), pa.int64()).to_pylist(),
        "end_us": pc.cast(table.column("end"), pa.int64()).to_pylist(),
        "weight": weight.astype(np.int64).tolist(),
        "planned": table.column("planned").fill_null(False).to_pylist(),
        "source": table.column("source").to_pylist(),
        "external_id": [external_id(str(i)) for i in table.column("source_id").to_pylist()],
        "summary": table.column("summary").to_pylist(),
    }
    names = list(columns)
    return [
        {**dict(zip(names, values, strict=True)), "batch_id": batch}
        for values in zip(*columns.values(), strict=True)
    ]


def external_id(source_id: str) -> str:
    """The stored identity: the source's id, or its SHA-256 when too long for the column."""
    if len(source_id) <= MAX_ID:
        return source_id
    return "sha256:" + hashlib.sha256(source_id.encode()).hexdigest()


def _rejected(p: Problem) -> dict[str, object]:
    value = None if p.value is None else str(p.value)
    return {"file": p.file, "line": p.line, "field": p.field, "value": value, "reason": p.message}


def _file_hash(path: str) -> str | None:
    file = Path(path)
    if not file.is_file():
        return None
    return hashlib.sha256(file.read_bytes()).hexdigest()
