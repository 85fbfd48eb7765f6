"""The tables of mittari, as SQLAlchemy 2 typed models.

Instants are int64 microseconds since the epoch, UTC (`*_us` columns), the engine's own
unit: exact, the same in SQLite and PostgreSQL, and moved to and from Arrow without
conversion. Wall-clock bookkeeping columns (`created_at`, `submitted_at` ...) are aware
timestamps. The event log is append-only: nothing updates or deletes an event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite gives an autoincrementing key only to an INTEGER PRIMARY KEY (the rowid)
BigId = BigInteger().with_variant(Integer, "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The two bulk tables, `events` and `measurements`, carry no FOREIGN KEY constraints: on
# PostgreSQL the per-row trigger of each key tripled the cost of an import (1 M events: 9.6 s
# with the keys, 3.2 s without; bench/README.md). Their references are kept by the only
# writers, `services/ingest.py` and `services/stored.py`, which write the referenced rows first
# in the same transaction; `tests/db/test_integrity.py` checks every reference after imports.
NO_FOREIGN_KEYS = ("events", "measurements")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime in both databases: SQLite keeps no zone, so values come back
    naive there; they are UTC by construction and are given their zone again on reading."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a zone")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: UtcDateTime()}  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("customer_id", "key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))


class ContractVersion(Base):
    """One version (YAML document) of a customer's contract, kept with the file it came in.

    A new submission of the same version label supersedes the old row; the old one stays,
    so a measurement run always names exactly the text it was computed under.
    """

    __tablename__ = "contract_versions"
    __table_args__ = (UniqueConstraint("customer_id", "label", "sha256"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(500))
    yaml: Mapped[str] = mapped_column(Text)  # the whole file as submitted
    sha256: Mapped[str] = mapped_column(String(64))  # of `yaml`
    effective_from_us: Mapped[int] = mapped_column(BigInteger)
    effective_to_us: Mapped[int | None] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[datetime | None]


class ImportBatch(Base):
    """One `mittari import` run: one transaction, its counts and its rejected rows."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    source: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the input file, when one file
    status: Mapped[str] = mapped_column(String(20))  # committed, rejected
    strict: Mapped[bool] = mapped_column(Boolean, default=False)
    n_read: Mapped[int] = mapped_column(BigInteger, default=0)
    n_imported: Mapped[int] = mapped_column(BigInteger, default=0)
    n_duplicates: Mapped[int] = mapped_column(BigInteger, default=0)
    n_rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    n_tickets_new: Mapped[int] = mapped_column(BigInteger, default=0)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class RejectedRow(Base):
    """A quarantined input row: where it was, which field, the value, and why."""

    __tablename__ = "rejected_rows"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batches.id", ondelete="CASCADE"), index=True
    )
    file: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(BigInteger)
    field: Mapped[str] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("customer_id", "source", "external_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    service: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str | None] = mapped_column(String(100))
    requester: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class Event(Base):
    """One canonical event; `raw_value` is the source's own value beside the canonical one.

    `event_key` is the event's identity within its ticket (a hash of ts, kind, value, actor
    and its rank among identical events), so a re-import adds nothing.
    """

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("ticket_id", "event_key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)  # tickets.id; see NO_FOREIGN_KEYS
    event_key: Mapped[int] = mapped_column(BigInteger)
    ts_us: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[int] = mapped_column(SmallInteger)  # engine Kind
    code: Mapped[int | None] = mapped_column(BigInteger)  # Status code or priority number
    value: Mapped[str | None] = mapped_column(Text)  # canonical text (status, P2, group ...)
    actor: Mapped[int | None] = mapped_column(SmallInteger)  # engine Actor
    raw_value: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int] = mapped_column(BigInteger)  # import_batches.id (no index: -25 % speed)
    line: Mapped[int | None] = mapped_column(BigInteger)
    ref: Mapped[str | None] = mapped_column(Text)


class Feedback(Base):
    """One answer to a survey, in the experience model (importers/feedback/README.md): a
    Zendesk satisfaction rating, a JSM CSAT rating or a row of any tool's survey export.

    `score` is text in its `scale` (`0-10`, `1-5`, `good/bad`); Zendesk's `offered` and
    `unoffered` mark a survey sent (or not) and not answered. `ticket_ref` is the ticket's
    id as the answer names it, kept so that an answer stored before its ticket can be
    linked later; `factors` are comma-separated codes (speed, not_fixed ...).
    """

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("customer_id", "source", "external_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    ts_us: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[str | None] = mapped_column(String(40))
    scale: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    ticket_ref: Mapped[str | None] = mapped_column(String(200))
    survey: Mapped[str | None] = mapped_column(String(20))  # ticket, pulse (NULL: ticket)
    factors: Mapped[str | None] = mapped_column(Text)
    lost_time: Mapped[str | None] = mapped_column(String(10))  # none, <30m, 30m-2h, 2-4h, day+
    language: Mapped[str | None] = mapped_column(String(10))  # ISO 639-1, NULL: not known
    service: Mapped[str | None] = mapped_column(String(200))  # named by the answer itself
    question: Mapped[str | None] = mapped_column(String(20))  # recommend, understand ... (pulse)
    pulse_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("pulse_rounds.id", ondelete="SET NULL"), index=True
    )  # answered on mittari's own pulse page, in this round


class MeasurementRun(Base):
    """One run of the engine over a customer's stored log: what it used and when."""

    __tablename__ = "measurement_runs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    as_of_us: Mapped[int] = mapped_column(BigInteger)
    contract_hash: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(40))
    n_tickets: Mapped[int] = mapped_column(BigInteger, default=0)
    n_rows: Mapped[int] = mapped_column(BigInteger, default=0)
    unmeasured: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RunContract(Base):
    __tablename__ = "run_contracts"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("measurement_runs.id", ondelete="CASCADE"), primary_key=True
    )
    contract_version_id: Mapped[int] = mapped_column(
        ForeignKey("contract_versions.id"), primary_key=True
    )


class Measurement(Base):
    """One clock cycle of one metric of one ticket, as measured by one run."""

    __tablename__ = "measurements"
    __table_args__ = (Index(None, "run_id", "ticket_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(BigInteger)  # measurement_runs.id; NO_FOREIGN_KEYS
    ticket_id: Mapped[int] = mapped_column(BigInteger)  # tickets.id
    contract_version_id: Mapped[int] = mapped_column(BigInteger)  # contract_versions.id
    metric: Mapped[str] = mapped_column(String(100))
    cycle: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(SmallInteger)
    target_us: Mapped[int] = mapped_column(BigInteger)
    start_at_us: Mapped[int] = mapped_column(BigInteger)
    stop_at_us: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[int] = mapped_column(SmallInteger)  # engine State
    elapsed_us: Mapped[int] = mapped_column(BigInteger)
    wall_us: Mapped[int] = mapped_column(BigInteger)
    due_at_us: Mapped[int | None] = mapped_column(BigInteger)
    breached_at_us: Mapped[int | None] = mapped_column(BigInteger)


# --- the service: tokens, live webhooks, open clocks, breach warnings ------------------------


class ApiToken(Base):
    """An API token: only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(
        String(40)
    )  # provider-admin, provider-analyst, customer-viewer
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WebhookSource(Base):
    """An inbound webhook of one customer's service desk, with its shared secret."""

    __tablename__ = "webhook_sources"
    __table_args__ = (UniqueConstraint("customer_id", "source"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40))  # jira, zendesk
    secret: Mapped[str] = mapped_column(String(200))  # needed in clear to compute the HMAC
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookReceipt(Base):
    """One accepted delivery; its key refuses a replay of the same delivery."""

    __tablename__ = "webhook_receipts"
    __table_args__ = (UniqueConstraint("webhook_source_id", "delivery_key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    webhook_source_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_sources.id", ondelete="CASCADE")
    )
    delivery_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    n_events: Mapped[int] = mapped_column(Integer, default=0)
    batch_id: Mapped[int | None] = mapped_column(BigInteger)


class OpenClock(Base):
    """A clock that is running or paused now, kept current by every new event of its ticket.

    `due_at_us` is when it breaches if it keeps running; `warn_at_us` and `critical_at_us`
    when it reaches 75 % and 90 % of its target (NULL once passed at computation).
    """

    __tablename__ = "open_clocks"
    __table_args__ = (
        UniqueConstraint("ticket_id", "metric", "cycle"),
        Index(None, "customer_id", "due_at_us"),
        Index(None, "due_at_us"),  # the feed of every customer a provider sees
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(BigInteger)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    contract_version_id: Mapped[int] = mapped_column(BigInteger)
    metric: Mapped[str] = mapped_column(String(100))
    cycle: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(SmallInteger)
    calendar: Mapped[str] = mapped_column(String(100))
    target_us: Mapped[int] = mapped_column(BigInteger)
    elapsed_us: Mapped[int] = mapped_column(BigInteger)  # at `computed_at_us`
    state: Mapped[int] = mapped_column(SmallInteger)  # engine State: running or paused
    start_at_us: Mapped[int] = mapped_column(BigInteger)
    due_at_us: Mapped[int] = mapped_column(BigInteger)
    warn_at_us: Mapped[int | None] = mapped_column(BigInteger)  # NULL: paused, or passed
    critical_at_us: Mapped[int | None] = mapped_column(BigInteger)
    computed_at_us: Mapped[int] = mapped_column(BigInteger)


class Notification(Base):
    """A breach warning, recorded once per clock cycle and threshold."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("ticket_id", "metric", "cycle", "threshold"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    metric: Mapped[str] = mapped_column(String(100))
    cycle: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[int] = mapped_column(SmallInteger)  # 75, 90, 100 (% of the target)
    crossed_at_us: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboundHook(Base):
    """Where breach warnings go: one customer's, or every customer's (customer_id NULL)."""

    __tablename__ = "outbound_hooks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(200))  # signs each delivery (HMAC-SHA256)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """One notification to one hook: attempts, outcome and the next retry."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "hook_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    hook_id: Mapped[int] = mapped_column(ForeignKey("outbound_hooks.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at_us: Mapped[int | None] = mapped_column(BigInteger)
    delivered_at: Mapped[datetime | None]


# --- availability: outages of a customer's services ------------------------------------------


class Outage(Base):
    """An outage of one of a customer's services, from a CSV file, an Alertmanager webhook or
    a Zabbix export. `external_id` is its identity in the source (a CSV id, an alert's
    fingerprint and start, a Zabbix event id): a re-import or a re-sent alert adds nothing,
    and a later record with an end closes an outage stored while it was still going on."""

    __tablename__ = "outages"
    __table_args__ = (
        UniqueConstraint("customer_id", "source", "external_id"),
        Index(None, "customer_id", "start_us"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    service: Mapped[str] = mapped_column(String(200))
    start_us: Mapped[int] = mapped_column(BigInteger)
    end_us: Mapped[int | None] = mapped_column(BigInteger)  # NULL while it is going on
    weight: Mapped[int] = mapped_column(Integer)  # 1/10 000 of a full outage (engine's unit)
    planned: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(40))  # csv, alertmanager, zabbix
    external_id: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))  # first stored by
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]  # when a later record gave it its end


class SurveyInvitation(Base):
    """A survey link of one resolved ticket (`services/surveys.py`). Only the SHA-256 of the
    link's random token is stored: the link cannot be rebuilt from the store, so each issue
    of a link is a row of its own, and all links of a ticket lead to its one answer.
    `requester` is whom the link was mailed to (the per-requester interval reads it)."""

    __tablename__ = "survey_invitations"
    __table_args__ = (Index(None, "requester", "sent_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(10))  # fi, sv, en: the page's default
    requester: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]  # mailed by `send_invitation`
    answered_at: Mapped[datetime | None]


# --- the pulse: periodic surveys of a customer's contacts and of the provider's team ----------


class PulseRound(Base):
    """One round of a pulse (`services/pulse.py`): a customer's `relationship` pulse (its
    contacts on the partnership) or the provider's `team` pulse about serving it, for a
    period such as `2026-Q4`. Its links work from `opens_at` until `closes_at`.
    `salt` keys the recipients' address hashes of this round (see PulseInvitation)."""

    __tablename__ = "pulse_rounds"
    __table_args__ = (UniqueConstraint("customer_id", "kind", "period"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # relationship, team
    period: Mapped[str] = mapped_column(String(40))  # a label: 2026-Q4, 2026-H1 ...
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    salt: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PulseInvitation(Base):
    """One recipient's link to a pulse round. The address itself is not stored: the mail
    leaves inside the transaction that records the invitation, and only a salted SHA-256
    of the address is kept, for the rule of one invitation per address and round. As for
    the ticket survey, only the SHA-256 of the link's random token is kept."""

    __tablename__ = "pulse_invitations"
    __table_args__ = (UniqueConstraint("round_id", "recipient_hash"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    recipient_hash: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(10))  # fi, sv, en: the page's default
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
