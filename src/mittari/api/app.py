"""The app factory: settings → database → routes, problem+json errors, complete OpenAPI."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import Engine

import mittari
from mittari.api import errors
from mittari.api.ratelimit import TokenBuckets
from mittari.api.routes import admin, customers, experience, live, pulse, reliability, surveys
from mittari.api.settings import Settings
from mittari.db.connect import make_engine
from mittari.db.migrate import current_revision, head_revision
from mittari.services.notify import Policy, run_forever
from mittari.services.survey_trigger import SurveyRounds, trigger_of


class SchemaNotCurrent(RuntimeError):
    pass


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The API over `settings.database_url` (or `engine`), which must be at the latest schema."""
    chosen = settings or Settings()
    pool = {"pool_size": chosen.db_pool_size, "max_overflow": chosen.db_pool_size}
    database = engine or make_engine(chosen.database_url, **pool)
    if current_revision(database) != head_revision():
        shown = database.url.render_as_string(hide_password=True)
        raise SchemaNotCurrent(f"{shown} is not at the latest schema: run `mittari db upgrade`")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        worker = None
        if chosen.notifier:
            policy = Policy(chosen.delivery_attempts, chosen.delivery_backoff_s)
            rounds = SurveyRounds(trigger_of(chosen))  # newly resolved tickets' surveys
            args = (database, policy, chosen.notify_interval_s, stop, rounds)
            worker = threading.Thread(target=run_forever, args=args, daemon=True, name="notifier")
            worker.start()
        yield
        stop.set()
        if worker is not None:
            worker.join(timeout=30)
        if engine is None:
            database.dispose()

    app = FastAPI(
        title="mittari",
        version=mittari.__version__,
        description=(
            "SLA clocks recomputed exactly from ticket event logs, per customer. Send "
            "`Authorization: Bearer <token>` (create one with `mittari token create`). "
            "Errors are RFC 9457 problem details."
        ),
        lifespan=lifespan,
        responses={
            code: {"model": errors.ProblemDetail, "description": text}
            for code, text in errors.DOCUMENTED.items()
        },
    )
    app.openapi = lambda: _problems_documented(app)  # type: ignore[method-assign]
    app.state.settings = chosen
    app.state.engine = database
    app.state.survey_limiter = TokenBuckets(chosen.survey_rate_per_minute)
    errors.install(app)
    routers = (customers.router, reliability.router, live.router, admin.router, surveys.router)
    for router in (*routers, experience.router, pulse.router):
        app.include_router(router)

    @app.get("/health", tags=["health"], summary="Liveness: the database answers")
    def health() -> dict[str, str]:
        with database.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return {"status": "ok", "version": mittari.__version__}

    return app


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every API route, routers included (the persona tests walk it)."""
    return sorted(_routes(app.routes, ""))


def _routes(routes: list[Any], prefix: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found += [(method, prefix + route.path) for method in route.methods]
        elif hasattr(route, "original_router"):  # FastAPI keeps included routers as such
            inner = prefix + getattr(route.include_context, "prefix", "")
            found += _routes(route.original_router.routes, inner)
    return found


def _problems_documented(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI of the app, with every error response as `application/problem+json` of
    the ProblemDetail schema (what the error handlers send), not FastAPI's JSON default."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        problem = {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
        for operations in spec["paths"].values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    if code.startswith(("4", "5")):
                        response["content"] = {errors.PROBLEM: problem}
        spec["components"]["schemas"].pop("HTTPValidationError", None)
        spec["components"]["schemas"].pop("ValidationError", None)
        app.openapi_schema = spec
    return app.openapi_schema
