"""Survey e-mails through a real SMTP server (aiosmtpd, started here): the link arrives in
the ticket's language, once per ticket, and once per requester in the interval."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.db.test_surveys import CUSTOMER, seed_tickets
from tests.smtp import Inbox, free_port, mail

from mittari.services.surveys import TicketUnknown, open_link, send_invitation


@pytest.fixture
def world(db: Engine, tmp_path: Path) -> Engine:
    seed_tickets(db, tmp_path)
    return db


def test_the_link_is_mailed_once_per_ticket_and_once_per_requester_in_the_interval(
    world: Engine, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    assert send_invitation(world, mail(port), CUSTOMER, "T-1") == "sent"
    assert send_invitation(world, mail(port), CUSTOMER, "T-1") == "already sent"
    assert send_invitation(world, mail(port), CUSTOMER, "T-2") == "too soon"  # same requester
    assert send_invitation(world, mail(port), CUSTOMER, "T-3") == "sent"  # another requester
    assert [m["To"] for m in box.messages] == ["anna@example.test", "bo@example.test"]
    first = box.messages[0]
    assert isinstance(first, EmailMessage)
    body = first.get_content()
    assert first["Subject"] == "Miten tukipyyntösi T-1 hoitui?"  # no language given: Finnish
    link = next(w for w in body.split() if w.startswith("https://mittari.example.test/s/"))
    token = link.split("/s/")[1].split("?")[0]
    assert open_link(world, token).state == "open" and "anna" not in link


def test_with_no_interval_a_requester_gets_each_tickets_link(
    world: Engine, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    assert send_invitation(world, mail(port, 0), CUSTOMER, "T-1") == "sent"
    assert send_invitation(world, mail(port, 0), CUSTOMER, "T-2") == "sent"
    assert len(box.messages) == 2


def test_a_refused_mail_records_nothing_and_can_be_sent_later(
    world: Engine, inbox: tuple[Inbox, int]
) -> None:
    box, port = inbox
    closed = free_port()  # nothing listens there
    with pytest.raises(OSError):
        send_invitation(world, mail(closed), CUSTOMER, "T-1")
    assert send_invitation(world, mail(port), CUSTOMER, "T-1") == "sent"
    assert len(box.messages) == 1


def test_an_unknown_ticket_is_refused(world: Engine, inbox: tuple[Inbox, int]) -> None:
    with pytest.raises(TicketUnknown):
        send_invitation(world, mail(inbox[1]), CUSTOMER, "nope")
