"""What a recompute is asked to do, checked before any work starts, and where tasks write.

A `RecomputeJob` is plain, picklable data: every task of a run gets it (a Dask run sends
it to each worker once), so it holds the resolved contracts and the routing of tickets to
customers, not file names a worker might not see.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.types import I64, ContractPolicy
from mittari.errors import InputError, Problem
from mittari.importers.canonical.tickets import read_tickets
from mittari.runtime import tune_process
from mittari.services.measure import GROUPABLE
from mittari.services.recompute.hashing import partition_of
from mittari.services.recompute.source import EventSource


@dataclass(frozen=True)
class Routing:
    """Who each ticket belongs to: one customer for all, or a tickets table.

    `tickets` holds ticket_id, customer and the ticket columns `--by` groups on;
    `partition` the partition of each of its rows, hashed once here for every task.
    """

    customer: str | None
    tickets: pa.Table | None = None
    partition: I64 | None = None

    def customers(self, ticket_ids: pa.Array) -> pa.Array:
        """The customer of each ticket id (trimmed), null for a ticket the table lacks."""
        if self.tickets is None:
            return pa.repeat(pa.scalar(self.customer, pa.string()), len(ticket_ids))
        found = pc.index_in(ticket_ids, value_set=self.tickets.column("ticket_id"))
        return self.tickets.column("customer").combine_chunks().take(found)

    def tickets_of(self, partition: int) -> pa.Table | None:
        """The tickets table's rows of one partition."""
        if self.tickets is None or self.partition is None:
            return None
        return self.tickets.filter(pa.array(self.partition == partition))


@dataclass(frozen=True)
class RecomputeJob:
    source: EventSource
    contracts: tuple[ContractPolicy, ...]
    routing: Routing
    as_of_us: int
    by: tuple[str, ...]
    partitions: int
    timezone: str | None = None
    strict: bool = False


@dataclass(frozen=True)
class TaskContext:
    """The job and the run's two folders: scratch (shuffle, values) and the staged output."""

    job: RecomputeJob
    scratch: str
    staging: str

    def shuffle_file(self, partition: int, piece: int) -> Path:
        return Path(self.scratch, "shuffle", f"part-{partition:05d}", f"piece-{piece:06d}.parquet")

    def shuffle_dir(self, partition: int) -> Path:
        return Path(self.scratch, "shuffle", f"part-{partition:05d}")

    def values_files(self, partition: int) -> tuple[Path, Path]:
        """The partition's group offsets and sorted values (`.npy`: a reader maps them)."""
        base = Path(self.scratch, "values", f"part-{partition:05d}")
        return base.with_suffix(".offsets.npy"), base.with_suffix(".values.npy")

    def measurements_file(self, partition: int) -> Path:
        return Path(self.staging, "measurements", f"part-{partition:05d}.parquet")


@dataclass(frozen=True)
class TaskStats:
    """Where and how a task ran: its worker process, that process's peak RSS, its wall
    time and the CPU time of its process meanwhile (which other work on a shared machine
    does not inflate, as it does the wall time)."""

    pid: int
    peak_rss_mb: float
    seconds: float
    cpu_seconds: float


def task_stats(started: tuple[float, float]) -> TaskStats:
    wall, cpu = time.perf_counter() - started[0], time.process_time() - started[1]
    return TaskStats(os.getpid(), peak_rss_mb(), wall, cpu)


def peak_rss_mb() -> float:
    """The process's peak RSS: Linux's VmHWM where there is one, else ru_maxrss.

    (ru_maxrss survives exec: a worker started by a large process would report at least
    that process's size; VmHWM belongs to the worker's own memory.)
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def start_task() -> tuple[float, float]:
    """Tune the worker as the CLI tunes itself (idempotent), and start the task's clocks."""
    tune_process()
    return time.perf_counter(), time.process_time()


def make_routing(
    contracts: Sequence[ContractPolicy],
    tickets: Path | None,
    customer: str | None,
    by: Sequence[str],
    partitions: int,
    strict: bool = False,
) -> tuple[Routing, list[Problem]]:
    """The routing of tickets from `--tickets` or `--customer` (or the contracts' only
    customer), and the problems of the tickets file."""
    columns = [k for k in by if k not in GROUPABLE]
    if tickets is not None and customer is not None:
        raise InputError([_problem("--customer", "give --tickets or --customer, not both")])
    if tickets is None:
        if columns:
            raise InputError([Problem("--by", None, n, n, "needs a tickets file") for n in columns])
        return Routing(customer or _only_customer(contracts)), []
    table = read_tickets(tickets, strict=strict)
    missing = [n for n in columns if n not in table.table.column_names]
    if missing:
        raise InputError(
            [Problem("--by", None, n, n, "not a column of the tickets file") for n in missing]
        )
    kept = table.table.select(["ticket_id", "customer", *columns])
    ids, names = kept.column("ticket_id").combine_chunks(), kept.column("customer").combine_chunks()
    partition = np.asarray(partition_of(names, ids, partitions), dtype=np.int64)
    return Routing(None, kept.combine_chunks(), partition), table.problems


def _only_customer(contracts: Sequence[ContractPolicy]) -> str:
    names = sorted({c.customer for c in contracts})
    if len(names) != 1:
        shown = ", ".join(names)
        raise InputError(
            [
                _problem(
                    "--tickets",
                    f"contracts for {len(names)} customers ({shown}) need a tickets file with "
                    "a customer column (--tickets) or one --customer to route tickets",
                )
            ]
        )
    return names[0]


def _problem(option: str, message: str) -> Problem:
    return Problem(option, None, option.lstrip("-"), None, message)
