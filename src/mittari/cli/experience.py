"""Commands `import feedback` (survey answers into the store) and `experience` (the XLA
figures of a stored customer per service and month). Each calls one service function."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mittari.cli.store import (
    CustomerOpt,
    DatabaseOpt,
    ImportStrictOpt,
    NaiveZoneOpt,
    _engine,
    report_batch,
)
from mittari.cli.table import print_table, rounded

SHOWN = (
    "service",
    "month",
    "answers",
    "happiness",
    "csat_pct",
    "nps",
    "response_rate_pct",
    "lost_time_total_h",
    "reopen_rate_pct",
    "fcr_pct",
    "repeat_contact_pct",
    "ping_pong_pct",
    "sentiment_net",
)


def register(app: typer.Typer, import_app: typer.Typer) -> None:
    """Add the commands: one line in cli/main.py."""
    import_app.command("feedback")(import_feedback)
    app.command()(experience)


def import_feedback(
    path: Annotated[Path, typer.Argument(help="Survey answers: CSV or Parquet.", exists=True)],
    customer: CustomerOpt,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Mapping YAML of the tool's columns and words."),
    ] = None,
    ticket_source: Annotated[
        str | None,
        typer.Option(help="Link answers to tickets of this importer only (zendesk, jira …)."),
    ] = None,
    timezone: NaiveZoneOpt = None,
    strict: ImportStrictOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """Survey answers of any tool (0-10, 1-5, good/bad; factors, lost time, comments)."""
    from mittari.services.feedback import import_feedback as run

    with _engine(database) as engine:
        stored = run(
            engine,
            path,
            customer=customer,
            mapping=mapping,
            timezone=timezone,
            ticket_source=ticket_source,
            strict=strict,
        )
    report_batch(
        stored.problems,
        stored.status,
        f"batch {stored.batch} {stored.status}: {stored.n_read} read, {stored.n_added} answers "
        f"added, {stored.n_answered} invitations answered, {stored.n_duplicates} duplicates, "
        f"{stored.n_rejected} rejected; {stored.n_unlinked} not linked to a stored ticket yet",
    )


def experience(
    customer: CustomerOpt,
    month: Annotated[str | None, typer.Option(help="Only this month (YYYY-MM).")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Evaluate at this ISO 8601 instant with offset (default: now)."),
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Months in this IANA zone (default: the contract's).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write every figure (.csv/.parquet).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Experience per service and month: happiness, CSAT, NPS, response rate, lost time,
    reopens, first-contact resolution, repeat contacts, ping-pong, comment sentiment."""
    from mittari.cli.main import parse_as_of  # main imports this module: resolve at call time
    from mittari.importers.canonical import write_table
    from mittari.services.experience import customer_experience

    with _engine(database) as engine:
        table = customer_experience(
            engine, customer, as_of_us=parse_as_of(as_of), timezone=timezone, month=month
        )
    print_table(rounded(table.select([c for c in SHOWN if c in table.column_names])))
    if out is not None:
        typer.echo(f"wrote {write_table(table, out)}")


__all__ = ["experience", "import_feedback", "register"]
