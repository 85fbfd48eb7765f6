"""The pulse pages: `GET /p/{token}` shows the relationship or team form (and never
records: mail scanners open links), `POST /p/{token}` records the invitation's one
response. Like the ticket survey's pages (`routes/surveys.py`, whose rate limit and
language choice they share) they are public, server-rendered and out of the OpenAPI
schema: the unguessable token in the path is the credential.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from mittari.api.deps import DbEngine
from mittari.api.routes.surveys import TEMPLATES, language, rate_limited
from mittari.services import pulse
from mittari.services.pulse import OBSTACLES, Opened, PulseForm
from mittari.services.surveys import messages

STATUS = {
    "open": 200,
    "recorded": 200,
    "answered": 409,
    "early": 403,
    "expired": 410,
    "unknown": 404,
}

router = APIRouter(include_in_schema=False, dependencies=[Depends(rate_limited)])


def page(state: str, lang: str, opened: Opened, **extra: Any) -> HTMLResponse:
    html = TEMPLATES.get_template("pulse.html").render(
        state=state,
        lang=lang,
        m=messages(lang),
        kind=opened.kind,
        period=opened.period,
        customer=opened.customer,
        opens=opened.opens_at.date().isoformat() if opened.opens_at else "",
        obstacles=OBSTACLES,
        form=extra.pop("form", PulseForm()).__dict__,
        errors=extra.pop("errors", []),
    )
    return HTMLResponse(html, status_code=STATUS[state])


@router.get("/p/{token}", response_class=HTMLResponse)
def show_pulse(token: str, request: Request, engine: DbEngine) -> HTMLResponse:
    opened = pulse.open_link(engine, token)
    lang = language(request, request.query_params.get("lang"), opened.language)
    return page(opened.state, lang, opened)


@router.post("/p/{token}", response_class=HTMLResponse)
async def answer_pulse(token: str, request: Request, engine: DbEngine) -> HTMLResponse:
    posted = await request.form()
    opened = pulse.open_link(engine, token)
    lang = language(request, str(posted.get("lang") or ""), opened.language)
    if opened.state != "open":
        return page(opened.state, lang, opened)
    form = PulseForm(
        recommend=_score(posted.get("recommend")),
        understand=_score(posted.get("understand")),
        prevent=_score(posted.get("prevent")),
        measured_well=_score(posted.get("measured_well")),
        obstacles=[str(v) for v in posted.getlist("obstacle")],
        comment=str(posted.get("comment") or "")[:4000],
        language=lang,
    )
    problems = pulse.validate(opened.kind, form)
    if problems:  # the form again, as filled, with what to fix; nothing stored
        return page("open", lang, opened, form=form, errors=problems)
    state = pulse.answer(engine, token, form)
    return page("recorded" if state == "open" else state, lang, opened)


def _score(value: object) -> int | None:
    """A posted score; anything that is no small number is out of every scale (-1)."""
    text = str(value or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 2 else -1
