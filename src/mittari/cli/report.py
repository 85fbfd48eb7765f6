"""Command `report`: the monthly service review of one customer as HTML or PDF
(`reports.review.render_review`). The command line holds the database URL, so it reads
as a provider admin: every customer of the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mittari.cli.store import CustomerOpt, DatabaseOpt, _engine

FORMATS = ("html", "pdf")
LANGUAGES = ("en", "fi")
CLI_TOKEN = 0  # no token: the local command line


def register(app: typer.Typer) -> None:
    """Add the command: one line in cli/main.py."""
    app.command()(report)


def report(
    customer: CustomerOpt,
    month: Annotated[str, typer.Option(help="The month (YYYY-MM, in the contract's zone).")],
    format: Annotated[str, typer.Option("--format", help="html or pdf.")] = "pdf",
    lang: Annotated[str, typer.Option("--lang", help="Language: en or fi.")] = "en",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File to write (default: review-CUSTOMER-MONTH.FORMAT)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Measure at this ISO 8601 instant (default: the month's end, or now)."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Dashboard address: ticket numbers link to its ticket timelines."),
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """The monthly service review: SLA beside XLA, highlights, breaches and their causes,
    availability and credits, recurring faults and the customer's comments."""
    from mittari.cli.main import parse_as_of  # main imports this module: resolve at call time
    from mittari.db.scope import Principal, Role, Scoped
    from mittari.reports.review import render_review

    if format not in FORMATS:
        raise typer.BadParameter(f"{format!r} is not html or pdf", param_hint="--format")
    if lang not in LANGUAGES:
        raise typer.BadParameter(f"{lang!r} is not en or fi", param_hint="--lang")
    instant = None if as_of is None else parse_as_of(as_of)
    target = out or Path(f"review-{customer}-{month}.{format}")
    admin = Principal(CLI_TOKEN, Role.PROVIDER_ADMIN, None)
    with _engine(database) as engine, engine.connect() as conn:
        body = render_review(
            Scoped(conn, admin),
            customer,
            month,
            fmt="pdf" if format == "pdf" else "html",
            lang="fi" if lang == "fi" else "en",
            base_url=base_url,
            as_of_us=instant,
        )
    target.write_bytes(body)
    typer.echo(f"wrote {target} ({len(body) / 1024:.0f} KiB)")


__all__ = ["register", "report"]
