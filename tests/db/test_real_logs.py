"""The real Volvo IT log (BPI Challenge 2013, /work/shared/data) through the whole store:
event-log importer → database → engine, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine
from tests.shared_data import shared
from tests.shared_data import volvo_csv as extract_volvo

from mittari.db import repository as repo
from mittari.importers.canonical import events_from_table
from mittari.importers.eventlog import read as read_eventlog
from mittari.services.ingest import import_source
from mittari.services.measure import measure_versions
from mittari.services.stored import add_contract, measure_customer, run_table
from mittari.spec import load_contract

ROOT = Path(__file__).parents[2]
CONTRACT = ROOT / "examples/contracts/volvo-it.yaml"
AS_OF = 1_356_998_400_000_000  # 2013-01-01T00:00:00Z, after the last event


@pytest.fixture(scope="module")
def volvo_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extract_volvo(tmp_path_factory.mktemp("volvo"))


def test_the_volvo_log_is_stored_whole_once_and_measured_as_from_the_file(
    db: Engine, volvo_csv: Path
) -> None:
    extract = read_eventlog(volvo_csv, mapping="bpic2013-volvo")
    first = import_source(db, "eventlog", volvo_csv, mapping="bpic2013-volvo", customer="volvo-it")
    assert (first.n_read, first.n_rejected) == (65_533, 0)
    assert first.n_imported == extract.events.num_rows == 97_649
    assert first.n_tickets_new == 7_554
    again = import_source(db, "eventlog", volvo_csv, mapping="bpic2013-volvo", customer="volvo-it")
    assert (again.n_imported, again.n_duplicates) == (0, 97_649)
    # the published XES of the same log gives the same events: it adds nothing either
    xes = shared() / "bpic2013/bpi_challenge_2013_incidents.xes.gz"
    same = import_source(db, "eventlog", xes, mapping="bpic2013-volvo", customer="volvo-it")
    assert (same.n_read, same.n_imported, same.n_duplicates) == (65_533, 0, 97_649)

    add_contract(db, CONTRACT)
    run = measure_customer(db, "volvo-it", AS_OF)
    log = events_from_table(
        extract.events.select(["ticket_id", "ts", "kind", "value", "actor"])
    ).log
    policies = load_contract(CONTRACT)
    expected = measure_versions(
        log, policies, np.full(log.n_tickets, "volvo-it", object), AS_OF
    ).table
    with db.connect() as conn:
        stored = run_table(conn, repo.customer_id(conn, "volvo-it") or -1, "volvo-it", run.run)
    keys = [("ticket_id", "ascending"), ("metric", "ascending"), ("cycle", "ascending")]
    assert stored.num_rows == expected.num_rows > 7_000
    assert stored.sort_by(keys).equals(expected.select(stored.column_names).sort_by(keys))
    assert run.states.get("breached", 0) > 0 and run.states.get("met", 0) > 0
