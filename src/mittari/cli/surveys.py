"""Command `survey send`: the surveys of a customer's resolved tickets, for stores filled by
batch imports (the notifier sends those of live tickets by itself). One service call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import pyarrow as pa
import typer

from mittari.cli.store import CustomerOpt, DatabaseOpt, _engine
from mittari.cli.table import print_table

survey_app = typer.Typer(
    help="The ticket survey: links of resolved tickets, mailed to their requesters.",
    no_args_is_help=True,
)
SinceOpt = Annotated[
    str | None,
    typer.Option(
        help="Tickets resolved at or after this ISO 8601 instant with offset "
        "(default: the last 7 days)."
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be issued and sent; change nothing.")
]
WOULD = {"sent": "would send", "issued": "would issue", "skipped": "skipped"}


def register(app: typer.Typer) -> None:
    """Add the commands: one line in cli/main.py."""
    app.add_typer(survey_app, name="survey")


@survey_app.command("send")
def send(
    customer: CustomerOpt,
    since: SinceOpt = None,
    dry_run: DryRunOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """Issue the survey link of each ticket resolved since --since that has none yet, and
    mail it when MITTARI_SMTP_HOST is set: at most once per ticket, and per requester at
    most once in MITTARI_SURVEY_INTERVAL_DAYS. Prints each ticket's outcome and why;
    exits 1 when the mail server failed."""
    from mittari.api.settings import Settings
    from mittari.services.survey_trigger import RECENT_DAYS, send_resolved, trigger_of

    start = datetime.now(UTC) - timedelta(days=RECENT_DAYS) if since is None else _since(since)
    since_us = int(start.timestamp() * 1_000_000)
    trigger = trigger_of(Settings())
    with _engine(database) as engine:
        report = send_resolved(engine, trigger, customer, since_us=since_us, dry_run=dry_run)
    if dry_run:
        typer.echo("dry run: nothing was issued or sent")
    if trigger.mail is None:
        typer.echo("no SMTP server set (MITTARI_SMTP_HOST): links are issued, nothing is mailed")
    shown = [o for o in report.outcomes if o.reason != "already invited"]
    if shown:
        print_table(
            pa.table(
                {
                    "ticket": [o.ticket for o in shown],
                    "resolved_at": [o.resolved_at.isoformat(timespec="seconds") for o in shown],
                    "outcome": [
                        WOULD.get(o.action, o.action) if dry_run else o.action for o in shown
                    ],
                    "why": [o.reason for o in shown],
                }
            )
        )
    already = len(report.outcomes) - len(shown)
    verbs = ("would send", "would issue") if dry_run else ("sent", "issued only")
    typer.echo(
        f"{customer}: {report.count('sent')} {verbs[0]}, {report.count('issued')} {verbs[1]}, "
        f"{already} skipped (already invited), {report.count('failed')} failed"
    )
    if report.count("failed"):
        raise typer.Exit(code=1)


def _since(text: str) -> datetime:
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        message = f"{text!r} is not an ISO 8601 instant"
        raise typer.BadParameter(message, param_hint="--since") from None
    if found.tzinfo is None:
        raise typer.BadParameter(f"{text!r} has no UTC offset (Z, +02:00)", param_hint="--since")
    return found


__all__ = ["register", "send"]
