"""The pulse: periodic surveys of a customer's contacts about the partnership as a whole
(`relationship`) and of the provider's own team about serving that customer (`team`).

A round is one customer, one kind and one period label (`2026-Q4`), open from `opens_at`
until `closes_at`. Each recipient gets a link of their own, at most one per round: the
store keeps a SHA-256 of the address salted by the round (never the address: the mail
leaves inside the transaction that records the invitation) and the SHA-256 of the link's
random token, as the ticket survey does (`services/surveys.py`). A link works until the
round closes, shows the form until it is answered, and records one response; opening it
never records anything (mail scanners open links).

A relationship response is up to three `pulse` answers: `recommend` (0-10, the NPS
question), `understand` and `prevent` (1-5 statements, each optional); a team response is
one `team` answer to `measured_well` (1-5) with the obstacles named as its factors. The
comment goes with the main answer. The engine measures them (docs/experience.md, Pulse;
`pulse_results.py` per round).
"""

from __future__ import annotations

import csv
import hashlib
import re
import secrets
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyarrow as pa
from sqlalchemy import Connection, Engine, Row

from mittari.db import pulse as store
from mittari.db import repository as repo
from mittari.db.feedback import insert_answers
from mittari.db.models import utcnow
from mittari.engine.experience import TEAM_FACTORS
from mittari.errors import InputError, Problem
from mittari.importers.feedback.model import ANSWER_SCHEMA
from mittari.services.feedback import answer_rows
from mittari.services.stored import _customer, policies_of
from mittari.services.surveys import LANGUAGES, Mail, messages, token_hash

KINDS = ("relationship", "team")
SOURCE = "mittari-pulse"
OBSTACLES = TEAM_FACTORS  # what gets in the way of the team, as the team answer's factors
State = Literal["open", "answered", "expired", "early", "unknown"]
_PERIOD = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")
_ADDRESS = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")


@dataclass(frozen=True)
class Round:
    id: int
    customer: str
    kind: str
    period: str
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class Issued:
    id: int
    path: str  # /p/<token>
    language: str


@dataclass(frozen=True)
class Opened:
    state: State
    kind: str = "relationship"
    language: str = "fi"
    period: str = ""
    customer: str = ""
    opens_at: datetime | None = None


@dataclass(frozen=True)
class PulseForm:
    recommend: int | None = None  # relationship: 0-10
    understand: int | None = None  # relationship: 1-5, optional
    prevent: int | None = None  # relationship: 1-5, optional
    measured_well: int | None = None  # team: 1-5
    obstacles: list[str] = field(default_factory=list)  # team: OBSTACLES
    comment: str = ""
    language: str = "fi"


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str | None = None


Outcome = Literal["sent", "already invited", "refused"]


# --- rounds ---------------------------------------------------------------------------------


def open_round(
    engine: Engine,
    customer: str,
    kind: str,
    period: str,
    *,
    closes: str,
    opens: str | None = None,
    timezone: str | None = None,
    now: datetime | None = None,
) -> Round:
    """A new round. `closes` (and `opens`, default now) is an ISO 8601 instant with an
    offset, or a date: a closing date is the last day the round is open, an opening date
    its first, in `timezone` (default: the zone of the customer's latest contract, else UTC)."""
    at = now or utcnow()
    if kind not in KINDS:
        raise _input("--kind", "kind", kind, f"expected one of {', '.join(KINDS)}")
    if not _PERIOD.match(period):
        message = "a label of letters, digits, '.', '_' or '-', at most 40, e.g. 2026-Q4"
        raise _input("--period", "period", period, message)
    with engine.begin() as conn:
        owner = _customer(conn, customer)
        zone = _zone(conn, owner, timezone)
        opens_at = at if opens is None else _instant("--opens", opens, zone, end_of_day=False)
        closes_at = _instant("--closes", closes, zone, end_of_day=True)
        if closes_at <= max(opens_at, at):
            message = "the round must close after it opens and after now"
            raise _input("--closes", "closes", closes, message)
        known = store.find_round(conn, owner, kind, period)
        if known is not None:
            message = f"customer {customer!r} already has a {kind} round {period} (round {known})"
            raise _input("--period", "period", period, message)
        made = store.add_round(
            conn,
            customer_id=owner,
            kind=kind,
            period=period,
            opens_at=opens_at,
            closes_at=closes_at,
            salt=secrets.token_hex(16),
            created_at=at,
        )
    return Round(made, customer, kind, period, opens_at, closes_at)


def _zone(conn: Connection, owner: int, timezone: str | None) -> ZoneInfo:
    versions = repo.active_contracts(conn, owner)
    name = timezone or (policies_of(versions)[-1].timezone if versions else "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _input("--timezone", "timezone", name, "not an IANA time zone") from None


def _instant(option: str, text: str, zone: ZoneInfo, *, end_of_day: bool) -> datetime:
    """An instant from an ISO 8601 instant with offset, or a local date (see open_round)."""
    written = text.strip()
    try:
        if len(written) == 10:
            day = date.fromisoformat(written)
            day += timedelta(days=1) if end_of_day else timedelta(0)
            return datetime.combine(day, time(0), zone)  # midnight where the customer is
        moment = datetime.fromisoformat(written)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        message = "expected a date (2026-12-31) or an ISO 8601 instant with an offset"
        raise _input(option, option.lstrip("-"), text, message)
    return moment


def _input(where: str, name: str, value: object, message: str) -> InputError:
    return InputError([Problem(where, None, name, value, message)])


def _open_round(conn: Connection, round_id: int, now: datetime) -> Row[Any]:
    """A round that has not closed yet: links to it can still be answered."""
    found = store.round_row(conn, round_id)
    if found is None:
        raise _input("--round", "round", round_id, "no such pulse round")
    if found.closes_at <= now:
        message = f"the round closed at {found.closes_at.isoformat(timespec='seconds')}"
        raise _input("--round", "round", round_id, message)
    return found


# --- invitations ----------------------------------------------------------------------------


def recipient_hash(salt: str, address: str) -> str:
    """The address as kept: SHA-256 of the round's salt and the address, case folded."""
    return hashlib.sha256(f"{salt}:{address.strip().casefold()}".encode()).hexdigest()


def read_recipients(path: str | Path) -> tuple[list[Recipient], list[Problem]]:
    """Recipients of a file: a CSV with an `email` column (and optionally `language`), or
    one address per line. A bad address or language is a problem naming its line."""
    file = str(path)
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    header = [c.strip().casefold() for c in next(csv.reader(lines[:1]), [])]
    rows: list[tuple[int, str, str]] = []
    if "email" in header:
        for number, cells in enumerate(csv.reader(lines[1:]), start=2):
            record = dict(zip(header, (c.strip() for c in cells), strict=False))
            if any(cells):
                rows.append((number, record.get("email", ""), record.get("language", "")))
    else:
        rows = [(n, text.strip(), "") for n, text in enumerate(lines, start=1) if text.strip()]
    found: list[Recipient] = []
    problems: list[Problem] = []
    for number, address, language in rows:
        if not _ADDRESS.match(address):
            problems.append(Problem(file, number, "email", address, "not an e-mail address"))
        elif language and language.lower() not in LANGUAGES:
            message = f"expected one of {', '.join(LANGUAGES)}"
            problems.append(Problem(file, number, "language", language, message))
        else:
            found.append(Recipient(address, language.lower() or None))
    return found, problems


def issue_link(engine: Engine, round_id: int, address: str, language: str = "fi") -> Issued | None:
    """A link for one recipient, not mailed (to hand out another way); None when the
    address already has one in this round."""
    now = utcnow()
    with engine.begin() as conn:
        found = _open_round(conn, round_id, now)
        return _issue(conn, found, Recipient(address, language), now)


def _issue(conn: Connection, found: Row[Any], recipient: Recipient, now: datetime) -> Issued | None:
    hashed = recipient_hash(found.salt, recipient.address)
    if store.invited(conn, found.id, hashed):
        return None
    language = recipient.language if recipient.language in LANGUAGES else "fi"
    token = secrets.token_urlsafe(32)
    made = store.add_invitation(
        conn,
        round_id=found.id,
        recipient_hash=hashed,
        token_hash=token_hash(token),
        language=language,
        created_at=now,
    )
    return Issued(made, f"/p/{token}", str(language))


def send_invitations(
    engine: Engine,
    mail: Mail,
    round_id: int,
    recipients: Sequence[Recipient],
    default_language: str = "fi",
) -> list[tuple[Recipient, Outcome]]:
    """Mail each recipient a link, at most once per address and round. Each mail leaves
    inside the transaction that records it: an address the server refuses is recorded
    nowhere (`refused`); a server that cannot be reached stops the sending with its error,
    and a later call sends to the rest."""
    with engine.connect() as conn:
        found = _open_round(conn, round_id, utcnow())
        zone = _zone(conn, found.customer_id, None)
    done: list[tuple[Recipient, Outcome]] = []
    with smtplib.SMTP(mail.host, mail.port, timeout=30) as server:
        for recipient in recipients:
            chosen = Recipient(recipient.address, recipient.language or default_language)
            done.append((recipient, _send_one(engine, server, mail, found, chosen, zone)))
    return done


def _send_one(
    engine: Engine,
    server: smtplib.SMTP,
    mail: Mail,
    found: Row[Any],
    recipient: Recipient,
    zone: ZoneInfo,
) -> Outcome:
    now = utcnow()
    try:
        with engine.begin() as conn:
            issued = _issue(conn, found, recipient, now)
            if issued is None:
                return "already invited"
            server.send_message(_message(mail, found, recipient.address, issued, zone))
            store.mark_sent(conn, issued.id, now)
    except smtplib.SMTPRecipientsRefused:
        return "refused"
    return "sent"


def _message(mail: Mail, found: Row[Any], to: str, issued: Issued, zone: ZoneInfo) -> EmailMessage:
    text = messages(issued.language)
    url = f"{mail.base_url.rstrip('/')}{issued.path}?lang={issued.language}"
    last_day = (found.closes_at - timedelta(microseconds=1)).astimezone(zone).date()
    values = {
        "period": found.period,
        "url": url,
        "closes": last_day.isoformat(),
        "customer": found.customer_name or found.customer,
    }
    message = EmailMessage()
    message["From"], message["To"] = mail.sender, to
    message["Subject"] = text[f"pulse_mail_subject_{found.kind}"].format(**values)
    message.set_content(text[f"pulse_mail_body_{found.kind}"].format(**values))
    return message


# --- the page -------------------------------------------------------------------------------


def open_link(engine: Engine, token: str, now: datetime | None = None) -> Opened:
    """What a link shows now; reads only (mail scanners open links)."""
    with engine.connect() as conn:
        return _state(conn, token, now or utcnow())[0]


def _state(conn: Connection, token: str, now: datetime) -> tuple[Opened, Row[Any] | None]:
    row = store.invitation(conn, token_hash(token))
    if row is None:
        return Opened("unknown"), None
    customer = str(row.customer_name or row.customer)
    shown = {"kind": row.kind, "language": row.language, "period": row.period}
    shown |= {"customer": customer, "opens_at": row.opens_at}
    if row.answered_at is not None:
        return Opened("answered", **shown), row
    if row.closes_at <= now:
        return Opened("expired", **shown), row
    if row.opens_at > now:
        return Opened("early", **shown), row
    return Opened("open", **shown), row


def validate(kind: str, form: PulseForm) -> list[str]:
    """The message keys of what is wrong with a form (empty: it can be stored)."""
    if kind == "team":
        if form.measured_well is None or not 1 <= form.measured_well <= 5:
            return ["error_measured_well"]
        return [] if set(form.obstacles) <= set(OBSTACLES) else ["error_invalid"]
    if form.recommend is None or not 0 <= form.recommend <= 10:
        return ["error_recommend"]
    statements = (form.understand, form.prevent)
    return [] if all(s is None or 1 <= s <= 5 for s in statements) else ["error_invalid"]


def answer(engine: Engine, token: str, form: PulseForm, now: datetime | None = None) -> State:
    """Store a valid form as the invitation's one response: `open` (recorded now), else
    the state that refused it."""
    at = now or utcnow()
    with engine.begin() as conn:
        opened, row = _state(conn, token, at)
        if opened.state != "open" or row is None:
            return opened.state
        if validate(row.kind, form):
            raise ValueError(f"the form is invalid: {validate(row.kind, form)}")
        answers = _answers(row.kind, form, row.id, at)
        rows = answer_rows(answers, row.customer_id, None, pa.nulls(answers.num_rows, pa.int64()))
        rows = rows.append_column(
            "pulse_round_id", pa.array([row.round_id] * rows.num_rows, pa.int64())
        )
        added, _ = insert_answers(conn, rows)
        if not added:  # answered through the same link at the same moment
            return "answered"
        store.mark_answered(conn, row.id, at)
    return "open"


def _answers(kind: str, form: PulseForm, invitation: int, at: datetime) -> pa.Table:
    comment = form.comment.strip() or None
    Asked = tuple[str, str, str, int | None, list[str] | None]  # survey, question, scale ...
    asked: list[Asked]
    if kind == "team":
        obstacles = sorted(set(form.obstacles))
        asked = [("team", "measured_well", "1-5", form.measured_well, obstacles)]
    else:
        asked = [
            ("pulse", "recommend", "0-10", form.recommend, None),
            ("pulse", "understand", "1-5", form.understand, None),
            ("pulse", "prevent", "1-5", form.prevent, None),
        ]
    rows = [
        {
            "external_id": f"pulse-{invitation}-{question}",  # one response per invitation
            "answered_at": at,
            "survey": survey,
            "question": question,
            "scale": scale,
            "score": str(score),
            "factors": factors,
            "comment": comment if i == 0 else None,  # with the main answer
            "language": form.language,
            "source": SOURCE,
            "file": "pulse",
        }
        for i, (survey, question, scale, score, factors) in enumerate(asked)
        if score is not None
    ]
    return pa.Table.from_pylist(rows, schema=ANSWER_SCHEMA)
