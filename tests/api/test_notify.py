"""Breach warnings on a hand-worked P2 ticket (office hours 08–16 Helsinki), once each, and
their delivery to a real HTTP receiver with retries, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import httpx2
import pytest
from sqlalchemy import Engine, insert, select
from tests.api.conftest import CONTRACTS, A
from tests.db.conftest import BACKENDS, drop_database, fresh_database

from mittari.db import repository as repo
from mittari.db.migrate import upgrade
from mittari.db.models import Delivery, Notification, OutboundHook, utcnow
from mittari.services.ingest import import_source
from mittari.services.live import recompute
from mittari.services.notify import Policy, deliver_due, record_crossings
from mittari.services.stored import add_contract

HELSINKI = ZoneInfo("Europe/Helsinki")


def us(day: int, hour: int, minute: int) -> int:
    """µs of a local Helsinki time in March 2025 (Monday the 3rd is day 3)."""
    return int(datetime(2025, 3, day, hour, minute, tzinfo=HELSINKI).timestamp() * 1_000_000)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    engine, _ = fresh_database(request.param, str(tmp_path))
    upgrade(engine)
    add_contract(engine, CONTRACTS / f"{A}.yaml")
    events = tmp_path / "p2.csv"
    events.write_text(
        "ticket_id,ts,kind,value,actor\n"
        "P2-1,2025-03-03T09:00:00+02:00,created,,customer\n"
        "P2-1,2025-03-03T09:00:00+02:00,priority,P2,\n"
    )
    import_source(engine, "canonical", events, customer=A)
    with engine.begin() as conn:
        owner = repo.customer_id(conn, A) or -1
        recompute(
            conn,
            owner,
            repo.ticket_ids(conn, "canonical", owner).column("id").to_pylist(),
            us(3, 9, 0),
        )
    yield engine
    drop_database(engine)


def recorded(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Notification.metric, Notification.threshold).order_by(Notification.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_each_threshold_is_recorded_once_when_crossed_in_business_hours(store: Engine) -> None:
    record_crossings(store, us(3, 9, 30))  # first response: 30 of 60 min
    assert recorded(store) == []
    record_crossings(store, us(3, 9, 45))  # 45 of 60 min: 75 %
    assert recorded(store) == [("first_response", 75)]
    record_crossings(store, us(3, 10, 1))  # 61 of 60 min: 90 % and breached
    record_crossings(store, us(3, 10, 1))  # again: nothing new
    assert recorded(store) == [
        ("first_response", 75),
        ("first_response", 90),
        ("first_response", 100),
    ]
    # resolution, 8 h of office time: 75 % was reached at 15:00 on Monday, but at 17:00 the
    # office is closed, so the warning waits for Tuesday morning
    record_crossings(store, us(3, 17, 0))
    assert ("resolution", 75) not in recorded(store)
    record_crossings(store, us(4, 8, 10))  # 7 h 10 min of 8 h: 89.6 %
    record_crossings(store, us(4, 8, 30))  # 7 h 30 min: 93.75 %
    record_crossings(store, us(4, 9, 1))  # 8 h 1 min: breached
    assert recorded(store)[3:] == [("resolution", 75), ("resolution", 90), ("resolution", 100)]


class Receiver(BaseHTTPRequestHandler):
    """A real HTTP endpoint that fails its first request, then accepts."""

    seen: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    fail_first = True

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        type(self).seen.append(({k.lower(): v for k, v in self.headers.items()}, body))
        status = 500 if type(self).fail_first and len(type(self).seen) == 1 else 204
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_warning_is_delivered_signed_after_a_failed_attempt(store: Engine) -> None:
    Receiver.seen = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        with store.begin() as conn:
            conn.execute(
                insert(OutboundHook).values(
                    url=url, secret="s" * 32, active=True, created_at=utcnow()
                )
            )
        record_crossings(store, us(3, 9, 45))
        policy = Policy(attempts=3, backoff_s=60)
        now = us(3, 9, 46)
        with httpx2.Client(timeout=5) as client:
            assert deliver_due(store, now, client, policy) == 0  # the receiver answers 500
            assert deliver_due(store, now + 30_000_000, client, policy) == 0  # not due yet
            assert deliver_due(store, now + 61_000_000, client, policy) == 1
        with store.connect() as conn:
            row = repo.entities(conn, select(Delivery))[0]
        assert (row.status, row.attempts, row.last_code) == ("delivered", 2, 204)
        headers, body = Receiver.seen[-1]
        expected = "sha256=" + hmac.new(b"s" * 32, body, hashlib.sha256).hexdigest()
        assert headers["x-mittari-signature"] == expected
        sent = json.loads(body)
        assert (sent["customer"], sent["ticket"], sent["threshold_pct"], sent["kind"]) == (
            A,
            "P2-1",
            75,
            "warning",
        )
    finally:
        server.shutdown()
        server.server_close()


def test_a_delivery_fails_for_good_after_its_attempts(store: Engine) -> None:
    with store.begin() as conn:  # nothing listens on port 9 (discard): every attempt fails
        conn.execute(
            insert(OutboundHook).values(
                url="http://127.0.0.1:9/x", secret="s" * 32, active=True, created_at=utcnow()
            )
        )
    record_crossings(store, us(3, 9, 45))
    policy = Policy(attempts=2, backoff_s=1)
    with httpx2.Client(timeout=2) as client:
        deliver_due(store, us(3, 9, 46), client, policy)
        deliver_due(store, us(3, 9, 47), client, policy)
        assert deliver_due(store, us(3, 9, 48), client, policy) == 0
    with store.connect() as conn:
        row = repo.entities(conn, select(Delivery))[0]
    assert (row.status, row.attempts) == ("failed", 2) and row.last_error
