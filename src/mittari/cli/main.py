"""The `mittari` command line: thin wrappers that call one service each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from mittari.cli.experience import register as register_experience
from mittari.cli.integrity import integrity
from mittari.cli.pulse import register as register_pulse
from mittari.cli.recompute import recompute
from mittari.cli.reliability import availability, credits, import_outages, recurring
from mittari.cli.report import register as register_report
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
from mittari.cli.surveys import register as register_surveys
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
register_report(app)  # report
register_pulse(app)  # pulse open, invite, results
register_surveys(app)  # survey send
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
        Path, typer.Option(help="Where the demo writes its contracts, inputs and store.")
    ] = Path("mittari-demo"),
    as_of: Annotated[
        str | None,
        typer.Option(
            help="End the year at this ISO 8601 instant with offset (default: now, rounded "
            "down to the hour: the dashboard's now)."
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="Address the dashboard listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the dashboard listens on.")] = 8000,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the dashboard when done.")
    ] = True,
) -> None:
    """A year of an MSP with five customers: generated, stored, measured, its stories found
    (a watermelon, a team gaming the clock, a recurring fault, a month of service credits),
    then the dashboard served at http://HOST:PORT/ui/ until Ctrl-C."""
    from mittari.services.demo import run_demo
    from mittari.services.demo_data import DEMO_CUSTOMERS

    end = None if as_of is None else datetime.fromtimestamp(parse_as_of(as_of) / 1e6, UTC)
    if serve:  # say so now, not after building the whole year
        import socket

        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                typer.echo(f"error: {host}:{port} is in use; choose another --port", err=True)
                raise typer.Exit(code=1)
    try:
        report = run_demo(seed, workdir, end)
    except MittariError as exc:
        raise _fail(exc) from None
    ended = f"{report.end:%Y-%m-%d %H:%M} UTC"
    typer.echo(f"mittari demo: a year of an MSP with five customers to {ended} (seed {seed})")
    for line in report.notes:
        typer.echo("  " + line)
    steps = ", ".join(f"{name} in {s:.1f} s" for name, s in report.timings.items())
    typer.echo(f"  {steps}")
    typer.echo("")
    for line in format_table(report.findings.overview):
        typer.echo("  " + line)
    typer.echo("")
    typer.echo("The stories mittari found:")
    for story in report.findings.stories:
        typer.echo(f"  {story.kind}: {story.text}")
    typer.echo("")
    files = "contracts/, events.parquet, tickets.csv, answers/, outages/, mittari.db, tokens.txt"
    typer.echo(f"Files in {workdir}/: {files}")
    store = f"MITTARI_DATABASE_URL={report.database_url}"
    stories = report.findings.stories
    shown = next((s.customer for s in stories if s.kind == "watermelon"), DEMO_CUSTOMERS[0].slug)
    typer.echo(f"Try: {store} mittari watermelon --customer {shown}")
    url = f"http://{host}:{port}/ui/"
    typer.echo(f"Dashboard: {url} (log in with a token; all of them are in {workdir}/tokens.txt)")
    typer.echo(f"  provider admin (every customer): {report.tokens['admin']}")
    typer.echo(f"  customer viewer ({shown} only): {report.tokens[shown]}")
    if not serve:
        return
    import uvicorn

    from mittari.api.settings import Settings
    from mittari.web.site import create_site, warm_in_background

    site = create_site(Settings(database_url=report.database_url, notifier=False))
    warm_in_background()
    typer.echo(f"Serving {url} (Ctrl-C stops it)")
    uvicorn.run(site, host=host, port=port, log_level="warning")


def main() -> None:  # pragma: no cover - console entry point
    app()
