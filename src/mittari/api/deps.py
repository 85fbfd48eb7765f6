"""Dependencies of the routes: settings, the database, and who is calling."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.requests import HTTPConnection
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine

from mittari.api.errors import Problem, not_found
from mittari.api.settings import Settings
from mittari.db.scope import Principal, Scoped
from mittari.services.tokens import authenticate_on

SESSION_COOKIE = "mittari_session"  # the dashboard's login cookie (web/deps.py SESSION)


class BearerOrSession(HTTPBearer):
    """`Authorization: Bearer <token>`; without one, on a GET, the dashboard's session cookie
    (HttpOnly, SameSite=Strict), so that its pages' scripts can read the at-risk stream.
    Only safe methods take the cookie: a write always needs the header (no CSRF)."""

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        found = await super().__call__(request)
        if found is None and request.scope.get("method") in ("GET", "HEAD"):
            token = request.cookies.get(SESSION_COOKIE, "").strip()
            if token:
                return HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
        return found


bearer = BearerOrSession(auto_error=False, description="An API token: `mittari token create`.")


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def engine(request: Request) -> Engine:
    found: Engine = request.app.state.engine
    return found


def connection(request: Request) -> Iterator[Connection]:
    """The request's one database connection (authentication and reads share it)."""
    with engine(request).connect() as conn:
        yield conn


def principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    conn: Annotated[Connection, Depends(connection)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "Unauthorized", "send Authorization: Bearer <token>", **challenge())
    found = authenticate_on(conn, credentials.credentials)
    if found is None:
        raise Problem(401, "Unauthorized", "the token is unknown or revoked", **challenge())
    return found


def challenge() -> dict[str, str]:
    return {"WWW-Authenticate": "Bearer"}


def writer(who: Annotated[Principal, Depends(principal)]) -> Principal:
    """A principal allowed to write (provider-admin)."""
    if not who.can_write:
        raise Problem(403, "Forbidden", "this needs a provider-admin token")
    return who


def scoped(
    conn: Annotated[Connection, Depends(connection)],
    who: Annotated[Principal, Depends(principal)],
) -> Scoped:
    return Scoped(conn, who)


def customer_of(scope: Scoped, key: str) -> int:
    """The id of a customer the caller may see; 404, the same for unknown and unseen."""
    found = scope.customer_id(key)
    if found is None:
        raise not_found("customer")
    return found


EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def as_of(
    as_of: Annotated[
        datetime | None,
        Query(description="Measure at this instant, with its offset (default: now)."),
    ] = None,
) -> int:
    """The instant to measure at, in µs UTC: an aware instant from 1970 to 2099."""
    if as_of is None:
        return int(datetime.now(UTC).timestamp() * 1_000_000)
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise Problem(422, "Unprocessable Content", "as_of needs an offset (Z, +02:00)")
    if not EARLIEST <= as_of < LATEST:
        raise Problem(422, "Unprocessable Content", "as_of must be from 1970 to 2099")
    return int(as_of.timestamp() * 1_000_000)


Who = Annotated[Principal, Depends(principal)]
Writer = Annotated[Principal, Depends(writer)]
Scope = Annotated[Scoped, Depends(scoped)]
Config = Annotated[Settings, Depends(settings)]
DbEngine = Annotated[Engine, Depends(engine)]
Id = Annotated[int, Path(ge=1, le=2**63 - 1, description="A numeric id.")]
AsOf = Annotated[int, Depends(as_of)]
MONTH = r"^(19[7-9]\d|20\d\d)-(0[1-9]|1[0-2])$"  # months the calendars can measure
Month = Annotated[str, Query(pattern=MONTH, description="YYYY-MM (1970-2099).")]
OptionalMonth = Annotated[str | None, Query(pattern=MONTH, description="YYYY-MM (1970-2099).")]
