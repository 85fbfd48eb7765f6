"""The experience routes on SQLite and PostgreSQL: the figures, XLA objectives and
watermelon cells are those of the services (and of `mittari experience`, `xla`,
`watermelon`) on the same store, a few worked out by hand; a viewer sees only its
customer; bad parameters are 422 problems.

The world (tests/api/conftest.py), March 2025 in Helsinki: customer A has INC-1001 (Email,
answered 9, factors speed and friendly, no time lost) and INC-1002 (VPN, reopened once,
answered 3, not fixed and explain again, 2-4 h lost: 180 min); its XLA asks happiness ≥
40, lost time ≤ 30 min, reopen rate ≤ 5 %, one answer enough, March as the baseline.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from tests.api.conftest import A, B, World, xla_contract

from mittari.services.experience import customer_experience, customer_parts, figures_table
from mittari.services.stored import add_contract
from mittari.services.watermelon_stored import cell_rows, customer_watermelon
from mittari.services.xla import customer_xla, pooled

AS_OF = "2025-04-01T00:00:00+00:00"
AS_OF_US = int(datetime(2025, 4, 1, tzinfo=UTC).timestamp() * 1_000_000)
ROUTES = ("experience", "xla", "watermelon")


@pytest.fixture(scope="module")
def site(world: World, tmp_path_factory: pytest.TempPathFactory) -> World:
    """The world with A's XLA contract in force (a persona test may upload the demo one)."""
    add_contract(world.engine, xla_contract(A, tmp_path_factory.mktemp("xla")))
    return world


def get(site: World, route: str, persona: str = "analyst", customer: str = A, **query: Any) -> Any:
    response = site.client(persona).get(
        f"/api/v1/customers/{customer}/{route}", params={"as_of": AS_OF, **query}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_figures_are_the_services_and_the_hand_worked_ones(site: World) -> None:
    pooled_rows = get(site, "experience", month="2025-03")
    assert len(pooled_rows) == 1
    month = pooled_rows[0]
    assert (month["service"], month["month"]) == (None, "2025-03")
    assert month["counts"]["answers"] == 2
    assert (month["counts"]["resolved"], month["counts"]["created"]) == (2, 2)
    figures = month["figures"]
    assert figures["happiness"] == 0.0  # one 9 (promoter), one 3 (detractor): 50 − 50
    assert figures["happiness_mean"] == 6.0
    assert figures["lost_time_mean_min"] == 90.0  # (0 + 180) / 2
    assert figures["lost_time_total_h"] == 3.0
    assert figures["reopen_rate_pct"] == 50.0  # INC-1002 was reopened
    assert figures["response_rate_pct"] == 100.0
    assert figures["csat_pct"] is None  # no 1-5 or good/bad answer: nothing to count
    assert month["factors"]["not_fixed"] == 50.0 and month["factors"]["speed"] == 50.0

    per_service = {r["service"]: r for r in get(site, "experience", by="service")}
    assert per_service["Email"]["figures"]["happiness"] == 100.0
    assert per_service["VPN"]["figures"]["happiness"] == -100.0
    expected = customer_experience(site.engine, A, as_of_us=AS_OF_US).to_pylist()
    assert len(per_service) == len(expected)
    for row in expected:
        got = per_service[row["service"]]
        assert got["month"] == row["month"]
        for name, value in got["figures"].items():
            assert value == _nan_to_none(row[name]), name
        assert got["counts"] == {k: row[k] for k in got["counts"]}


def test_the_pooled_figures_are_the_services(site: World) -> None:
    parts = pooled(customer_parts(site.engine, A, as_of_us=AS_OF_US), False)
    expected = figures_table(parts).to_pylist()
    got = get(site, "experience")
    assert [r["month"] for r in got] == [r["month"] for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert all(v == _nan_to_none(theirs[k]) for k, v in mine["figures"].items())


def test_xla_objectives_per_month_with_their_baseline(site: World) -> None:
    rows = {r["figure"]: r for r in get(site, "xla", month="2025-03")}
    assert set(rows) == {"happiness", "lost_time_mean_min", "reopen_rate_pct"}
    happiness = rows["happiness"]
    assert (happiness["service"], happiness["direction"], happiness["objective"]) == (
        None,
        "min",
        40.0,
    )
    assert (happiness["value"], happiness["status"], happiness["met"]) == (0.0, "missed", False)
    assert happiness["baseline"] == 0.0 and happiness["basis"] == 2
    assert rows["lost_time_mean_min"]["value"] == 90.0
    by_service = get(site, "xla", month="2025-03", by="service")
    email = {r["figure"]: r["met"] for r in by_service if r["service"] == "Email"}
    assert email == {"happiness": True, "lost_time_mean_min": True, "reopen_rate_pct": True}
    expected = customer_xla(site.engine, A, as_of_us=AS_OF_US, month="2025-03").to_pylist()
    assert [{k: v for k, v in r.items() if k != "met"} for r in by_service] == [
        {k: v for k, v in r.items() if k != "customer"} for r in expected
    ]


def test_the_watermelon_matrix_and_its_drivers(site: World) -> None:
    cells = {c["service"]: c for c in get(site, "watermelon", month="2025-03")}
    assert (cells["Email"]["sla"], cells["Email"]["experience"], cells["Email"]["cell"]) == (
        "met",
        "met",
        "green",
    )
    vpn = cells["VPN"]  # both clocks of INC-1002 met, its requester unhappy
    assert (vpn["sla"], vpn["experience"], vpn["cell"]) == ("met", "missed", "watermelon")
    drivers = vpn["drivers"]
    assert drivers["missed"] == [
        "happiness -100 (min 40)",
        "lost_time_mean_min 180 (max 30)",
        "reopen_rate_pct 100 (max 5)",
    ]
    assert drivers["factors"] == ["explain_again 100%", "not_fixed 100%"]
    assert (drivers["lost_time_mean_min"], drivers["lost_time_total_h"]) == (180.0, 3.0)
    assert drivers["comments"][0]["sentiment"] == "negative"
    assert drivers["comments"][0]["text"].startswith("The VPN broke again")
    assert cells["Email"]["drivers"] is None
    stored = customer_watermelon(site.engine, A, as_of_us=AS_OF_US, month="2025-03")
    rows = cell_rows(stored).to_pylist()  # what `mittari watermelon` prints
    assert [(r["service"], r["sla"], r["experience"], r["cell"]) for r in rows] == [
        (c["service"], c["sla"], c["experience"], c["cell"]) for c in cells.values()
    ]


def test_a_month_without_answers_is_empty(site: World) -> None:
    for route in ROUTES:
        assert get(site, route, month="2025-02") == []


@pytest.mark.parametrize("route", ROUTES)
def test_a_viewer_sees_only_its_customer(site: World, route: str) -> None:
    mine = get(site, route, persona="viewer_b", customer=B)
    assert mine and A not in str(mine) and "VPN broke" not in str(mine)
    assert get(site, route, persona="viewer_a") == get(site, route, persona="admin")
    client = site.client("viewer_b")
    unseen = client.get(f"/api/v1/customers/{A}/{route}", params={"as_of": AS_OF})
    missing = client.get(f"/api/v1/customers/nobody/{route}", params={"as_of": AS_OF})
    assert unseen.status_code == missing.status_code == 404
    assert unseen.json() == missing.json()
    assert unseen.headers["content-type"].startswith("application/problem+json")


BAD = [{"month": "2025-13"}, {"month": "March"}, {"as_of": "2025-04-01T00:00:00"}]
BAD_CASES = [(r, q) for r in ROUTES for q in BAD] + [(r, {"by": "team"}) for r in ROUTES[:2]]


@pytest.mark.parametrize(("route", "query"), BAD_CASES)
def test_bad_parameters_are_422_problems(site: World, route: str, query: dict[str, str]) -> None:
    response = site.client("admin").get(f"/api/v1/customers/{A}/{route}", params=query)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 422 and body["title"] == "Unprocessable Content"


def test_unauthenticated_calls_are_refused(site: World) -> None:
    for route in ROUTES:
        response = site.client(None).get(f"/api/v1/customers/{A}/{route}")
        assert response.status_code == 401


def _nan_to_none(value: Any) -> Any:
    return None if isinstance(value, float) and value != value else value
