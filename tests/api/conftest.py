"""A seeded database on each backend, its API, and the personas that call it.

Two customers from the demo contracts: `kalliokone` (A) and `revontuli` (B), each with the
canonical sample tickets and one ticket opened an hour ago, so both have open clocks, and
one outage each;
their contracts carry XLA objectives, and A and B have survey answers (experience routes).
Personas: a provider admin, a provider analyst, a viewer of A and a viewer of B.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.db.conftest import BACKENDS, drop_database, fresh_database

from mittari.api.settings import Settings
from mittari.db.migrate import upgrade
from mittari.services.feedback import import_feedback
from mittari.services.ingest import import_source
from mittari.services.live import recompute
from mittari.services.outages import import_outages
from mittari.services.stored import add_contract, measure_customer
from mittari.services.tokens import create_token
from mittari.web.site import create_site

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "src/mittari/importers/canonical/samples"
CONTRACTS = ROOT / "src/mittari/services/demo_contracts"
A, B = "kalliokone", "revontuli"
A_TICKETS = ("INC-1001", "INC-1002", "OPEN-A")
B_TICKETS = ("INC-1003", "REQ-2001", "OPEN-B")
XLA = """  experience:
    minAnswers: 1
    baseline: {from: 2025-03-01, to: 2025-04-01}
    objectives:
      happiness: {min: 40}
      lost_time_mean_min: {max: 30}
      reopen_rate_pct: {max: 5}
"""
ANSWER_HEADER = "answer_id,ticket_id,answered_at,survey,scale,score,factors,lost_time,comment\n"
ANSWERS = {  # A: Email happy, VPN (reopened) not; B: Email happy
    A: "a-1,INC-1001,2025-03-05T10:00:00+02:00,ticket,0-10,9,speed;friendly,none,Nopea apu!\n"
    "a-2,INC-1002,2025-03-11T10:00:00+02:00,ticket,0-10,3,not_fixed;explain_again,2-4h,"
    "The VPN broke again the next day and I had to explain everything twice.\n",
    B: "b-1,INC-1003,2025-03-12T15:00:00+02:00,ticket,0-10,10,speed,<30m,Quick and friendly.\n",
}


@dataclass
class World:
    engine: Engine
    url: str
    app: FastAPI
    tokens: dict[str, str]  # persona → bearer token

    def client(self, persona: str | None) -> TestClient:
        client = TestClient(self.app)
        if persona is not None:
            client.headers["Authorization"] = f"Bearer {self.tokens[persona]}"
        return client


def open_tickets(folder: Path) -> tuple[Path, Path]:
    """One ticket per customer created an hour ago, still open (priority P2)."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    ts = start.isoformat()
    events = folder / "open.csv"
    events.write_text(
        "ticket_id,ts,kind,value,actor\n"
        f"OPEN-A,{ts},created,,customer\nOPEN-A,{ts},priority,P2,\n"
        f"OPEN-B,{ts},created,,customer\nOPEN-B,{ts},priority,P1,\n"
    )
    tickets = folder / "open-tickets.csv"
    tickets.write_text(
        "ticket_id,customer,service,subject\n"
        f"OPEN-A,{A},Email,Posti ei kulje\nOPEN-B,{B},VPN,VPN is down\n"
    )
    return events, tickets


def xla_contract(customer: str, folder: Path) -> Path:
    """The demo contract of `customer` with the tests' XLA section in place of its own."""
    kept, inside = [], False
    for line in (CONTRACTS / f"{customer}.yaml").read_text(encoding="utf-8").splitlines():
        if line.rstrip() == "  experience:":
            inside = True
        elif inside and line.strip() and not line.startswith("    "):
            inside = False
        if not inside:
            kept.append(line + "\n")
    path = folder / f"{customer}.yaml"
    path.write_text("".join(kept) + XLA, encoding="utf-8")
    return path


def seed(engine: Engine, folder: Path) -> None:
    upgrade(engine)
    for customer in (A, B):
        add_contract(engine, xla_contract(customer, folder))
    import_source(engine, "canonical", SAMPLES / "events.csv", tickets=SAMPLES / "tickets.csv")
    for customer, rows in ANSWERS.items():  # survey answers: the experience routes' data
        (folder / f"answers-{customer}.csv").write_text(ANSWER_HEADER + rows, encoding="utf-8")
        import_feedback(engine, folder / f"answers-{customer}.csv", customer=customer)
    events, tickets = open_tickets(folder)
    import_source(engine, "canonical", events, tickets=tickets)
    for customer, service in ((A, "Email"), (B, "VPN")):
        outages = folder / f"outages-{customer}.csv"
        # the summary names the customer: a leak into the other's answers shows (personas)
        outages.write_text(
            "service,start,end,summary\n"
            f"{service},2025-03-03T10:00:00+02:00,2025-03-03T11:00:00+02:00,{customer} down\n"
        )
        import_outages(engine, outages, customer=customer)
    as_of = int(datetime(2025, 4, 1, tzinfo=UTC).timestamp() * 1_000_000)
    now_us = int(datetime.now(UTC).timestamp() * 1_000_000)
    from mittari.db import repository as repo

    for customer in (A, B):
        measure_customer(engine, customer, as_of)
        with engine.begin() as conn:
            owner = repo.customer_id(conn, customer) or -1
            pks = repo.ticket_ids(conn, "canonical", owner).column("id").to_pylist()
            recompute(conn, owner, pks, now_us)


def make_world(backend: str, folder: Path) -> World:
    engine, url = fresh_database(backend, str(folder))
    seed(engine, folder)
    tokens = {
        "admin": create_token(engine, "ops", "provider-admin", None)[0],
        "analyst": create_token(engine, "reports", "provider-analyst", None)[0],
        "viewer_a": create_token(engine, "a-it", "customer-viewer", A)[0],
        "viewer_b": create_token(engine, "b-it", "customer-viewer", B)[0],
    }
    app = create_site(Settings(database_url=url, notifier=False), engine=engine)
    return World(engine, url, app, tokens)


@pytest.fixture(scope="session", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    made = make_world(request.param, tmp_path_factory.mktemp("api"))
    yield made
    drop_database(made.engine)
