"""The ticket survey, issued by itself when a ticket is resolved.

`resolved_tickets` finds, in one query, the tickets whose last status event is `resolved`
or `closed` at or after `since` (a reopened ticket is not resolved, however often it was
before), each with whether it already has a survey invitation. `send_surveys` issues a
link for each one that has none and, when mail is on, mails it under the rules of
`services.surveys.send_invitation`: at most once per ticket, and per requester at most
once in the interval. A ticket gets one invitation from here, mailed or not: a requester
with no address, or one mailed within the interval, gets a link the desk may hand out
(`POST …/tickets/{ticket}/survey` issues another), and is not asked again later.

Several processes may run this at once (`mittari serve`'s notifier, `mittari notify`,
`mittari survey send`). The store has no unique invitation per ticket (each issue of a
link is a row of its own), so each ticket is handled in a transaction that first takes a
lock and then looks again: on PostgreSQL an advisory lock on the requester (else on the
ticket), on SQLite the database's write lock (`BEGIN IMMEDIATE`). Two processes on the
same ticket or requester thus take turns, and the second finds the first's invitation.

The notifier runs `SurveyRounds`: each round reads the status events stored since the
round before the last (event ids; the one-round lag covers a transaction that took its
ids earlier and committed later), every `FULL_EVERY` rounds and at start every event,
and only tickets resolved in the last `RECENT_DAYS` (older ones: `mittari survey send
--since`).
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Engine, and_, exists, func, or_, select, text
from sqlalchemy.orm import aliased

from mittari.db import surveys as store
from mittari.db.models import Customer, Event, SurveyInvitation, Ticket, utcnow
from mittari.engine.types import Kind, Status
from mittari.services.stored import _customer
from mittari.services.surveys import LANGUAGES, VALID_DAYS, Issued, Mail, _deliver, token_hash

log = logging.getLogger(__name__)
RECENT_DAYS = 7  # the notifier surveys tickets resolved this recently
FULL_EVERY = 360  # rounds between two full reads (an hour at the default 10 s)
LOCK_CLASS = 0x6D69  # the first key of mittari's PostgreSQL advisory locks
US = 1_000_000
Action = Literal["sent", "issued", "skipped", "failed"]


class SurveySettings(Protocol):
    """What the trigger reads of the settings (`api.settings.Settings` has it)."""

    @property
    def smtp_host(self) -> str: ...
    @property
    def smtp_port(self) -> int: ...
    @property
    def smtp_from(self) -> str: ...
    @property
    def survey_base_url(self) -> str: ...
    @property
    def survey_interval_days(self) -> float: ...
    @property
    def survey_valid_days(self) -> int: ...
    @property
    def model_fields_set(self) -> set[str]: ...


@dataclass(frozen=True)
class Trigger:
    """How surveys go out: `mail` None means no SMTP server is set, so links are issued
    and nothing is mailed."""

    mail: Mail | None = None
    valid_days: int = VALID_DAYS


def trigger_of(settings: SurveySettings) -> Trigger:
    """Mail is on when `MITTARI_SMTP_HOST` is set (its default, localhost, is no choice)."""
    if "smtp_host" not in settings.model_fields_set:
        return Trigger(None, settings.survey_valid_days)
    return Trigger(mail_of(settings), settings.survey_valid_days)


def mail_of(settings: SurveySettings) -> Mail:
    """The mail server, sender and links the settings name (`MITTARI_SMTP_*`,
    `MITTARI_SURVEY_*`): the ticket survey's, and the pulse's."""
    return Mail(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_from,
        settings.survey_base_url,
        settings.survey_interval_days,
        settings.survey_valid_days,
    )


@dataclass(frozen=True)
class Resolved:
    """A ticket whose last status event is a resolve (or close)."""

    event_id: int
    resolved_us: int
    ticket_pk: int
    customer_id: int
    customer: str
    ticket: str
    requester: str | None
    language: str
    invited: bool


@dataclass(frozen=True)
class Outcome:
    customer: str
    ticket: str
    resolved_at: datetime
    action: Action
    reason: str  # why not sent ("" when sent)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: Action) -> int:
        return sum(o.action == action for o in self.outcomes)


def resolved_tickets(
    conn: Connection,
    *,
    since_us: int,
    customer_id: int | None = None,
    after_event: int = 0,
    upto_event: int | None = None,
) -> list[Resolved]:
    """Tickets resolved (last status resolved or closed) at or after `since_us`, by their
    status events with ids in (`after_event`, `upto_event`]; oldest resolve first."""
    later = aliased(Event)
    reopened_or_later = exists().where(
        later.ticket_id == Event.ticket_id,
        later.kind == int(Kind.STATUS),
        or_(
            later.ts_us > Event.ts_us,
            and_(later.ts_us == Event.ts_us, later.id > Event.id),  # same instant: store order
        ),
    )
    invited = exists().where(SurveyInvitation.ticket_id == Event.ticket_id)
    query = (
        select(
            Event.id,
            Event.ts_us,
            Ticket.id,
            Ticket.customer_id,
            Customer.key,
            Ticket.external_id,
            Ticket.requester,
            Ticket.attributes,
            invited,
        )
        .join(Ticket, Ticket.id == Event.ticket_id)
        .join(Customer, Customer.id == Ticket.customer_id)
        .where(
            Event.kind == int(Kind.STATUS),
            Event.code.in_([int(Status.RESOLVED), int(Status.CLOSED)]),
            Event.ts_us >= since_us,
            Event.id > after_event,
            ~reopened_or_later,
        )
        .order_by(Event.ts_us, Event.id)
    )
    if upto_event is not None:
        query = query.where(Event.id <= upto_event)
    if customer_id is not None:
        query = query.where(Ticket.customer_id == customer_id)
    return [
        Resolved(e, ts, t, c, key, ext, req, _language(attrs), bool(inv))
        for e, ts, t, c, key, ext, req, attrs, inv in conn.execute(query)
    ]


def _language(attributes: dict[str, Any] | None) -> str:
    chosen = str((attributes or {}).get("language") or "fi")
    return chosen if chosen in LANGUAGES else "fi"


def send_surveys(
    engine: Engine, trigger: Trigger, found: list[Resolved], *, dry_run: bool = False
) -> Report:
    """Issue (and, with mail on, send) the survey of each ticket found. After a mail
    server failure no more mail is tried in this call: those tickets wait, uninvited."""
    report = Report(dry_run=dry_run)
    mailed: set[str] = set()  # a dry run's requesters that would have been mailed
    failed: str | None = None
    for ticket in found:
        if ticket.invited:
            outcome = _outcome(ticket, "skipped", "already invited")
        elif dry_run:
            outcome = _would(engine, trigger, ticket, mailed)
        elif failed is not None and _mailable(trigger, ticket):
            outcome = _outcome(ticket, "failed", f"not tried after a mail failure: {failed}")
        else:
            outcome = _handle(engine, trigger, ticket)
            if outcome.action == "failed":
                failed = outcome.reason
        report.outcomes.append(outcome)
    return report


def _mailable(trigger: Trigger, ticket: Resolved) -> bool:
    return trigger.mail is not None and "@" in (ticket.requester or "")


def _handle(engine: Engine, trigger: Trigger, ticket: Resolved) -> Outcome:
    """One ticket in one locked transaction: looked at again, issued, maybe mailed."""
    now = utcnow()
    try:
        with _locked(engine, ticket.requester or f"ticket:{ticket.ticket_pk}") as conn:
            if _invited(conn, ticket.ticket_pk):  # another process was first
                return _outcome(ticket, "skipped", "already invited")
            why = _why_not_mailed(conn, trigger, ticket, now)
            issued = _issue(conn, trigger, ticket, now)
            if why:
                return _outcome(ticket, "issued", why)
            assert trigger.mail is not None and ticket.requester is not None
            # sent inside the transaction that records it: a refusal records nothing
            _deliver(trigger.mail, ticket.requester, issued)
            store.mark_sent(conn, issued.id, now)
    except (OSError, smtplib.SMTPException) as exc:
        return _outcome(ticket, "failed", f"the mail server: {exc}")
    return _outcome(ticket, "sent", "")


def _why_not_mailed(
    conn: Connection,
    trigger: Trigger,
    ticket: Resolved,
    now: datetime,
    mailed: Collection[str] = (),
) -> str:
    """Why the ticket's link is not mailed ("": it is); `mailed`: requesters a dry run
    would have mailed already."""
    if trigger.mail is None:
        return "no SMTP server set (MITTARI_SMTP_HOST): issued for the desk"
    requester = ticket.requester or ""
    if "@" not in requester:  # requesters are often opaque ids: nothing to mail to
        return "the requester has no e-mail address"
    days = trigger.mail.interval_days
    if days > 0 and (
        requester in mailed
        or store.requester_sent_since(conn, requester, now - timedelta(days=days))
    ):
        return f"the requester was mailed a survey in the last {days:g} days"
    return ""


def _would(engine: Engine, trigger: Trigger, ticket: Resolved, mailed: set[str]) -> Outcome:
    """What `_handle` would do, writing nothing."""
    with engine.connect() as conn:
        why = _why_not_mailed(conn, trigger, ticket, utcnow(), mailed)
    if why:
        return _outcome(ticket, "issued", why)
    mailed.add(ticket.requester or "")
    return _outcome(ticket, "sent", "")


def _issue(conn: Connection, trigger: Trigger, ticket: Resolved, now: datetime) -> Issued:
    token = secrets.token_urlsafe(32)  # as `surveys.invite`: only its hash is stored
    expires = now + timedelta(days=trigger.valid_days)
    made = store.add_invitation(
        conn,
        customer_id=ticket.customer_id,
        ticket_id=ticket.ticket_pk,
        token_hash=token_hash(token),
        language=ticket.language,
        requester=ticket.requester,
        created_at=now,
        expires_at=expires,
    )
    return Issued(made, f"/s/{token}", ticket.ticket, ticket.language, ticket.requester, expires)


def _invited(conn: Connection, ticket_pk: int) -> bool:
    query = select(SurveyInvitation.id).where(SurveyInvitation.ticket_id == ticket_pk)
    return conn.execute(query.limit(1)).first() is not None


@contextmanager
def _locked(engine: Engine, key: str) -> Iterator[Connection]:
    """A transaction that holds the survey lock of `key` from its first statement on."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            with conn.begin():
                lock = text(f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, hashtext(:k))")
                conn.execute(lock, {"k": key})
                yield conn
            return
        # SQLite: the write lock at BEGIN, so the reads below are not overtaken by a
        # writer (a deferred transaction would fail on upgrading instead of waiting)
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def _outcome(ticket: Resolved, action: Action, reason: str) -> Outcome:
    at = datetime.fromtimestamp(ticket.resolved_us / US, UTC)
    return Outcome(ticket.customer, ticket.ticket, at, action, reason)


def send_resolved(
    engine: Engine, trigger: Trigger, customer: str, *, since_us: int, dry_run: bool = False
) -> Report:
    """The surveys of a customer's tickets resolved since `since_us` (`mittari survey
    send`, for stores filled by batch imports)."""
    with engine.connect() as conn:
        owner = _customer(conn, customer)  # InputError naming the known customers
        found = resolved_tickets(conn, since_us=since_us, customer_id=owner)
    return send_surveys(engine, trigger, found, dry_run=dry_run)


class SurveyRounds:
    """The notifier's survey step, with its cursor over the event ids (module docstring)."""

    def __init__(self, trigger: Trigger) -> None:
        self.trigger = trigger
        self.after = 0  # status events with greater ids are read next round
        self.previous_top = 0  # the greatest event id of the round before
        self.rounds = 0

    def run(self, engine: Engine, now: datetime | None = None) -> Report:
        at = now or utcnow()
        since_us = int((at - timedelta(days=RECENT_DAYS)).timestamp() * US)
        with engine.connect() as conn:
            top = int(conn.scalar(select(func.max(Event.id))) or 0)
            found = resolved_tickets(
                conn, since_us=since_us, after_event=self.after, upto_event=top
            )
        report = send_surveys(engine, self.trigger, found)
        self.rounds += 1
        retry = [
            t.event_id for t, o in zip(found, report.outcomes, strict=True) if o.action == "failed"
        ]
        full = self.rounds % FULL_EVERY == 0
        self.after = 0 if full else min([self.previous_top, *(e - 1 for e in retry)])
        self.previous_top = top
        if any(o.action != "skipped" for o in report.outcomes):
            counts = [report.count(a) for a in ("sent", "issued", "failed")]
            log.info("ticket surveys: %d sent, %d issued without mail, %d failed", *counts)
        return report
