"""`mittari import outages` end to end, on SQLite and PostgreSQL: idempotent imports, an
outage stored while going on closed by a later record, problems named and kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from typer.testing import CliRunner

from mittari.cli.main import app
from mittari.db.connect import make_engine
from mittari.db.models import ImportBatch, Outage, RejectedRow

SAMPLES = Path(__file__).parents[2] / "src/mittari/importers/outages/samples"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    engine, url = fresh_database(request.param, str(tmp_path))
    yield url
    drop_database(engine)


def run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"MITTARI_DATABASE_URL": url})
    return result.exit_code, result.output


def rows(url: str, model: type) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(model)).all())
    finally:
        engine.dispose()


def count(url: str, model: type) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def test_importing_outages_twice_adds_nothing(url: str) -> None:
    assert run(url, "db", "upgrade")[0] == 0
    csv = str(SAMPLES / "outages.csv")
    code, out = run(url, "import", "outages", csv, "--customer", "kuusisto")
    assert (code, out.strip()) == (
        0,
        "batch 1 committed: 8 read, 8 added, 0 closed, 0 duplicates, 0 rejected",
    )
    code, out = run(url, "import", "outages", csv, "--customer", "kuusisto")
    assert "8 read, 0 added, 0 closed, 8 duplicates, 0 rejected" in out
    assert count(url, Outage) == 8
    for kind in ("alertmanager", "zabbix"):  # both JSON samples, twice each
        path = str(next(SAMPLES.glob(f"{kind}*.json")))
        first = run(url, "import", "outages", path, "--customer", "kuusisto", "--format", kind)
        again = run(url, "import", "outages", path, "--customer", "kuusisto")
        assert first[0] == again[0] == 0 and " 0 added, 0 closed" in again[1]
    assert count(url, Outage) == 16  # 8 + 4 alert occurrences + 4 Zabbix problems


def test_a_later_record_with_an_end_closes_the_open_outage(url: str, tmp_path: Path) -> None:
    run(url, "db", "upgrade")
    going = tmp_path / "going.csv"
    going.write_text("service,start,source_id\nerp,2026-03-10T14:00:00+02:00,INC-7\n")
    ended = tmp_path / "ended.csv"
    ended.write_text(
        "service,start,end,source_id\n"
        "erp,2026-03-10T14:00:00+02:00,2026-03-10T15:00:00+02:00,INC-7\n"
        "erp,2026-03-10T14:00:00+02:00,2026-03-10T16:00:00+02:00,INC-7\n"  # the first end stands
    )
    assert "1 added, 0 closed" in run(url, "import", "outages", str(going), "--customer", "c")[1]
    assert (
        "0 added, 1 closed, 0 duplicates"
        in run(url, "import", "outages", str(ended), "--customer", "c")[1]
    )
    assert (
        "0 added, 0 closed, 1 duplicates"
        in run(url, "import", "outages", str(ended), "--customer", "c")[1]
    )
    [outage] = rows(url, Outage)
    assert outage.end_us - outage.start_us == 3_600_000_000  # type: ignore[attr-defined]


def test_problems_are_named_and_kept_and_strict_stores_nothing(url: str) -> None:
    run(url, "db", "upgrade")
    bad = str(SAMPLES / "outages_errors.csv")
    code, out = run(url, "import", "outages", bad, "--customer", "c", "--strict")
    assert code == 1 and "nothing was stored" in out
    assert f"rejected: {bad}:3: service: missing service" in out
    assert count(url, Outage) == 0 and count(url, RejectedRow) == 6
    code, out = run(url, "import", "outages", bad, "--customer", "c")
    assert code == 0 and "2 added" in out and "6 rejected" in out
    statuses = sorted(b.status for b in rows(url, ImportBatch))  # type: ignore[attr-defined]
    assert statuses == ["committed", "rejected"]
