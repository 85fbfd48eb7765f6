"""Measure from the store: the same rows as measuring the files, runs kept per contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine

from mittari.db import repository as repo
from mittari.errors import ContractError, InputError
from mittari.importers.canonical import events_from_table, write_table
from mittari.services.demo_data import DEMO_CUSTOMERS, generate_year
from mittari.services.ingest import import_source
from mittari.services.measure import compliance_table, measure_versions
from mittari.services.stored import add_contract, compliance, measure_customer, run_table
from mittari.spec import load_contract

CONTRACTS = Path(__file__).parents[2] / "src/mittari/services/demo_contracts"
AS_OF = 1_767_225_600_000_000  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    events, tickets = generate_year(11, customers=DEMO_CUSTOMERS[:1])
    folder = tmp_path_factory.mktemp("year")
    write_table(events, folder / "events.parquet")
    write_table(tickets, folder / "tickets.csv")
    return folder / "events.parquet", folder / "tickets.csv"


def test_a_stored_run_equals_measuring_the_files(db: Engine, year: tuple[Path, Path]) -> None:
    events, tickets = year
    customer = DEMO_CUSTOMERS[0].slug
    add_contract(db, CONTRACTS / f"{customer}.yaml")
    import_source(db, "canonical", events, tickets=tickets)
    run = measure_customer(db, customer, AS_OF)

    log = events_from_table(pq.read_table(events)).log
    policies = load_contract(CONTRACTS / f"{customer}.yaml")
    expected = measure_versions(
        log, policies, np.full(log.n_tickets, customer, object), AS_OF
    ).table
    with db.connect() as conn:
        stored = run_table(conn, repo.customer_id(conn, customer) or -1, customer, run.run)
    assert run.n_rows == expected.num_rows == stored.num_rows
    keys = [("ticket_id", "ascending"), ("metric", "ascending"), ("cycle", "ascending")]
    assert stored.sort_by(keys).equals(expected.select(stored.column_names).sort_by(keys))

    mine, chosen = compliance(db, customer, month="2025-10", by=["metric", "priority"])
    theirs = compliance_table(expected, policies, ["month", "metric", "priority"])
    theirs = theirs.filter(pc.equal(theirs.column("month"), "2025-10"))
    assert chosen == run.run and mine.num_rows > 0
    assert mine.equals(theirs)


def test_a_changed_contract_gives_a_new_run_and_the_old_one_stays(
    db: Engine, year: tuple[Path, Path], tmp_path: Path
) -> None:
    events, tickets = year
    customer = DEMO_CUSTOMERS[0].slug
    original = CONTRACTS / f"{customer}.yaml"
    add_contract(db, original)
    import_source(db, "canonical", events, tickets=tickets)
    first = measure_customer(db, customer, AS_OF)
    stricter = tmp_path / f"{customer}.yaml"
    text = original.read_text()
    assert "objective: " in text
    stricter.write_text(text.replace("8h", "4h"))
    assert stricter.read_text() != text
    assert add_contract(db, stricter).added == 1
    second = measure_customer(db, customer, AS_OF)
    assert second.contract_hash != first.contract_hash
    a, _ = compliance(db, customer, run=first.run, by=["metric"])
    b, _ = compliance(db, customer, run=second.run, by=["metric"])
    assert a.column("met").to_pylist() != b.column("met").to_pylist()
    again, _ = compliance(db, customer, run=first.run, by=["metric"])
    assert again.equals(a)


def test_adding_the_same_contract_twice_adds_nothing(db: Engine) -> None:
    assert add_contract(db, CONTRACTS / "kalliokone.yaml").added == 1
    assert add_contract(db, CONTRACTS / "kalliokone.yaml").added == 0


def test_a_version_overlapping_a_stored_one_is_refused(db: Engine, tmp_path: Path) -> None:
    add_contract(db, CONTRACTS / "kalliokone.yaml")
    text = (CONTRACTS / "kalliokone.yaml").read_text()
    label = load_contract(CONTRACTS / "kalliokone.yaml")[0].version
    other = tmp_path / "other.yaml"
    other.write_text(
        text.replace(f"version: {label}", "version: overlapping-copy").replace(
            f'version: "{label}"', 'version: "overlapping-copy"'
        )
    )
    assert "overlapping-copy" in other.read_text()
    with pytest.raises(ContractError) as error:
        add_contract(db, other)
    assert any("overlap" in p.message for p in error.value.problems)


def test_measuring_an_unknown_customer_names_the_known_ones(db: Engine) -> None:
    add_contract(db, CONTRACTS / "kalliokone.yaml")
    with pytest.raises(InputError) as error:
        measure_customer(db, "nobody", AS_OF)
    assert "kalliokone" in error.value.problems[0].message
