"""Tenant scoping, in exactly one place.

Every read of customer data for an API caller goes through a `Scoped` reader built from the
caller's `Principal`. Its one filter, `_mine`, restricts any query to the customers the
principal may see: all of them for provider roles, exactly one for a customer viewer. A
customer the caller may not see is reported exactly like a customer that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pyarrow as pa
from sqlalchemy import ColumnElement, Connection, Select, String, cast, func, select, true
from sqlalchemy.orm import Session

from mittari.db import repository as repo
from mittari.db.feedback import ANSWER_LOAD_SCHEMA, load_answers
from mittari.db.models import (
    ContractVersion,
    Customer,
    Event,
    MeasurementRun,
    Notification,
    OpenClock,
    Outage,
    Service,
    Ticket,
)
from mittari.db.outages import OUTAGE_LOAD_SCHEMA


class Role(StrEnum):
    PROVIDER_ADMIN = "provider-admin"  # every customer; may write
    PROVIDER_ANALYST = "provider-analyst"  # every customer; read only
    CUSTOMER_VIEWER = "customer-viewer"  # one customer; read only


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's role and, for a customer viewer, its one customer."""

    token_id: int
    role: Role
    customer_id: int | None

    @property
    def can_write(self) -> bool:
        return self.role == Role.PROVIDER_ADMIN

    @property
    def sees_all(self) -> bool:
        return self.role in (Role.PROVIDER_ADMIN, Role.PROVIDER_ANALYST)


class Scoped:
    """The reads of one principal. Methods take a customer *key* and return None (or an
    empty result) for a customer outside the principal's scope, as for an unknown one."""

    def __init__(self, conn: Connection, principal: Principal) -> None:
        self.conn, self.principal = conn, principal

    def _mine(self, column: Any) -> ColumnElement[bool]:
        """The one tenant filter: every query below applies it to its customer column."""
        if self.principal.sees_all:
            return true()
        return column == self.principal.customer_id  # type: ignore[no-any-return]

    def _all(self, query: Select[Any]) -> list[Any]:
        with Session(bind=self.conn) as session:
            return list(session.scalars(query))

    # customers ------------------------------------------------------------------------------

    def customers(self, offset: int, limit: int) -> tuple[list[Customer], int]:
        where = self._mine(Customer.id)
        query = select(Customer).where(where).order_by(Customer.key)
        total = self.conn.scalar(select(func.count()).select_from(Customer).where(where)) or 0
        return self._all(query.offset(offset).limit(limit)), int(total)

    def customer_id(self, key: str) -> int | None:
        query = select(Customer.id).where(Customer.key == key, self._mine(Customer.id))
        return self.conn.scalar(query)

    def customer(self, key: str) -> Customer | None:
        found = self._all(select(Customer).where(Customer.key == key, self._mine(Customer.id)))
        return found[0] if found else None

    # per customer ---------------------------------------------------------------------------

    def services(self, customer: int) -> list[Service]:
        where = (Service.customer_id == customer) & self._mine(Service.customer_id)
        return self._all(select(Service).where(where).order_by(Service.key))

    def contract_versions(self, customer: int, *, active_only: bool) -> list[ContractVersion]:
        where = (ContractVersion.customer_id == customer) & self._mine(ContractVersion.customer_id)
        if active_only:
            where = where & ContractVersion.superseded_at.is_(None)
        order = (ContractVersion.effective_from_us, ContractVersion.id)
        return self._all(select(ContractVersion).where(where).order_by(*order))

    def tickets(self, customer: int, offset: int, limit: int) -> tuple[list[Ticket], int]:
        where = (Ticket.customer_id == customer) & self._mine(Ticket.customer_id)
        total = self.conn.scalar(select(func.count()).select_from(Ticket).where(where)) or 0
        query = select(Ticket).where(where).order_by(Ticket.id).offset(offset).limit(limit)
        return self._all(query), int(total)

    def ticket(self, customer: int, external_id: str) -> Ticket | None:
        where = (Ticket.customer_id == customer) & self._mine(Ticket.customer_id)
        found = self._all(select(Ticket).where(where, Ticket.external_id == external_id))
        return found[0] if found else None

    def events(self, ticket: Ticket) -> list[Event]:
        if not self._visible(ticket.customer_id):
            return []
        query = select(Event).where(Event.ticket_id == ticket.id)
        return self._all(query.order_by(Event.ts_us, Event.id))

    def runs(self, customer: int) -> list[MeasurementRun]:
        where = (MeasurementRun.customer_id == customer) & self._mine(MeasurementRun.customer_id)
        return self._all(select(MeasurementRun).where(where).order_by(MeasurementRun.id))

    def open_clocks(
        self, customers: Sequence[int] | None, limit: int
    ) -> list[tuple[Any, str, str]]:
        """Open clocks by due time, each with its ticket's and customer's names;
        `customers` None: every customer in scope."""
        where = self._mine(OpenClock.customer_id)
        if customers is not None:
            where = where & OpenClock.customer_id.in_(customers)
        columns = [c for c in OpenClock.__table__.columns]
        query = (
            select(*columns, Ticket.external_id, Customer.key)
            .join(Ticket, Ticket.id == OpenClock.ticket_id)
            .join(Customer, Customer.id == OpenClock.customer_id)
            .where(where)
            .order_by(OpenClock.due_at_us, OpenClock.id)
            .limit(limit)
        )
        # plain rows (attribute access like the model's), not ORM objects: the feed is hot
        return [(row, row.external_id, row.key) for row in self.conn.execute(query)]

    def clocks_of(self, ticket: Ticket) -> list[OpenClock]:
        if not self._visible(ticket.customer_id):
            return []
        return self._all(select(OpenClock).where(OpenClock.ticket_id == ticket.id))

    def notifications(self, customer: int, limit: int) -> list[Notification]:
        where = (Notification.customer_id == customer) & self._mine(Notification.customer_id)
        query = select(Notification).where(where).order_by(Notification.id.desc())
        return self._all(query.limit(limit))

    # the reports' inputs, whole: events, tickets, outages ---------------------------------

    def event_table(self, customer: int) -> pa.Table:
        """The customer's event log (`repository.EVENT_LOAD_SCHEMA`, any order)."""
        if not self._visible(customer):
            return repo.EVENT_LOAD_SCHEMA.empty_table()
        return repo.load_events(self.conn, customer)

    def ticket_table(self, customer: int) -> pa.Table:
        """The customer's tickets (`repository.TICKET_LOAD_SCHEMA`)."""
        if not self._visible(customer):
            return repo.TICKET_LOAD_SCHEMA.empty_table()
        return repo.load_tickets(self.conn, customer)

    def answer_table(self, customer: int) -> pa.Table:
        """The customer's answers (`db.feedback.ANSWER_LOAD_SCHEMA`), invitations included."""
        if not self._visible(customer):
            return ANSWER_LOAD_SCHEMA.empty_table()
        return load_answers(self.conn, customer)

    def ticket_origins(self, customer: int) -> dict[int, str]:
        """Ticket id → the `origin` attribute (the ticket it was split or cloned from)."""
        where = (Ticket.customer_id == customer) & self._mine(Ticket.customer_id)
        # a text match first: only the few tickets that name an origin are decoded
        named = cast(Ticket.attributes, String).like('%"origin"%')
        query = select(Ticket.id, Ticket.attributes).where(where, named)
        found = {i: a.get("origin") for i, a in self.conn.execute(query)}
        return {i: str(o) for i, o in found.items() if o not in (None, "")}

    def outage_table(self, customer: int) -> pa.Table:
        """The customer's outages as columns (`db.outages.OUTAGE_LOAD_SCHEMA`)."""
        where = (Outage.customer_id == customer) & self._mine(Outage.customer_id)
        names = OUTAGE_LOAD_SCHEMA.names
        query = select(*(getattr(Outage, n) for n in names)).where(where)
        rows = [dict(zip(names, row, strict=True)) for row in self.conn.execute(query)]
        return pa.Table.from_pylist(rows, schema=OUTAGE_LOAD_SCHEMA)

    def outages(self, customer: int, offset: int, limit: int) -> tuple[list[Outage], int]:
        where = (Outage.customer_id == customer) & self._mine(Outage.customer_id)
        total = self.conn.scalar(select(func.count()).select_from(Outage).where(where)) or 0
        order = (Outage.start_us, Outage.id)
        query = select(Outage).where(where).order_by(*order).offset(offset).limit(limit)
        return self._all(query), int(total)

    def _visible(self, customer: int) -> bool:
        return self.principal.sees_all or customer == self.principal.customer_id
