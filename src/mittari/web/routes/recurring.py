"""Recurring-fault candidates: incidents clustered per service by subject and ranked
(docs/availability.md), each with its incidents per month and the tickets behind it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from mittari.reports.charts import Series, bar_chart
from mittari.services.recurring_view import Candidate, recurring_view
from mittari.web.deps import Viewer
from mittari.web.routes.more_params import Checked, now_us, render_checked

router = APIRouter(include_in_schema=False)
TOP = 10
SHOWN_TICKETS = 20  # per candidate; `?candidate=<rank>` shows all of one


@router.get("/ui/{customer}/recurring", response_class=HTMLResponse)
def recurring(
    customer: str, page: Viewer, month: str | None = None, candidate: str | None = None
) -> HTMLResponse:
    found = page.customer(customer)
    checked = Checked()
    view = recurring_view(page.scope, found.id, checked.month(month), now_us(), top=TOP)
    expanded = checked.number(candidate, "candidate")
    return render_checked(
        page,
        "recurring.html",
        found,
        "recurring",
        checked,
        view=view,
        expanded=expanded,
        shown=SHOWN_TICKETS,
        bars={c.rank: bars(c, view.window, page.t("rc_per_month")) for c in view.candidates},
    )


def bars(candidate: Candidate, window: list[str], title: str) -> Markup:
    """The candidate's incidents per month as small bars. The chart's title names it for
    screen readers; the page's stylesheet hides the drawn title in the narrow table cell."""
    labels = [m[2:] for m in window]  # "25-03": short enough under a narrow bar
    values: list[float | None] = [float(n) for n in candidate.per_month]
    return bar_chart(
        labels,
        [Series("", values, "incidents")],
        title=f"{title}: {candidate.subject}",
        width=320,
        height=120,
    )
