"""A customer's overview: SLA and experience tiles of a month, availability, credits, the
watermelon matrix; and the monthly review report as PDF or HTML."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from mittari.errors import InputError
from mittari.reports.charts import Series, line_chart, sparkline
from mittari.web.deps import Page, Viewer
from mittari.web.overview_data import Overview, latest_month, months_back, overview
from mittari.web.page_tools import MONTH, bad_request, customer_zone, now_us, tickets_link
from mittari.web.render import render

router = APIRouter(include_in_schema=False)
FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@router.get("/ui/{customer}/", response_class=HTMLResponse)
def overview_page(customer: str, page: Viewer, month: str | None = None) -> HTMLResponse:
    found = page.customer(customer)
    if month is not None and not MONTH.match(month):
        return bad_request(page, found, "overview", [("month", month[:40], "YYYY-MM")])
    engine = page.request.app.state.engine
    data = overview(page.scope, engine, found.id, found.key, month, now_us())
    neighbours = months_back(data.month, 2) if data.month else []
    return render(
        page.request,
        "overview.html",
        who=page.who,
        nav_customers=page.customers(),
        customer=found,
        section="overview",
        data=data,
        zone=customer_zone(page.scope.conn, found.id),
        sparks=[_spark(page, tile.trend, tile.objective_pct, tile.metric) for tile in data.sla],
        trend=_trend_chart(page, found.key, data),
        previous=neighbours[0] if neighbours else None,
        following=_following(data.month) if data.month else None,
        link=tickets_link,
    )


def _following(month: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def _spark(page: Page, values: list[float | None], target: float | None, metric: str) -> Markup:
    title = page.t("ov_trend_of", metric=metric)
    return sparkline(values, target=target, width=132, height=30, title=title)


def _trend_chart(page: Page, key: str, data: Overview) -> Markup | None:
    if not data.sla:
        return None
    series = [Series(tile.metric, tile.trend) for tile in data.sla]
    links: list[str | None] = [tickets_link(key, month=m, state="breached") for m in data.window]
    return line_chart(
        data.window,
        series,
        y_max=100.0,
        unit="%",
        links=links,
        title=page.t("ov_compliance_by_month"),
        width=1100,
        height=260,
        decimal=page.t.decimal,
    )


@router.get("/ui/{customer}/report", response_model=None)
def report(customer: str, page: Viewer, month: str | None = None, format: str = "pdf") -> Response:
    """The monthly service review (`reports.review`), as a PDF download or an HTML page."""
    found = page.customer(customer)
    problems = []
    if month is not None and not MONTH.match(month):
        problems.append(("month", month[:40], "YYYY-MM"))
    if format not in FORMATS:
        problems.append(("format", format[:40], "pdf, html"))
    if problems:
        return bad_request(page, found, "overview", problems)
    if month is None:
        engine = page.request.app.state.engine
        month = latest_month(page.scope, engine, found.id, found.key)
        month = month or datetime.now(UTC).strftime("%Y-%m")
    from mittari.reports.review import render_review  # the report's renderer (reports/)

    fmt: Literal["pdf", "html"] = "pdf" if format == "pdf" else "html"
    lang: Literal["en", "fi"] = "fi" if page.t.lang == "fi" else "en"
    try:
        content = render_review(page.scope, found.key, month, fmt=fmt, lang=lang, base_url="")
    except InputError as error:  # e.g. no contract yet: said on a page, not as a bare error
        notes = [f"{p.field}: {p.message}" for p in error.problems]
        return bad_request(page, found, "overview", [], notes)
    headers = {}
    if format == "pdf":
        name = re.sub(r"[^A-Za-z0-9._-]", "_", f"mittari-{found.key}-{month}.pdf")
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(content, media_type=FORMATS[format], headers=headers)
