"""The partition API: Arrow tables of whole tickets in, measurements and rollup parts out.

`measure_partition` is the unit every engine runs: the events of any set of whole tickets
(and their routing to customers) in; the measurements, the mergeable compliance parts and
each group's sorted elapsed values out. Nothing in it depends on the other partitions, so
a partition by ticket is computed anywhere, in any order, and again after a failure. The
experience and integrity metrics of later issues are meant to join it the same way: a
table of whole tickets in, rows out, aggregates that merge by addition (or through an
exact second pass, as the percentiles here).

`measure_task` is that function as a task of a run: it reads its partition from the
shuffle, writes its measurements into the staged output, keeps its values for the
percentile pass and returns what the driver adds up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mittari.engine.partials import GroupValues
from mittari.engine.types import ContractPolicy
from mittari.errors import Problem
from mittari.importers.canonical.parser import events_from_table
from mittari.services.measure import measure_versions
from mittari.services.recompute.job import Routing, TaskContext, TaskStats, start_task, task_stats
from mittari.services.recompute.rollup import partial_compliance
from mittari.services.recompute.shuffle import ROW, shuffle_schema


@dataclass(frozen=True)
class PartitionResult:
    measurements: pa.Table  # as `measure_versions` gives them, customer and version included
    rollup: pa.Table  # per compliance group: labels, objective, count, met, total_us
    values: GroupValues  # per compliance group, its elapsed µs, sorted
    unmeasured: dict[str, int]
    problems: list[Problem]  # lines are the rows of `events` (1-based)
    events_kept: int


def measure_partition(
    events: pa.Table,
    routing: Routing,
    contracts: Sequence[ContractPolicy],
    as_of_us: int,
    by: Sequence[str],
    timezone: str | None = None,
) -> PartitionResult:
    """Measure a set of whole tickets and roll them up in mergeable parts.

    `routing` gives each ticket's customer (and the ticket columns `by` groups on); its
    tickets table may hold only this partition's tickets.
    """
    read = events_from_table(events, file="<partition>", timezone=timezone)
    ids = pa.array(read.log.ticket_ids, pa.string())
    customers = np.asarray(routing.customers(ids).to_numpy(zero_copy_only=False), dtype=object)
    result = measure_versions(read.log, contracts, customers, as_of_us)
    rollup, values = partial_compliance(result.table, contracts, by, routing.tickets)
    return PartitionResult(
        result.table, rollup, values, result.unmeasured, read.problems, read.n_kept
    )


@dataclass(frozen=True)
class MeasureSummary:
    """What a measure task tells the driver: small, whatever the partition's size."""

    partition: int
    rollup: pa.Table
    unmeasured: dict[str, int]
    problems: list[Problem]  # at their file and row of the log
    events_read: int
    events_kept: int
    states: dict[str, int]
    stats: TaskStats


def measure_task(partition: int, ctx: TaskContext) -> MeasureSummary:
    started = start_task()
    job = ctx.job
    table = read_shuffled(ctx, partition)
    rows = np.asarray(table.column(ROW).to_numpy(), dtype=np.int64)
    routing = Routing(job.routing.customer, job.routing.tickets_of(partition))
    result = measure_partition(
        table.drop_columns([ROW]), routing, job.contracts, job.as_of_us, job.by, job.timezone
    )
    out = ctx.measurements_file(partition)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(result.measurements, out)
    offsets_file, values_file = ctx.values_files(partition)
    values_file.parent.mkdir(parents=True, exist_ok=True)
    np.save(offsets_file, result.values.offsets)
    np.save(values_file, result.values.values)
    problems = [
        p if p.line is None else job.source.where(p, int(rows[p.line - 1])) for p in result.problems
    ]
    counted = pc.value_counts(result.measurements.column("state")).to_pylist()
    states = {c["values"]: c["counts"] for c in counted}
    return MeasureSummary(
        partition,
        result.rollup,
        result.unmeasured,
        problems,
        table.num_rows,
        result.events_kept,
        states,
        task_stats(started),
    )


def read_shuffled(ctx: TaskContext, partition: int) -> pa.Table:
    """The partition's rows from every piece, in piece order (so in the log's order)."""
    folder = ctx.shuffle_dir(partition)
    schema = shuffle_schema(ctx.job.source.ts_type)
    files = sorted(folder.glob("piece-*.parquet")) if folder.is_dir() else []
    words = ["ticket_id", "kind", "value", "actor"]
    tables = [pq.read_table(f, read_dictionary=words) for f in files]
    return pa.concat_tables(tables) if tables else schema.empty_table()
