"""Availability, credits and recurring faults as services: Arrow tables in and out."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from tests.services.reliability_inputs import (
    CONTRACT,
    EXTRA_OUTAGE,
    OUTAGES,
    events_csv,
    tickets_csv,
)

from mittari.importers.canonical import read_events, read_tickets
from mittari.importers.outages import read_outages
from mittari.services.availability import availability_table, burn_table, measure_availability
from mittari.services.credits import credit_statements
from mittari.services.measure import measure_versions
from mittari.services.recurring import recurring_faults
from mittari.spec.terms import load_terms

AS_OF = int(datetime.fromisoformat("2026-04-15T00:00:00+03:00").timestamp()) * 10**6


@pytest.fixture
def outages(tmp_path: Path) -> pa.Table:
    extra = tmp_path / "extra.csv"
    extra.write_text(EXTRA_OUTAGE, encoding="utf-8")
    return pa.concat_tables([read_outages(OUTAGES).table, read_outages(extra).table])


def test_every_service_gets_every_month_from_the_first_outage_to_as_of(outages: pa.Table) -> None:
    table = availability_table(measure_availability(outages, load_terms(CONTRACT), AS_OF))
    assert table.column("month").to_pylist() == ["2026-03", "2026-04"] * 3
    march = {r["service"]: r for r in table.to_pylist() if r["month"] == "2026-03"}
    assert march["email"]["downtime_min"] == pytest.approx(85.0)  # 25 + 60
    assert march["email"]["excluded_min"] == 60.0  # Sunday patch night
    assert march["email"]["objective_met"] is False
    assert march["erp"]["downtime_min"] == pytest.approx(50.0)
    assert march["erp"]["agreed_min"] == 22 * 16 * 60  # weekdays 06-22, no holiday in March
    assert march["vpn"]["outages <5m"] == 1 and march["vpn"]["outages 30m-4h"] == 1
    assert table.column("complete").to_pylist() == [True, False] * 3


def test_one_month_and_a_customer_column(outages: pa.Table) -> None:
    other = outages.append_column("customer", pa.array(["someone-else"] * outages.num_rows))
    terms = load_terms(CONTRACT)
    table = availability_table(measure_availability(other, terms, AS_OF, month="2026-03"))
    assert table.column("month").to_pylist() == ["2026-03"] * 3
    assert table.column("downtime_min").to_pylist() == [0.0, 0.0, 0.0]  # not this customer's


def test_burn_table_has_four_windows_per_service(outages: pa.Table) -> None:
    at = int(datetime.fromisoformat("2026-03-12T09:30:00+02:00").timestamp()) * 10**6
    table = burn_table(outages, load_terms(CONTRACT), at)
    email = [r for r in table.to_pylist() if r["service"] == "email"]
    assert [r["severity"] for r in email] == ["page", "page", "ticket", "ticket"]
    assert email[0]["burn_short"] == pytest.approx(1000.0) and email[0]["alerting"] is True


def test_credit_statement_from_the_same_measurements(tmp_path: Path, outages: pa.Table) -> None:
    events = tmp_path / "events.csv"
    events.write_text(events_csv(), encoding="utf-8")
    terms = load_terms(CONTRACT)
    log = read_events(events).log
    customers = np.full(log.n_tickets, "kuusiston-konepaja", dtype=object)
    measured = measure_versions(log, [t.contract for t in terms], customers, AS_OF).table
    since = int(datetime.fromisoformat("2026-03-01T00:00:00+02:00").timestamp()) * 10**6
    availability = measure_availability(outages, terms, AS_OF, since=since)
    lines = credit_statements(terms, measured, availability, "2026-03", AS_OF).to_pylist()
    by = {(r["step"], r["item"]): r for r in lines}
    assert by[("availability", "email")]["pct"] == Decimal(5)  # 99.81 % < 99.9 %
    assert by[("availability", "erp")]["pct"] == Decimal(0)
    assert by[("metric", "resolution")]["points"] == 3  # 8 of 10 < 90 %
    assert by[("metric", "first_response")]["pct"] == Decimal(0)
    assert by[("earn-back", "email")]["detail"].startswith("pending")
    assert by[("total", "")]["amount"] == Decimal("960.00")  # 8 % of 12 000 EUR
    assert {r["currency"] for r in lines} == {"EUR"}


def test_recurring_faults_rank_clusters_of_incidents(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(events_csv(), encoding="utf-8")
    (tmp_path / "tickets.csv").write_text(tickets_csv(), encoding="utf-8")
    log = read_events(tmp_path / "events.csv").log
    found = recurring_faults(log, read_tickets(tmp_path / "tickets.csv"), AS_OF, min_size=3)
    rows = found.clusters.to_pylist()
    assert [(r["service"], r["count"]) for r in rows] == [("email", 4), ("vpn", 3)]
    assert rows[0]["lost_hours"] == pytest.approx(4 * 6.0)  # 09:00 → 15:00
    assert found.considered == 9  # T9 is a request
    assert set(found.members.column("rank").to_pylist()) == {1, 2}
