"""Survey comments with their rating, sentiment, factors and lost time, filtered by month,
service, sentiment and rating band; the month's experience figures above them."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from mittari.services.comments_view import (
    BANDS,
    SENTIMENTS,
    CommentFilter,
    comments_view,
    customer_comments,
    month_experience,
)
from mittari.web.deps import Viewer
from mittari.web.routes.more_params import Checked, now_us, render_checked

router = APIRouter(include_in_schema=False)
ALL = "all"  # ?month=all: every month
SHOWN = 300  # comments on one page; a narrower filter shows the rest


@router.get("/ui/{customer}/comments", response_class=HTMLResponse)
def comments(
    customer: str,
    page: Viewer,
    month: str | None = None,
    service: str | None = None,
    sentiment: str | None = None,
    band: str | None = None,
) -> HTMLResponse:
    found = page.customer(customer)
    checked = Checked()
    every_month = (month or "").strip() == ALL
    chosen_month = None if every_month else checked.month(month)
    now = now_us()
    zone, found_comments = customer_comments(page.scope, found.id, now)
    months = sorted({c.month for c in found_comments if c.month})
    if chosen_month is None and not every_month and months:
        chosen_month = months[-1]
    chosen = CommentFilter(
        month=chosen_month,
        service=checked.text(service, "service"),
        sentiment=checked.choice(sentiment, "sentiment", SENTIMENTS),
        band=checked.choice(band, "band", BANDS),
    )
    view = comments_view(zone, found_comments, chosen)
    figures = None
    if chosen_month is not None:  # the experience service reads a customer the page may see
        engine = page.request.app.state.engine
        figures = month_experience(engine, found.key, chosen_month, now)
    return render_checked(
        page,
        "comments.html",
        found,
        "comments",
        checked,
        view=view,
        chosen=chosen,
        month_value=chosen_month or ALL,
        figures=figures,
        bands=BANDS,
        sentiments=SENTIMENTS,
        shown=SHOWN,
        query=lambda **changes: query(chosen, chosen_month or ALL, **changes),
    )


def query(chosen: CommentFilter, month: str, **changes: str | None) -> str:
    """The page's query string with `changes` (None drops a filter)."""
    values = {
        "month": month,
        "service": chosen.service,
        "sentiment": chosen.sentiment,
        "band": chosen.band,
    } | changes
    return urlencode({k: v for k, v in values.items() if v})
