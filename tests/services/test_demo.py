"""`mittari demo` end to end: the planted stories are found by the product's own services,
through the same scoped reads as the API and the dashboard, and the same seed and end give
the same store and the same figures. The demo is built once for the module (SQLite)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.db import repository as repo
from mittari.db.connect import make_engine
from mittari.db.scope import Principal, Role, Scoped
from mittari.engine.xla import Cell
from mittari.services.at_risk import Levels, feed
from mittari.services.demo import DemoReport, demo_end, run_demo
from mittari.services.demo_data import DEMO_CUSTOMERS
from mittari.services.demo_subjects import RECURRING_FAULT
from mittari.services.integrity import judge
from mittari.services.stored_inputs import stored_inputs
from mittari.services.stored_reports import credit_report, integrity_report, recurring_report
from mittari.services.tokens import authenticate
from mittari.services.watermelon_stored import customer_watermelon

END = datetime(2026, 11, 24, 3, tzinfo=UTC)
AS_OF = int(END.timestamp()) * 1_000_000
ADMIN = Principal(0, Role.PROVIDER_ADMIN, None)


@dataclass
class Built:
    report: DemoReport
    engine: Engine
    seconds: float  # CPU seconds the whole demo took


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    started = time.process_time()
    report = run_demo(7, tmp_path_factory.mktemp("demo"), END)
    engine = make_engine(report.database_url)
    yield Built(report, engine, time.process_time() - started)
    engine.dispose()


def owner(engine: Engine, customer: str) -> int:
    with engine.connect() as conn:
        found = repo.customer_id(conn, customer)
    assert found is not None
    return found


def test_the_demo_ends_at_the_hour_and_stores_five_customers(built: Built) -> None:
    assert demo_end(datetime(2026, 11, 24, 14, 37, 12, tzinfo=UTC)) == datetime(
        2026, 11, 24, 14, tzinfo=UTC
    )
    with built.engine.connect() as conn:
        assert repo.list_customers(conn) == sorted(c.slug for c in DEMO_CUSTOMERS)
        assert all(repo.runs(conn, owner(built.engine, c.slug)) for c in DEMO_CUSTOMERS)
    notes = " ".join(built.report.notes)
    assert "0 rejected" in notes and "survey answers" in notes and "outages" in notes


def test_the_whole_demo_takes_well_under_a_minute(built: Built) -> None:
    """CPU time: the wall time depends on what else the machine runs (about 15 s idle)."""
    assert built.seconds < 30
    assert set(built.report.timings) == {"generated", "stored and measured", "stories found"}


def test_the_watermelon_green_slas_unhappy_people(built: Built) -> None:
    cells = customer_watermelon(built.engine, "kalliokone", as_of_us=AS_OF)
    melons = [c for c in cells if c.cell == Cell.WATERMELON]
    assert len(melons) > 0.8 * len(cells)
    assert all(c.sla_ok for c in melons) and not any(c.experience_ok for c in melons)
    drivers = [c.drivers for c in melons if c.drivers is not None]
    assert (
        sum(any(f.startswith("not_fixed") for f in d.factors) for d in drivers) > len(drivers) / 2
    )
    assert sum(any(m.startswith("happiness") for m in d.missed) for d in drivers) > len(drivers) / 2
    assert any(m.sentiment == "negative" for d in drivers for m in d.comments)
    assert all((d.lost_time_mean_min or 0) > 30 for d in drivers)
    others = Counter(
        c.cell
        for other in DEMO_CUSTOMERS
        if other.slug != "kalliokone"
        for c in customer_watermelon(built.engine, other.slug, as_of_us=AS_OF)
    )
    assert others[Cell.WATERMELON] < len(melons) / 2  # the other customers are not it
    story = next(s for s in built.report.findings.stories if s.kind == "watermelon")
    assert story.customer == "kalliokone"


def test_the_reverse_watermelon_sla_red_people_happy(built: Built) -> None:
    cells = customer_watermelon(built.engine, "saaristo", as_of_us=AS_OF)
    reverse = [c for c in cells if c.cell == Cell.REVERSE]
    assert len(reverse) > len(cells) / 2
    assert all(c.sla_ok is False and c.experience_ok for c in reverse)
    story = next(s for s in built.report.findings.stories if s.kind == "reverse watermelon")
    assert story.customer == "saaristo"


def test_the_team_that_gamed_the_clock(built: Built) -> None:
    """Reported green, honest red, through the API's integrity report; the flags sit on
    the team that held the tickets when their clocks stopped."""
    with built.engine.connect() as conn:
        scope = Scoped(conn, ADMIN)
        view = integrity_report(scope, owner(built.engine, "lakeus"), AS_OF)
        found = stored_inputs(scope, owner(built.engine, "lakeus"))
        others = [
            integrity_report(scope, owner(built.engine, c.slug), AS_OF).flags.num_rows
            for c in DEMO_CUSTOMERS
            if c.slug != "lakeus"
        ]
    rows = view.compliance.filter(pc.equal(view.compliance.column("metric"), "resolution"))

    def pct(side: str) -> float:
        met = pc.sum(rows.column(f"{side}_met")).as_py()
        return 100 * met / pc.sum(rows.column(f"{side}_count")).as_py()

    assert pct("reported") >= 92 and pct("honest") < 89
    assert all(rows.column("reported_objective_met").to_pylist())  # green every month
    flags = view.flags
    assert flags.num_rows > 5 * max(others)
    rules = set(flags.column("rule").to_pylist())
    assert {"reopened", "late", "near_due", "after_customer_reply"} <= rules
    by = judge(
        found.log, found.contracts, found.integrity, found.customers(), found.tickets, AS_OF,
        ["metric", "assignee"],
    ).compliance  # fmt: skip
    team = {r["assignee"]: r for r in by.to_pylist() if r["metric"] == "resolution"}[
        "Field Support"
    ]
    assert team["reported_objective_met"] and not team["honest_objective_met"]
    gap = team["reported_compliance_pct"] - team["honest_compliance_pct"]
    assert gap > 5
    story = next(s for s in built.report.findings.stories if s.kind == "gamed clock")
    assert story.customer == "lakeus" and "Field Support" in story.text


def test_the_recurring_fault_is_the_first_problem_candidate(built: Built) -> None:
    with built.engine.connect() as conn:
        ranked = recurring_report(Scoped(conn, ADMIN), owner(built.engine, "revontuli"), AS_OF, 3)
    first, second = ranked.to_pylist()[:2]
    assert first["service"] == "WMS" and first["subject"] in RECURRING_FAULT
    assert first["growth"] > 2 and first["count"] > 60
    assert first["score"] > 1.5 * second["score"]
    story = next(s for s in built.report.findings.stories if s.kind == "recurring fault")
    assert story.customer == "revontuli"


def test_service_credits_are_due_in_the_planted_month(built: Built) -> None:
    with built.engine.connect() as conn:
        scope = Scoped(conn, ADMIN)
        revontuli = owner(built.engine, "revontuli")
        due = credit_report(scope, revontuli, "2026-08", AS_OF).to_pylist()
        before = credit_report(scope, revontuli, "2026-07", AS_OF).to_pylist()
    total = next(r for r in due if r["step"] == "total")
    wms = next(r for r in due if r["step"] == "availability" and r["item"] == "WMS")
    assert (wms["pct"], total["amount"], total["currency"]) == (20, Decimal("3600.00"), "EUR")
    assert next(r for r in before if r["step"] == "total")["amount"] == 0
    credited = [s for s in built.report.findings.stories if s.kind == "service credits"]
    assert [s.customer for s in credited] == ["revontuli"]  # the one month of credits
    assert "2026-08" in credited[0].text and "3,600.00 EUR" in credited[0].text


def test_the_at_risk_feed_counts_down_when_the_dashboard_opens(built: Built) -> None:
    with built.engine.connect() as conn:
        found = feed(conn, Scoped(conn, ADMIN), None, AS_OF + 60_000_000, 500, Levels())
    levels = Counter(a.level for a in found)
    assert levels["warning"] + levels["critical"] >= 5
    assert {a.customer for a in found} == {c.slug for c in DEMO_CUSTOMERS}


def test_tokens_log_in_as_admin_and_as_one_customers_viewer(built: Built) -> None:
    tokens = built.report.tokens
    assert set(tokens) == {"admin", *(c.slug for c in DEMO_CUSTOMERS)}
    admin = authenticate(built.engine, tokens["admin"])
    assert admin is not None and admin.role == Role.PROVIDER_ADMIN
    app = create_app(Settings(database_url=built.report.database_url, notifier=False))
    with TestClient(app) as client:
        for name, expected in (("admin", 5), ("kalliokone", 1)):
            got = client.get(
                "/api/v1/customers", headers={"Authorization": f"Bearer {tokens[name]}"}
            )
            assert got.status_code == 200 and got.json()["total"] == expected
    written = (built.report.database.parent / "tokens.txt").read_text()
    assert all(t in written for t in tokens.values())
    assert (built.report.database.parent / "tokens.txt").stat().st_mode & 0o077 == 0


def test_the_same_seed_and_end_give_the_same_store_and_figures(
    built: Built, tmp_path: Path
) -> None:
    again = run_demo(7, tmp_path / "again", END)
    assert again.findings.figures == built.report.findings.figures
    assert again.findings.overview.equals(built.report.findings.overview)
    first, second = built.report.database.parent, tmp_path / "again"
    assert pq.read_table(first / "events.parquet").equals(pq.read_table(second / "events.parquet"))
    for name in ("tickets.csv", "answers/kalliokone.csv", "outages/revontuli.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert again.tokens != built.report.tokens  # secrets are never repeated


def test_an_end_without_an_offset_or_before_the_contracts_is_refused(tmp_path: Path) -> None:
    from mittari.errors import InputError

    for end in (datetime(2026, 1, 1), datetime(2024, 6, 1, tzinfo=UTC)):
        with pytest.raises(InputError, match="offset"):
            run_demo(7, tmp_path, end)
    assert not (tmp_path / "mittari.db").exists()


def test_the_overview_has_one_row_per_customer(built: Built) -> None:
    overview = built.report.findings.overview
    assert overview.column("customer").to_pylist() == [c.slug for c in DEMO_CUSTOMERS]
    assert overview.schema.field("tickets").type == pa.int64()
