"""Commands `pulse open`, `pulse invite` and `pulse results`: the periodic relationship
pulse of a customer's contacts and the pulse of the provider's own team. Each calls one
service function (`services/pulse.py`)."""

from __future__ import annotations

import smtplib
from pathlib import Path
from typing import Annotated

import typer

from mittari.cli.store import CustomerOpt, DatabaseOpt, _engine
from mittari.cli.table import print_table, rounded

pulse_app = typer.Typer(
    help="The pulse: periodic surveys of a customer's contacts on the partnership, and of "
    "the provider's own team on serving the customer.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the commands: one line in cli/main.py."""
    app.add_typer(pulse_app, name="pulse")


@pulse_app.command("open")
def open_round(
    customer: CustomerOpt,
    kind: Annotated[
        str, typer.Option(help="relationship (the customer's contacts) or team (our own team).")
    ],
    period: Annotated[str, typer.Option(help="The round's label, e.g. 2026-Q4.")],
    closes: Annotated[
        str,
        typer.Option(
            help="Last day open (a date, in the customer's contract zone) or an ISO 8601 "
            "instant with offset when the links stop working."
        ),
    ],
    opens: Annotated[
        str | None, typer.Option(help="First day open, or an instant (default: now).")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(help="IANA zone of the dates (default: the customer's contract zone)."),
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Open a pulse round of a customer: one per kind and period."""
    from mittari.services.pulse import open_round as run

    with _engine(database) as engine:
        made = run(engine, customer, kind, period, closes=closes, opens=opens, timezone=timezone)
    typer.echo(
        f"round {made.id}: {made.kind} pulse of {made.customer}, {made.period}, open "
        f"{made.opens_at.isoformat(timespec='seconds')} until "
        f"{made.closes_at.isoformat(timespec='seconds')}"
    )


@pulse_app.command("invite")
def invite(
    recipients: Annotated[
        Path,
        typer.Argument(
            help="A CSV with an `email` column (and optionally `language`: fi, sv, en), or "
            "one address per line.",
            exists=True,
            dir_okay=False,
        ),
    ],
    round_id: Annotated[int, typer.Option("--round", help="The round (from `pulse open`).")],
    language: Annotated[
        str, typer.Option(help="Language of recipients whose row names none: fi, sv or en.")
    ] = "fi",
    database: DatabaseOpt = None,
) -> None:
    """Mail each recipient a link of their own to the round, through MITTARI_SMTP_HOST
    (and the other MITTARI_SMTP_* settings), at most once per address and round. Only a
    salted hash of each address is stored. Exits 1 when a line had a problem, an address
    was refused, or the mail server could not be reached (a later run sends the rest)."""
    from mittari.api.settings import Settings
    from mittari.services.pulse import read_recipients, send_invitations
    from mittari.services.survey_trigger import mail_of
    from mittari.services.surveys import LANGUAGES

    if language not in LANGUAGES:
        raise typer.BadParameter(f"expected one of {', '.join(LANGUAGES)}", param_hint="--language")
    found, problems = read_recipients(recipients)
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    settings = Settings()
    mail = mail_of(settings)  # the pulse reads no `valid_days`: a link lasts its round
    with _engine(database) as engine:
        try:
            done = send_invitations(engine, mail, round_id, found, default_language=language)
        except (OSError, smtplib.SMTPException) as exc:
            where = f"{settings.smtp_host}:{settings.smtp_port}"
            typer.echo(f"error: the mail server {where} failed: {exc}", err=True)
            raise typer.Exit(code=1) from None
    for recipient, outcome in done:
        if outcome == "refused":
            typer.echo(f"error: the mail server refused {recipient.address}", err=True)
    counts = {o: sum(1 for _, got in done if got == o) for o in ("sent", "already invited")}
    refused = sum(1 for _, got in done if got == "refused")
    typer.echo(
        f"round {round_id}: {counts['sent']} sent, {counts['already invited']} already "
        f"invited, {refused} refused, {len(problems)} lines with a problem"
    )
    if problems or refused:
        raise typer.Exit(code=1)


@pulse_app.command("results")
def results(
    customer: CustomerOpt,
    period: Annotated[str | None, typer.Option(help="Only the rounds of this period.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write every figure (.csv/.parquet).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Per round: invitations, responses, response rate, NPS (recommend question only),
    "we understand your business" and "problems are prevented" (% agreeing 4-5, mean on
    1-5), the team's "the way we are measured helps" (% agreeing, mean) and what gets in
    the way (% of team responses naming each obstacle)."""
    from mittari.importers.canonical import write_table
    from mittari.services.pulse import OBSTACLES
    from mittari.services.pulse_results import SUMMARY_COLUMNS
    from mittari.services.pulse_results import results as run

    with _engine(database) as engine:
        table = run(engine, customer, period)
    if table.num_rows == 0:
        typer.echo(f"no pulse rounds of {customer}" + (f" in {period}" if period else ""))
        return
    print_table(rounded(table.select(list(SUMMARY_COLUMNS))))
    for row in table.to_pylist():
        named = [
            (row[f"team_factor_{code}_pct"], code)
            for code in OBSTACLES
            if row.get(f"team_factor_{code}_pct")
        ]
        if named:
            shown = ", ".join(f"{code} {value:.0f} %" for value, code in sorted(named)[::-1])
            typer.echo(f"round {row['round']} in the way: {shown}")
    if out is not None:
        typer.echo(f"wrote {write_table(table, out)}")


__all__ = ["invite", "open_round", "register", "results"]
