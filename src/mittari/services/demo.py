"""`mittari demo`: a synthetic year for three customers, stored, measured and rolled up.

Everything goes through the same files and code paths a user's data would: the generated
events are written as Parquet, imported into a SQLite store in the work folder with the
demo contracts (shipped in `demo_contracts/`), measured per customer into stored runs and
rolled up into compliance from those runs.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import Engine

from mittari.db.connect import make_engine
from mittari.db.migrate import upgrade
from mittari.services.demo_data import DEMO_CUSTOMERS, generate_year
from mittari.services.ingest import import_source
from mittari.services.stored import RunSummary, add_contract, compliance, measure_customer

YEAR = 2025


def _write_inputs(seed: int, workdir: Path) -> tuple[Path, Path, Path]:
    events, tickets = generate_year(seed, year=YEAR)
    workdir.mkdir(parents=True, exist_ok=True)
    contracts = workdir / "contracts"
    contracts.mkdir(exist_ok=True)
    for item in resources.files("mittari.services").joinpath("demo_contracts").iterdir():
        if item.name.endswith(".yaml"):
            with resources.as_file(item) as src:
                shutil.copyfile(src, contracts / item.name)
    pq.write_table(events, workdir / "events.parquet")
    pacsv.write_csv(tickets, workdir / "tickets.csv")
    return contracts, workdir / "events.parquet", workdir / "tickets.csv"


@dataclass
class DemoReport:
    """What the demo found, for the CLI to show: notes, then titled tables."""

    notes: list[str]
    sections: list[tuple[str, pa.Table]]
    footer: list[str]


def run_demo(seed: int, workdir: Path) -> DemoReport:
    clock = time.perf_counter()
    contracts, events, tickets = _write_inputs(seed, workdir)
    generated = time.perf_counter() - clock
    as_of = datetime(YEAR + 1, 1, 1, tzinfo=ZoneInfo("Europe/Helsinki"))
    as_of_us = int(as_of.timestamp()) * 1_000_000
    database = workdir / "mittari.db"
    for suffix in ("", "-wal", "-shm"):  # a fresh store each run: the demo is deterministic
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    try:
        upgrade(engine)
        for contract in sorted(contracts.glob("*.yaml")):
            add_contract(engine, contract)
        batch = import_source(engine, "canonical", events, tickets=tickets)
        runs = [measure_customer(engine, c.slug, as_of_us) for c in DEMO_CUSTOMERS]
        yearly = _per_customer(engine, ["metric"])
        monthly = _per_customer(engine, ["metric", "month"])
    finally:
        engine.dispose()
    measured = time.perf_counter() - clock - generated
    missed = monthly.filter(pc.invert(monthly.column("objective_met")))
    notes = [
        f"mittari demo: the year {YEAR} of an MSP with three customers (seed {seed})",
        f"imported: {batch.n_read} events read, {batch.n_imported} stored, "
        f"{batch.n_tickets_new} tickets, {batch.n_rejected} rejected",
        *[_run_note(run) for run in runs],
        f"generated in {generated:.1f} s, stored and measured in {measured:.1f} s",
    ]
    sections = [
        (f"Compliance over {YEAR}, per customer and metric:", yearly),
        (f"Months that missed their objective ({missed.num_rows} of {monthly.num_rows}):", missed),
    ]
    store = f"MITTARI_DATABASE_URL=sqlite:///{database}"
    footer = [
        f"Files in {workdir}/: contracts/, events.parquet, tickets.csv, mittari.db (SQLite)",
        f"Try: {store} mittari compliance --customer {DEMO_CUSTOMERS[0].slug} --month {YEAR}-10 "
        "--by metric,priority",
        f"     {store} mittari runs --customer {DEMO_CUSTOMERS[0].slug}",
    ]
    return DemoReport(notes, sections, footer)


def _per_customer(engine: Engine, by: list[str]) -> pa.Table:
    tables = []
    for customer in DEMO_CUSTOMERS:
        table, _ = compliance(engine, customer.slug, by=by)
        names = pa.array([customer.slug] * table.num_rows, pa.string())
        tables.append(table.add_column(0, "customer", names))
    return pa.concat_tables(tables)


def _run_note(run: RunSummary) -> str:
    states = ", ".join(f"{n} {s}" for s, n in sorted(run.states.items()))
    return (
        f"run {run.run} of {run.customer}: {run.n_tickets} tickets → {run.n_rows} clocks ({states})"
    )
