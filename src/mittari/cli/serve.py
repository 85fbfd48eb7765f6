"""`mittari serve`, `mittari token …`, `mittari webhook set`, `mittari notify`."""

from __future__ import annotations

import contextlib
import threading
from typing import Annotated

import typer

from mittari.cli.store import CustomerOpt, DatabaseOpt, _engine, fail
from mittari.errors import MittariError

token_app = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)
webhook_app = typer.Typer(
    help="Inbound webhooks of a customer's service desk.", no_args_is_help=True
)


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address (default MITTARI_HOST or 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default MITTARI_PORT or 8000).")] = None,
    workers: Annotated[int | None, typer.Option(help="Server processes (default 1).")] = None,
    database: DatabaseOpt = None,
) -> None:
    """Serve the dashboard (/ui/) and the REST API (OpenAPI at /docs), and run the notifier."""
    import os

    import uvicorn

    from mittari.api.app import SchemaNotCurrent
    from mittari.api.settings import Settings

    if database:
        os.environ["MITTARI_DATABASE_URL"] = database
    settings = Settings()
    chosen_workers = workers or settings.workers
    if chosen_workers > 1:  # one notifier is enough; `mittari notify` runs it on its own
        os.environ["MITTARI_NOTIFIER"] = os.environ.get("MITTARI_NOTIFIER", "false")
    try:
        from mittari.web.site import create_site

        create_site(Settings(notifier=False))  # fail here, loudly, on a bad database
    except SchemaNotCurrent as exc:
        raise fail(exc) from None
    host, port = host or settings.host, port or settings.port
    typer.echo(f"mittari on http://{host}:{port}/ui/ (API: OpenAPI at /docs)")
    uvicorn.run(
        "mittari.web.main:app", host=host, port=port, workers=chosen_workers, log_level="warning"
    )


def notify(database: DatabaseOpt = None) -> None:
    """Run the breach-warning notifier on its own (when `serve` runs several workers)."""
    from mittari.api.settings import Settings
    from mittari.services.notify import Policy, run_forever
    from mittari.services.survey_trigger import SurveyRounds, trigger_of

    settings = Settings()
    with _engine(database) as engine:
        policy = Policy(settings.delivery_attempts, settings.delivery_backoff_s)
        surveys = SurveyRounds(trigger_of(settings))  # newly resolved tickets' surveys
        typer.echo("notifier running; Ctrl-C stops it")
        with contextlib.suppress(KeyboardInterrupt):
            run_forever(engine, policy, settings.notify_interval_s, threading.Event(), surveys)


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="provider-admin, provider-analyst or customer-viewer.")],
    name: Annotated[str, typer.Option(help="Who or what the token is for.")],
    customer: Annotated[
        str | None, typer.Option(help="The one customer of a customer-viewer.")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Create a token; it is printed once and only its hash is stored."""
    from mittari.services.tokens import create_token

    with _engine(database) as engine:
        token, token_id = create_token(engine, name, role, customer)
    typer.echo(f"token {token_id} ({role}{' of ' + customer if customer else ''}): {token}")
    typer.echo("it is shown once: keep it now", err=True)


@token_app.command("list")
def token_list(database: DatabaseOpt = None) -> None:
    """Every token: role, customer, created, last used, revoked (never the token itself)."""
    import pyarrow as pa

    from mittari.cli.table import print_table
    from mittari.services.tokens import list_tokens

    with _engine(database) as engine:
        found = list_tokens(engine)
    print_table(
        pa.table(
            {
                "id": [t.id for t in found],
                "name": [t.name for t in found],
                "role": [t.role for t in found],
                "customer": [t.customer or "" for t in found],
                "last_used": [
                    t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else ""
                    for t in found
                ],
                "revoked": [
                    t.revoked_at.isoformat(timespec="seconds") if t.revoked_at else ""
                    for t in found
                ],
            }
        )
    )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id.")], database: DatabaseOpt = None
) -> None:
    """Revoke a token: it stops working at once."""
    from mittari.services.tokens import revoke_token

    with _engine(database) as engine:
        if not revoke_token(engine, token_id):
            typer.echo(f"error: no active token {token_id}", err=True)
            raise typer.Exit(code=1)
    typer.echo(f"token {token_id} revoked")


@webhook_app.command("set")
def webhook_set(
    source: Annotated[str, typer.Argument(help="jira, zendesk or alertmanager.")],
    customer: CustomerOpt,
    secret: Annotated[
        str | None, typer.Option(help="The shared secret (default: a new one).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Set or rotate the shared secret of a customer's inbound webhook; prints it."""
    from mittari.services.webhooks import configure

    with _engine(database) as engine:
        try:
            chosen = configure(engine, customer, source, secret)
        except MittariError as exc:
            raise fail(exc) from None
    if source == "alertmanager":  # it cannot sign: it sends the secret as a bearer credential
        typer.echo(f"POST /webhooks/{source}/{customer} with Authorization: Bearer {chosen}")
    else:
        typer.echo(f"POST /webhooks/{source}/{customer} with secret: {chosen}")
