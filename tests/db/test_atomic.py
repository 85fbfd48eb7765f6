"""A killed import leaves the database as it was before the batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from tests.db.conftest import BACKENDS, drop_database, fresh_database

from mittari.db.migrate import upgrade
from mittari.db.models import Event, ImportBatch, Ticket
from mittari.importers.canonical import write_table
from mittari.services.demo_data import generate_year

IMPORT = """
import sys
from mittari.db.connect import make_engine
from mittari.services.ingest import import_source
url, events, tickets = sys.argv[1:4]
engine = make_engine(url)
def tell(rows, total):
    print("wrote", rows, flush=True)
import_source(engine, "canonical", events, tickets=tickets, progress=tell)
print("done", flush=True)
"""


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Event, Ticket, ImportBatch)
        )


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_import_killed_while_writing_leaves_nothing(backend: str, tmp_path: Path) -> None:
    events, tickets = generate_year(5)
    write_table(events, tmp_path / "events.parquet")
    write_table(tickets, tmp_path / "tickets.csv")
    engine, url = fresh_database(backend, str(tmp_path))
    try:
        upgrade(engine)
        files = [str(tmp_path / "events.parquet"), str(tmp_path / "tickets.csv")]
        command = [sys.executable, "-c", IMPORT, url, *files]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        assert child.stdout is not None
        first = child.stdout.readline()  # the first chunk of events is written, not committed
        assert first.startswith("wrote"), first
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        time.sleep(0.2)
        assert counts(engine) == (0, 0, 0)
        # and the same import, run to the end, stores everything once
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        assert done.stdout.strip().endswith("done")
        assert counts(engine) == (
            events.num_rows,
            len(set(tickets.column("ticket_id").to_pylist())),
            1,
        )
    finally:
        drop_database(engine)
