"""A real SMTP server for the tests that mail (aiosmtpd, started on a free local port), the
`inbox` fixture over it and the mail settings that point at it.

Test folders take the fixture into their conftest.py: `from tests.smtp import inbox`."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from mittari.services.surveys import Mail


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


def free_port() -> int:
    """A local port where nothing listens (at least for now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(handler: Inbox) -> Iterator[int]:
    """An SMTP server on a free port handing what it receives to `handler`: its port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server for the test: what it receives, and its port."""
    handler = Inbox()
    with serving(handler) as port:
        yield handler, port


def mail(port: int, interval_days: float = 30, sender: str = "desk@example.test") -> Mail:
    """Mail through the test's server, with links to the test site."""
    return Mail("127.0.0.1", port, sender, "https://mittari.example.test", interval_days)


def smtp_env(port: int) -> dict[str, str]:
    """The settings (environment) that send the CLI's mail to the test's server."""
    return {"MITTARI_SMTP_HOST": "127.0.0.1", "MITTARI_SMTP_PORT": str(port)}
