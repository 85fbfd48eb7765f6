"""The `mittari` command line: thin wrappers that call one service each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from mittari.cli.experience import register as register_experience
from mittari.cli.integrity import integrity
from mittari.cli.recompute import recompute
from mittari.cli.reliability import availability, credits, import_outages, recurring
from mittari.cli.serve import notify, serve, token_app, webhook_app
from mittari.cli.store import (
    DatabaseOpt,
    contract_app,
    db_app,
    fail,
    import_app,
    measure,
    runs,
    store_compliance,
)
from mittari.cli.table import format_table, print_table
from mittari.cli.xla import register as register_xla
from mittari.errors import ContractError, InputError, MittariError
from mittari.runtime import tune_process

app = typer.Typer(
    help="Measure IT service promises: SLA clocks recomputed exactly from ticket event logs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ContractOpt = Annotated[
    list[Path],
    typer.Option("--contract", "-c", help="Contract YAML file or directory (repeatable)."),
]
EventsOpt = Annotated[Path, typer.Option("--events", "-e", help="Canonical events .csv/.parquet.")]
TicketsOpt = Annotated[
    Path | None, typer.Option("--tickets", "-t", help="tickets.csv (customer, service, …).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(help="Evaluate at this ISO 8601 instant with offset (default: now)."),
]
ZoneOpt = Annotated[
    str | None,
    typer.Option(help="IANA zone of timestamps without an offset (else they are errors)."),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Reject the whole batch if any row is bad.")
]

OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Also write .csv/.parquet.")]


app.add_typer(db_app, name="db")
app.add_typer(contract_app, name="contract")
import_app.command("outages")(import_outages)  # beside the ticket importers of cli/store.py
register_experience(app, import_app)  # import feedback, experience
register_xla(app)  # xla, watermelon
app.add_typer(import_app, name="import")
app.command()(measure)
app.command()(runs)
app.command()(integrity)
app.command()(recompute)
app.command()(availability)
app.command()(credits)
app.command()(recurring)
app.command()(serve)
app.command()(notify)
app.add_typer(token_app, name="token")
app.add_typer(webhook_app, name="webhook")


@app.callback()
def _process_setup() -> None:
    """Measure IT service promises: SLA clocks recomputed exactly from ticket event logs."""
    tune_process()


def _fail(exc: MittariError) -> typer.Exit:
    return fail(exc)


def parse_as_of(text: str | None) -> int:
    """µs UTC of an ISO 8601 instant with offset; now when not given."""
    if text is None:
        now = datetime.now(UTC).replace(microsecond=0)
        return int(now.timestamp()) * 1_000_000
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{text!r} is not an ISO 8601 instant", param_hint="--as-of"
        ) from exc
    if dt.tzinfo is None:
        raise typer.BadParameter(f"{text!r} has no UTC offset", param_hint="--as-of")
    return round(dt.timestamp() * 1_000_000)


@app.command()
def check(
    contracts: Annotated[list[Path], typer.Argument(help="Contract YAML files or directories.")],
) -> None:
    """Validate contracts; every problem is reported with file, line and field."""
    from mittari.services.runs import check_contracts

    problems, versions = check_contracts(contracts)
    for p in problems:
        typer.echo(f"error: {p}", err=True)
    if problems:
        raise typer.Exit(code=1)
    typer.echo(f"ok: {versions} contract version(s) valid")


@app.command()
def compute(
    contract: ContractOpt,
    events: EventsOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Measurements .csv or .parquet.")],
    tickets: TicketsOpt = None,
    as_of: AsOfOpt = None,
    timezone: ZoneOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Compute every clock of every ticket and write one measurement row per cycle."""
    from mittari.services.runs import run_compute

    try:
        summary = run_compute(contract, events, tickets, parse_as_of(as_of), timezone, strict, out)
    except (ContractError, InputError, MittariError) as exc:
        raise _fail(exc) from None
    for line in summary:
        typer.echo(line)


@app.command()
def compliance(
    customer: Annotated[
        str | None, typer.Option("--customer", help="From the store: this customer's latest run.")
    ] = None,
    month: Annotated[
        str | None, typer.Option(help="Only this month (YYYY-MM, in the contract's zone).")
    ] = None,
    run: Annotated[
        int | None, typer.Option(help="From the store: this run, not the latest.")
    ] = None,
    contract: Annotated[
        list[Path] | None,
        typer.Option("--contract", "-c", help="From files: contract YAML file or directory."),
    ] = None,
    events: Annotated[
        Path | None, typer.Option("--events", "-e", help="From files: canonical events.")
    ] = None,
    tickets: TicketsOpt = None,
    as_of: AsOfOpt = None,
    by: Annotated[
        str, typer.Option(help="Group keys: month, metric, priority, customer or a ticket column.")
    ] = "month,metric",
    timezone: ZoneOpt = None,
    strict: StrictOpt = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write .csv/.parquet.")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Compliance per period, metric, priority or ticket attribute, against the objective.

    Either from the store (--customer, after `mittari measure`) or from files (--contract
    and --events, measured on the fly).
    """
    from mittari.importers.canonical import write_table

    keys = [k.strip() for k in by.split(",") if k.strip()]
    if (customer is None) == (events is None):
        raise typer.BadParameter("give either --customer (store) or --contract and --events")
    notes: list[str] = []
    if customer is not None:
        table, chosen = store_compliance(customer, month, run, keys, database)
        notes.append(f"run {chosen} of {customer}")
        if out is not None:
            notes.append(f"wrote {write_table(table, out)}")
    else:
        from mittari.services.runs import run_compliance

        assert events is not None
        try:
            table, notes = run_compliance(
                contract or [], events, tickets, parse_as_of(as_of), timezone, strict, keys, out
            )
        except (ContractError, InputError, MittariError) as exc:
            raise _fail(exc) from None
    print_table(table)
    for line in notes:
        typer.echo(line)


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic year.")] = 7,
    workdir: Annotated[
        Path, typer.Option(help="Where the demo writes its contracts, events and results.")
    ] = Path("mittari-demo"),
) -> None:
    """Generate a realistic synthetic year for three customers, measure it, show compliance."""
    from mittari.services.demo import run_demo

    try:
        report = run_demo(seed, workdir)
    except MittariError as exc:
        raise _fail(exc) from None
    for line in report.notes:
        typer.echo(line)
    for title, table in report.sections:
        typer.echo("")
        typer.echo(title)
        for line in format_table(table.drop_columns(["p90_s"])):
            typer.echo("  " + line)
    typer.echo("")
    for line in report.footer:
        typer.echo(line)


def main() -> None:  # pragma: no cover - console entry point
    app()
