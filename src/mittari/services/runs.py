"""What the CLI commands do: load, read, measure, roll up, write; each returns what to show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from mittari.engine.types import ContractPolicy, EventLog
from mittari.errors import ContractError, InputError, Problem
from mittari.importers.canonical.parser import ReadResult, read_events
from mittari.importers.canonical.tickets import TicketTable, read_tickets
from mittari.importers.canonical.writer import write_table
from mittari.services.measure import MeasureResult, compliance_table, measure_versions
from mittari.spec import check_contract, load_contracts

SHOWN_PROBLEMS = 20


def _contract_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
        else:
            files.append(p)
    return files


def check_contracts(paths: Sequence[Path]) -> tuple[list[Problem], int]:
    """Every problem of every file, then overlaps across files; and the versions found."""
    problems: list[Problem] = []
    for f in _contract_files(paths):
        if not f.exists():
            problems.append(Problem(str(f), None, "file", None, "no such file"))
            continue
        problems += check_contract(f)
    if problems:
        return problems, 0
    try:
        versions = load_contracts(paths)
    except ContractError as exc:
        return exc.problems, 0
    return [], sum(len(v) for v in versions.values())


def load_versions(paths: Sequence[Path]) -> list[ContractPolicy]:
    problems, _ = check_contracts(paths)
    if problems:
        raise ContractError(problems)
    return [v for versions in load_contracts(paths).values() for v in versions]


@dataclass
class Loaded:
    contracts: list[ContractPolicy]
    events: ReadResult
    tickets: TicketTable | None

    @property
    def log(self) -> EventLog:
        return self.events.log


def load_inputs(
    contracts: Sequence[Path],
    events: Path,
    tickets: Path | None,
    timezone: str | None,
    strict: bool,
) -> Loaded:
    versions = load_versions(contracts)
    read = read_events(events, timezone=timezone, strict=strict)
    table = read_tickets(tickets, strict=strict) if tickets is not None else None
    return Loaded(versions, read, table)


def _customers(loaded: Loaded) -> np.ndarray:
    names = sorted({c.customer for c in loaded.contracts})
    if loaded.tickets is not None:
        t = loaded.tickets.aligned(loaded.log.ticket_ids)
        return np.asarray(t.column("customer").to_numpy(zero_copy_only=False), dtype=object)
    if len(names) != 1:
        raise InputError(
            [
                Problem(
                    "--tickets",
                    None,
                    "customer",
                    None,
                    f"contracts for {len(names)} customers ({', '.join(names)}) need a tickets "
                    "file with a customer column to route tickets",
                )
            ]
        )
    return np.full(loaded.log.n_tickets, names[0], dtype=object)


def measure_loaded(loaded: Loaded, as_of_us: int) -> MeasureResult:
    return measure_versions(loaded.log, loaded.contracts, _customers(loaded), as_of_us)


def read_notes(loaded: Loaded) -> list[str]:
    r = loaded.events
    notes = [f"events: {r.n_read} read, {r.n_kept} kept, {r.n_skipped} skipped"]
    problems = r.problems + (loaded.tickets.problems if loaded.tickets else [])
    notes += [f"  skipped: {p}" for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        notes.append(f"  … and {len(problems) - SHOWN_PROBLEMS} more problems")
    return notes


def measure_notes(result: MeasureResult) -> list[str]:
    states = Counter(result.table.column("state").to_pylist())
    shown = ", ".join(f"{n} {s}" for s, n in sorted(states.items()))
    notes = [f"measurements: {result.table.num_rows} ({shown or 'none'})"]
    notes += [f"unmeasured tickets, {why}: {n}" for why, n in result.unmeasured.items()]
    return notes


def run_compute(
    contracts: Sequence[Path],
    events: Path,
    tickets: Path | None,
    as_of_us: int,
    timezone: str | None,
    strict: bool,
    out: Path,
) -> list[str]:
    loaded = load_inputs(contracts, events, tickets, timezone, strict)
    result = measure_loaded(loaded, as_of_us)
    written = write_table(result.table, out)
    return [*read_notes(loaded), *measure_notes(result), f"wrote {written}"]


def run_compliance(
    contracts: Sequence[Path],
    events: Path,
    tickets: Path | None,
    as_of_us: int,
    timezone: str | None,
    strict: bool,
    by: Sequence[str],
    out: Path | None,
) -> tuple[pa.Table, list[str]]:
    loaded = load_inputs(contracts, events, tickets, timezone, strict)
    result = measure_loaded(loaded, as_of_us)
    table = compliance_table(
        result.table, loaded.contracts, by, loaded.tickets.table if loaded.tickets else None
    )
    notes = [*read_notes(loaded), *measure_notes(result)]
    if out is not None:
        notes.append(f"wrote {write_table(table, out)}")
    return table, notes
