"""The ticket survey pages: `GET /s/{token}` shows the form (and never records: mail
scanners open links), `POST /s/{token}` records the one answer of the ticket.

They are pages for people, server-rendered, and public: the unguessable token in the path
is the credential. They are left out of the OpenAPI schema (`include_in_schema=False`):
they answer HTML and read a form, not JSON, and a fuzzer cannot guess a token, so it would
only ever see the 404 page; tests/api/test_survey_pages.py tests them instead.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from mittari.api.deps import DbEngine
from mittari.api.errors import Problem
from mittari.importers.feedback.model import LOST_TIMES
from mittari.services import surveys
from mittari.services.surveys import LANGUAGES, Form, messages

TEMPLATES = Environment(
    loader=PackageLoader("mittari.api", "templates"), autoescape=select_autoescape(["html"])
)
STATUS = {"open": 200, "recorded": 200, "answered": 409, "expired": 410, "unknown": 404}


def rate_limited(request: Request) -> None:
    """429 once a client address has used its bucket (`MITTARI_SURVEY_RATE_PER_MINUTE`)."""
    address = request.client.host if request.client else "unknown"
    if not request.app.state.survey_limiter.allow(address):
        raise Problem(429, "Too Many Requests", messages("en")["too_many"], **{"Retry-After": "60"})


router = APIRouter(include_in_schema=False, dependencies=[Depends(rate_limited)])


def language(request: Request, chosen: str | None, default: str) -> str:
    """`?lang=` of the link, else the browser's first known language, else the invitation's."""
    if chosen in LANGUAGES:
        return str(chosen)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default


def page(state: str, lang: str, ticket: str = "", **extra: Any) -> HTMLResponse:
    html = TEMPLATES.get_template("survey.html").render(
        state=state,
        lang=lang,
        m=messages(lang),
        ticket=ticket,
        positive=list(surveys.POSITIVE),
        negative=list(surveys.NEGATIVE),
        lost_times=LOST_TIMES,
        form=extra.pop("form", Form(None)).__dict__,
        errors=extra.pop("errors", []),
    )
    return HTMLResponse(html, status_code=STATUS[state])


@router.get("/s/{token}", response_class=HTMLResponse)
def show_survey(token: str, request: Request, engine: DbEngine) -> HTMLResponse:
    opened = surveys.open_link(engine, token)
    lang = language(request, request.query_params.get("lang"), opened.language)
    return page(opened.state, lang, opened.ticket)


@router.post("/s/{token}", response_class=HTMLResponse)
async def answer_survey(token: str, request: Request, engine: DbEngine) -> HTMLResponse:
    posted = await request.form()
    opened = surveys.open_link(engine, token)
    lang = language(request, str(posted.get("lang") or ""), opened.language)
    form = Form(
        rating=_rating(posted.get("rating")),
        positive=[str(v) for v in posted.getlist("positive")],
        negative=[str(v) for v in posted.getlist("negative")],
        lost_time=str(posted.get("lost_time") or "") or None,
        comment=str(posted.get("comment") or "")[:4000],
        language=lang,
    )
    if opened.state != "open":
        return page(opened.state, lang, opened.ticket)
    problems = surveys.validate(form)
    if problems:  # the form again, as filled, with what to fix; nothing stored
        return page("open", lang, opened.ticket, form=form, errors=problems)
    state = surveys.answer(engine, token, form)
    return page("recorded" if state == "open" else state, lang, opened.ticket)


def _rating(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 2 else None
