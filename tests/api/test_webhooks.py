"""Signed webhooks from a customer's Jira and Zendesk, on SQLite and PostgreSQL: verified,
stored before the answer, replays refused, and the ticket's clocks live at once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.api.conftest import CONTRACTS, A
from tests.db.conftest import BACKENDS, drop_database, fresh_database

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.db.migrate import upgrade
from mittari.db.models import Event, OpenClock, Ticket, WebhookReceipt
from mittari.services.stored import add_contract
from mittari.services.tokens import create_token
from mittari.services.webhooks import sign_jira, sign_zendesk

SAMPLES = Path(__file__).parents[2] / "src/mittari/importers/jira/samples"


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, object, str]]:
    engine, url = fresh_database(request.param, str(tmp_path_factory.mktemp("hooks")))
    upgrade(engine)
    add_contract(engine, CONTRACTS / f"{A}.yaml")
    token = create_token(engine, "ops", "provider-admin", None)[0]
    app = create_app(
        Settings(database_url=url, notifier=False, webhook_max_bytes=64 * 1024), engine=engine
    )
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    secret = client.put(f"/api/v1/customers/{A}/webhooks/jira", json={}).json()["secret"]
    client.put(f"/api/v1/customers/{A}/webhooks/zendesk", json={"secret": "z" * 32})
    yield client, engine, secret
    drop_database(engine)


def created_body(key: str, minutes_ago: int) -> dict[str, object]:
    body = json.loads((SAMPLES / "test__webhook__issue_created.json").read_text())
    created = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes_ago)
    body["issue"]["key"] = key
    body["issue"]["fields"]["created"] = created.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    body["timestamp"] = int(created.timestamp() * 1000)
    return body


def post_jira(
    client: TestClient, secret: str, body: object, delivery: str, sign: bool = True
) -> object:
    raw = json.dumps(body).encode()
    headers = {"x-atlassian-webhook-identifier": delivery, "content-type": "application/json"}
    if sign:
        headers["x-hub-signature"] = sign_jira(secret, raw)
    return client.post(f"/webhooks/jira/{A}", content=raw, headers=headers)


def counts(engine: object) -> tuple[int, int, int]:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return tuple(
            int(conn.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Event, Ticket, WebhookReceipt)
        )  # type: ignore[return-value]


def test_a_signed_issue_is_stored_and_its_clocks_are_live(
    site: tuple[TestClient, object, str],
) -> None:
    client, engine, secret = site
    before = counts(engine)
    response = post_jira(client, secret, created_body("SD-7", 30), "delivery-1")
    assert response.status_code == 202, response.text
    got = response.json()
    assert got["events"] > 0 and got["open_clocks"] == 2  # first response and resolution
    after = counts(engine)
    assert after[0] - before[0] == got["events"] and after[1] - before[1] == 1
    feed = client.get(f"/api/v1/customers/{A}/at-risk").json()
    mine = [row for row in feed if row["ticket"] == "SD-7"]
    assert {row["metric"] for row in mine} == {"first_response", "resolution"}
    assert all(row["state"] == "running" and row["used_pct"] >= 0 for row in mine)


def test_a_replayed_delivery_is_refused_and_adds_nothing(
    site: tuple[TestClient, object, str],
) -> None:
    client, engine, secret = site
    assert post_jira(client, secret, created_body("SD-8", 20), "delivery-2").status_code == 202
    before = counts(engine)
    again = post_jira(client, secret, created_body("SD-8", 20), "delivery-2")
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert counts(engine) == before


def test_a_bad_signature_is_refused_and_stores_nothing(
    site: tuple[TestClient, object, str],
) -> None:
    client, engine, secret = site
    before = counts(engine)
    assert (
        post_jira(client, "not-the-secret", created_body("SD-9", 5), "delivery-3").status_code
        == 401
    )
    assert (
        post_jira(client, secret, created_body("SD-9", 5), "delivery-4", sign=False).status_code
        == 401
    )
    assert counts(engine) == before


def test_a_body_over_the_limit_is_refused(site: tuple[TestClient, object, str]) -> None:
    client, _engine, secret = site
    body = created_body("SD-10", 5)
    body["padding"] = "x" * (70 * 1024)
    assert post_jira(client, secret, body, "delivery-5").status_code == 413


def test_an_unconfigured_source_or_customer_is_not_found(
    site: tuple[TestClient, object, str],
) -> None:
    client, _, secret = site
    raw = json.dumps(created_body("SD-11", 5)).encode()
    headers = {"x-hub-signature": sign_jira(secret, raw)}
    for path in ("/webhooks/jira/nobody", f"/webhooks/gitlab/{A}"):
        response = client.post(path, content=raw, headers=headers)
        assert response.status_code == 404, path
    assert (
        client.post("/webhooks/jira/nobody", content=raw, headers=headers).json()
        == client.post(f"/webhooks/gitlab/{A}", content=raw, headers=headers).json()
    )


def test_an_update_moves_the_clocks_at_once(site: tuple[TestClient, object, str]) -> None:
    client, engine, secret = site
    assert post_jira(client, secret, created_body("SD-12", 40), "delivery-6").status_code == 202
    update = json.loads((SAMPLES / "test__webhook__issue_updated_status_updated.json").read_text())
    update["issue"]["key"] = "SD-12"
    now = datetime.now(UTC)
    update["timestamp"] = int(now.timestamp() * 1000)
    update["changelog"]["id"] = "99001"
    update["changelog"].pop("created", None)
    response = post_jira(client, secret, update, "delivery-7")
    assert response.status_code == 202, response.text
    with engine.connect() as conn:  # type: ignore[attr-defined]
        ticket = conn.scalar(select(Ticket.id).where(Ticket.external_id == "SD-12"))
        open_now = conn.scalar(
            select(func.count()).select_from(OpenClock).where(OpenClock.ticket_id == ticket)
        )
    assert open_now == 0  # Done: resolved, so no clock is open any more
    detail = client.get(f"/api/v1/customers/{A}/tickets/SD-12").json()
    assert next(e["kind"] for e in detail["events"]) == "created"
    assert {c["state"] for c in detail["clocks"]} <= {"met", "breached"}
    assert detail["segments"] and all(s["end"] > s["start"] for s in detail["segments"])


def zendesk_headers(body: bytes, stamp: str) -> dict[str, str]:
    return {
        "x-zendesk-webhook-signature": sign_zendesk("z" * 32, stamp, body),
        "x-zendesk-webhook-signature-timestamp": stamp,
        "content-type": "application/json",
    }


def zendesk_created(ticket: str) -> bytes:
    now = datetime.now(UTC).replace(microsecond=0)
    body = {
        "type": "zen:event-type:ticket.created",
        "account_id": 1,
        "id": f"evt-{ticket}",
        "time": now.isoformat().replace("+00:00", "Z"),
        "zendesk_event_version": "2022-11-06",
        "subject": f"zen:ticket:{ticket}",
        "detail": {
            "id": ticket,
            "status": "NEW",
            "priority": "HIGH",
            "requester_id": "501",
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "updated_at": now.isoformat().replace("+00:00", "Z"),
            "subject": "Printer on fire",
            "type": "INCIDENT",
            "via": {"channel": "web"},
        },
        "event": {},
    }
    return json.dumps(body).encode()


def test_a_zendesk_event_is_verified_with_its_timestamp(
    site: tuple[TestClient, object, str],
) -> None:
    client, _engine, _ = site
    raw = zendesk_created("9001")
    fresh = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    response = client.post(
        f"/webhooks/zendesk/{A}", content=raw, headers=zendesk_headers(raw, fresh)
    )
    assert response.status_code == 202, response.text
    assert response.json()["events"] > 0
    replay = client.post(f"/webhooks/zendesk/{A}", content=raw, headers=zendesk_headers(raw, fresh))
    assert replay.status_code == 409
    old = (
        (datetime.now(UTC) - timedelta(hours=1))
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z")
    )
    other = zendesk_created("9002")
    late = client.post(f"/webhooks/zendesk/{A}", content=other, headers=zendesk_headers(other, old))
    assert late.status_code == 401
