"""Errors as RFC 9457 problem details (`application/problem+json`), one shape everywhere.

A problem never names data outside the caller's scope: a customer the caller may not see
gets the same 404 as a customer that does not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from mittari.errors import ContractError, InputError
from mittari.services.webhooks import WebhookRefused

PROBLEM = "application/problem+json"
DOCUMENTED = {
    400: "the body is not what the operation reads",
    401: "no token, or an unknown or revoked one",
    403: "the token's role may not do this",
    404: "not found (or not the caller's: the same answer)",
    409: "already received (a webhook replay)",
    413: "the body is too large",
    422: "the request or its content is invalid",
}


class ProblemDetail(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None


class Problem(HTTPException):
    """Raised by routes and dependencies: rendered as problem+json."""

    def __init__(self, status: int, title: str, detail: str | None = None, **headers: str) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers or None)
        self.title = title


def not_found(what: str = "resource") -> Problem:
    return Problem(404, "Not Found", f"no such {what}")


def _response(status: int, title: str, detail: str | None, **extra: Any) -> JSONResponse:
    body = ProblemDetail(title=title, status=status, detail=detail, **extra)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        response = _response(exc.status_code, exc.title, exc.detail)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        title = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"}
        response = _response(exc.status_code, title.get(exc.status_code, "Error"), str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return _response(422, "Unprocessable Content", "the request is invalid", errors=errors)

    @app.exception_handler(InputError)
    @app.exception_handler(ContractError)
    async def _input(_: Request, exc: InputError | ContractError) -> JSONResponse:
        errors = [
            {
                "file": p.file,
                "line": p.line,
                "field": p.field,
                "value": _text(p.value),
                "msg": p.message,
            }
            for p in exc.problems
        ]
        return _response(422, "Unprocessable Content", "the input is invalid", errors=errors)

    @app.exception_handler(WebhookRefused)
    async def _webhook(_: Request, exc: WebhookRefused) -> JSONResponse:
        return _response(exc.status, exc.title, exc.detail)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
