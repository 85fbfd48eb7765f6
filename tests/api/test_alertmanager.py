"""Prometheus Alertmanager's webhook, on SQLite and PostgreSQL: its bearer credential is
checked, firing and resolved alerts become one outage, and a re-sent notification (which
Alertmanager does until an alert resolves) adds nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from tests.services.reliability_inputs import CONTRACT

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.db.migrate import upgrade
from mittari.db.models import ImportBatch, Outage
from mittari.services.stored import add_contract
from mittari.services.tokens import create_token

C = "kuusiston-konepaja"
SECRET = "s" * 32
STARTS = "2026-05-05T07:12:30.118226817Z"


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, Engine]]:
    engine, url = fresh_database(request.param, str(tmp_path_factory.mktemp("alerts")))
    upgrade(engine)
    add_contract(engine, CONTRACT)
    token = create_token(engine, "ops", "provider-admin", None)[0]
    settings = Settings(database_url=url, notifier=False, webhook_max_bytes=16 * 1024)
    client = TestClient(create_app(settings, engine=engine))
    client.headers["Authorization"] = f"Bearer {token}"
    configured = client.put(f"/api/v1/customers/{C}/webhooks/alertmanager", json={"secret": SECRET})
    assert configured.status_code == 200, configured.text
    assert configured.json()["url"].endswith(f"/webhooks/alertmanager/{C}")
    yield client, engine
    drop_database(engine)


def body(status: str, fingerprint: str = "7c1d0f4e2a9b3301", ends: str | None = None) -> bytes:
    alert = {
        "status": status,
        "labels": {"alertname": "SmtpProbeFailed", "service": "email", "severity": "critical"},
        "annotations": {"summary": "SMTP probe fails on smtp1"},
        "startsAt": STARTS,
        "endsAt": ends or "0001-01-01T00:00:00Z",
        "fingerprint": fingerprint,
    }
    return json.dumps(
        {"version": "4", "status": status, "receiver": "mittari", "alerts": [alert]}
    ).encode()


def post(client: TestClient, raw: bytes, credentials: str | None = SECRET) -> Any:
    headers = {"content-type": "application/json"}
    if credentials is not None:
        headers["authorization"] = f"Bearer {credentials}"
    # the client's own admin token must not stand in for the webhook's credentials
    return client.post(f"/webhooks/alertmanager/{C}", content=raw, headers=headers)


def stored(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        outages = conn.scalar(select(func.count()).select_from(Outage)) or 0
        batches = conn.scalar(select(func.count()).select_from(ImportBatch)) or 0
    return int(outages), int(batches)


def outage(client: TestClient, fingerprint: str) -> dict[str, Any]:
    items = client.get(f"/api/v1/customers/{C}/outages").json()["items"]
    return next(o for o in items if o["id"].startswith(fingerprint))


def test_firing_then_resolved_is_one_outage_that_ends(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    before = stored(engine)[0]
    fired = post(client, body("firing"))
    assert fired.status_code == 202, fired.text
    assert (fired.json()["added"], fired.json()["closed"]) == (1, 0)
    going = outage(client, "7c1d0f4e2a9b3301")
    assert (going["service"], going["end"], going["source"]) == ("email", None, "alertmanager")
    assert going["start"] == "2026-05-05T07:12:30.118226Z" and going["weight"] == 1.0
    resolved = post(client, body("resolved", ends="2026-05-05T07:54:30.118226817Z"))
    assert resolved.status_code == 202, resolved.text
    assert (resolved.json()["added"], resolved.json()["closed"]) == (0, 1)
    ended = outage(client, "7c1d0f4e2a9b3301")
    assert ended["end"] == "2026-05-05T07:54:30.118226Z" and ended["closed_at"] is not None
    assert stored(engine)[0] == before + 1  # one outage, not two


def test_a_replayed_notification_adds_nothing(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    raw = body("firing", fingerprint="a4e9c2b170d85f12")
    assert post(client, raw).json()["added"] == 1
    before = stored(engine)[0]
    again = post(client, raw)
    assert again.status_code == 202  # a re-send is no error: Alertmanager repeats itself
    assert (again.json()["added"], again.json()["closed"], again.json()["duplicates"]) == (0, 0, 1)
    assert stored(engine)[0] == before
    assert outage(client, "a4e9c2b170d85f12")["end"] is None  # a firing re-send ends nothing


@pytest.mark.parametrize("credentials", ["not-the-secret", None, SECRET + "x"])
def test_wrong_or_missing_credentials_are_401_and_store_nothing(
    site: tuple[TestClient, Engine], credentials: str | None
) -> None:
    client, engine = site
    before = stored(engine)
    response = post(client, body("firing", fingerprint="0be6f3a9d2c47e88"), credentials)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert stored(engine) == before


def test_an_unknown_customer_and_bad_bodies_are_refused(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    before = stored(engine)
    headers = {"authorization": f"Bearer {SECRET}"}
    assert (
        client.post(
            "/webhooks/alertmanager/nobody", content=body("firing"), headers=headers
        ).status_code
        == 404
    )
    assert post(client, b"not json").status_code == 400
    not_alertmanager = post(client, json.dumps({"version": "3", "alerts": [{}]}).encode())
    assert not_alertmanager.status_code == 422
    assert not_alertmanager.json()["errors"][0]["field"] == "bodies[0].version"
    assert post(client, b"[" + b" " * 20_000 + b"]").status_code == 413
    assert stored(engine) == before


def test_an_alert_without_a_service_is_kept_as_a_rejected_row(
    site: tuple[TestClient, Engine],
) -> None:
    client, _ = site
    raw = json.loads(body("firing", fingerprint="ffff000011112222"))
    raw["alerts"][0]["labels"].pop("service")
    response = post(client, json.dumps(raw).encode())
    assert response.status_code == 202
    assert (response.json()["added"], response.json()["rejected"]) == (0, 1)
