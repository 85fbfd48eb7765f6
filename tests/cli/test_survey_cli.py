"""`mittari survey send` on a store filled by a batch import (SQLite and PostgreSQL), with
a real SMTP server (aiosmtpd) where it mails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from tests.db.test_surveys import CUSTOMER, seed_tickets
from tests.smtp import Inbox, smtp_env
from typer.testing import CliRunner

from mittari.cli.main import app
from mittari.db.migrate import upgrade
from mittari.db.models import SurveyInvitation

SINCE = ["--customer", CUSTOMER, "--since", "2025-03-01T00:00:00+02:00"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    engine, url = fresh_database(request.param, str(tmp_path))
    upgrade(engine)
    seed_tickets(engine, tmp_path)  # T-1, T-2 of anna@, T-3 of bo@, resolved March 1-3
    yield engine, url
    drop_database(engine)


def invitations(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(SurveyInvitation)) or 0)


def test_a_dry_run_shows_what_would_go_and_changes_nothing(
    store: tuple[Engine, str], inbox: tuple[Inbox, int]
) -> None:
    engine, url = store
    box, port = inbox
    env = {"MITTARI_DATABASE_URL": url, **smtp_env(port)}
    result = CliRunner().invoke(app, ["survey", "send", *SINCE, "--dry-run"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "dry run: nothing was issued or sent"
    t1, t2, t3 = (next(line for line in lines if line.startswith(t)) for t in ("T-1", "T-2", "T-3"))
    assert "would send" in t1 and "would send" in t3
    assert "would issue" in t2 and "mailed a survey in the last 30 days" in t2
    assert (
        lines[-1]
        == f"{CUSTOMER}: 2 would send, 1 would issue, 0 skipped (already invited), 0 failed"
    )
    assert invitations(engine) == 0 and box.messages == []


def test_it_sends_then_skips_what_was_sent(
    store: tuple[Engine, str], inbox: tuple[Inbox, int]
) -> None:
    engine, url = store
    box, port = inbox
    env = {"MITTARI_DATABASE_URL": url, **smtp_env(port)}
    result = CliRunner().invoke(app, ["survey", "send", *SINCE], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"{CUSTOMER}: 2 sent, 1 issued only, 0 skipped (already invited), 0 failed"
    )
    assert sorted(m["To"] for m in box.messages) == ["anna@example.test", "bo@example.test"]
    again = CliRunner().invoke(app, ["survey", "send", *SINCE], env=env)
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1].endswith("3 skipped (already invited), 0 failed")
    assert len(box.messages) == 2 and invitations(engine) == 3


def test_without_smtp_it_issues_links_only(store: tuple[Engine, str]) -> None:
    engine, url = store
    result = CliRunner().invoke(app, ["survey", "send", *SINCE], env={"MITTARI_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "no SMTP server set (MITTARI_SMTP_HOST)" in result.output
    assert result.output.splitlines()[-1].startswith(f"{CUSTOMER}: 0 sent, 3 issued only")
    assert invitations(engine) == 3


def test_a_later_since_leaves_older_tickets_alone(store: tuple[Engine, str]) -> None:
    engine, url = store
    later = ["--customer", CUSTOMER, "--since", "2025-03-02T12:00:00Z"]
    result = CliRunner().invoke(app, ["survey", "send", *later], env={"MITTARI_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "T-3" in result.output and "T-1" not in result.output and "T-2" not in result.output
    assert invitations(engine) == 1


def test_bad_input_is_named(store: tuple[Engine, str]) -> None:
    _, url = store
    env = {"MITTARI_DATABASE_URL": url}
    unknown = CliRunner().invoke(app, ["survey", "send", "--customer", "nobody"], env=env)
    assert unknown.exit_code == 1
    assert "unknown customer" in unknown.output and CUSTOMER in unknown.output
    naive = ["survey", "send", "--customer", CUSTOMER, "--since", "2025-03-01T00:00:00"]
    result = CliRunner().invoke(app, naive, env=env)
    assert result.exit_code == 2 and "has no UTC offset" in result.output
    words = ["survey", "send", "--customer", CUSTOMER, "--since", "last week"]
    result = CliRunner().invoke(app, words, env=env)
    assert result.exit_code == 2 and "is not an ISO 8601 instant" in result.output
