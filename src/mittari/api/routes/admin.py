"""Provider-admin work: tokens, inbound webhook secrets, outbound hooks and their log."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Request
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from mittari.api.deps import DbEngine, Id, Scope, Writer, customer_of
from mittari.api.errors import not_found
from mittari.api.schemas import (
    DeliveryOut,
    HookCreatedOut,
    HookIn,
    HookOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    WebhookSecretIn,
    WebhookSecretOut,
)
from mittari.db import repository as repo
from mittari.db.models import Customer, Delivery, OutboundHook, utcnow
from mittari.services import tokens, webhooks

router = APIRouter(prefix="/api/v1", tags=["admin"])
Source = Annotated[str, Path(pattern="^(jira|zendesk|alertmanager)$")]


@router.get(
    "/tokens", response_model=list[TokenOut], summary="Every token (never the token itself)"
)
def list_tokens(engine: DbEngine, _: Writer) -> list[TokenOut]:
    return [TokenOut(**vars(t)) for t in tokens.list_tokens(engine)]


@router.post(
    "/tokens",
    response_model=TokenCreatedOut,
    status_code=201,
    summary="Create a token; it is shown once",
)
def create_token(body: TokenIn, engine: DbEngine, _: Writer) -> TokenCreatedOut:
    token, token_id = tokens.create_token(engine, body.name, body.role, body.customer)
    return TokenCreatedOut(id=token_id, token=token)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke a token")
def revoke_token(token_id: Id, engine: DbEngine, _: Writer) -> None:
    if not tokens.revoke_token(engine, token_id):
        raise not_found("token")


@router.put(
    "/customers/{customer}/webhooks/{source}",
    response_model=WebhookSecretOut,
    summary="Set or rotate the shared secret of a customer's inbound webhook",
)
def configure_webhook(
    customer: str,
    source: Source,
    body: WebhookSecretIn,
    request: Request,
    scope: Scope,
    engine: DbEngine,
    _: Writer,
) -> WebhookSecretOut:
    customer_of(scope, customer)
    secret = webhooks.configure(engine, customer, source, body.secret)
    if source == "alertmanager":
        url = str(request.url_for("receive_alertmanager", customer=customer))
    else:
        url = str(request.url_for("receive_webhook", source=source, customer=customer))
    return WebhookSecretOut(customer=customer, source=source, secret=secret, url=url)


@router.get("/hooks", response_model=list[HookOut], summary="Outbound webhooks for breach warnings")
def list_hooks(engine: DbEngine, _: Writer) -> list[HookOut]:
    query = (
        select(OutboundHook, Customer.key)
        .outerjoin(Customer, Customer.id == OutboundHook.customer_id)
        .order_by(OutboundHook.id)
    )
    with Session(engine) as session:
        rows = session.execute(query).all()
    return [HookOut(id=h.id, url=h.url, customer=key, active=h.active) for h, key in rows]


@router.post(
    "/hooks", response_model=HookCreatedOut, status_code=201, summary="Add an outbound webhook"
)
def create_hook(body: HookIn, engine: DbEngine, _: Writer) -> HookCreatedOut:
    secret = body.secret or secrets.token_urlsafe(32)
    with engine.begin() as conn:
        owner = None
        if body.customer is not None:
            owner = repo.customer_id(conn, body.customer)
            if owner is None:
                raise not_found("customer")
        result = conn.execute(
            insert(OutboundHook).values(
                url=body.url, customer_id=owner, secret=secret, active=True, created_at=utcnow()
            )
        )
        hook_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    return HookCreatedOut(
        id=hook_id, url=body.url, customer=body.customer, active=True, secret=secret
    )


@router.delete("/hooks/{hook_id}", status_code=204, summary="Switch an outbound webhook off")
def delete_hook(hook_id: Id, engine: DbEngine, _: Writer) -> None:
    with engine.begin() as conn:
        result = conn.execute(
            update(OutboundHook)
            .where(OutboundHook.id == hook_id, OutboundHook.active)
            .values(active=False)
        )
    if result.rowcount != 1:
        raise not_found("hook")


@router.get(
    "/hooks/{hook_id}/deliveries",
    response_model=list[DeliveryOut],
    summary="The delivery log of one hook",
)
def list_deliveries(hook_id: Id, engine: DbEngine, _: Writer) -> list[DeliveryOut]:
    with engine.connect() as conn:
        rows = repo.entities(
            conn,
            select(Delivery)
            .where(Delivery.hook_id == hook_id)
            .order_by(Delivery.id.desc())
            .limit(1000),
        )
        if (
            not rows
            and conn.scalar(select(OutboundHook.id).where(OutboundHook.id == hook_id)) is None
        ):
            raise not_found("hook")
    return [
        DeliveryOut(
            id=d.id,
            notification_id=d.notification_id,
            status=d.status,
            attempts=d.attempts,
            last_code=d.last_code,
            last_error=d.last_error,
            delivered_at=d.delivered_at,
        )
        for d in rows
    ]
