"""Who is looking at a page, in which language, and how pages answer when they cannot.

A page is read by a principal (the token of the session cookie, or a `Bearer` header)
through `Scoped`, exactly like the API. Without one, a page redirects to the login form
(303); a customer the principal may not see answers the same HTML 404 as a missing one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from mittari.db.models import Customer
from mittari.db.scope import Principal, Scoped
from mittari.services.tokens import authenticate_on
from mittari.web.i18n import Translator, choose

SESSION = "mittari_session"


class LoginRequired(Exception):
    """No valid token: the page sends the browser to the login form."""


class PageNotFound(Exception):
    """Unknown, or not the principal's to see: the same 404 page either way."""


def connection(request: Request) -> Iterator[Connection]:
    with request.app.state.engine.connect() as conn:
        yield conn


def token_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION) or None


def principal(request: Request, conn: Annotated[Connection, Depends(connection)]) -> Principal:
    token = token_of(request)
    found = authenticate_on(conn, token) if token else None
    if found is None:
        raise LoginRequired()
    return found


@dataclass
class Page:
    """What every page needs: the request, the reads of its principal, and the language."""

    request: Request
    scope: Scoped
    who: Principal
    t: Translator

    def customer(self, key: str) -> Customer:
        found = self.scope.customer(key)
        if found is None:
            raise PageNotFound()
        return found

    def customers(self) -> list[Customer]:
        found, _ = self.scope.customers(0, 1000)
        return found


def page(
    request: Request,
    conn: Annotated[Connection, Depends(connection)],
    who: Annotated[Principal, Depends(principal)],
) -> Page:
    return Page(request, Scoped(conn, who), who, Translator(choose(request)))


Viewer = Annotated[Page, Depends(page)]


def install_handlers(app: FastAPI) -> None:
    from mittari.web.render import render_error

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/ui/login?next={quote(target)}", status_code=303)

    @app.exception_handler(PageNotFound)
    async def not_found(request: Request, _: PageNotFound) -> HTMLResponse:
        return render_error(request, 404)
