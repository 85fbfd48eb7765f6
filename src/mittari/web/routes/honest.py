"""Reported beside honest compliance: per metric and month the figure the contract's rules
give and the figure with the flagged behaviour undone, a year's chart of both, and the
month's integrity flags with their evidence (docs/integrity.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from mittari.reports.charts import Series, line_chart
from mittari.services.honest_view import HonestView, honest_view
from mittari.web.deps import Viewer
from mittari.web.i18n import Translator
from mittari.web.routes.more_params import Checked, render_checked

router = APIRouter(include_in_schema=False)


@router.get("/ui/{customer}/honest", response_class=HTMLResponse)
def honest(
    customer: str, page: Viewer, month: str | None = None, as_of: str | None = None
) -> HTMLResponse:
    found = page.customer(customer)
    checked = Checked()
    chosen = checked.month(month)
    as_of_us = checked.as_of(as_of)
    view = honest_view(page.scope, found.id, as_of_us, chosen)
    return render_checked(
        page,
        "honest.html",
        found,
        "honest",
        checked,
        view=view,
        charts=charts(view, found.key, page.t),
        as_of_us=as_of_us,
        as_of_given=as_of,
    )


def charts(view: HonestView, key: str, t: Translator) -> list[tuple[str, Markup]]:
    """Per metric: reported and honest compliance over the twelve months with figures up to
    the chosen one, the objective as the target; each month's points link to its page."""
    end = view.months.index(view.month) + 1 if view.month in view.months else len(view.months)
    shown = slice(max(end - 12, 0), end)
    labels = view.months[shown]
    links: list[str | None] = [f"/ui/{key}/honest?month={m}" for m in labels]
    out = []
    for metric in view.metrics:
        reported, honest_pct = view.series(metric)
        series = [
            Series(t("hn_reported"), reported[shown], "reported"),
            Series(t("hn_honest"), honest_pct[shown], "honest"),
        ]
        chart = line_chart(
            labels,
            series,
            target=view.objective(metric),
            unit="%",
            links=links,
            title=t("hn_chart_title", metric=metric),
            width=640,
            height=240,
            decimal=t.decimal,
        )
        out.append((metric, chart))
    return out
