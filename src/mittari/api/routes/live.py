"""The live part: the at-risk feed (JSON and Server-Sent Events) and inbound webhooks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials

from mittari.api.deps import Config, DbEngine, Scope, bearer, challenge, customer_of
from mittari.api.errors import Problem
from mittari.api.schemas import AlertsReceivedOut, AtRiskOut, ReceivedOut
from mittari.api.settings import Settings
from mittari.db.scope import Principal, Scoped
from mittari.services import webhooks
from mittari.services.at_risk import Levels, feed
from mittari.services.tokens import authenticate

router = APIRouter(tags=["live"])


def _stream_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller of a stream, authenticated on a connection given back at once: a stream
    lives long, and must not hold a pooled connection between its snapshots."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "Unauthorized", "send Authorization: Bearer <token>", **challenge())
    found = authenticate(request.app.state.engine, credentials.credentials)
    if found is None:
        raise Problem(401, "Unauthorized", "the token is unknown or revoked", **challenge())
    return found


StreamCaller = Annotated[Principal, Depends(_stream_caller)]
Limit = Annotated[int, Query(ge=1, le=10_000, description="How many clocks, soonest due first.")]


def _now_us() -> int:
    return int(datetime.now(UTC).timestamp() * 1_000_000)


def _feed(
    scope: Scoped, customers: list[int] | None, limit: int, config: Settings
) -> list[AtRiskOut]:
    levels = Levels(config.warning_pct, config.critical_pct)
    rows = feed(scope.conn, scope, customers, _now_us(), limit, levels)
    return [AtRiskOut(**vars(r)) for r in rows]


@router.get(
    "/api/v1/at-risk",
    response_model=list[AtRiskOut],
    summary="Open clocks of every customer the caller may see",
)
def at_risk(scope: Scope, config: Config, limit: Limit = 100) -> list[AtRiskOut]:
    return _feed(scope, None, limit, config)


@router.get(
    "/api/v1/customers/{customer}/at-risk",
    response_model=list[AtRiskOut],
    summary="One customer's open clocks, soonest due first",
)
def customer_at_risk(
    customer: str, scope: Scope, config: Config, limit: Limit = 100
) -> list[AtRiskOut]:
    return _feed(scope, [customer_of(scope, customer)], limit, config)


@router.get(
    "/api/v1/at-risk/stream",
    summary="The at-risk feed as Server-Sent Events",
    description="`clock` when a clock appears or changes level or state, `gone` when it closes.",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def at_risk_stream(
    request: Request,
    who: StreamCaller,
    engine: DbEngine,
    config: Config,
    limit: Limit = 100,
    customer: Annotated[str | None, Query(description="Only this customer.")] = None,
    follow: Annotated[bool, Query(description="false: one snapshot, then the stream ends.")] = True,
) -> StreamingResponse:
    customers = None
    if customer is not None:
        with engine.connect() as conn:
            customers = [customer_of(Scoped(conn, who), customer)]
    return StreamingResponse(
        _events(request, engine, who, customers, limit, config, follow),
        media_type="text/event-stream",
    )


async def _events(
    request: Request,
    engine: object,
    who: Principal,
    customers: list[int] | None,
    limit: int,
    config: Settings,
    follow: bool,
) -> AsyncIterator[str]:
    """Every change of the principal's feed, as SSE. Each snapshot is read through the
    principal's own scope, so a stream can carry nothing of another customer."""
    seen: dict[str, str] = {}
    while not await request.is_disconnected():
        rows = await run_in_threadpool(_snapshot, engine, who, customers, limit, config)
        current = {f"{r.customer}/{r.ticket}/{r.metric}/{r.cycle}": r for r in rows}
        for key, row in current.items():
            text = row.model_dump_json()
            if seen.get(key) != (row.level + row.state):
                yield f"event: clock\nid: {key}\ndata: {text}\n\n"
        for key in set(seen) - set(current):
            yield f"event: gone\nid: {key}\ndata: {json.dumps({'clock': key})}\n\n"
        seen = {k: r.level + r.state for k, r in current.items()}
        yield ": keep-alive\n\n"
        if not follow:
            return
        await asyncio.sleep(config.sse_interval_s)


def _snapshot(
    engine: object, who: Principal, customers: list[int] | None, limit: int, config: Settings
) -> list[AtRiskOut]:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return _feed(Scoped(conn, who), customers, limit, config)


# Before the desks' route: `/webhooks/{source}/…` would take `alertmanager` as a source.
@router.post(
    "/webhooks/alertmanager/{customer}",
    response_model=AlertsReceivedOut,
    status_code=202,
    tags=["webhooks"],
    summary="Prometheus Alertmanager's notifications: firing and resolved alerts as outages",
    description=(
        "Authenticated by `Authorization: Bearer <the customer's alertmanager secret>` "
        "(Alertmanager's `http_config.authorization`). A re-sent notification adds nothing."
    ),
    responses={401: {"description": "wrong credentials"}, 413: {"description": "too large"}},
)
async def receive_alertmanager(
    customer: str, request: Request, engine: DbEngine, config: Config
) -> AlertsReceivedOut:
    body = await _limited_body(request, config.webhook_max_bytes)
    headers = {k.lower(): v for k, v in request.headers.items()}
    received = await run_in_threadpool(webhooks.receive_alerts, engine, customer, headers, body)
    return AlertsReceivedOut(**vars(received))


@router.post(
    "/webhooks/{source}/{customer}",
    response_model=ReceivedOut,
    status_code=202,
    tags=["webhooks"],
    summary="A service desk's signed webhook",
    description="Jira: `X-Hub-Signature`; Zendesk: `X-Zendesk-Webhook-Signature` + timestamp.",
    responses={
        401: {"description": "bad signature"},
        409: {"description": "a replay"},
        413: {"description": "too large"},
    },
)
async def receive_webhook(
    source: str, customer: str, request: Request, engine: DbEngine, config: Config
) -> ReceivedOut:
    body = await _limited_body(request, config.webhook_max_bytes)
    headers = {k.lower(): v for k, v in request.headers.items()}
    received = await run_in_threadpool(
        webhooks.receive,
        engine,
        source,
        customer,
        headers,
        body,
        tolerance_s=config.webhook_tolerance_s,
    )
    return ReceivedOut(**vars(received))


async def _limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Problem(413, "Content Too Large", f"the body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, "Content Too Large", f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
