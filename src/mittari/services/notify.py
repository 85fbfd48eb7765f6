"""Breach warnings: recorded once when a clock crosses 75 %, 90 % or 100 % of its target,
then delivered to the configured outbound webhooks with retries and a delivery log.

Warnings (75 %, 90 %) are recorded only for a running clock whose calendar is open now: a
paused clock, or one outside its business hours, waits (and is warned when it runs again in
business hours, if it is still open). A breach (100 %) is recorded whatever the clock does.
The unique key (ticket, metric, cycle, threshold) makes every warning happen once, however
often clocks are recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx2 as httpx  # the maintained successor of httpx (Starlette 1.x uses it too)
import numpy as np
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from mittari.db import repository as repo
from mittari.db.models import (
    Customer,
    Delivery,
    Notification,
    OpenClock,
    OutboundHook,
    Ticket,
    utcnow,
)
from mittari.engine.types import State
from mittari.services import live
from mittari.services.at_risk import used_now
from mittari.services.survey_trigger import SurveyRounds

log = logging.getLogger(__name__)
THRESHOLDS = (75, 90, 100)
US = 1_000_000


@dataclass(frozen=True)
class Policy:
    attempts: int = 6
    backoff_s: float = 5.0


def record_crossings(engine: Engine, now_us: int) -> list[int]:
    """Record the thresholds crossed by now; returns the ids of new notifications (their
    deliveries, one per active hook of the customer or of every customer, are queued)."""
    with engine.begin() as conn:
        running = OpenClock.state == State.RUNNING
        candidates = or_(
            running & (OpenClock.warn_at_us.is_(None) | (OpenClock.warn_at_us <= now_us)),
            running & (OpenClock.critical_at_us <= now_us),
            OpenClock.due_at_us <= now_us,
            OpenClock.elapsed_us > OpenClock.target_us,
        )
        clocks = repo.entities(conn, select(OpenClock).where(candidates))
        if not clocks:
            return []
        used = used_now(conn, clocks, now_us)
        new: list[int] = []
        for clock, spent in zip(clocks, used.tolist(), strict=True):
            for threshold in _crossed(conn, clock, spent, now_us):
                found = _insert_once(conn, clock, threshold, now_us)
                if found is not None:
                    new.append(found)
                    _queue(conn, found, clock.customer_id, now_us)
        return new


def _crossed(conn: object, clock: OpenClock, spent: int, now_us: int) -> list[int]:
    crossed = [t for t in THRESHOLDS if spent * 100 >= t * clock.target_us]
    breach = [t for t in crossed if t == 100 and spent > clock.target_us]
    warnings = [t for t in crossed if t < 100]
    if clock.state != State.RUNNING or not _open_now(conn, clock, now_us):
        return breach
    return warnings + breach


def _open_now(conn: object, clock: OpenClock, now_us: int) -> bool:
    contracts = live.contracts_of(conn, clock.customer_id)  # type: ignore[arg-type]
    calendar = (
        None
        if contracts is None
        else contracts.calendars.get((clock.contract_version_id, clock.calendar))
    )
    if calendar is None:
        return False
    instant = np.array([now_us], dtype=np.int64)
    return bool(calendar.business(instant, instant + 1)[0] == 1)


def _insert_once(conn: object, clock: OpenClock, threshold: int, now_us: int) -> int | None:
    values = {
        "customer_id": clock.customer_id,
        "ticket_id": clock.ticket_id,
        "metric": clock.metric,
        "cycle": clock.cycle,
        "threshold": threshold,
        "crossed_at_us": _crossed_at(clock, threshold, now_us),
        "created_at": utcnow(),
    }
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite  # type: ignore[attr-defined]
    statement = (
        dialect.insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["ticket_id", "metric", "cycle", "threshold"])
        .returning(Notification.id)
    )
    return conn.execute(statement).scalar()  # type: ignore[attr-defined,no-any-return]


def _crossed_at(clock: OpenClock, threshold: int, now_us: int) -> int:
    known = {75: clock.warn_at_us, 90: clock.critical_at_us, 100: clock.due_at_us}[threshold]
    return known if known is not None and known <= now_us else min(now_us, clock.computed_at_us)


def _queue(conn: object, notification: int, customer: int, now_us: int) -> None:
    hooks = conn.execute(  # type: ignore[attr-defined]
        select(OutboundHook.id).where(
            OutboundHook.active,
            or_(OutboundHook.customer_id == customer, OutboundHook.customer_id.is_(None)),
        )
    ).scalars()
    rows = [
        {
            "notification_id": notification,
            "hook_id": h,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at_us": now_us,
        }
        for h in hooks
    ]
    if rows:
        conn.execute(Delivery.__table__.insert(), rows)  # type: ignore[attr-defined]


def sign(secret: str, body: bytes) -> str:
    """`X-Mittari-Signature`: `sha256=` + hex HMAC-SHA256 of the body, as Jira and GitHub do."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver_due(engine: Engine, now_us: int, client: httpx.Client, policy: Policy) -> int:
    """Attempt every delivery that is due; returns how many were delivered."""
    with engine.connect() as conn:
        due = (
            conn.execute(
                select(Delivery.id)
                .where(Delivery.status == "pending", Delivery.next_attempt_at_us <= now_us)
                .order_by(Delivery.id)
            )
            .scalars()
            .all()
        )
    return sum(_attempt(engine, delivery, now_us, client, policy) for delivery in due)


def _attempt(
    engine: Engine, delivery: int, now_us: int, client: httpx.Client, policy: Policy
) -> bool:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # another worker may hold it: skip, don't wait
            locked = conn.execute(
                select(Delivery.id)
                .where(Delivery.id == delivery, Delivery.status == "pending")
                .with_for_update(skip_locked=True)
            ).scalar()
            if locked is None:
                return False
        row, hook, body = _payload(conn, delivery)
        code, error = _post(client, hook, delivery, body)
        ok = code is not None and 200 <= code < 300
        attempts = row.attempts + 1
        retry = now_us + int(policy.backoff_s * 2 ** (attempts - 1) * US)
        values: dict[str, object] = {"attempts": attempts, "last_code": code, "last_error": error}
        if ok:
            values |= {"status": "delivered", "delivered_at": utcnow(), "next_attempt_at_us": None}
        elif attempts >= policy.attempts:
            values |= {"status": "failed", "next_attempt_at_us": None}
        else:
            values |= {"next_attempt_at_us": retry}
        conn.execute(update(Delivery).where(Delivery.id == delivery).values(**values))
    return ok


def _payload(conn: object, delivery: int) -> tuple[Delivery, OutboundHook, bytes]:
    row = repo.entities(conn, select(Delivery).where(Delivery.id == delivery))[0]  # type: ignore[arg-type]
    hook = repo.entities(conn, select(OutboundHook).where(OutboundHook.id == row.hook_id))[0]  # type: ignore[arg-type]
    note = repo.entities(conn, select(Notification).where(Notification.id == row.notification_id))[
        0
    ]  # type: ignore[arg-type]
    ticket = conn.scalar(select(Ticket.external_id).where(Ticket.id == note.ticket_id))  # type: ignore[attr-defined]
    customer = conn.scalar(select(Customer.key).where(Customer.id == note.customer_id))  # type: ignore[attr-defined]
    body = {
        "notification": note.id,
        "customer": customer,
        "ticket": ticket,
        "metric": note.metric,
        "cycle": note.cycle,
        "threshold_pct": note.threshold,
        "kind": "breach" if note.threshold == 100 else "warning",
        "crossed_at": datetime.fromtimestamp(note.crossed_at_us / US, UTC).isoformat(),
    }
    return row, hook, json.dumps(body, sort_keys=True).encode()


def _post(
    client: httpx.Client, hook: OutboundHook, delivery: int, body: bytes
) -> tuple[int | None, str | None]:
    headers = {
        "content-type": "application/json",
        "x-mittari-delivery": str(delivery),
        "x-mittari-signature": sign(hook.secret, body),
    }
    try:
        response = client.post(hook.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return response.status_code, None if response.is_success else response.text[:500]


def refresh_paused(engine: Engine, now_us: int) -> int:
    """Move the due instant of paused clocks to "if it ran again now", so the feed's order
    stays true while they wait. Returns how many were moved."""
    with engine.begin() as conn:
        paused = repo.entities(conn, select(OpenClock).where(OpenClock.state == State.PAUSED))
        moved = 0
        for clock in paused:
            contracts = live.contracts_of(conn, clock.customer_id)
            calendar = (
                None
                if contracts is None
                else contracts.calendars.get((clock.contract_version_id, clock.calendar))
            )
            left = clock.target_us - clock.elapsed_us
            if calendar is None or left <= 0:
                continue
            due = int(calendar.due(np.array([now_us]), np.array([left]))[0])
            conn.execute(update(OpenClock).where(OpenClock.id == clock.id).values(due_at_us=due))
            moved += 1
    return moved


def tick(engine: Engine, client: httpx.Client, policy: Policy, now_us: int) -> tuple[int, int]:
    """One round of the notifier: paused clocks' due instants, new crossings, deliveries."""
    refresh_paused(engine, now_us)
    recorded = record_crossings(engine, now_us)
    return len(recorded), deliver_due(engine, now_us, client, policy)


def run_forever(
    engine: Engine,
    policy: Policy,
    interval_s: float,
    stop: threading.Event,
    surveys: SurveyRounds | None = None,
) -> None:
    """Run `tick` every `interval_s` until `stop` is set (a thread of `mittari serve`, or
    `mittari notify`), and after it `surveys`: the surveys of newly resolved tickets
    (services/survey_trigger.py). An error in one round is logged and the next round runs."""
    with httpx.Client(timeout=10.0) as client:
        while not stop.is_set():
            now_us = int(datetime.now(UTC).timestamp() * US)
            try:
                tick(engine, client, policy, now_us)
            except Exception:  # a bad round must not stop the warnings for good
                log.exception("notifier round failed")
            try:
                if surveys is not None:
                    surveys.run(engine)
            except Exception:  # nor may a mail server stop them
                log.exception("survey round failed")
            stop.wait(interval_s)
