"""Live ingestion: signed webhooks from a customer's Jira or Zendesk, and its Alertmanager's
notifications, stored before answering.

Each customer configures a webhook per source with a shared secret. A delivery is accepted
when its HMAC signature holds (constant-time compare), it is not older than the replay
window (Zendesk signs a timestamp) and its delivery key was never seen. Its events, the
receipt and the recomputed clocks of its tickets commit in one transaction before the
answer: a server killed after answering has lost nothing it accepted.

Alertmanager cannot sign a body: it sends the secret itself as `Authorization: Bearer`
(its receiver's `http_config.authorization.credentials`), compared in constant time. It
re-sends a notification until the alert resolves, so a replay is no error: the outages are
idempotent (db/outages.py) and a re-sent notification adds nothing.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from mittari.db import repository as repo
from mittari.db.models import WebhookReceipt, WebhookSource, utcnow
from mittari.errors import InputError, MittariError
from mittari.importers.extract import Extract
from mittari.importers.outages import parse_alertmanager
from mittari.services import live
from mittari.services.ingest import store_on
from mittari.services.outages import store_extract
from mittari.services.staging import stage_extract

DESKS = ("jira", "zendesk")  # service desks: signed bodies of ticket events
SOURCES = (*DESKS, "alertmanager")  # and the monitoring's alerts: outages


class WebhookRefused(MittariError):
    """A delivery not taken: `status` is the HTTP status to answer with."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        self.status, self.title, self.detail = status, title, detail
        super().__init__(f"{title}: {detail}")


@dataclass(frozen=True)
class Received:
    delivery: str
    events: int
    duplicates: int
    rejected: int
    open_clocks: int


@dataclass(frozen=True)
class AlertsReceived:
    batch: int
    alerts: int
    added: int
    closed: int
    duplicates: int
    rejected: int


def configure(engine: Engine, customer: str, source: str, secret: str | None = None) -> str:
    """Set (or rotate) a customer's webhook secret for `source`; returns the secret."""
    if source not in SOURCES:
        raise WebhookRefused(404, "Not Found", f"no webhook source {source!r}")
    chosen = secret or secrets.token_urlsafe(32)
    with engine.begin() as conn:
        owner = repo.customer_ids(conn, [customer], create=True)[customer]
        found = conn.scalar(
            select(WebhookSource.id).where(
                WebhookSource.customer_id == owner, WebhookSource.source == source
            )
        )
        if found is None:
            conn.execute(
                insert(WebhookSource).values(
                    customer_id=owner, source=source, secret=chosen, created_at=utcnow()
                )
            )
        else:
            conn.execute(
                WebhookSource.__table__.update()
                .where(WebhookSource.id == found)
                .values(secret=chosen)
            )
    return chosen


def receive(
    engine: Engine,
    source: str,
    customer: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance_s: int,
    now: datetime | None = None,
) -> Received:
    """Verify, parse and store one delivery (see the module docstring)."""
    moment = now or datetime.now(UTC)
    now_us = int(moment.timestamp() * 1_000_000)
    with engine.begin() as conn:  # one connection and one transaction a delivery
        hook = _source(conn, customer, source, DESKS)
        verify = {"jira": _verify_jira, "zendesk": _verify_zendesk}[source]
        delivery = verify(hook.secret, headers, body, moment, tolerance_s)
        payload = _json(body)
        extract = _parse(source, payload)
        staged = stage_extract(extract, f"webhook:{source}:{delivery}", None)
        try:
            receipt = conn.execute(
                insert(WebhookReceipt).values(
                    webhook_source_id=hook.id, delivery_key=delivery, received_at=moment
                )
            )
        except IntegrityError:
            raise WebhookRefused(409, "Conflict", "this delivery was received before") from None
        summary, pks = store_on(conn, staged, customer=customer, options={"webhook": source})
        clocks = live.recompute(conn, hook.customer_id, [int(p) for p in pks if p >= 0], now_us)
        conn.execute(
            WebhookReceipt.__table__.update()
            .where(WebhookReceipt.id == receipt.inserted_primary_key[0])  # type: ignore[index]
            .values(n_events=summary.n_imported, batch_id=summary.batch)
        )
    return Received(delivery, summary.n_imported, summary.n_duplicates, summary.n_rejected, clocks)


def receive_alerts(
    engine: Engine, customer: str, headers: Mapping[str, str], body: bytes
) -> AlertsReceived:
    """Verify one Alertmanager notification and store its alerts as outages (see above)."""
    with engine.begin() as conn:  # the outages and their batch commit before the answer
        hook = _source(conn, customer, "alertmanager", ("alertmanager",))
        _verify_bearer(hook.secret, headers)
        extract = parse_alertmanager([(None, _json(body))], file="<alertmanager webhook>")
        if extract.n_read == 0 and extract.problems:  # no Alertmanager body at all
            raise InputError(extract.problems)
        options: dict[str, object] = {"webhook": "alertmanager"}
        stored = store_extract(
            conn, extract, customer=customer, path="webhook:alertmanager", options=options
        )
    return AlertsReceived(
        stored.batch,
        stored.n_read,
        stored.n_added,
        stored.n_closed,
        stored.n_duplicates,
        stored.n_rejected,
    )


def _verify_bearer(secret: str, headers: Mapping[str, str]) -> None:
    scheme, _, given = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), secret.encode()
    ):
        raise WebhookRefused(401, "Unauthorized", "the bearer credentials do not match")


def _source(conn: Any, customer: str, source: str, allowed: tuple[str, ...]) -> WebhookSource:
    found = _lookup(conn, customer, source) if source in allowed else None
    if found is None:  # the same answer for an unknown customer and an unconfigured one
        raise WebhookRefused(404, "Not Found", "no such webhook")
    return found


def _lookup(conn: Any, customer: str, source: str) -> WebhookSource | None:
    owner = repo.customer_id(conn, customer)
    if owner is None:
        return None
    query = select(WebhookSource).where(
        WebhookSource.customer_id == owner, WebhookSource.source == source
    )
    found = repo.entities(conn, query)
    return found[0] if found else None


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookRefused(400, "Bad Request", f"the body is not JSON: {exc}") from None


def _parse(source: str, payload: Any) -> Extract:
    if not isinstance(payload, dict):
        raise WebhookRefused(400, "Bad Request", "the body is not a JSON object")
    if source == "jira":
        from mittari.importers.jira import events_from_webhook

        return events_from_webhook(payload, mapping=_jira_rules(), file="<jira webhook>")
    from mittari.importers.zendesk import events_from_event_webhook

    return events_from_event_webhook(payload, mapping=_zendesk_rules(), file="<zendesk webhook>")


@functools.cache
def _jira_rules() -> Any:
    """The default Jira mapping, read once per process (YAML costs more than a delivery)."""
    from mittari.importers.jira import load_rules

    return load_rules()


@functools.cache
def _zendesk_rules() -> Any:
    from mittari.importers.zendesk import load_zendesk_mapping

    return load_zendesk_mapping()


# --- signatures ----------------------------------------------------------------------------


def sign_jira(secret: str, body: bytes) -> str:
    """Jira's `X-Hub-Signature` (WebSub): `sha256=` + hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sign_zendesk(secret: str, timestamp: str, body: bytes) -> str:
    """Zendesk's `X-Zendesk-Webhook-Signature`: base64 HMAC-SHA256 of timestamp + body."""
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _verify_jira(
    secret: str, headers: Mapping[str, str], body: bytes, now: datetime, tolerance_s: int
) -> str:
    given = headers.get("x-hub-signature", "")
    if not hmac.compare_digest(given.encode(), sign_jira(secret, body).encode()):
        raise WebhookRefused(401, "Unauthorized", "the signature does not match")
    # Jira names each delivery; its retries keep the name. Without one, the body is the key.
    return headers.get("x-atlassian-webhook-identifier") or hashlib.sha256(body).hexdigest()


def _verify_zendesk(
    secret: str, headers: Mapping[str, str], body: bytes, now: datetime, tolerance_s: int
) -> str:
    stamp = headers.get("x-zendesk-webhook-signature-timestamp", "")
    given = headers.get("x-zendesk-webhook-signature", "")
    if not hmac.compare_digest(given.encode(), sign_zendesk(secret, stamp, body).encode()):
        raise WebhookRefused(401, "Unauthorized", "the signature does not match")
    try:
        signed_at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise WebhookRefused(401, "Unauthorized", "the signature timestamp is unreadable") from None
    if signed_at.tzinfo is None or abs((now - signed_at).total_seconds()) > tolerance_s:
        raise WebhookRefused(401, "Unauthorized", "the signature timestamp is outside the window")
    return hashlib.sha256(given.encode()).hexdigest()  # a replay repeats the signature
