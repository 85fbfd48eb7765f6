"""`mittari serve` as a real process: it answers, and a server killed while webhooks arrive
has lost none it accepted (every 202 has its receipt and events in the database)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import select
from tests.api.conftest import CONTRACTS, A
from tests.db.conftest import BACKENDS, drop_database, fresh_database

from mittari.db.migrate import upgrade
from mittari.db.models import WebhookReceipt
from mittari.services.stored import add_contract
from mittari.services.webhooks import configure, sign_jira

SAMPLE = (
    Path(__file__).parents[2]
    / "src/mittari/importers/jira/samples/test__webhook__issue_created.json"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(url: str, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"MITTARI_DATABASE_URL": url, "MITTARI_NOTIFIER": "false"}
    command = [sys.executable, "-m", "mittari", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx2.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("mittari serve did not answer within 30 s")


def body(n: int) -> bytes:
    created = datetime.now(UTC) - timedelta(minutes=10)
    data = json.loads(SAMPLE.read_text())
    data["issue"]["key"] = f"LOAD-{n}"
    data["issue"]["fields"]["created"] = created.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    data["timestamp"] = int(created.timestamp() * 1000)
    return json.dumps(data).encode()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_killed_server_loses_no_accepted_webhook(backend: str, tmp_path: Path) -> None:
    engine, url = fresh_database(backend, str(tmp_path))
    try:
        upgrade(engine)
        add_contract(engine, CONTRACTS / f"{A}.yaml")
        secret = configure(engine, A, "jira")
        port = free_port()
        server = start(url, port)
        accepted: list[str] = []

        def send(n: int) -> None:
            raw = body(n)
            headers = {
                "x-hub-signature": sign_jira(secret, raw),
                "x-atlassian-webhook-identifier": f"d-{n}",
            }
            try:
                response = httpx2.post(
                    f"http://127.0.0.1:{port}/webhooks/jira/{A}",
                    content=raw,
                    headers=headers,
                    timeout=10,
                )
            except httpx2.HTTPError:
                return  # the server died under this one: it was not accepted
            if response.status_code == 202:
                accepted.append(f"d-{n}")
            if len(accepted) == 15:
                server.send_signal(signal.SIGKILL)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(send, range(200)))
        server.wait(timeout=30)
        with engine.connect() as conn:
            stored = set(conn.execute(select(WebhookReceipt.delivery_key)).scalars())
        assert len(accepted) >= 15
        assert set(accepted) <= stored  # every accepted delivery survived the kill
    finally:
        drop_database(engine)
