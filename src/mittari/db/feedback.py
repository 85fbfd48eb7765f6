"""Survey answers in the store (`feedback`): written idempotently, read back as columns.

An answer's identity is (customer, source, external id): a re-import adds nothing. One
change is allowed: a stored Zendesk rating that was only `offered` (sent, not answered)
takes the score when a later export brings the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, bindparam, select, update

from mittari.db import bulk
from mittari.db.models import Feedback

UNANSWERED = ("offered", "unoffered")
ANSWERED_FIELDS = ("ts_us", "score", "scale", "comment", "factors", "lost_time", "ticket_id")
ANSWER_LOAD_SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("ticket_id", pa.int64()),
        ("ticket_ref", pa.string()),
        ("source", pa.string()),
        ("external_id", pa.string()),
        ("ts_us", pa.int64()),
        ("survey", pa.string()),
        ("scale", pa.string()),
        ("score", pa.string()),
        ("factors", pa.string()),
        ("lost_time", pa.string()),
        ("comment", pa.string()),
        ("language", pa.string()),
        ("service", pa.string()),
        ("question", pa.string()),
    ]
)


def insert_answers(conn: Connection, rows: pa.Table) -> tuple[int, int]:
    """Store new answers (`feedback` columns); returns (added, invitations answered)."""
    added = bulk.insert(conn, "feedback", rows, conflict=("customer_id", "source", "external_id"))
    return added, _answer_invitations(conn, rows)


def _answer_invitations(conn: Connection, rows: pa.Table) -> int:
    """Give stored `offered` rows the scores that arrived for them."""
    scored = rows.filter(pc.invert(pc.is_in(rows.column("score"), pa.array(UNANSWERED))))
    if scored.num_rows == 0:
        return 0
    waiting = _unanswered(conn, scored)
    if not waiting:
        return 0
    keys = zip(*(scored.column(n).to_pylist() for n in ("source", "external_id")), strict=True)
    chosen = [i for i, key in enumerate(keys) if key in waiting]
    if not chosen:
        return 0
    picked = scored.take(pa.array(chosen, pa.int64())).to_pylist()
    values = [{f"new_{f}": row[f] for f in ANSWERED_FIELDS} | _identity(row) for row in picked]
    statement = (
        update(Feedback)
        .where(
            Feedback.customer_id == bindparam("c"),
            Feedback.source == bindparam("s"),
            Feedback.external_id == bindparam("x"),
            Feedback.score.in_(UNANSWERED),
        )
        .values({f: bindparam(f"new_{f}") for f in ANSWERED_FIELDS})
    )
    return int(conn.execute(statement, values).rowcount)


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    return {"c": row["customer_id"], "s": row["source"], "x": row["external_id"]}


def _unanswered(conn: Connection, rows: pa.Table) -> set[tuple[str, str]]:
    """(source, external id) of the customer's stored invitations among these sources."""
    customers = set(rows.column("customer_id").to_pylist())
    sources: Sequence[str] = sorted(set(rows.column("source").to_pylist()))
    query = select(Feedback.source, Feedback.external_id).where(
        Feedback.customer_id.in_(customers),
        Feedback.source.in_(sources),
        Feedback.score.in_(UNANSWERED),
    )
    return {(s, x) for s, x in conn.execute(query)}


def load_answers(conn: Connection, customer: int) -> pa.Table:
    """The customer's stored answers (ANSWER_LOAD_SCHEMA), invitations included."""
    names = ", ".join(ANSWER_LOAD_SCHEMA.names)
    sql = f"SELECT {names} FROM feedback WHERE customer_id = :c ORDER BY id"
    return bulk.select(conn, sql, {"c": customer}, ANSWER_LOAD_SCHEMA)
