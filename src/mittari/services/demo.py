"""`mittari demo`: a synthetic year for three customers, measured and rolled up.

Everything goes through the same files and code paths a user's data would: the generated
events are written as Parquet, read back by the canonical importer, measured under the
demo contracts (shipped in `demo_contracts/`) and rolled up into compliance.
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

from mittari.importers.canonical.writer import write_table
from mittari.services.demo_data import generate_year
from mittari.services.measure import compliance_table
from mittari.services.runs import load_inputs, measure_loaded, measure_notes, read_notes

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
    loaded = load_inputs([contracts], events, tickets, None, False)
    result = measure_loaded(loaded, as_of_us)
    measured = time.perf_counter() - clock - generated
    write_table(result.table, workdir / "measurements.parquet")
    attributes = loaded.tickets.table if loaded.tickets else None
    yearly = compliance_table(result.table, loaded.contracts, ["customer", "metric"], attributes)
    monthly = compliance_table(
        result.table, loaded.contracts, ["customer", "metric", "month"], attributes
    )
    missed = monthly.filter(pc.invert(monthly.column("objective_met")))
    notes = [
        f"mittari demo: the year {YEAR} of an MSP with three customers (seed {seed})",
        *read_notes(loaded),
        *measure_notes(result),
        f"generated in {generated:.1f} s, read and measured in {measured:.1f} s",
    ]
    sections = [
        (f"Compliance over {YEAR}, per customer and metric:", yearly),
        (f"Months that missed their objective ({missed.num_rows} of {monthly.num_rows}):", missed),
    ]
    footer = [
        f"Files in {workdir}/: contracts/, events.parquet, tickets.csv, measurements.parquet",
        f"Try: mittari compliance -c {contracts} -e {events} -t {tickets} "
        f"--as-of {as_of.isoformat()} --by customer,service,priority",
    ]
    return DemoReport(notes, sections, footer)
