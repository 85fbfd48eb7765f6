"""Token and webhook commands on a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.db.conftest import drop_database, fresh_database
from typer.testing import CliRunner

from mittari.cli.main import app
from mittari.services.tokens import authenticate

CONTRACTS = Path(__file__).parents[2] / "src/mittari/services/demo_contracts"


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    engine, url = fresh_database("sqlite", str(tmp_path))
    yield url
    drop_database(engine)


def run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"MITTARI_DATABASE_URL": url})
    return result.exit_code, result.output


def test_tokens_are_created_shown_once_listed_and_revoked(url: str) -> None:
    from mittari.db.connect import make_engine

    run(url, "db", "upgrade")
    run(url, "contract", "add", str(CONTRACTS / "kalliokone.yaml"))
    code, out = run(
        url,
        "token",
        "create",
        "--role",
        "customer-viewer",
        "--customer",
        "kalliokone",
        "--name",
        "it",
    )
    assert code == 0
    token = out.split(": ", 1)[1].split()[0]
    engine = make_engine(url)
    who = authenticate(engine, token)
    assert who is not None and who.role == "customer-viewer" and who.customer_id is not None
    code, out = run(url, "token", "list")
    assert code == 0 and "customer-viewer" in out and token not in out
    assert run(url, "token", "revoke", "1")[0] == 0
    assert authenticate(engine, token) is None
    assert run(url, "token", "revoke", "1")[0] == 1  # already revoked
    engine.dispose()


def test_a_token_with_a_contradictory_role_is_refused(url: str) -> None:
    run(url, "db", "upgrade")
    code, out = run(
        url, "token", "create", "--role", "provider-admin", "--customer", "x", "--name", "n"
    )
    assert code == 1 and "customer-viewer token names one customer" in out
    code, out = run(url, "token", "create", "--role", "root", "--name", "n")
    assert code == 1 and "provider-admin" in out


def test_webhook_set_prints_the_secret_and_the_path(url: str) -> None:
    run(url, "db", "upgrade")
    code, out = run(url, "webhook", "set", "jira", "--customer", "kalliokone", "--secret", "s" * 20)
    assert (code, out.strip()) == (0, f"POST /webhooks/jira/kalliokone with secret: {'s' * 20}")
    code, out = run(url, "webhook", "set", "gitlab", "--customer", "kalliokone")
    assert code == 1 and "gitlab" in out
