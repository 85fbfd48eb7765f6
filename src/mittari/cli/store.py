"""Commands over the store: `db`, `contract`, `import`, `measure`, `runs`.

The database comes from `--database` or `MITTARI_DATABASE_URL`, else `sqlite:///./mittari.db`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from mittari.errors import MittariError, Problem

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="MITTARI_DATABASE_URL",
        help="Database URL (default sqlite:///./mittari.db).",
        show_envvar=True,
    ),
]
CustomerOpt = Annotated[str, typer.Option("--customer", help="The customer's key.")]
NaiveZoneOpt = Annotated[
    str | None, typer.Option(help="IANA zone of timestamps written without an offset.")
]
ImportStrictOpt = Annotated[
    bool, typer.Option("--strict", help="Store nothing if any row is bad; exit 1.")
]
SHOWN_PROBLEMS = 20

db_app = typer.Typer(help="The database: create or upgrade its schema.", no_args_is_help=True)
contract_app = typer.Typer(
    help="Contracts kept in the store, with every version.", no_args_is_help=True
)
import_app = typer.Typer(
    help="Import ticket histories into the store (re-imports add nothing).", no_args_is_help=True
)


def fail(exc: Exception) -> typer.Exit:
    problems = getattr(exc, "problems", None)
    if problems:
        for p in problems[:50]:
            typer.echo(f"error: {p}", err=True)
        if len(problems) > 50:
            typer.echo(f"… and {len(problems) - 50} more problems", err=True)
    else:
        typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=1)


@contextmanager
def _engine(url: str | None, *, upgrade: bool = False) -> Iterator[Engine]:
    from mittari.db.connect import DatabaseUrlError, make_engine
    from mittari.db.migrate import current_revision, head_revision

    try:
        engine = make_engine(url)
    except DatabaseUrlError as exc:
        raise fail(exc) from None
    try:
        if not upgrade and current_revision(engine) != head_revision():
            shown = engine.url.render_as_string(hide_password=True)
            typer.echo(
                f"error: {shown} is not at the latest schema: run `mittari db upgrade`", err=True
            )
            raise typer.Exit(code=1)
        yield engine
    except MittariError as exc:
        raise fail(exc) from None
    finally:
        engine.dispose()


@db_app.command("upgrade")
def db_upgrade(database: DatabaseOpt = None) -> None:
    """Create the database or bring it to the latest schema (Alembic migrations)."""
    from mittari.db.migrate import current_revision, upgrade

    with _engine(database, upgrade=True) as engine:
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
        shown = engine.url.render_as_string(hide_password=True)
    typer.echo(f"{shown}: schema {before or 'empty'} → {after}")


@db_app.command("current")
def db_current(database: DatabaseOpt = None) -> None:
    """Show the database's schema revision and the latest one this mittari knows."""
    from mittari.db.migrate import current_revision, head_revision

    with _engine(database, upgrade=True) as engine:
        typer.echo(f"current {current_revision(engine) or 'empty'}, latest {head_revision()}")


@contract_app.command("add")
def contract_add(
    file: Annotated[
        Path, typer.Argument(help="Contract YAML (all its versions are stored).", exists=True)
    ],
    database: DatabaseOpt = None,
) -> None:
    """Store a contract file's versions; a version of the same label is superseded."""
    from mittari.services.stored import add_contract

    with _engine(database) as engine:
        added = add_contract(engine, file)
    typer.echo(
        f"{added.customer}: {added.added} new of {len(added.versions)} versions "
        f"({', '.join(added.versions)})"
    )


@contract_app.command("list")
def contract_list(customer: CustomerOpt, database: DatabaseOpt = None) -> None:
    """The customer's contract versions in force."""
    from mittari.cli.table import print_table
    from mittari.services.stored import contract_versions

    with _engine(database) as engine:
        print_table(contract_versions(engine, customer))


def _import_command(source: str, help_text: str) -> Callable[..., None]:
    def command(
        path: Annotated[
            Path, typer.Argument(help="The file or export directory to import.", exists=True)
        ],
        customer: Annotated[
            str | None, typer.Option("--customer", help="The customer these tickets belong to.")
        ] = None,
        mapping: Annotated[
            Path | None,
            typer.Option(
                "--mapping",
                help="Mapping YAML, replacing the importer's default (eventlog needs one: a "
                "file, or a shipped name such as helpdesk or bpic2013-volvo).",
            ),
        ] = None,
        timezone: NaiveZoneOpt = None,
        strict: ImportStrictOpt = False,
        database: DatabaseOpt = None,
    ) -> None:
        _run_import(source, path, customer, mapping, timezone, None, strict, database)

    command.__doc__ = help_text
    return command


for _name, _help in {
    "servicenow": "ServiceNow: Table API JSON of incidents, or a CSV of incident history.",
    "jira": "Jira Service Management: REST search with changelog, issues, webhook bodies.",
    "zendesk": "Zendesk: an export directory of incremental tickets, audits and ratings.",
    "eventlog": "Any CSV or XES (IEEE 1849) process log, mapped by a --mapping file.",
}.items():
    import_app.command(_name)(_import_command(_name, _help))


@import_app.command("canonical")
def import_canonical(
    events: Annotated[Path, typer.Argument(help="events.csv or events.parquet.", exists=True)],
    tickets: Annotated[
        Path | None,
        typer.Option("--tickets", help="tickets.csv/.parquet (customer, service …).", exists=True),
    ] = None,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Customer of every ticket (else tickets).")
    ] = None,
    timezone: NaiveZoneOpt = None,
    strict: ImportStrictOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """mittari's canonical format (DESIGN.md): events and an optional tickets file."""
    _run_import("canonical", events, customer, None, timezone, tickets, strict, database)


def _run_import(
    source: str,
    path: Path,
    customer: str | None,
    mapping: Path | None,
    timezone: str | None,
    tickets: Path | None,
    strict: bool,
    database: str | None,
) -> None:
    from mittari.services.ingest import import_source

    with _engine(database) as engine, _progress(f"importing {path.name}") as progress:
        summary = import_source(
            engine,
            source,
            path,
            customer=customer,
            mapping=mapping,
            timezone=timezone,
            tickets=tickets,
            strict=strict,
            progress=progress,
        )
    report_batch(
        summary.problems,
        summary.status,
        f"batch {summary.batch} {summary.status}: {summary.n_read} read, "
        f"{summary.n_imported} imported, {summary.n_duplicates} duplicates, "
        f"{summary.n_rejected} rejected; {summary.n_tickets_new} new tickets"
        + (f", {summary.n_feedback} ratings" if summary.n_feedback else ""),
    )


def report_batch(problems: list[Problem], status: str, summary: str) -> None:
    """What every import ends with: its problems, its summary line, and exit 1 when the
    batch was rejected (--strict)."""
    _show_problems(problems)
    typer.echo(summary)
    if status == "rejected":
        typer.echo("nothing was stored (--strict); the problems are kept with the batch", err=True)
        raise typer.Exit(code=1)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, shown once rows are being written."""
    state: dict[str, Any] = {}

    def tell(rows: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = typer.progressbar(
                length=total, label=label, file=_stderr(), show_pos=True
            )
            state["bar"].__enter__()
        state["bar"].update(rows)

    try:
        yield tell
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def _stderr() -> Any:
    import sys

    return sys.stderr


def _show_problems(problems: list[Problem]) -> None:
    for p in problems[:SHOWN_PROBLEMS]:
        typer.echo(f"rejected: {p}", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        typer.echo(f"… and {more} more (all kept: `mittari runs` / rejected_rows)", err=True)


def measure(
    customer: CustomerOpt,
    as_of: Annotated[
        str | None,
        typer.Option(help="Evaluate at this ISO 8601 instant with offset (default: now)."),
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Run the engine over a customer's stored log under its contracts; store the run."""
    from mittari.cli.main import parse_as_of
    from mittari.services.stored import measure_customer

    with _engine(database) as engine:
        run = measure_customer(engine, customer, parse_as_of(as_of))
    states = ", ".join(f"{n} {s}" for s, n in sorted(run.states.items())) or "none"
    typer.echo(
        f"run {run.run}: {run.n_events} events, {run.n_tickets} tickets → {run.n_rows} "
        f"measurements ({states}); contracts {run.contract_hash[:12]}"
    )
    for why, n in run.unmeasured.items():
        typer.echo(f"unmeasured tickets, {why}: {n}")


def runs(customer: CustomerOpt, database: DatabaseOpt = None) -> None:
    """A customer's measurement runs and import batches."""
    from mittari.cli.table import print_table
    from mittari.services.stored import history

    with _engine(database) as engine:
        for title, table in history(engine, customer):
            typer.echo(title)
            print_table(table)


def store_compliance(
    customer: str, month: str | None, run: int | None, by: list[str], database: str | None
) -> Any:
    from mittari.services.stored import compliance

    with _engine(database) as engine:
        return compliance(engine, customer, month=month, run=run, by=by)
