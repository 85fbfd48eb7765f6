"""Survey invitations and answers in the store, on both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mittari.db.models import Feedback, SurveyInvitation, utcnow
from mittari.services.ingest import import_source
from mittari.services.surveys import Form, TicketUnknown, answer, invite, open_link, token_hash

CUSTOMER = "kalliokone"


def seed_tickets(engine: Engine, folder: Path) -> None:
    """Three resolved tickets; two of one requester (an e-mail address)."""
    events = folder / "events.csv"
    events.write_text(
        "ticket_id,ts,kind,value,actor\n"
        + "".join(
            f"T-{i},2025-03-0{i}T08:00:00Z,created,,customer\n"
            f"T-{i},2025-03-0{i}T09:00:00Z,status,resolved,agent\n"
            for i in (1, 2, 3)
        )
    )
    tickets = folder / "tickets.csv"
    tickets.write_text(
        "ticket_id,customer,service,requester,subject\n"
        f"T-1,{CUSTOMER},Email,anna@example.test,Posti\n"
        f"T-2,{CUSTOMER},Email,anna@example.test,Posti taas\n"
        f"T-3,{CUSTOMER},VPN,bo@example.test,VPN\n"
    )
    import_source(engine, "canonical", events, tickets=tickets)


@pytest.fixture
def world(db: Engine, tmp_path: Path) -> Engine:
    seed_tickets(db, tmp_path)
    return db


def _token(path: str) -> str:
    return path.removeprefix("/s/")


def _answers(engine: Engine) -> list[Feedback]:
    with engine.connect() as conn:
        return list(conn.execute(select(Feedback)).all())  # type: ignore[arg-type]


def test_the_link_carries_only_a_random_token_and_the_store_only_its_hash(world: Engine) -> None:
    issued = invite(world, CUSTOMER, "T-1", language="sv")
    token = _token(issued.path)
    assert len(token) >= 43 and "T-1" not in issued.path and "anna" not in issued.path
    with world.connect() as conn:
        stored = conn.execute(select(SurveyInvitation.token_hash)).scalars().all()
    assert stored == [token_hash(token)] and token not in stored
    assert open_link(world, token).state == "open"
    assert open_link(world, token).language == "sv"


def test_an_unknown_ticket_is_refused(world: Engine) -> None:
    with pytest.raises(TicketUnknown):
        invite(world, CUSTOMER, "NOPE")


def test_opening_never_records_and_one_answer_per_ticket(world: Engine) -> None:
    first, second = invite(world, CUSTOMER, "T-1"), invite(world, CUSTOMER, "T-1")
    for _ in range(3):
        assert open_link(world, _token(first.path)).state == "open"
    assert _answers(world) == []
    form = Form(3, positive=["friendly"], negative=["slow", "not_fixed"], lost_time="2-4h")
    assert answer(world, _token(first.path), form) == "open"
    assert answer(world, _token(first.path), form) == "answered"
    assert answer(world, _token(second.path), form) == "answered"  # another link, same ticket
    [stored] = _answers(world)
    assert (stored.source, stored.scale, stored.score) == ("mittari-survey", "0-10", "3")
    assert stored.factors == "not_fixed,speed"  # the positive group dropped by a 3
    assert (stored.lost_time, stored.ticket_ref, stored.survey) == ("2-4h", "T-1", "ticket")
    assert open_link(world, _token(second.path)).state == "answered"


def test_an_expired_link_is_refused(world: Engine) -> None:
    issued = invite(world, CUSTOMER, "T-2", valid_days=1)
    later = utcnow() + timedelta(days=2)
    assert open_link(world, _token(issued.path), later).state == "expired"
    assert answer(world, _token(issued.path), Form(9), later) == "expired"
    assert _answers(world) == []


def test_an_unknown_token_is_refused(world: Engine) -> None:
    assert answer(world, "not-a-token", Form(5)) == "unknown"
