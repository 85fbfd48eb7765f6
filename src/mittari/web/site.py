"""The whole site: the REST API (`mittari.api`) plus the dashboard under `/ui`.

`create_site` is what `mittari serve` and `mittari demo` run. The dashboard's pages read
through the same tenant scoping (`db/scope.py`) as the API, with the same tokens: a login
form puts the token in an HttpOnly, SameSite=Strict cookie; a `Bearer` header works too.
"""

from __future__ import annotations

import threading
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.web import pages
from mittari.web.deps import install_handlers
from mittari.web.routes import auth


def create_site(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The API and the dashboard over one database (see `create_app`)."""
    app = create_app(settings, engine)
    install_handlers(app)
    static = resources.files("mittari.web").joinpath("static")
    app.mount("/ui/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(auth.router)
    for router in pages.routers():
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)

    return app


def warm_in_background() -> None:
    """Load the sentiment dictionaries in a thread (seconds, once per process), so the first
    page of comments a person opens after the server starts does not wait for them."""

    def warm() -> None:
        from mittari.services.sentiment import classify

        classify("Kiitos, ongelma ratkesi nopeasti.", "fi")
        classify("Thanks, solved quickly.", "en")

    threading.Thread(target=warm, daemon=True, name="warm-sentiment").start()
