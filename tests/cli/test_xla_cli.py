"""`mittari xla` and `mittari watermelon` on a stored customer (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from tests.db.test_xla_store import _stored
from typer.testing import CliRunner

from mittari.cli.main import app
from mittari.db.migrate import upgrade


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    engine, url = fresh_database(request.param, str(tmp_path))
    upgrade(engine)
    yield engine, url
    drop_database(engine)


def test_xla_and_watermelon_print_their_tables(store: tuple[Engine, str], tmp_path: Path) -> None:
    engine, url = store
    _stored(engine, tmp_path)
    env = {"MITTARI_DATABASE_URL": url}
    as_of = ["--customer", "acme", "--as-of", "2026-04-29T22:00:00Z", "--month", "2026-03"]
    result = CliRunner().invoke(app, ["xla", *as_of], env=env)
    assert result.exit_code == 0, result.output
    assert "lost_time_mean_min" in result.output and "missed" in result.output
    result = CliRunner().invoke(app, ["watermelon", *as_of], env=env)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "watermelon" in out and "green" in out and "I had to explain" in out
