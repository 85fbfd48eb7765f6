"""Survey answers into the store: a survey CSV (`mittari import feedback`), or the ratings
that came with a Zendesk or Jira import (`ingest._store_feedback`).

One file is one batch and one transaction: its answers, its problems (rejected rows with
file, line, field and value) and the batch record. It is idempotent: an answer is known by
(customer, source, external id). Each answer is linked to its ticket when the customer has
exactly one ticket of that id (of `ticket_source`, when one is named); an answer whose
ticket is not stored yet keeps the ticket's id and is linked when measured.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine

from mittari.db import repository as repo
from mittari.db.feedback import insert_answers
from mittari.errors import Problem
from mittari.importers.feedback import read_answers


@dataclass
class AnswersStored:
    batch: int
    status: str  # committed, rejected
    n_read: int = 0
    n_added: int = 0
    n_answered: int = 0  # stored invitations (Zendesk `offered`) that got their answer
    n_duplicates: int = 0
    n_unlinked: int = 0  # stored without a ticket: none (or several) of that id is stored
    n_rejected: int = 0
    problems: list[Problem] = field(default_factory=list)


def import_feedback(
    engine: Engine,
    path: str | Path,
    *,
    customer: str,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    ticket_source: str | None = None,
    strict: bool = False,
) -> AnswersStored:
    """Read a survey-answer CSV through its mapping and store the answers."""
    extract = read_answers(path, mapping=mapping, timezone=timezone)
    options = {"mapping": None if mapping is None else str(mapping), "timezone": timezone}
    options["ticket_source"] = ticket_source
    problems, n_read = extract.problems, extract.n_read
    rejected = strict and bool(problems)
    with engine.begin() as conn:
        owner = repo.customer_ids(conn, [customer], create=True)[customer]
        batch = repo.open_batch(
            conn,
            customer_id=owner,
            source=f"feedback:{extract.source}",
            path=str(path),
            sha256=_file_hash(path),
            status="rejected" if rejected else "committed",
            strict=strict,
            n_read=n_read,
            options={k: v for k, v in options.items() if v is not None},
        )
        repo.add_rejected(conn, batch, [_rejected(p) for p in problems])
        if rejected:
            repo.close_batch(conn, batch, n_rejected=len(problems))
            return AnswersStored(
                batch, "rejected", n_read, n_rejected=len(problems), problems=problems
            )
        stored = store_answers(conn, extract.table, owner, batch, ticket_source=ticket_source)
        repo.close_batch(
            conn,
            batch,
            n_imported=stored.n_added,
            n_duplicates=stored.n_duplicates,
            n_rejected=len(problems),
        )
    stored.n_read, stored.n_rejected, stored.problems = n_read, len(problems), problems
    return stored


def store_answers(
    conn: Connection,
    answers: pa.Table,
    customer: int,
    batch: int,
    *,
    ticket_source: str | None = None,
) -> AnswersStored:
    """Store answers (`importers.feedback.ANSWER_SCHEMA`) in the caller's transaction."""
    ticket_pk = link_tickets(conn, customer, answers.column("ticket_id"), ticket_source)
    rows = answer_rows(answers, customer, batch, ticket_pk)
    added, answered = insert_answers(conn, rows)
    n = answers.num_rows
    unlinked = int(
        pc.sum(pc.and_(pc.is_null(ticket_pk), pc.is_valid(answers["ticket_id"]))).as_py() or 0
    )
    return AnswersStored(batch, "committed", n, added, answered, n - added - answered, unlinked)


def link_tickets(
    conn: Connection, customer: int, refs: pa.ChunkedArray | pa.Array, source: str | None
) -> pa.Array:
    """The store's id of each named ticket: null where none, or several, has that id."""
    return match_tickets(repo.load_tickets(conn, customer), refs, source)


def match_tickets(
    stored: pa.Table, refs: pa.ChunkedArray | pa.Array, source: str | None = None
) -> pa.Array:
    """`link_tickets` over the customer's ticket rows (`id`, `source`, `external_id`)."""
    if source is not None:
        stored = stored.filter(pc.equal(stored.column("source"), source))
    counted = stored.group_by("external_id").aggregate([("id", "count"), ("id", "min")])
    unique = counted.filter(pc.equal(counted.column("id_count"), 1))
    found = pc.index_in(refs, value_set=unique.column("external_id"))
    return unique.column("id_min").combine_chunks().take(found)


def linked_tickets(answers: pa.Table, tickets: pa.Table) -> pa.Array:
    """The store's ticket id of each stored answer: its link, else its `ticket_ref`
    matched now (a ticket imported after its answer)."""
    matched = match_tickets(tickets, answers.column("ticket_ref"))
    return pc.coalesce(answers.column("ticket_id").combine_chunks(), matched)


def answer_rows(
    answers: pa.Table, customer: int, batch: int | None, ticket_pk: pa.Array
) -> pa.Table:
    """ANSWER_SCHEMA rows as `feedback` rows: µs instants, factors comma-joined; `batch`
    None for answers not imported (a survey answered on mittari's own page)."""
    n = answers.num_rows
    return pa.table(
        {
            "customer_id": pa.array([customer] * n, pa.int64()),
            "ticket_id": pa.array(ticket_pk, pa.int64()),
            "source": answers.column("source"),
            "external_id": answers.column("external_id"),
            "ts_us": pc.cast(answers.column("answered_at"), pa.int64()),
            "score": answers.column("score"),
            "scale": answers.column("scale"),
            "comment": answers.column("comment"),
            "attributes": pa.array(["{}"] * n, pa.string()),
            "batch_id": pa.array([batch] * n, pa.int64()),  # all null without a batch
            "ticket_ref": answers.column("ticket_id"),
            "survey": answers.column("survey"),
            "factors": pc.binary_join(answers.column("factors"), ","),
            "lost_time": answers.column("lost_time"),
            "language": answers.column("language"),
            "service": answers.column("service"),
            "question": answers.column("question"),
        }
    )


def _rejected(p: Problem) -> dict[str, object]:
    value = None if p.value is None else str(p.value)
    return {"file": p.file, "line": p.line, "field": p.field, "value": value, "reason": p.message}


def _file_hash(path: str | Path) -> str | None:
    file = Path(path)
    return hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else None
