"""The customer's display name comes from its contract (`metadata.customerName`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from mittari.db.models import Customer
from mittari.errors import ContractError
from mittari.services.stored import add_contract, add_contract_text

CONTRACTS = Path(__file__).parents[2] / "src/mittari/services/demo_contracts"
DEMO_NAMES = {
    "kalliokone": "Kalliokone Oy",
    "kuura": "Kuura Kiinteistöt Oy",
    "lakeus": "Lakeuden Energia Oy",
    "revontuli": "Revontuli Logistiikka Oy",
    "saaristo": "Saaristo Frakt AB",
}


def contract(version: str, start: str, end: str | None, name: str | None) -> str:
    lines = [
        "apiVersion: mittari/v1",
        "kind: Contract",
        "metadata:",
        "  customer: acme",
        "  name: Acme service desk",
        f'  version: "{version}"',
        *([f"  customerName: {name}"] if name is not None else []),
        "spec:",
        "  timezone: Europe/Helsinki",
        f"  effective: {{from: {start}{f', to: {end}' if end else ''}}}",
        "  calendars:",
        "    always: {alwaysOpen: true}",
        "  metrics:",
        "    resolution:",
        "      type: resolution",
        "      objective: 90%",
        "      targets:",
        "        P1: {within: 4h, calendar: always}",
    ]
    return "\n".join(lines) + "\n"


def names(db: Engine) -> dict[str, str | None]:
    with db.connect() as conn:
        return {k: n for k, n in conn.execute(select(Customer.key, Customer.name))}


def test_the_demo_contracts_name_their_customers(db: Engine) -> None:
    for key in DEMO_NAMES:
        add_contract(db, CONTRACTS / f"{key}.yaml")
    assert names(db) == DEMO_NAMES


def test_the_latest_named_version_gives_the_name_and_a_file_without_one_keeps_it(
    db: Engine,
) -> None:
    add_contract_text(db, "acme.yaml", contract("1", "2024-01-01", None, None))
    assert names(db) == {"acme": None}  # no name given: the key is shown
    both = contract("1", "2024-01-01", "2025-01-01", "Acme Oy") + "---\n"
    both += contract("2", "2025-01-01", "2026-01-01", "Acme Group Oy")
    add_contract_text(db, "acme.yaml", both)
    assert names(db) == {"acme": "Acme Group Oy"}
    add_contract_text(db, "acme-3.yaml", contract("3", "2026-01-01", None, None))
    assert names(db) == {"acme": "Acme Group Oy"}


def test_a_name_longer_than_the_store_keeps_is_refused(db: Engine) -> None:
    with pytest.raises(ContractError) as error:
        add_contract_text(db, "acme.yaml", contract("1", "2024-01-01", None, "x" * 201))
    assert [p.field for p in error.value.problems] == ["metadata.customerName"]
    assert "at most 200 characters" in error.value.problems[0].message
    assert names(db) == {}
