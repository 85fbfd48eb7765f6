"""Commands `xla` (XLA objectives judged per service and month) and `watermelon` (SLA
status beside experience status). Each calls one service function."""

from __future__ import annotations

from typing import Annotated

import typer

from mittari.cli.store import CustomerOpt, DatabaseOpt, _engine
from mittari.cli.table import print_table, rounded

MonthOpt = Annotated[str | None, typer.Option(help="Only this month (YYYY-MM).")]
AsOfOpt = Annotated[
    str | None, typer.Option(help="Evaluate at this ISO 8601 instant with offset (default: now).")
]


def register(app: typer.Typer) -> None:
    """Add the commands: one line in cli/main.py."""
    app.command()(xla)
    app.command()(watermelon)


def xla(
    customer: CustomerOpt,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    pooled: Annotated[
        bool, typer.Option("--pooled", help="One row per month for all services together.")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """XLA compliance: each objective of the contract's `experience` section per service and
    month: figure, objective, met / missed / not enough answers, and the baseline."""
    from mittari.cli.main import parse_as_of  # main imports this module: resolve at call time
    from mittari.services.xla import customer_xla

    with _engine(database) as engine:
        table = customer_xla(
            engine, customer, as_of_us=parse_as_of(as_of), month=month, by_service=not pooled
        )
    if table.num_rows == 0:
        typer.echo("no XLA rows: the contract has no experience section, or no answers yet")
        return
    print_table(rounded(table.drop_columns(["customer"])))


def watermelon(
    customer: CustomerOpt,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """The watermelon matrix: SLA status (latest run) beside experience status (XLA) per
    service and month; watermelon and reverse cells with their drivers."""
    from mittari.cli.main import parse_as_of
    from mittari.services.watermelon_stored import cell_rows, customer_watermelon

    with _engine(database) as engine:
        cells = customer_watermelon(engine, customer, as_of_us=parse_as_of(as_of), month=month)
    print_table(rounded(cell_rows(cells)))


__all__ = ["register", "watermelon", "xla"]
