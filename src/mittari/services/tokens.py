"""API tokens: created with a role (and a customer for a viewer), shown once, stored as a
SHA-256 hash, revocable, with the time each was last used."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.orm import Session

from mittari.db import repository as repo
from mittari.db.models import ApiToken, Customer, utcnow
from mittari.db.scope import Principal, Role
from mittari.errors import InputError, Problem

PREFIX = "mit_"  # recognisable in logs and by secret scanners
LAST_USED_GRAIN = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    role: str
    customer: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, name: str, role: str, customer: str | None) -> tuple[str, int]:
    """A new token (the only time it is shown) and its id."""
    try:
        chosen = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InputError([Problem("--role", None, "role", role, f"use one of {allowed}")]) from None
    if (chosen == Role.CUSTOMER_VIEWER) != (customer is not None):
        message = "a customer-viewer token names one customer; provider tokens name none"
        raise InputError([Problem("--customer", None, "customer", customer, message)])
    token = PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        owner = None
        if customer is not None:
            owner = repo.customer_id(conn, customer)
            if owner is None:
                message = "unknown customer (import its data or add its contract first)"
                raise InputError([Problem("--customer", None, "customer", customer, message)])
        result = conn.execute(
            insert(ApiToken).values(
                name=name,
                role=chosen.value,
                customer_id=owner,
                token_hash=digest(token),
                created_at=utcnow(),
            )
        )
        return token, int(result.inserted_primary_key[0])  # type: ignore[index]


def authenticate(engine: Engine, token: str) -> Principal | None:
    """The principal of a valid, unrevoked token (its last use is recorded), else None."""
    with engine.connect() as conn:
        return authenticate_on(conn, token)


def authenticate_on(conn: Connection, token: str) -> Principal | None:
    """`authenticate` on the caller's connection (one connection per API request: a second
    one per request could exhaust the pool under load and wait for ever). Commits."""
    found = conn.execute(
        select(ApiToken.id, ApiToken.role, ApiToken.customer_id).where(
            ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None)
        )
    ).first()
    if found is None:
        conn.rollback()
        return None
    now = utcnow()
    # last use to the minute: a busy client must not turn every read into a write
    stale = ApiToken.last_used_at.is_(None) | (ApiToken.last_used_at < now - LAST_USED_GRAIN)
    conn.execute(update(ApiToken).where(ApiToken.id == found.id, stale).values(last_used_at=now))
    conn.commit()
    return Principal(found.id, Role(found.role), found.customer_id)


def revoke_token(engine: Engine, token_id: int) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    return result.rowcount == 1


def list_tokens(engine: Engine) -> list[TokenInfo]:
    query = (
        select(ApiToken, Customer.key)
        .outerjoin(Customer, Customer.id == ApiToken.customer_id)
        .order_by(ApiToken.id)
    )
    with Session(engine) as session:
        rows = session.execute(query).all()
    return [
        TokenInfo(t.id, t.name, t.role, key, t.created_at, t.last_used_at, t.revoked_at)
        for t, key in rows
    ]
