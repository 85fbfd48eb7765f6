"""Pulse rounds and their invitations in the store (`pulse_rounds`, `pulse_invitations`),
and the answers given on mittari's pulse pages (`feedback` rows of a round)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Row, func, insert, select, update

from mittari.db import bulk
from mittari.db.feedback import ANSWER_LOAD_SCHEMA
from mittari.db.models import Customer, PulseInvitation, PulseRound

ROUND_ANSWER_SCHEMA = ANSWER_LOAD_SCHEMA.append(pa.field("pulse_round_id", pa.int64()))


def add_round(conn: Connection, **values: Any) -> int:
    found = conn.scalar(insert(PulseRound).values(**values).returning(PulseRound.id))
    assert found is not None
    return int(found)


def find_round(conn: Connection, customer_id: int, kind: str, period: str) -> int | None:
    query = select(PulseRound.id).where(
        PulseRound.customer_id == customer_id, PulseRound.kind == kind, PulseRound.period == period
    )
    return conn.scalar(query)


def round_row(conn: Connection, round_id: int) -> Row[Any] | None:
    """A round with its customer's key and name."""
    return conn.execute(_rounds().where(PulseRound.id == round_id)).first()


def rounds(conn: Connection, customer_id: int, period: str | None = None) -> list[Row[Any]]:
    """The customer's rounds, oldest first (of one period, when given)."""
    query = _rounds().where(PulseRound.customer_id == customer_id)
    if period is not None:
        query = query.where(PulseRound.period == period)
    return list(conn.execute(query.order_by(PulseRound.opens_at, PulseRound.id)))


def _rounds() -> Any:
    columns = PulseRound.__table__.columns
    customer = (Customer.key.label("customer"), Customer.name.label("customer_name"))
    return select(*columns, *customer).join(Customer, Customer.id == PulseRound.customer_id)


def invited(conn: Connection, round_id: int, recipient_hash: str) -> bool:
    query = select(PulseInvitation.id).where(
        PulseInvitation.round_id == round_id, PulseInvitation.recipient_hash == recipient_hash
    )
    return conn.execute(query.limit(1)).first() is not None


def add_invitation(conn: Connection, **values: Any) -> int:
    found = conn.scalar(insert(PulseInvitation).values(**values).returning(PulseInvitation.id))
    assert found is not None
    return int(found)


def invitation(conn: Connection, token_hash: str) -> Row[Any] | None:
    """An invitation with its round (kind, period, opens_at, closes_at, customer ...)."""
    columns: list[Any] = [
        PulseInvitation.id,
        PulseInvitation.round_id,
        PulseInvitation.language,
        PulseInvitation.answered_at,
        PulseRound.customer_id,
        PulseRound.kind,
        PulseRound.period,
        PulseRound.opens_at,
        PulseRound.closes_at,
        Customer.key.label("customer"),
        Customer.name.label("customer_name"),
    ]
    query = (
        select(*columns)
        .join(PulseRound, PulseRound.id == PulseInvitation.round_id)
        .join(Customer, Customer.id == PulseRound.customer_id)
        .where(PulseInvitation.token_hash == token_hash)
    )
    return conn.execute(query).first()


def mark_sent(conn: Connection, invitation_id: int, at: datetime) -> None:
    conn.execute(
        update(PulseInvitation).where(PulseInvitation.id == invitation_id).values(sent_at=at)
    )


def mark_answered(conn: Connection, invitation_id: int, at: datetime) -> None:
    conn.execute(
        update(PulseInvitation).where(PulseInvitation.id == invitation_id).values(answered_at=at)
    )


def invitation_counts(conn: Connection, round_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Per round: (invitations, answered invitations)."""
    query = (
        select(
            PulseInvitation.round_id,
            func.count(PulseInvitation.id),
            func.count(PulseInvitation.answered_at),
        )
        .where(PulseInvitation.round_id.in_(list(round_ids)))
        .group_by(PulseInvitation.round_id)
    )
    return {int(r): (int(n), int(a)) for r, n, a in conn.execute(query)}


def round_answers(conn: Connection, round_ids: Sequence[int]) -> pa.Table:
    """The answers given in these rounds (ROUND_ANSWER_SCHEMA), in the order stored."""
    if not round_ids:
        return ROUND_ANSWER_SCHEMA.empty_table()
    names = ", ".join(ROUND_ANSWER_SCHEMA.names)
    marks = ", ".join(f":r{i}" for i in range(len(round_ids)))
    sql = f"SELECT {names} FROM feedback WHERE pulse_round_id IN ({marks}) ORDER BY id"
    params = {f"r{i}": int(r) for i, r in enumerate(round_ids)}
    return bulk.select(conn, sql, params, ROUND_ANSWER_SCHEMA)
