"""The store commands end to end, on SQLite and PostgreSQL, through MITTARI_DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from typer.testing import CliRunner

from mittari.cli.main import app

ROOT = Path(__file__).parents[2]
SAMPLES = ROOT / "src/mittari/importers/canonical/samples"
CONTRACTS = ROOT / "src/mittari/services/demo_contracts"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    engine, url = fresh_database(request.param, str(tmp_path))
    yield url
    drop_database(engine)


def run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"MITTARI_DATABASE_URL": url})
    return result.exit_code, result.output


def test_upgrade_import_measure_compliance(url: str) -> None:
    code, out = run(url, "import", "canonical", str(SAMPLES / "events.csv"))
    assert code == 1 and "mittari db upgrade" in out  # an empty database says what to do
    assert run(url, "db", "upgrade")[0] == 0
    code, out = run(url, "contract", "add", str(CONTRACTS / "kalliokone.yaml"))
    assert (code, out.strip()) == (0, "kalliokone: 1 new of 1 versions (2025.1)")
    events, tickets = str(SAMPLES / "events.csv"), str(SAMPLES / "tickets.csv")
    code, out = run(url, "import", "canonical", events, "--tickets", tickets)
    assert code == 0
    assert "36 read, 36 imported, 0 duplicates, 0 rejected; 4 new tickets" in out
    code, out = run(url, "import", "canonical", events, "--tickets", tickets)
    assert "36 read, 0 imported, 36 duplicates, 0 rejected; 0 new tickets" in out
    code, out = run(url, "measure", "--customer", "kalliokone", "--as-of", "2025-04-01T00:00:00Z")
    assert code == 0 and out.startswith("run 1:")
    code, out = run(url, "compliance", "--customer", "kalliokone", "--month", "2025-03")
    assert code == 0 and "2025-03" in out and "run 1 of kalliokone" in out
    code, out = run(url, "runs", "--customer", "kalliokone")
    assert code == 0 and "measurement runs" in out and "committed" in out


def test_a_strict_import_of_a_bad_file_exits_1_and_names_each_problem(url: str) -> None:
    run(url, "db", "upgrade")
    bad = SAMPLES / "events_with_errors.csv"
    code, out = run(url, "import", "canonical", str(bad), "--customer", "x", "--strict")
    assert code == 1
    assert f"rejected: {bad}:3: value: unknown status" in out
    assert "batch 1 rejected" in out and "nothing was stored" in out


def test_a_bad_database_url_is_named(tmp_path: Path) -> None:
    code, out = run("mysql://nobody@localhost/x", "db", "upgrade")
    assert code == 1 and "MITTARI_DATABASE_URL" in out and "mysql" in out
