"""Imports into the store: one transaction per batch, idempotent, nothing lost.

A batch is one `mittari import` of one input. Its events, tickets, feedback, quarantined
problems and the batch record are written in one transaction: a killed import leaves the
database as it was. Re-importing adds nothing: tickets are upserted on (customer, source,
external id) and events skipped on (ticket, event identity). Under `strict`, a batch with
any problem stores nothing but the record of its rejection and its problems.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine

from mittari.db import repository as repo
from mittari.db.identity import event_keys
from mittari.engine.types import Kind
from mittari.errors import Problem
from mittari.importers import registry
from mittari.importers.extract import TICKET_FIELDS
from mittari.importers.feedback import from_importer
from mittari.services.feedback import store_answers
from mittari.services.staging import Staged, canonical_values, stage_canonical, stage_extract

Progress = Callable[[int, int], None]  # (events just written, events in the batch)


@dataclass
class ImportSummary:
    source: str
    path: str
    status: str  # committed, rejected
    batch: int
    n_read: int = 0
    n_imported: int = 0
    n_duplicates: int = 0
    n_rejected: int = 0
    n_tickets_new: int = 0
    n_feedback: int = 0
    problems: list[Problem] = field(default_factory=list)


def import_source(
    engine: Engine,
    source: str,
    path: str | Path,
    *,
    customer: str | None = None,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    tickets: str | Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Read `path` with importer `source` and store it (see the module docstring)."""
    if source == "canonical":
        staged = stage_canonical(path, tickets, timezone)
    else:
        extract = registry.read(source, path, mapping=mapping, timezone=timezone)
        staged = stage_extract(extract, path, timezone)
    options: dict[str, object] = {
        "mapping": _text(mapping),
        "timezone": timezone,
        "tickets": _text(tickets),
    }
    return store(
        engine, staged, customer=customer, strict=strict, options=options, progress=progress
    )


def store(
    engine: Engine,
    staged: Staged,
    *,
    customer: str | None,
    strict: bool,
    options: dict[str, object] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Store a staged batch; `progress` is told of events written as they are."""
    owners, owner_problems = _owners(staged, customer)
    problems = staged.problems + owner_problems
    batch_values = _batch_values(staged, strict, options)
    if strict:  # tickets without a `created` here must be known already, or it is a problem
        with engine.connect() as conn:
            known = repo.customer_ids(conn, [o for o in owners.tolist() if o], create=False)
            owner_id = np.array([known.get(o, -2) if o else -1 for o in owners], np.int64)
            orphans = _orphans(conn, staged, np.where(owner_id == -2, 0, owner_id))
        problems = problems + orphans
    if strict and problems:
        return _reject(engine, staged, customer, batch_values, problems)
    with engine.begin() as conn:
        return _write(conn, staged, owners, customer, batch_values, problems, progress)[0]


def store_on(
    conn: Connection, staged: Staged, *, customer: str, options: dict[str, object] | None = None
) -> tuple[ImportSummary, np.ndarray]:
    """`store` inside the caller's transaction (a webhook: its receipt and the ticket's
    recomputed clocks commit with the events), never strict. Also returns the store's id
    of each of the batch's tickets (-1 where a ticket was not stored)."""
    owners, owner_problems = _owners(staged, customer)
    values = _batch_values(staged, False, options)
    problems = staged.problems + owner_problems
    return _write(conn, staged, owners, customer, values, problems, None)


def _batch_values(
    staged: Staged, strict: bool, options: dict[str, object] | None
) -> dict[str, object]:
    return {
        "source": staged.source,
        "path": staged.path,
        "sha256": _file_hash(staged.path),
        "strict": strict,
        "n_read": staged.n_read,
        "options": {k: v for k, v in (options or {}).items() if v is not None},
    }


def _owners(staged: Staged, customer: str | None) -> tuple[np.ndarray, list[Problem]]:
    """The customer of each ticket, None where it has none (with a problem for it)."""
    column = staged.tickets.column("customer").combine_chunks()
    named = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
    problems: list[Problem] = []
    if customer is not None:
        other = np.flatnonzero((named != None) & (named != customer))  # noqa: E711
        for i in other.tolist():  # a loop over conflicting tickets only
            message = f"the ticket names customer {named[i]!r} but the import is for {customer!r}"
            problems.append(_ticket_problem(staged, i, "customer", named[i], message))
        owners = np.full(len(named), customer, dtype=object)
        owners[other] = None
        return owners, problems
    for i in np.flatnonzero(named == None).tolist():  # noqa: E711
        message = "no customer: name one with --customer or a customer column in the tickets"
        problems.append(_ticket_problem(staged, i, "customer", None, message))
    return named, problems


def _ticket_problem(staged: Staged, ticket: int, name: str, value: object, why: str) -> Problem:
    first = int(np.argmax(staged.log.ticket == ticket))
    file = staged.file[first].as_py() or staged.path
    ticket_id = staged.log.ticket_ids[ticket]
    return Problem(file, staged.line[first].as_py(), name, value, f"ticket {ticket_id}: {why}")


def _reject(
    engine: Engine,
    staged: Staged,
    customer: str | None,
    values: dict[str, object],
    problems: list[Problem],
) -> ImportSummary:
    with engine.begin() as conn:
        owner = repo.customer_id(conn, customer) if customer else None
        batch = repo.open_batch(conn, customer_id=owner, status="rejected", **values)
        repo.add_rejected(conn, batch, _rejected_rows(problems))
        repo.close_batch(conn, batch, n_rejected=len(problems))
    return ImportSummary(
        staged.source,
        staged.path,
        "rejected",
        batch,
        n_read=staged.n_read,
        n_rejected=len(problems),
        problems=problems,
    )


def _write(
    conn: Connection,
    staged: Staged,
    owners: np.ndarray,
    customer: str | None,
    values: dict[str, object],
    problems: list[Problem],
    progress: Progress | None,
) -> tuple[ImportSummary, np.ndarray]:
    keys = sorted({o for o in owners.tolist() if o is not None})
    ids = repo.customer_ids(conn, keys + ([customer] if customer else []), create=True)
    owner_id = np.array([ids.get(o, -1) if o is not None else -1 for o in owners], np.int64)
    only = customer or (keys[0] if len(keys) == 1 else None)  # a batch of several: none
    batch = repo.open_batch(conn, customer_id=ids.get(only or ""), status="committed", **values)
    problems = problems + _orphans(conn, staged, owner_id)  # sets their owner to -1
    kept = owner_id >= 0
    ticket_rows = _ticket_rows(staged, owner_id, kept, batch)
    new_tickets = repo.upsert_tickets(conn, ticket_rows)
    repo.add_services(conn, ticket_rows.select(["customer_id", "service"]))
    pk = _ticket_pks(conn, staged, owner_id)
    events = _event_rows(staged, pk, batch)
    fresh = pc.is_in(events.column("ticket_id"), value_set=pa.array(new_tickets, pa.int64()))
    tell = _Progress(progress, events.num_rows)
    added = repo.insert_events(conn, events.filter(fresh), new_tickets=True, progress=tell)
    added += repo.insert_events(
        conn, events.filter(pc.invert(fresh)), new_tickets=False, progress=tell
    )
    n_feedback = _store_feedback(conn, staged, ids, customer, batch, owners)
    repo.add_rejected(conn, batch, _rejected_rows(problems))
    counts = {
        "n_imported": added,
        "n_duplicates": events.num_rows - added,
        "n_rejected": len(problems),
        "n_tickets_new": len(new_tickets),
    }
    repo.close_batch(conn, batch, **counts)
    summary = ImportSummary(
        staged.source,
        staged.path,
        "committed",
        batch,
        n_read=staged.n_read,
        n_feedback=n_feedback,
        problems=problems,
        **counts,
    )
    return summary, pk


class _Progress:
    """Adds up the parts of one batch written in several calls, for one progress bar."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total = progress, total

    def __call__(self, rows: int, _part: int) -> None:
        if self.progress is not None:
            self.progress(rows, self.total)


def _ticket_rows(staged: Staged, owner_id: np.ndarray, kept: np.ndarray, batch: int) -> pa.Table:
    tickets = staged.tickets.filter(pa.array(kept))
    n = tickets.num_rows
    extra = [c for c in tickets.column_names if c not in TICKET_FIELDS]
    return pa.table(
        {
            "customer_id": pa.array(owner_id[kept], pa.int64()),
            "source": pa.array([staged.source] * n, pa.string()),
            "external_id": tickets.column("ticket_id"),
            **{c: tickets.column(c).cast(pa.string()) for c in ("service", "type")},
            **{c: tickets.column(c).cast(pa.string()) for c in ("requester", "subject")},
            "attributes": pa.array(_attributes_json(tickets, extra), pa.string()),
            "batch_id": pa.array([batch] * n, pa.int64()),
        }
    )


def _attributes_json(tickets: pa.Table, names: list[str]) -> list[str]:
    if not names:
        return ["{}"] * tickets.num_rows
    columns = [tickets.column(n).cast(pa.string()).to_pylist() for n in names]
    return [
        json.dumps({n: v for n, v in zip(names, row, strict=True) if v is not None})
        for row in zip(*columns, strict=True)
    ]


def _ticket_pks(conn: Connection, staged: Staged, owner_id: np.ndarray) -> np.ndarray:
    """The store's id of each log ticket; -1 for tickets not stored (no customer)."""
    pk = np.full(len(owner_id), -1, dtype=np.int64)
    ids = pa.array(list(staged.log.ticket_ids), pa.string())
    for owner in np.unique(owner_id[owner_id >= 0]).tolist():
        mine = owner_id == owner
        wanted = ids.filter(pa.array(mine))
        stored = repo.ticket_ids(conn, staged.source, owner, wanted)
        found = pc.index_in(wanted, value_set=stored.column("external_id")).fill_null(-1)
        rows = np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)
        store_ids = np.append(np.asarray(stored.column("id").to_numpy(), dtype=np.int64), -1)
        pk[mine] = store_ids[rows]
    return pk


def _orphans(conn: Connection, staged: Staged, owner_id: np.ndarray) -> list[Problem]:
    """Tickets with no `created` event here that the store does not hold either: their
    rows are rejected (a problem each) and their owner set to -1 so nothing is stored."""
    log = staged.log
    has_created = np.zeros(log.n_tickets, dtype=bool)
    has_created[log.ticket[log.kind == Kind.CREATED]] = True
    lacking = ~has_created & (owner_id >= 0)
    if not lacking.any():
        return []
    known = _ticket_pks(conn, staged, np.where(lacking, owner_id, -1)) >= 0
    problems = []
    for ticket in np.flatnonzero(lacking & ~known).tolist():  # a loop over orphans only
        rows = int((log.ticket == ticket).sum())
        why = f"ticket skipped: it has no `created` event here or in the store ({rows} rows)"
        problems.append(_ticket_problem(staged, ticket, "ticket_id", log.ticket_ids[ticket], why))
        owner_id[ticket] = -1
    return problems


def _event_rows(staged: Staged, pk: np.ndarray, batch: int) -> pa.Table:
    log = staged.log
    stored = pk[log.ticket] >= 0
    code, text = canonical_values(log)
    keys = event_keys(log.ticket, log.ts, log.kind, text, log.actor)
    actor = pa.array(log.actor.astype(np.int64), pa.int64(), mask=log.actor < 0)
    table = pa.table(
        {
            "ticket_id": pa.array(pk[log.ticket], pa.int64()),
            "event_key": pa.array(keys, pa.int64()),
            "ts_us": pa.array(log.ts, pa.int64()),
            "kind": pa.array(log.kind.astype(np.int64), pa.int64()),
            "code": code,
            "value": text,
            "actor": actor,
            "raw_value": staged.raw_value.cast(pa.string()),
            "batch_id": pa.array(np.full(len(log), batch, dtype=np.int64)),
            "line": staged.line.cast(pa.int64()),
            "ref": staged.ref.cast(pa.string()),
        }
    )
    return table if stored.all() else table.filter(pa.array(stored))


def _store_feedback(
    conn: Connection,
    staged: Staged,
    ids: dict[str, int],
    customer: str | None,
    batch: int,
    owners: np.ndarray,
) -> int:
    """Satisfaction ratings of the import's customer, as answers of the experience model,
    linked to their tickets of the same source where known. A rating of a ticket of this
    batch that belongs to another customer is not the customer's: it is left out."""
    feedback = staged.feedback
    if feedback is None or feedback.num_rows == 0 or customer is None:
        return 0
    others = [
        t for t, o in zip(staged.log.ticket_ids, owners.tolist(), strict=True) if o != customer
    ]
    theirs = pc.is_in(feedback.column("ticket_id").cast(pa.string()), pa.array(others, pa.string()))
    feedback = feedback.filter(pc.invert(theirs))
    answers = from_importer(staged.source, feedback, staged.path)
    stored = store_answers(conn, answers, ids[customer], batch, ticket_source=staged.source)
    return stored.n_added + stored.n_answered


def _rejected_rows(problems: list[Problem]) -> list[dict[str, object]]:
    return [
        {
            "file": p.file,
            "line": p.line,
            "field": p.field,
            "value": None if p.value is None else str(p.value),
            "reason": p.message,
        }
        for p in problems
    ]


def _file_hash(path: str) -> str | None:
    file = Path(path)
    if not file.is_file():
        return None
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _text(path: str | Path | None) -> str | None:
    return None if path is None else str(path)
