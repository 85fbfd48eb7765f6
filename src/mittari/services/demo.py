"""`mittari demo`: a made-up year of an MSP with five customers, stored, measured, and the
stories the product is for found in it by the product's own services.

Everything goes through the same files and code paths a user's data would: the generated
events are written as Parquet (and the tickets as CSV) and imported with the canonical
importer; survey answers and outages are written as CSV files per customer and imported
with `mittari import feedback` and `mittari import outages`' services; the contracts
(`demo_contracts/`) are stored as files are. Each customer is then measured into a stored
run at the demo's end, the open clocks are computed for the live at-risk feed, tokens are
made for the dashboard, and `demo_findings` reads the stories back out.

The year ends at `end` (the CLI's default: now, rounded down to the hour, so the
dashboard's "now" is the data's: the last hours' tickets are still open, their clocks
running towards their targets). It starts on the first day of the month twelve months
before. The same seed and end give the same store and the same figures.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import Engine

from mittari.db import repository as repo
from mittari.db.connect import make_engine
from mittari.db.migrate import upgrade
from mittari.engine.types import State
from mittari.errors import InputError, Problem
from mittari.services import live
from mittari.services.demo_data import DEMO_CUSTOMERS, DemoYear, Window, generate
from mittari.services.demo_feedback import pulse_answers, ticket_answers
from mittari.services.demo_findings import Findings, find_stories
from mittari.services.demo_outages import outage_table
from mittari.services.feedback import import_feedback
from mittari.services.ingest import ImportSummary, import_source
from mittari.services.outages import import_outages
from mittari.services.stored import RunSummary, add_contract, measure_customer
from mittari.services.tokens import create_token
from mittari.spec.check import read_versions

US = 1_000_000
EARLIEST_END = datetime(2025, 1, 1, tzinfo=UTC)  # the demo contracts start in 2024


def demo_end(now: datetime | None = None) -> datetime:
    """The instant the demo's year ends: `now` (default: the clock) rounded down to the hour."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


@dataclass
class DemoReport:
    """What the demo did and found, for the CLI to show."""

    end: datetime
    database: Path
    notes: list[str]
    findings: Findings
    tokens: dict[str, str] = field(default_factory=dict)  # name → token (shown once)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database}"


def run_demo(seed: int, workdir: Path, end: datetime | None = None) -> DemoReport:
    """Generate, store, measure and read back the demo year ending at `end` (aware)."""
    end = demo_end() if end is None else end
    if end.tzinfo is None or end < EARLIEST_END:
        message = f"an instant with an offset, from {EARLIEST_END:%Y-%m-%d} on"
        raise InputError([Problem("--as-of", None, "as_of", str(end), message)])
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    workdir.mkdir(parents=True, exist_ok=True)
    year = generate(seed, Window.months_to(end))
    files = _write_inputs(year, seed, workdir)
    timings["generated"] = time.perf_counter() - clock
    database = workdir / "mittari.db"
    for suffix in ("", "-wal", "-shm"):  # a fresh store each run: the demo is deterministic
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    as_of = int(end.timestamp()) * US
    try:
        upgrade(engine)
        notes = _store(engine, files, as_of)
        timings["stored and measured"] = time.perf_counter() - clock - sum(timings.values())
        findings = find_stories(engine, year, as_of)
        timings["stories found"] = time.perf_counter() - clock - sum(timings.values())
        tokens = _tokens(engine, workdir)
    finally:
        engine.dispose()
    return DemoReport(end, database, notes, findings, tokens, timings)


@dataclass
class _Files:
    contracts: list[Path]
    events: Path
    tickets: Path
    answers: dict[str, Path]  # customer → its survey answers (ticket survey and pulse)
    outages: dict[str, Path]  # customer → its outages (customers with monitored services)


def _write_inputs(year: DemoYear, seed: int, workdir: Path) -> _Files:
    folder = workdir / "contracts"
    folder.mkdir(exist_ok=True)
    for item in resources.files("mittari.services").joinpath("demo_contracts").iterdir():
        if item.name.endswith(".yaml"):
            with resources.as_file(item) as src:
                shutil.copyfile(src, folder / item.name)
    contracts = sorted(folder.glob("*.yaml"))
    pq.write_table(year.events, workdir / "events.parquet")
    pacsv.write_csv(year.tickets, workdir / "tickets.csv")
    (workdir / "answers").mkdir(exist_ok=True)
    (workdir / "outages").mkdir(exist_ok=True)
    answers, outages = {}, {}
    rngs = np.random.default_rng([seed, 1]).spawn(len(year.parts))  # apart from the events
    for part, rng in zip(year.parts, rngs, strict=True):
        c = part.customer
        start, end = year.window.start_local_us(), year.window.end_local_us(c.timezone)
        table = pa.concat_tables(
            [ticket_answers(part, end, rng), pulse_answers(part, start, end, rng)]
        )
        answers[c.slug] = workdir / "answers" / f"{c.slug}.csv"
        pacsv.write_csv(table, answers[c.slug])
        services, patch_hour = _monitored(folder / f"{c.slug}.yaml")
        if services:
            outages[c.slug] = workdir / "outages" / f"{c.slug}.csv"
            found = outage_table(part, services, patch_hour, start, end, rng)
            pacsv.write_csv(found, outages[c.slug])
    return _Files(contracts, workdir / "events.parquet", workdir / "tickets.csv", answers, outages)


def _monitored(contract: Path) -> tuple[list[str], int | None]:
    """The services of the latest version's availability section, and the hour its weekly
    Sunday maintenance window opens (None: no window)."""
    versions, _ = read_versions(contract)
    section = versions[-1].model.spec.availability if versions else None
    if section is None:
        return [], None
    weekly = section.maintenance.weekly if section.maintenance else None
    sunday = (weekly or {}).get("sun")
    return list(section.services), int(sunday[0][:2]) if sunday else None


def _store(engine: Engine, files: _Files, as_of: int) -> list[str]:
    for contract in files.contracts:
        add_contract(engine, contract)
    batch = import_source(engine, "canonical", files.events, tickets=files.tickets)
    notes = [_import_note(batch)]
    answered = sum(import_feedback(engine, p, customer=c).n_added for c, p in files.answers.items())
    down = sum(import_outages(engine, p, customer=c).n_added for c, p in files.outages.items())
    notes.append(f"imported {answered} survey answers and {down} outages")
    runs = [measure_customer(engine, c.slug, as_of) for c in DEMO_CUSTOMERS]
    notes += [_run_note(run) for run in runs]
    opened = _open_clocks(engine, runs, as_of)
    notes.append(f"open clocks at the end, for the at-risk feed: {opened}")
    return notes


def _open_clocks(engine: Engine, runs: list[RunSummary], as_of: int) -> int:
    """The open clocks at the demo's end (what webhooks keep up to date live), of the
    tickets whose clocks the stored run left running or paused."""
    total = 0
    running = pa.array([int(State.RUNNING), int(State.PAUSED)], pa.int64())
    with engine.begin() as conn:
        for run in runs:
            owner = repo.customer_id(conn, run.customer)
            if owner is None:
                continue
            rows = repo.load_measurements(conn, owner, run.run)
            open_rows = rows.filter(pc.is_in(rows.column("state"), value_set=running))
            pks = sorted(set(open_rows.column("ticket_id").to_pylist()))
            live.forget(owner)  # another demo store may have had this id in this process
            total += live.recompute(conn, owner, pks, as_of)
    return total


def _tokens(engine: Engine, workdir: Path) -> dict[str, str]:
    """A provider-admin token and a customer-viewer token per customer, also written to
    `tokens.txt` (readable by its owner only)."""
    tokens = {"admin": create_token(engine, "demo admin", "provider-admin", None)[0]}
    for c in DEMO_CUSTOMERS:
        tokens[c.slug] = create_token(engine, f"demo {c.slug}", "customer-viewer", c.slug)[0]
    path = workdir / "tokens.txt"
    path.unlink(missing_ok=True)
    path.touch(mode=0o600)
    lines = [f"{name}\t{token}" for name, token in tokens.items()]
    path.write_text(
        "# mittari demo tokens: provider-admin, then one viewer per customer\n"
        + "\n".join(lines)
        + "\n"
    )
    return tokens


def _import_note(batch: ImportSummary) -> str:
    return (
        f"imported {batch.n_read} events ({batch.n_imported} stored, {batch.n_rejected} "
        f"rejected) of {batch.n_tickets_new} tickets"
    )


def _run_note(run: RunSummary) -> str:
    states = ", ".join(f"{n} {s}" for s, n in sorted(run.states.items()))
    return f"measured {run.customer}: {run.n_tickets} tickets → {run.n_rows} clocks ({states})"
