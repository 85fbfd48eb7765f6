"""The ticket survey: a link per resolved ticket, and its one answer stored in `feedback`.

The link carries only a random token (`secrets.token_urlsafe(32)`, 256 bits): no customer,
ticket or person. The store keeps the token's SHA-256 only, so a stolen database gives no
working link, and a link cannot be shown twice: each `invite` issues a new link (a row),
and every link of a ticket leads to its one answer. Opening a link never records anything.

Factors are offered in two groups and kept by the rating on submit (NPS bands): 0–6 keeps
the negative group, 9–10 the positive one, 7–8 both; a factor of the other group is dropped,
as a page without JavaScript cannot hide it. `fast` and `slow` both name the factor `speed`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import cache
from importlib import resources
from typing import Any, Literal

import pyarrow as pa
from sqlalchemy import Connection, Engine, Row

from mittari.db import surveys as store
from mittari.db.feedback import insert_answers
from mittari.db.models import utcnow
from mittari.importers.feedback.model import ANSWER_SCHEMA, LOST_TIMES
from mittari.services.feedback import answer_rows

LANGUAGES = ("fi", "sv", "en")
SOURCE = "mittari-survey"
POSITIVE = {"fast": "speed", "friendly": "friendly", "kept_informed": "kept_informed"}
NEGATIVE = {"slow": "speed", "explain_again": "explain_again", "not_fixed": "not_fixed"}
VALID_DAYS = 30
State = Literal["open", "answered", "expired", "unknown"]


class TicketUnknown(LookupError):
    """No such ticket of the customer."""


@dataclass(frozen=True)
class Issued:
    id: int
    path: str  # /s/<token>
    ticket: str
    language: str
    requester: str | None
    expires_at: datetime


@dataclass(frozen=True)
class Opened:
    state: State
    language: str = "fi"
    ticket: str = ""


@dataclass(frozen=True)
class Form:
    rating: int | None
    positive: list[str] = field(default_factory=list)
    negative: list[str] = field(default_factory=list)
    lost_time: str | None = None
    comment: str = ""
    language: str = "fi"


@cache
def messages(language: str) -> dict[str, str]:
    """The message catalogue of a language (`survey_messages/<language>.json`)."""
    text = resources.files("mittari.services").joinpath(f"survey_messages/{language}.json")
    loaded: dict[str, str] = json.loads(text.read_text(encoding="utf-8"))
    return loaded


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    engine: Engine,
    customer: str,
    ticket: str,
    *,
    language: str | None = None,
    valid_days: int = VALID_DAYS,
) -> Issued:
    """A new link to the survey of a customer's ticket (its `path` is `/s/<token>`)."""
    with engine.begin() as conn:
        return _issue(conn, customer, ticket, language, valid_days, utcnow())


def _issue(
    conn: Connection,
    customer: str,
    ticket: str,
    language: str | None,
    valid_days: int,
    now: datetime,
) -> Issued:
    found = store.ticket_row(conn, customer, ticket)
    if found is None:
        raise TicketUnknown(f"no ticket {ticket!r} of customer {customer!r}")
    chosen = language or str((found.attributes or {}).get("language") or "fi")
    chosen = chosen if chosen in LANGUAGES else "fi"
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=valid_days)
    made = store.add_invitation(
        conn,
        customer_id=found.customer_id,
        ticket_id=found.id,
        token_hash=token_hash(token),
        language=chosen,
        requester=found.requester,
        created_at=now,
        expires_at=expires,
    )
    return Issued(made, f"/s/{token}", ticket, chosen, found.requester, expires)


@dataclass(frozen=True)
class Mail:
    """Where and how survey e-mails go (from the settings)."""

    host: str
    port: int
    sender: str
    base_url: str
    interval_days: float
    valid_days: int = VALID_DAYS


Sent = Literal["sent", "already sent", "too soon", "no address"]


def send_invitation(engine: Engine, mail: Mail, customer: str, ticket: str) -> Sent:
    """Mail the survey link of a resolved ticket to its requester: at most once per ticket,
    and at most once per requester in `mail.interval_days`. The mail leaves inside the
    transaction that records it: if the server refuses it, nothing is recorded and a later
    call tries again (a crash between sending and committing could send it twice)."""
    now = utcnow()
    with engine.begin() as conn:
        found = store.ticket_row(conn, customer, ticket)
        if found is None:
            raise TicketUnknown(f"no ticket {ticket!r} of customer {customer!r}")
        requester = found.requester or ""
        if "@" not in requester:  # requesters are often opaque ids: nothing to mail to
            return "no address"
        if store.ticket_sent(conn, found.id):
            return "already sent"
        if store.requester_sent_since(conn, requester, now - timedelta(days=mail.interval_days)):
            return "too soon"
        issued = _issue(conn, customer, ticket, None, mail.valid_days, now)
        _deliver(mail, requester, issued)
        store.mark_sent(conn, issued.id, now)
    return "sent"


def _deliver(mail: Mail, to: str, issued: Issued) -> None:
    text = messages(issued.language)
    url = f"{mail.base_url.rstrip('/')}{issued.path}?lang={issued.language}"
    message = EmailMessage()
    message["From"], message["To"] = mail.sender, to
    message["Subject"] = text["mail_subject"].format(ticket=issued.ticket)
    body = text["mail_body"].format(ticket=issued.ticket, url=url, days=mail.valid_days)
    message.set_content(body)
    with smtplib.SMTP(mail.host, mail.port, timeout=30) as server:
        server.send_message(message)


def open_link(engine: Engine, token: str, now: datetime | None = None) -> Opened:
    """What a link shows now; reads only (mail scanners open links)."""
    with engine.connect() as conn:
        return _state(conn, token, now or utcnow())[0]


def validate(form: Form) -> list[str]:
    """The message keys of what is wrong with a form (empty: it can be stored)."""
    if form.rating is None or not 0 <= form.rating <= 10:
        return ["error_rating"]
    known = set(form.positive) <= POSITIVE.keys() and set(form.negative) <= NEGATIVE.keys()
    if not known or (form.lost_time is not None and form.lost_time not in LOST_TIMES):
        return ["error_invalid"]
    return []


def kept_factors(form: Form) -> list[str]:
    """The factor codes kept by the rating (module docstring)."""
    rating = form.rating if form.rating is not None else 0
    chosen = [NEGATIVE[f] for f in form.negative] if rating <= 8 else []
    chosen += [POSITIVE[f] for f in form.positive] if rating >= 7 else []
    return sorted(set(chosen))


def answer(engine: Engine, token: str, form: Form, now: datetime | None = None) -> State:
    """Store a valid form as the ticket's one answer: `open` (recorded now), else why not."""
    at = now or utcnow()
    if validate(form):
        raise ValueError(f"the form is invalid: {validate(form)}")
    with engine.begin() as conn:
        opened, row = _state(conn, token, at)
        if opened.state != "open" or row is None:
            return opened.state
        answers = _answer(form, row.ticket_id, opened.ticket, at)
        linked = pa.array([row.ticket_id], pa.int64())
        rows = answer_rows(answers, row.customer_id, None, linked)
        added, _ = insert_answers(conn, rows)
        if not added:  # answered through another link at the same moment
            return "answered"
        store.mark_answered(conn, row.ticket_id, at)
    return "open"


def _state(conn: Connection, token: str, now: datetime) -> tuple[Opened, Row[Any] | None]:
    row = store.invitation(conn, token_hash(token))
    if row is None:
        return Opened("unknown"), None
    ticket = store.ticket_ref(conn, row.ticket_id)
    if store.ticket_answered(conn, row.ticket_id):
        return Opened("answered", row.language, ticket), row
    if row.expires_at <= now:
        return Opened("expired", row.language, ticket), row
    return Opened("open", row.language, ticket), row


def _answer(form: Form, ticket_pk: int, ticket: str, at: datetime) -> pa.Table:
    row = {
        "external_id": f"ticket-{ticket_pk}",  # one answer per ticket: the feedback key
        "ticket_id": ticket,
        "answered_at": at,
        "survey": "ticket",
        "scale": "0-10",
        "score": str(form.rating),
        "factors": kept_factors(form),
        "lost_time": form.lost_time,
        "comment": form.comment.strip() or None,
        "language": form.language,
        "service": None,
        "source": SOURCE,
        "file": "survey",
        "line": None,
    }
    return pa.Table.from_pylist([row], schema=ANSWER_SCHEMA)
