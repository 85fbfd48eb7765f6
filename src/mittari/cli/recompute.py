"""`mittari recompute`: a whole Parquet history, partitioned by ticket, here or on Dask."""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mittari.cli.store import fail
from mittari.cli.table import print_table
from mittari.errors import MittariError

SHOWN_PROBLEMS = 20


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


def recompute(
    events: Annotated[
        str,
        typer.Option(
            "--events", "-e", help="Parquet event log: a file, a folder of them or an fsspec URL."
        ),
    ],
    contract: Annotated[
        list[Path],
        typer.Option("--contract", "-c", help="Contract YAML file or directory (repeatable)."),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output folder (measurements/, compliance.parquet), replaced whole."
        ),
    ],
    tickets: Annotated[
        Path | None,
        typer.Option("--tickets", "-t", help="tickets.csv/.parquet: the customer of each ticket."),
    ] = None,
    customer: Annotated[
        str | None, typer.Option(help="Every ticket is this customer's (instead of --tickets).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Evaluate at this ISO 8601 instant with offset (default: now)."),
    ] = None,
    engine: Annotated[
        EngineName, typer.Option(help="local: in this process; dask: on a Dask cluster.")
    ] = EngineName.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://host:8786); default a LocalCluster."),
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes of the LocalCluster.")] = 2,
    partitions: Annotated[
        int | None,
        typer.Option(help="Partitions by ticket (default: one per million events, at least 8)."),
    ] = None,
    by: Annotated[
        str, typer.Option(help="Group keys: month, metric, priority, customer or a ticket column.")
    ] = "month,metric",
    timezone: Annotated[
        str | None,
        typer.Option(help="IANA zone of timestamps without an offset (else they are errors)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Publish nothing if any row is bad.")
    ] = False,
) -> None:
    """Recompute every clock of a whole history, partitioned by ticket, and roll it up.

    Writes OUT/measurements/part-NNNNN.parquet (one file per partition), OUT/compliance.parquet
    and OUT/manifest.json; a previous output is replaced only when the run succeeds.
    """
    from mittari.cli.main import parse_as_of  # here: main imports this module
    from mittari.services.recompute import LocalExecutor, dask_executor, prepare_job
    from mittari.services.recompute import recompute as run

    keys = [k.strip() for k in by.split(",") if k.strip()]
    if not keys:
        raise typer.BadParameter("name at least one group key", param_hint="--by")
    if scheduler is not None and engine is not EngineName.dask:
        raise typer.BadParameter("needs --engine dask", param_hint="--scheduler")
    if workers < 1:
        raise typer.BadParameter("needs at least one worker", param_hint="--workers")
    as_of_us = parse_as_of(as_of)
    started = time.perf_counter()
    try:
        job, notes = prepare_job(
            contract,
            events,
            as_of_us,
            tickets=tickets,
            customer=customer,
            by=keys,
            partitions=partitions,
            timezone=timezone,
            strict=strict,
        )
        if engine is EngineName.local:
            result = run(job, LocalExecutor(), out, _progress)
        else:
            with dask_executor(scheduler, workers) as executor:
                result = run(job, executor, out, _progress)
    except MittariError as exc:
        raise fail(exc) from None
    print_table(result.compliance)
    problems = [str(p) for p in notes] + [str(p) for p in result.problems]
    typer.echo(
        f"events: {result.events_read} read, {result.events_kept} kept, "
        f"{result.events_read - result.events_kept} skipped"
    )
    for problem in problems[:SHOWN_PROBLEMS]:
        typer.echo(f"  skipped: {problem}")
    if len(problems) > SHOWN_PROBLEMS:
        typer.echo(f"  … and {len(problems) - SHOWN_PROBLEMS} more problems")
    shown = ", ".join(f"{n} {s}" for s, n in result.states.items())
    typer.echo(f"measurements: {result.measurements} ({shown or 'none'})")
    for why, n in result.unmeasured.items():
        typer.echo(f"unmeasured tickets, {why}: {n}")
    stages = ", ".join(f"{s} {t:.1f} s" for s, t in result.seconds.items())
    typer.echo(
        f"{engine.value} engine, {result.partitions} partitions: {stages}; "
        f"{time.perf_counter() - started:.1f} s in all"
    )
    peaks = ", ".join(f"{mb:,.0f}" for mb in sorted(result.peak_rss_mb.values()))
    typer.echo(f"peak memory per worker process (MB): {peaks}")
    typer.echo(f"wrote {out}/ (measurements/, compliance.parquet, manifest.json)")


def _progress(stage: str, done: int, total: int) -> None:
    """One line per stage on a terminal (rewritten in place); else about every tenth."""
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        typer.echo(f"\r  {stage}: {done}/{total}", err=True, nl=False)
        typer.echo(end, err=True, nl=False)
    elif done == total or done % max(1, total // 10) == 0:
        typer.echo(f"  {stage}: {done}/{total}", err=True)
