"""Commands `availability`, `credits` and `recurring`: outages, service credits, problem
candidates (docs/availability.md). Each calls one function of `services/reliability_runs`.
`import outages` stores outage files for the API's reports (`services/outages`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import pyarrow.compute as pc
import typer

from mittari.cli.store import (
    CustomerOpt,
    DatabaseOpt,
    ImportStrictOpt,
    NaiveZoneOpt,
    _engine,
    fail,
    report_batch,
)
from mittari.cli.table import print_table
from mittari.errors import MittariError

Contracts = Annotated[
    list[Path],
    typer.Option("--contract", "-c", help="Contract YAML file or directory (repeatable)."),
]
OutageFiles = Annotated[
    list[Path],
    typer.Option(
        "--outages",
        help="Outages: CSV, Alertmanager webhook bodies or a Zabbix export (repeatable).",
    ),
]
OutageKind = Annotated[
    str | None,
    typer.Option("--outage-format", help="csv, alertmanager or zabbix (default: detected)."),
]
OutageMapping = Annotated[
    Path | None,
    typer.Option("--outage-mapping", help="Outage mapping YAML (default: the shipped one)."),
]
AsOf = Annotated[
    str | None, typer.Option(help="Evaluate at this ISO 8601 instant with offset (default: now).")
]
Zone = Annotated[
    str | None,
    typer.Option(help="IANA zone of timestamps without an offset (else they are errors)."),
]
Out = Annotated[Path | None, typer.Option("--out", "-o", help="Also write .csv/.parquet.")]
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _month(text: str | None) -> str | None:
    if text is not None and not _MONTH.fullmatch(text):
        raise typer.BadParameter(f"{text!r} is not a month; write YYYY-MM", param_hint="--month")
    return text


def _as_of(text: str | None) -> int:
    from mittari.cli.main import parse_as_of  # main imports this module: resolve at call time

    return parse_as_of(text)


def _shown(table: pa.Table, decimals: dict[str, int]) -> pa.Table:
    """Float columns rounded for the terminal (format_table shows one decimal)."""
    for name, places in decimals.items():
        if name in table.column_names:
            i = table.column_names.index(name)
            text = pc.cast(pc.round(table.column(name), places), pa.string())
            table = table.set_column(i, name, text)
    return table


def availability(
    contract: Contracts,
    outages: OutageFiles,
    month: Annotated[str | None, typer.Option(help="Only this month (YYYY-MM).")] = None,
    as_of: AsOf = None,
    outage_format: OutageKind = None,
    outage_mapping: OutageMapping = None,
    timezone: Zone = None,
    out: Out = None,
) -> None:
    """Uptime per service and month over agreed service time: downtime, outages by duration,
    error budget left and burn rate; then the multi-window burn-rate checks at as-of."""
    from mittari.services.reliability_runs import run_availability

    try:
        table, burn, notes = run_availability(
            contract,
            outages,
            _as_of(as_of),
            _month(month),
            outage_format,
            outage_mapping,
            timezone,
            out,
        )
    except MittariError as exc:
        raise fail(exc) from None
    shown = _shown(
        table.drop_columns(["customer"]) if table.num_rows else table,
        {"uptime_pct": 4, "budget_left_pct": 2, "burn_rate": 3, "downtime_min": 2},
    )
    print_table(shown)
    if burn.num_rows:
        typer.echo("")
        typer.echo("burn rates at as-of (Sloth's 30-day windows):")
        print_table(burn.drop_columns(["customer"]))
    for line in notes:
        typer.echo(line)


def credits(
    contract: Contracts,
    events: Annotated[Path, typer.Option("--events", "-e", help="Canonical events .csv/.parquet.")],
    outages: OutageFiles,
    month: Annotated[str, typer.Option(help="The month of the statement (YYYY-MM).")],
    tickets: Annotated[
        Path | None, typer.Option("--tickets", "-t", help="tickets.csv (customer, service, …).")
    ] = None,
    as_of: AsOf = None,
    outage_format: OutageKind = None,
    outage_mapping: OutageMapping = None,
    timezone: Zone = None,
    out: Out = None,
) -> None:
    """Service credits of one month from the contract's credit table, line by line:
    availability tiers, metric misses as points, earn-back, cap, total."""
    from mittari.services.reliability_runs import run_credits

    try:
        table, notes = run_credits(
            contract,
            events,
            tickets,
            outages,
            str(_month(month)),
            _as_of(as_of),
            timezone,
            outage_format,
            outage_mapping,
            out,
        )
    except MittariError as exc:
        raise fail(exc) from None
    print_table(table)
    for line in notes:
        typer.echo(line)


def recurring(
    events: Annotated[Path, typer.Option("--events", "-e", help="Canonical events .csv/.parquet.")],
    tickets: Annotated[
        Path, typer.Option("--tickets", "-t", help="tickets.csv with subject and service.")
    ],
    top: Annotated[int, typer.Option(help="How many candidates to show.")] = 10,
    threshold: Annotated[
        float, typer.Option(help="Similarity (weighted Jaccard) that joins two subjects.")
    ] = 0.5,
    min_size: Annotated[int, typer.Option(help="Incidents a cluster needs to be a candidate.")] = 3,
    incident_type: Annotated[
        str, typer.Option("--type", help="Ticket type to cluster; 'all' for every ticket.")
    ] = "incident",
    as_of: AsOf = None,
    timezone: Zone = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the members .csv/.parquet.")
    ] = None,
) -> None:
    """Recurring faults: incidents clustered per service by the text of their subject,
    ranked by frequency, growth and time lost: candidates for a problem record."""
    from mittari.services.reliability_runs import run_recurring

    kind = None if incident_type.lower() == "all" else incident_type
    try:
        found, notes = run_recurring(
            events, tickets, _as_of(as_of), top, threshold, min_size, kind, timezone, out
        )
    except MittariError as exc:
        raise fail(exc) from None
    print_table(found.clusters.drop_columns(["first_at"]))
    for line in notes:
        typer.echo(line)


def import_outages(
    path: Annotated[Path, typer.Argument(help="The outage file to import.", exists=True)],
    customer: CustomerOpt,
    outage_format: Annotated[
        str | None,
        typer.Option("--format", help="csv, alertmanager or zabbix (default: detected)."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Outage mapping YAML (default: the shipped one)."),
    ] = None,
    timezone: NaiveZoneOpt = None,
    strict: ImportStrictOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """Outages of the customer's services: a CSV, Alertmanager webhook bodies or a Zabbix
    export. Re-imports add nothing; a record with an end closes an outage still open."""
    from mittari.services.outages import import_outages as store

    with _engine(database) as engine:
        found = store(
            engine,
            path,
            customer=customer,
            kind=outage_format,
            mapping=mapping,
            timezone=timezone,
            strict=strict,
        )
    report_batch(
        found.problems,
        found.status,
        f"batch {found.batch} {found.status}: {found.n_read} read, {found.n_added} added, "
        f"{found.n_closed} closed, {found.n_duplicates} duplicates, {found.n_rejected} rejected",
    )
