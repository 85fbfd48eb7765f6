"""The `availability` and `credits` sections: the example resolves, mistakes are named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from mittari.engine.availability import PPM
from mittari.errors import ContractError
from mittari.spec import check_contract
from mittari.spec.terms import load_terms, version_at

EXAMPLE = Path(__file__).parents[2] / "examples" / "contracts" / "availability-example.yaml"


def variant(tmp_path: Path, old: str, new: str) -> list[str]:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "c.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [f"{p.line}: {p.field}: {p.message}" for p in check_contract(path)]


def test_the_example_resolves_to_policies() -> None:
    assert check_contract(EXAMPLE) == []
    (terms,) = load_terms(EXAMPLE)
    availability, credits = terms.availability, terms.credits
    assert availability is not None and credits is not None
    email, erp, vpn = availability.services
    assert (email.objective_ppm, erp.objective_ppm, vpn.objective_ppm) == (
        999_000,
        995_000,
        998_000,
    )
    assert email.calendar.always_open and erp.calendar.name == "production"
    assert email.maintenance[0].weekly[6] == ((120, 360),)  # Sunday 02:00-06:00
    assert len(erp.maintenance) == 2 and erp.maintenance[1].dated  # shared + its own upgrade
    assert availability.bands_us == (300 * 10**6, 1800 * 10**6, 14400 * 10**6)
    assert credits.monthly_fee == Decimal(12000) and credits.cap_pct == Decimal(25)
    assert [t.below_ppm for t in credits.availability["email"]] == [999_000, 995_000, 990_000]
    assert credits.metric_points == {"first_response": 2, "resolution": 3}
    assert credits.earn_back_months == 3 and PPM == 1_000_000


def test_a_dated_window_without_offset_is_local_time(tmp_path: Path) -> None:
    (terms,) = load_terms(EXAMPLE)
    assert terms.availability is not None
    start, end = terms.availability.services[1].maintenance[1].dated[0]
    assert (start, end) == (1773511200 * 10**6, 1773532800 * 10**6)  # 20:00 and 02:00 EET


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("calendar: production  ", "calendar: prodution  ", "unknown calendar 'prodution'"),
        ("resolution: {points: 3}", "resolutoin: {points: 3}", "unknown metric 'resolutoin'"),
        (
            "      erp:\n        - {below: 99.5%",
            "      crm:\n        - {below: 99.5%",
            "unknown service 'crm'",
        ),
        ("    pointValue: 1%", "    #", "give pointValue"),
        ("[5m, 30m, 4h]", "[5m, 4h, 30m]", "increasing order"),
        ('to: "2026-03-15T02:00"', 'to: "2026-03-14T19:00"', "must come after 'from'"),
        ('to: "2026-03-15T02:00"', 'to: "2026-03-15T02:00+02:00"', "with a UTC offset, or neither"),
        ("monthlyFee: 12000", "monthlyFee: 0", "must be positive"),
        ("credit: 20%", "credit: 120%", "from 0% to 100%"),
        ("objective: 99.9%", "objective: 0.999", "a bare number is a percentage"),
        ("months: 3", "months: 13", "less than or equal to 12"),
        (
            "    services:\n      email:",
            "    services: {}\n    unused:\n      email:",
            "unknown field",
        ),
    ],
)
def test_mistakes_are_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    problems = variant(tmp_path, old, new)
    assert any(expected in p for p in problems), problems


def test_percentages_of_the_fee_stay_exact(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("credit: 5%}", "credit: 2.5%}", 1)
    path = tmp_path / "c.yaml"
    path.write_text(text.replace("pointValue: 1%", "pointValue: 0.1"), encoding="utf-8")
    (terms,) = load_terms(path)
    assert terms.credits is not None
    assert terms.credits.availability["email"][0].credit_pct == Decimal("2.5")
    assert terms.credits.point_value_pct == Decimal("0.1")


def test_load_terms_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("99.9%", "199%"), encoding="utf-8")
    with pytest.raises(ContractError):
        load_terms(path)


def test_a_month_is_judged_by_the_version_in_force_at_its_start(tmp_path: Path) -> None:
    (terms,) = load_terms(EXAMPLE)
    c = terms.contract
    assert version_at([terms], c.customer, c.effective_from_us, c.effective_from_us + 1) is terms
    before = c.effective_from_us - 10 * 86400 * 10**6
    assert (
        version_at([terms], c.customer, before, c.effective_from_us + 1) is terms
    )  # starts inside
    assert version_at([terms], c.customer, before, c.effective_from_us) is None
    assert version_at([terms], "someone-else", c.effective_from_us, c.effective_from_us + 1) is None
