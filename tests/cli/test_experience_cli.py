"""`mittari import feedback` and `mittari experience` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from typer.testing import CliRunner

from mittari.cli.main import app

SAMPLES = Path(__file__).parents[2] / "src/mittari/importers/feedback/samples"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    engine, url = fresh_database(request.param, str(tmp_path))
    yield url
    drop_database(engine)


def run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"MITTARI_DATABASE_URL": url})
    return result.exit_code, result.output


def test_import_feedback_then_experience(url: str, tmp_path: Path) -> None:
    assert run(url, "db", "upgrade")[0] == 0
    kysely = ["--mapping", str(SAMPLES / "kysely.yaml"), "--timezone", "Europe/Helsinki"]
    code, out = run(
        url, "import", "feedback", str(SAMPLES / "kysely.csv"), "--customer", "c", *kysely
    )
    assert code == 0 and "4 answers added" in out and "0 rejected" in out, out
    code, out = run(
        url, "import", "feedback", str(SAMPLES / "kysely.csv"), "--customer", "c", *kysely
    )
    assert code == 0 and "0 answers added" in out and "4 duplicates" in out, out
    written = tmp_path / "xla.csv"
    code, out = run(
        url, "experience", "--customer", "c", "--as-of", "2026-04-30T00:00:00Z", "-o", str(written)
    )
    assert code == 0, out
    assert "Sähköposti" in out and "Kannettavat" in out and "2026-03" in out
    assert written.read_text(encoding="utf-8").startswith('"customer","service","month"')


def test_a_strict_import_with_problems_stores_nothing_and_fails(url: str) -> None:
    run(url, "db", "upgrade")
    path = str(SAMPLES / "answers_errors.csv")
    code, out = run(url, "import", "feedback", path, "--customer", "c", "--strict")
    assert code == 1
    assert "answers_errors.csv:2: score: not a score of scale 0-10" in out
    assert "batch 1 rejected" in out
