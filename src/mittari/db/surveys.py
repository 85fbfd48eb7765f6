"""Survey invitations in the store (`survey_invitations`): links of resolved tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from mittari.db.models import Customer, SurveyInvitation, Ticket


def ticket_row(conn: Connection, customer: str, external_id: str) -> Row[Any] | None:
    """(customer id, ticket id, requester, attributes) of one ticket of a customer; with two
    tickets of that id (from two sources), the first stored."""
    query = (
        select(Ticket.customer_id, Ticket.id, Ticket.requester, Ticket.attributes)
        .join(Customer, Customer.id == Ticket.customer_id)
        .where(Customer.key == customer, Ticket.external_id == external_id)
        .order_by(Ticket.id)
        .limit(1)
    )
    return conn.execute(query).first()


def add_invitation(conn: Connection, **values: Any) -> int:
    found = conn.scalar(insert(SurveyInvitation).values(**values).returning(SurveyInvitation.id))
    assert found is not None
    return int(found)


def invitation(conn: Connection, token_hash: str) -> Row[Any] | None:
    columns = SurveyInvitation.__table__.columns
    return conn.execute(select(*columns).where(SurveyInvitation.token_hash == token_hash)).first()


def ticket_answered(conn: Connection, ticket_id: int) -> bool:
    query = select(SurveyInvitation.id).where(
        SurveyInvitation.ticket_id == ticket_id, SurveyInvitation.answered_at.is_not(None)
    )
    return conn.execute(query.limit(1)).first() is not None


def mark_answered(conn: Connection, ticket_id: int, at: datetime) -> None:
    conn.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.ticket_id == ticket_id)
        .values(answered_at=at)
    )


def ticket_sent(conn: Connection, ticket_id: int) -> bool:
    query = select(SurveyInvitation.id).where(
        SurveyInvitation.ticket_id == ticket_id, SurveyInvitation.sent_at.is_not(None)
    )
    return conn.execute(query.limit(1)).first() is not None


def requester_sent_since(conn: Connection, requester: str, since: datetime) -> bool:
    query = select(SurveyInvitation.id).where(
        SurveyInvitation.requester == requester, SurveyInvitation.sent_at >= since
    )
    return conn.execute(query.limit(1)).first() is not None


def mark_sent(conn: Connection, invitation_id: int, at: datetime) -> None:
    conn.execute(
        update(SurveyInvitation).where(SurveyInvitation.id == invitation_id).values(sent_at=at)
    )


def ticket_ref(conn: Connection, ticket_id: int) -> str:
    """A ticket's own id in its source (what the survey page names)."""
    return str(conn.scalar(select(Ticket.external_id).where(Ticket.id == ticket_id)) or "")
