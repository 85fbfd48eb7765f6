"""Log in with a token (kept in an HttpOnly, SameSite=Strict cookie) and log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from mittari.services.tokens import authenticate_on
from mittari.web.deps import SESSION, connection
from mittari.web.render import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site's dashboard: never an open redirect to another host."""
    if target and target.startswith("/ui/") and not target.startswith("//"):
        return target
    return "/ui/"


@router.get("/ui/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), failed=False)


@router.post("/ui/login", response_class=HTMLResponse, response_model=None)
def login(
    request: Request,
    conn: Annotated[Connection, Depends(connection)],
    token: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "/ui/",
) -> HTMLResponse | RedirectResponse:
    token = token.strip()
    if not token or authenticate_on(conn, token) is None:
        return render(request, "login.html", status=401, next=_safe_next(next), failed=True)
    response = RedirectResponse(_safe_next(next), status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION, token, httponly=True, samesite="strict", secure=secure, max_age=12 * 3600
    )
    return response


@router.post("/ui/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(SESSION)
    return response
