"""`mittari integrity`: the integrity flags and reported beside honest compliance, from files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer

from mittari.cli.table import print_table
from mittari.errors import MittariError

ContractOpt = Annotated[
    list[Path],
    typer.Option("--contract", "-c", help="Contract YAML file or directory (repeatable)."),
]
EventsOpt = Annotated[Path, typer.Option("--events", "-e", help="Canonical events .csv/.parquet.")]


def integrity(
    contract: ContractOpt,
    events: EventsOpt,
    tickets: Annotated[
        Path | None,
        typer.Option(
            "--tickets", "-t", help="tickets.csv (customer, requester, service, origin, …)."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Evaluate at this ISO 8601 instant with offset (default: now)."),
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            help="Group keys: month, metric, priority, customer, assignee or a ticket column."
        ),
    ] = "month,metric",
    timezone: Annotated[
        str | None,
        typer.Option(help="IANA zone of timestamps without an offset (else they are errors)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Reject the whole batch if any row is bad.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the flags to .csv/.parquet.")
    ] = None,
) -> None:
    """Flag gamed SLA figures (each flag with its evidence) and show compliance as reported
    and with the flagged behaviour undone (honest), side by side."""
    from mittari.cli.main import parse_as_of
    from mittari.cli.store import fail
    from mittari.importers.canonical import write_table
    from mittari.services.integrity import run_integrity

    keys = [k.strip() for k in by.split(",") if k.strip()]
    if not keys:
        raise typer.BadParameter("name at least one group key", param_hint="--by")
    try:
        report, notes = run_integrity(
            contract, events, tickets, parse_as_of(as_of), timezone, strict, keys
        )
    except MittariError as exc:
        raise fail(exc) from None
    for line in notes:
        typer.echo(line)
    typer.echo("")
    typer.echo("integrity flags")
    counts = report.counts
    shares = [f"{x:.2f} %" for x in counts.column("share_pct").to_pylist()]
    print_table(counts.set_column(3, "share of tickets", pa.array(shares)))
    flagged = report.bunching.filter(report.bunching.column("flagged"))
    typer.echo("")
    typer.echo(
        f"deadline bunching: {flagged.num_rows} of {report.bunching.num_rows} team-months flagged"
    )
    if flagged.num_rows:
        print_table(flagged.drop_columns(["tickets_in_last_window"]))
    typer.echo("")
    typer.echo("compliance, reported and honest")
    print_table(report.compliance)
    if out is not None:
        typer.echo(f"wrote {write_table(report.flags, out)}")
