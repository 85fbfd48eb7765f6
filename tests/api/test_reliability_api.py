"""The honest numbers over the API, on SQLite and PostgreSQL: integrity, availability,
credits, recurring faults and outages of a small stored case whose figures are worked out
by hand below (docs/availability.md and docs/integrity.md give the definitions).

The case: the example contract (Kuusiston Konepaja, Helsinki), the outage sample plus one
more outage, ten P2 tickets on Tuesday 2026-03-10 (eight resolved in time, two late) and
T11, whose wait for the customer starts just before its deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import A, World
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from tests.services.reliability_inputs import (
    CONTRACT,
    EXTRA_OUTAGE,
    OUTAGES,
    events_csv,
    tickets_csv,
)

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.db.migrate import upgrade
from mittari.services.ingest import import_source
from mittari.services.outages import import_outages
from mittari.services.stored import add_contract
from mittari.services.tokens import create_token

C = "kuusiston-konepaja"
AS_OF = {"as_of": "2026-04-15T00:00:00+03:00"}
# T11 (P2, 8 office hours 08-16): 7 h on Tuesday, 50 min on Wednesday, then a wait for the
# customer at 7 h 50 min (97.9 % of the target: near due) until Thursday 10:00, resolved
# 10:05. Reported: 7 h 55 min, met. Honest (the wait counts): breached on Wednesday 09:00.
T11 = """\
T11,2026-03-10T09:00:00+02:00,created,,
T11,2026-03-10T09:00:00+02:00,priority,P2,
T11,2026-03-10T09:30:00+02:00,reply,,agent
T11,2026-03-11T08:50:00+02:00,status,pending_customer,
T11,2026-03-12T10:00:00+02:00,status,open,
T11,2026-03-12T10:05:00+02:00,status,resolved,
"""


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("reliability")
    engine, url = fresh_database(request.param, str(folder))
    upgrade(engine)
    add_contract(engine, CONTRACT)
    (folder / "events.csv").write_text(events_csv() + T11, encoding="utf-8")
    tickets = tickets_csv() + f"T11,{C},email,request,Uusi näppäimistö\n"
    (folder / "tickets.csv").write_text(tickets, encoding="utf-8")
    import_source(engine, "canonical", folder / "events.csv", tickets=folder / "tickets.csv")
    (folder / "extra.csv").write_text(EXTRA_OUTAGE, encoding="utf-8")
    for outages in (OUTAGES, folder / "extra.csv"):
        import_outages(engine, outages, customer=C)
    token = create_token(engine, "ops", "provider-admin", None)[0]
    app = create_app(
        Settings(database_url=url, notifier=False, webhook_max_bytes=16 * 1024), engine=engine
    )
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    yield client
    drop_database(engine)


def get(client: TestClient, report: str, **params: str) -> Any:
    response = client.get(f"/api/v1/customers/{C}/{report}", params={**AS_OF, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_availability_per_service_and_month(site: TestClient) -> None:
    rows = {r["service"]: r for r in get(site, "availability", month="2026-03")}
    email = rows["email"]
    # 743 h in March (DST on the 29th) = 44 580 min, minus the Sunday patch night (60 min)
    assert (email["agreed_min"], email["excluded_min"]) == (44_520.0, 60.0)
    # 0.3 × 50 min + 10 min of the full stop inside it, and the hour of OUT-107
    assert email["downtime_min"] == pytest.approx(85.0)
    assert email["uptime_pct"] == pytest.approx(100 * (1 - 85 / 44_520))
    assert email["burn_rate"] == pytest.approx((85 / 44_520) / 0.001)
    assert email["budget_left_pct"] == pytest.approx(100 * (1 - 85 / 44.52))
    assert email["objective_met"] is False and email["complete"] is True
    assert email["outages"] == 2 and email["outages_by_duration"]["30m-4h"] == 2
    assert rows["erp"]["agreed_min"] == 22 * 16 * 60  # weekdays 06-22, no holiday in March
    assert rows["erp"]["downtime_min"] == pytest.approx(50.0)  # 20 min + 0.5 × 1 h
    assert rows["vpn"]["outages_by_duration"] == {"<5m": 1, "5m-30m": 0, "30m-4h": 1, "4h+": 0}
    months = [(r["service"], r["month"]) for r in get(site, "availability")]
    assert months == [(s, m) for s in ("email", "erp", "vpn") for m in ("2026-03", "2026-04")]


def test_credit_statement_line_by_line(site: TestClient) -> None:
    lines = {(r["step"], r["item"]): r for r in get(site, "credits", month="2026-03")}
    assert Decimal(lines[("availability", "email")]["amount"]) == Decimal("600.00")  # 5 %
    assert Decimal(lines[("availability", "erp")]["amount"]) == 0
    resolution = lines[("metric", "resolution")]  # 9 of 11 met = 81.8 % < 90 %
    assert resolution["points"] == 3 and Decimal(resolution["amount"]) == Decimal("360.00")
    assert lines[("metric", "first_response")]["points"] == 0  # 11 of 11
    assert lines[("earn-back", "email")]["detail"].startswith("pending")
    total = lines[("total", "")]
    assert (Decimal(total["amount"]), total["currency"]) == (Decimal("960.00"), "EUR")


def test_integrity_flags_with_evidence_and_honest_compliance(site: TestClient) -> None:
    found = get(site, "integrity", month="2026-03")
    assert found["month"] == "2026-03" and found["as_of"] == "2026-04-14T21:00:00Z"
    [flag] = found["flags"]
    assert (flag["ticket"], flag["flag"], flag["rule"]) == (
        "T11",
        "pause_without_cause",
        "near_due",
    )
    assert flag["at"] == "2026-03-11T06:50:00Z"
    assert flag["evidence"] == "T11 2026-03-11T06:50:00Z status:pending_customer"
    rows = {r["metric"]: r for r in found["compliance"]}
    resolution = rows["resolution"]
    assert (resolution["reported_met"], resolution["honest_met"]) == (9, 8)
    assert resolution["reported_count"] == resolution["honest_count"] == 11
    assert resolution["reported_compliance_pct"] == pytest.approx(100 * 9 / 11)
    assert resolution["honest_compliance_pct"] == pytest.approx(100 * 8 / 11)
    assert rows["first_response"]["reported_met"] == rows["first_response"]["honest_met"] == 11
    assert get(site, "integrity", month="2026-02")["flags"] == []


def test_recurring_fault_candidates(site: TestClient) -> None:
    found = get(site, "recurring", top="5")
    assert [(r["service"], r["count"]) for r in found] == [("email", 4), ("vpn", 3)]
    assert found[0]["tickets"] == "T1, T2, T3, T4"
    assert found[0]["lost_hours"] == pytest.approx(4 * 6.0)  # 09:00 → 15:00 each
    assert [r["rank"] for r in get(site, "recurring", top="1")] == [1]


def test_stored_outages_are_listed_by_start_in_pages(site: TestClient) -> None:
    first = site.get(f"/api/v1/customers/{C}/outages", params={"size": 5}).json()
    assert (first["total"], len(first["items"])) == (9, 5)
    top = first["items"][0]
    assert (top["id"], top["service"], top["weight"], top["end"]) == (
        "OUT-101",
        "email",
        0.3,
        "2026-03-03T09:00:00Z",
    )
    patch = next(o for o in first["items"] if o["id"] == "CHG-2001")
    assert patch["planned"] is True and patch["source"] == "csv"


def test_a_contract_without_availability_or_credits_gives_empty_reports(world: World) -> None:
    client = world.client("analyst")
    for report, params in (("availability", {}), ("credits", {"month": "2025-03"})):
        response = client.get(f"/api/v1/customers/{A}/{report}", params=params)
        assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    ("params", "why"),
    [
        ({"as_of": "2026-04-15T00:00:00"}, "no offset"),
        ({"as_of": "2150-01-01T00:00:00Z"}, "beyond the calendars"),
        ({"month": "2026-13"}, "no such month"),
    ],
)
def test_bad_query_values_are_422_problems(
    site: TestClient, params: dict[str, str], why: str
) -> None:
    response = site.get(f"/api/v1/customers/{C}/availability", params=params)
    assert response.status_code == 422, why
    assert response.headers["content-type"].startswith("application/problem+json")
