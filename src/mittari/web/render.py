"""Jinja2 rendering of the dashboard: one environment, the context every page shares."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from mittari.web.i18n import COOKIE, LANGUAGES, Translator, choose

TEMPLATES = Environment(
    loader=PackageLoader("mittari.web", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt name fails the page's test, not silently
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page `template` with `context`, plus `t` (the translator), `lang`, `path`."""
    lang = choose(request)
    shared = {
        "t": Translator(lang),
        "lang": lang,
        "languages": LANGUAGES,
        "path": request.url.path,
        "who": None,
        "nav_customers": [],
        "customer": None,
        "section": "",
    }
    html = TEMPLATES.get_template(template).render(**(shared | context))
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def render_error(request: Request, status: int) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status)
