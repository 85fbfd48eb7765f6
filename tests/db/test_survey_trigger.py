"""The survey of a resolved ticket goes out by itself, on SQLite and PostgreSQL, through a
real SMTP server (aiosmtpd, started here): a ticket resolved through a Jira webhook gets
exactly one e-mail from the notifier, whatever it does next; the requester interval
holds; several processes at once still send each survey once."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tests.api.conftest import CONTRACTS, A
from tests.api.test_webhooks import SAMPLES, created_body, post_jira
from tests.db.test_surveys import CUSTOMER, seed_tickets
from tests.smtp import Inbox, free_port, mail

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.db.models import SurveyInvitation
from mittari.services.ingest import import_source
from mittari.services.notify import Policy, run_forever
from mittari.services.stored import add_contract
from mittari.services.survey_trigger import (
    SurveyRounds,
    Trigger,
    resolved_tickets,
    send_resolved,
    trigger_of,
)
from mittari.services.surveys import Mail
from mittari.services.webhooks import configure

SECRET = "s" * 32
ANNA = {"name": "anna@example.test", "displayName": "Anna"}  # a Jira Server user name
MARCH_5 = datetime(2025, 3, 5, tzinfo=UTC)  # seed_tickets resolves T-1..T-3 on March 1-3


@pytest.fixture
def desk(db: Engine) -> TestClient:
    """The API over `db` with customer A's Jira webhook configured."""
    add_contract(db, CONTRACTS / f"{A}.yaml")
    configure(db, A, "jira", SECRET)
    return TestClient(create_app(Settings(notifier=False), engine=db))


def invitations(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(SurveyInvitation)) or 0)


def jira_created(client: TestClient, key: str, delivery: str) -> None:
    body = created_body(key, 60)
    body["issue"]["fields"]["reporter"] = ANNA  # type: ignore[index]
    assert post_jira(client, SECRET, body, delivery).status_code == 202  # type: ignore[attr-defined]


def jira_status(client: TestClient, key: str, old: str, new: str, change: int) -> None:
    """A status change of issue `key` now (changelog id `change`)."""
    body = json.loads((SAMPLES / "test__webhook__issue_updated_status_updated.json").read_text())
    body["issue"]["key"] = key
    body["issue"]["fields"]["reporter"] = ANNA
    body["timestamp"] = int(datetime.now(UTC).timestamp() * 1000)
    item = {"field": "status", "fieldtype": "jira", "fromString": old, "toString": new}
    body["changelog"] = {"id": str(change), "items": [item]}
    response = post_jira(client, SECRET, body, f"change-{change}")
    assert response.status_code == 202, response.text  # type: ignore[attr-defined]


def test_a_ticket_resolved_through_a_webhook_gets_one_mail(
    db: Engine, desk: TestClient, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    rounds = SurveyRounds(Trigger(mail(port)))
    jira_created(desk, "SD-1", "d-1")
    assert rounds.run(db).outcomes == []  # open: nothing to ask yet
    jira_status(desk, "SD-1", "To Do", "Done", 90001)
    report = rounds.run(db)
    assert [(o.ticket, o.action) for o in report.outcomes] == [("SD-1", "sent")]
    assert [m["To"] for m in box.messages] == ["anna@example.test"]
    assert "SD-1" in str(box.messages[0]["Subject"])
    assert rounds.run(db).count("sent") == 0  # a second pass sends nothing
    jira_status(desk, "SD-1", "Done", "In Progress", 90002)  # reopened: not resolved now
    with db.connect() as conn:
        assert resolved_tickets(conn, since_us=0) == []
    jira_status(desk, "SD-1", "In Progress", "Done", 90003)  # and resolved again
    for _ in range(3):
        assert rounds.run(db).count("sent") == 0
    assert len(box.messages) == 1 and invitations(db) == 1


def test_the_notifier_loop_mails_the_survey(
    db: Engine, desk: TestClient, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    jira_created(desk, "SD-2", "d-2")
    jira_status(desk, "SD-2", "To Do", "Done", 90011)
    stop = threading.Event()
    rounds = SurveyRounds(Trigger(mail(port)))
    args = (db, Policy(), 0.05, stop, rounds)
    worker = threading.Thread(target=run_forever, args=args, daemon=True)
    worker.start()
    deadline = time.monotonic() + 30
    while not box.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    after = rounds.rounds
    while rounds.rounds < after + 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # a few more rounds: none may send it again
    stop.set()
    worker.join(timeout=10)
    assert [m["To"] for m in box.messages] == ["anna@example.test"]
    assert rounds.rounds >= after + 3


def test_the_requester_interval_holds(db: Engine, tmp_path: Path, inbox: tuple[Inbox, int]) -> None:
    box, port = inbox
    seed_tickets(db, tmp_path)  # T-1, T-2 of anna@, T-3 of bo@, resolved March 1-3
    report = SurveyRounds(Trigger(mail(port, interval_days=30))).run(db, now=MARCH_5)
    got = [(o.ticket, o.action, o.reason) for o in report.outcomes]
    assert got == [
        ("T-1", "sent", ""),
        ("T-2", "issued", "the requester was mailed a survey in the last 30 days"),
        ("T-3", "sent", ""),
    ]
    assert [m["To"] for m in box.messages] == ["anna@example.test", "bo@example.test"]
    assert invitations(db) == 3  # T-2 has its link for the desk, and is not asked again
    again = SurveyRounds(Trigger(mail(port, interval_days=0))).run(db, now=MARCH_5)
    assert [o.reason for o in again.outcomes] == ["already invited"] * 3
    assert len(box.messages) == 2


def test_without_smtp_links_are_issued_and_nothing_is_mailed(
    db: Engine, tmp_path: Path, inbox: tuple[Inbox, int]
) -> None:
    box, _ = inbox
    seed_tickets(db, tmp_path)
    trigger = trigger_of(Settings())  # MITTARI_SMTP_HOST not set
    assert trigger.mail is None
    report = send_resolved(db, trigger, CUSTOMER, since_us=0)
    assert [o.action for o in report.outcomes] == ["issued"] * 3
    assert report.outcomes[0].reason.startswith("no SMTP server set")
    assert box.messages == [] and invitations(db) == 3
    chosen = trigger_of(Settings(smtp_host="127.0.0.1", smtp_port=2525))  # set: mail is on
    assert chosen.mail == Mail("127.0.0.1", 2525, "mittari@localhost", "http://127.0.0.1:8000", 30)


def test_only_tickets_whose_last_status_is_a_resolve_are_found(db: Engine, tmp_path: Path) -> None:
    rows = {
        "R": ["created", "status,resolved"],  # resolved
        "C": ["created", "status,resolved", "status,closed"],  # closed later: one row
        "O": ["created", "status,resolved", "status,open"],  # reopened
        "X": ["created", "status,cancelled"],  # cancelled is no resolve
        "N": ["created", "reply"],  # never resolved
        "L": ["created", "status,resolved", "note"],  # a later note changes nothing
    }
    lines = ["ticket_id,ts,kind,value,actor"]
    for ticket, kinds in rows.items():
        for hour, kind in enumerate(kinds):
            value = kind.split(",")[1] if "," in kind else ""
            actor = "agent" if kind in ("reply", "note") else ""
            lines.append(f"{ticket},2025-03-02T0{hour}:00:00Z,{kind.split(',')[0]},{value},{actor}")
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n")
    tickets = "ticket_id,customer,service\n" + "".join(f"{t},acme,Email\n" for t in rows)
    (tmp_path / "tickets.csv").write_text(tickets)
    import_source(db, "canonical", tmp_path / "events.csv", tickets=tmp_path / "tickets.csv")
    with db.connect() as conn:
        found = resolved_tickets(conn, since_us=0)
        later = resolved_tickets(conn, since_us=_us("2025-03-02T01:30:00Z"))
    assert [(r.ticket, r.resolved_us) for r in found] == [
        ("R", _us("2025-03-02T01:00:00Z")),
        ("L", _us("2025-03-02T01:00:00Z")),
        ("C", _us("2025-03-02T02:00:00Z")),
    ]
    assert [r.ticket for r in later] == ["C"]
    assert not any(r.invited for r in found)


def test_a_mail_failure_records_nothing_and_the_next_rounds_try_again(
    db: Engine, tmp_path: Path, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    rounds = SurveyRounds(Trigger(mail(free_port())))  # nothing listens there
    for _ in range(2):  # two empty rounds: the cursor has moved on from event 0
        assert rounds.run(db, now=MARCH_5).outcomes == []
    seed_tickets(db, tmp_path)
    for _ in range(2):
        report = rounds.run(db, now=MARCH_5)
        assert [o.action for o in report.outcomes] == ["failed"] * 3
        assert "not tried after a mail failure" in report.outcomes[1].reason
    assert invitations(db) == 0
    rounds.trigger = Trigger(mail(port))
    assert rounds.run(db, now=MARCH_5).count("sent") == 2  # T-2: too soon after T-1
    assert len(box.messages) == 2


def test_several_processes_at_once_send_each_survey_once(
    db: Engine, tmp_path: Path, inbox: tuple[Inbox, int]
) -> None:
    """Four workers (threads, each with its own connections, as processes would have)
    start together on 12 resolved tickets of 6 requesters."""
    box, port = inbox
    n, workers = 12, 4
    events = "ticket_id,ts,kind,value,actor\n" + "".join(
        f"M-{i},2025-03-02T08:{i:02d}:00Z,created,,customer\n"
        f"M-{i},2025-03-02T09:{i:02d}:00Z,status,resolved,agent\n"
        for i in range(n)
    )
    tickets = "ticket_id,customer,service,requester\n" + "".join(
        f"M-{i},acme,Email,user{i % 6}@example.test\n" for i in range(n)
    )
    (tmp_path / "events.csv").write_text(events)
    (tmp_path / "tickets.csv").write_text(tickets)
    import_source(db, "canonical", tmp_path / "events.csv", tickets=tmp_path / "tickets.csv")
    start = threading.Barrier(workers)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def one_process() -> None:
        try:
            start.wait(timeout=30)
            reports.append(SurveyRounds(Trigger(mail(port))).run(db, now=MARCH_5))
        except BaseException as exc:  # the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=one_process) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(r.count("sent") for r in reports) == 6  # one per requester in the interval
    assert sum(r.count("issued") for r in reports) == 6
    assert sorted(m["To"] for m in box.messages) == [f"user{i}@example.test" for i in range(6)]
    assert invitations(db) == n


def _us(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1_000_000)
