"""One recompute: split → measure → percentiles → publish, on any executor.

    split        per piece of the log: its rows cut by partition into the scratch folder
    measure      per partition: measurements written to the staged output, the rollup
                 parts returned, the groups' values kept in scratch
    (driver)     the parts merged by group: counts, met and elapsed sums added up
    percentiles  per run of groups: p50/p90 from the values of every partition
    (driver)     compliance.parquet and manifest.json staged, then swapped into place

With `strict`, a problem in any row rejects the run after the measure stage: nothing is
published, as `read_events(strict=True)` takes nothing from a file with a bad row.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import mittari
from mittari.errors import BatchRejected, InputError, Problem
from mittari.importers.canonical.timestamps import check_timezone
from mittari.services.recompute.executors import Executor, Progress, no_progress
from mittari.services.recompute.job import RecomputeJob, TaskContext, TaskStats, make_routing
from mittari.services.recompute.output import check_replaceable, publish, staged, write_manifest
from mittari.services.recompute.partition import MeasureSummary, measure_task
from mittari.services.recompute.rollup import (
    compliance_from_parts,
    merge_compliance,
    percentile_task,
    plan_percentiles,
)
from mittari.services.recompute.shuffle import split_piece
from mittari.services.recompute.source import open_source
from mittari.services.runs import load_versions


class _Reported(Protocol):
    @property
    def stats(self) -> TaskStats: ...


R = TypeVar("R", bound=_Reported)  # every task's result says where and how it ran
PARTITION_EVENTS = 1_000_000  # ~250 MB of engine memory per task (bench/README.md)
MIN_PARTITIONS = 8
HASH = 'FNV-1a 64 of UTF-8 customer + "\\x1f" + ticket_id, MurmurHash3 fmix64, modulo partitions'


@dataclass
class RecomputeResult:
    out: Path
    compliance: pa.Table
    events_read: int
    events_kept: int
    measurements: int
    states: dict[str, int]
    unmeasured: dict[str, int]
    problems: list[Problem]
    partitions: int
    pieces: int
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, wall time
    task_seconds: dict[str, float] = field(default_factory=dict)  # per stage, tasks' time summed
    task_cpu_seconds: dict[str, float] = field(default_factory=dict)  # the same in CPU time
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # per worker process


def prepare_job(
    contracts: Sequence[Path],
    events: str,
    as_of_us: int,
    *,
    tickets: Path | None = None,
    customer: str | None = None,
    by: Sequence[str] = ("month", "metric"),
    partitions: int | None = None,
    timezone: str | None = None,
    strict: bool = False,
) -> tuple[RecomputeJob, list[Problem]]:
    """The job, every input checked before any work starts, and the tickets file's problems.

    Without `partitions`, about a million events each and at least MIN_PARTITIONS: the
    default depends on the log only, so every engine cuts it alike.
    """
    if partitions is not None and partitions < 1:
        raise InputError([Problem("--partitions", None, "partitions", partitions, "must be ≥ 1")])
    if timezone is not None:
        try:
            check_timezone(timezone)
        except ValueError as exc:
            raise InputError([Problem("--timezone", None, "timezone", timezone, str(exc))]) from exc
    versions = load_versions(contracts)
    source = open_source(events)
    n = partitions or max(MIN_PARTITIONS, -(-source.rows // PARTITION_EVENTS))
    routing, problems = make_routing(versions, tickets, customer, by, n, strict)
    job = RecomputeJob(source, tuple(versions), routing, as_of_us, tuple(by), n, timezone, strict)
    return job, problems


def recompute(
    job: RecomputeJob, executor: Executor, out: Path, progress: Progress = no_progress
) -> RecomputeResult:
    """Recompute the whole log into `out`, replacing a previous output only on success."""
    check_replaceable(out)
    with staged(out) as (staging, scratch):
        stages = _Stages(executor, TaskContext(job, str(scratch), str(staging)), progress)
        stages.run(split_piece, range(len(job.source.pieces)), "split")
        summaries = stages.run(measure_task, range(job.partitions), "measure")
        problems = sorted((p for s in summaries for p in s.problems), key=job.source.order)
        if job.strict and problems:
            raise BatchRejected(problems)
        table = _compliance(job, summaries, stages)
        result = _result(out, table, summaries, problems, job, stages)
        pq.write_table(table, staging / "compliance.parquet")
        write_manifest(staging, _manifest(job, executor, result))
        publish(staging, out)
    return result


class _Stages:
    """Runs a stage's tasks on the executor and keeps its wall time and the tasks' stats."""

    def __init__(self, executor: Executor, context: TaskContext, progress: Progress) -> None:
        self.executor, self.progress = executor, progress
        self.shared = executor.share(context)  # sent to every worker once
        self.seconds: dict[str, float] = {}
        self.stats: dict[str, list[TaskStats]] = {}

    def run(self, task: Callable[[Any, Any], R], items: Sequence[Any], stage: str) -> list[R]:
        clock = time.perf_counter()
        results = self.executor.run(task, items, self.shared, stage, self.progress)
        self.seconds[stage] = time.perf_counter() - clock
        self.stats[stage] = [r.stats for r in results]
        return results


def _compliance(job: RecomputeJob, summaries: list[MeasureSummary], stages: _Stages) -> pa.Table:
    """Merge the partitions' parts, run the percentile pass, build the table."""
    clock = time.perf_counter()
    merged = merge_compliance([s.rollup for s in summaries], job.by)
    done = stages.run(percentile_task, plan_percentiles(merged, job.partitions), "percentiles")
    p50 = np.zeros(len(merged.merged), dtype=np.float64)
    p90 = np.zeros(len(merged.merged), dtype=np.float64)
    for r in done:
        p50[r.groups], p90[r.groups] = r.p50_us, r.p90_us
    table = compliance_from_parts(merged, p50, p90, job.by)
    stages.seconds["percentiles"] = time.perf_counter() - clock  # with the merge around it
    return table


def _result(
    out: Path,
    table: pa.Table,
    summaries: list[MeasureSummary],
    problems: list[Problem],
    job: RecomputeJob,
    stages: _Stages,
) -> RecomputeResult:
    states: Counter[str] = Counter()
    unmeasured: Counter[str] = Counter()
    for s in summaries:
        states.update(s.states)
        unmeasured.update(s.unmeasured)
    peaks: dict[int, float] = {}
    stats = stages.stats
    for st in (st for stage in stats.values() for st in stage):
        peaks[st.pid] = max(peaks.get(st.pid, 0.0), st.peak_rss_mb)
    return RecomputeResult(
        out=out,
        compliance=table,
        events_read=sum(s.events_read for s in summaries),
        events_kept=sum(s.events_kept for s in summaries),
        measurements=sum(states.values()),
        states=dict(sorted(states.items())),
        unmeasured=dict(unmeasured),
        problems=problems,
        partitions=job.partitions,
        pieces=len(job.source.pieces),
        seconds=stages.seconds,
        task_seconds={stage: sum(st.seconds for st in done) for stage, done in stats.items()},
        task_cpu_seconds={k: sum(st.cpu_seconds for st in done) for k, done in stats.items()},
        peak_rss_mb=peaks,
    )


def _manifest(job: RecomputeJob, executor: Executor, result: RecomputeResult) -> dict[str, object]:
    """What an auditor needs to know how the output was made."""
    as_of = datetime.fromtimestamp(job.as_of_us / 1_000_000, UTC)
    return {
        "mittari": mittari.__version__,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": executor.name,
        "events": job.source.url,
        "event_files": len(job.source.files),
        "as_of": as_of.isoformat(),
        "contracts": [{"customer": c.customer, "version": c.version} for c in job.contracts],
        "by": list(job.by),
        "partitions": job.partitions,
        "partition_hash": HASH,
        "measurements": "measurements/part-NNNNN.parquet, one file per partition",
        "compliance": "compliance.parquet",
        "events_read": result.events_read,
        "events_kept": result.events_kept,
        "measurement_rows": result.measurements,
        "states": result.states,
        "unmeasured_tickets": result.unmeasured,
        "problems": len(result.problems),
    }
