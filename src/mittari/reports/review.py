"""The monthly service review as HTML or PDF: one self-contained page, A4 print CSS.

`render_review` assembles the data (`services.review.service_review`) and renders
`templates/review.html` with Jinja2 (autoescaped), the stylesheet inlined and every chart
an inline SVG (`reports.charts`), so the HTML file can be mailed as it is and WeasyPrint
turns the same HTML into the PDF: no external asset, no script, no download.

With `base_url` (the dashboard's address; "" for links relative to the same site), every
ticket number links to the dashboard's timeline of that ticket,
`{base_url}/ui/{customer}/tickets/{ticket}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from mittari.db.scope import Scoped
from mittari.reports import charts, wording
from mittari.reports.wording import Lang
from mittari.services.review import CAUSES, ServiceReview, SurveyComment, service_review
from mittari.services.vocabulary import capital
from mittari.services.watermelon import Drivers

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")
HALF_WIDTH = 330  # px: one of two charts side by side on A4 with 15 mm margins
FULL_WIDTH = 680
SHOWN_TICKETS = 8  # ticket numbers shown beside one highlight or fault
SHOWN_ROWS = 30  # breaches and comments listed; the dashboard lists them all


def render_review(
    scope: Scoped,
    customer: str,
    month: str,
    *,
    fmt: Format,
    lang: Lang = "en",
    base_url: str | None = None,
    as_of_us: int | None = None,
) -> bytes:
    """The review of `customer`'s `month` as UTF-8 HTML or as PDF bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if lang not in wording.LANGS:
        raise ValueError(f"language must be one of {', '.join(wording.LANGS)}, got {lang!r}")
    review = service_review(scope, customer, month, as_of_us=as_of_us)
    html = review_html(review, lang=lang, base_url=base_url)
    return html.encode("utf-8") if fmt == "html" else html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's PDF of a self-contained page (imported here: it loads slowly)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # without a target, write_pdf returns the bytes
    return bytes(pdf)


def review_html(review: ServiceReview, *, lang: Lang = "en", base_url: str | None = None) -> str:
    """The page of an assembled review."""
    view = _View(review, lang, base_url)
    return _template().render(r=review, v=view, css=Markup(_css()), lang=lang)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mittari.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template() -> jinja2.Template:
    return _environment().get_template("review.html")


@cache
def _css() -> str:
    loader = _environment().loader
    assert loader is not None
    source, _, _ = loader.get_source(_environment(), "review.css")
    return source


@dataclass(frozen=True)
class _View:
    """What the template calls: words, numbers, links and charts in the review's language."""

    review: ServiceReview
    lang: Lang
    base_url: str | None

    # words and numbers ------------------------------------------------------------------

    def t(self, key: str) -> str:
        return wording.label(key, self.lang)

    def metric(self, name: str) -> str:
        return wording.metric_name(name, self.lang)

    def figure(self, name: str) -> str:
        return wording.figure_name(name, self.lang)

    def figure_value(self, figure: str, value: float | None) -> str:
        return wording.figure_value(figure, value, self.lang)

    def cause(self, name: str) -> str:
        return wording.cause_name(name, self.lang)

    def flag(self, name: str) -> str:
        return capital(wording.flag_name(name, self.lang))

    def drivers(self, drivers: Drivers | None) -> str:
        """The objectives a cell missed, in words: "Happiness −3.7 (objective ≥ 40)"."""
        if drivers is None:
            return ""
        return "; ".join(
            wording.missed_text(m.figure, m.value, m.direction, m.objective, self.lang)
            for m in drivers.missed_figures
        )

    def causes(self, names: Sequence[str]) -> str:
        return ", ".join(self.cause(n) for n in names)

    def pct(self, value: float | None, beside: float | None = None, digits: int = 1) -> str:
        return wording.pct(value, self.lang, beside=beside, digits=digits)

    def objective(self, value: float | None) -> str:
        return "–" if value is None else f"{wording.trimmed(value, self.lang)} %"

    def bound(self, figure: str, value: float | None) -> str:
        return wording.bound(figure, value, self.lang)

    def trimmed(self, value: float | None) -> str:
        return wording.trimmed(value, self.lang)

    def number(self, value: float | None, digits: int = 0) -> str:
        return wording.number(value, digits, self.lang)

    def hours(self, seconds: float) -> str:
        return wording.number(seconds / 3600, 1, self.lang)

    def month_name(self, month: str) -> str:
        return wording.month_name(month, self.lang)

    def instant(self, us: int) -> str:
        return wording.instant(us, self.review.timezone, self.lang)

    def day(self, us: int) -> str:
        return wording.day(us, self.review.timezone, self.lang)

    def status(self, ok: bool | None) -> Markup:
        key = "unknown" if ok is None else ("met" if ok else "missed")
        css = "unknown" if ok is None else ("ok" if ok else "bad")
        return Markup('<span class="status {}">{}</span>').format(css, self.t(key))

    def highlight(self, index: int) -> Markup:
        h = self.review.highlights[index]
        text = escape(wording.highlight_text(h, self.lang))
        if not h.tickets:
            return Markup(text)
        return Markup("{} <span class='tickets'>({})</span>").format(text, self.tickets(h.tickets))

    # long lists -------------------------------------------------------------------------

    rows: int = SHOWN_ROWS

    def more(self, count: int) -> str:
        return wording.more(count, self.lang)

    def comments(self) -> list[SurveyComment]:
        """At most `rows` comments: the complaints first (a review is there to act on
        them), then praise, then the rest; each group oldest first."""
        order = {"negative": 0, "positive": 1}
        ranked = sorted(self.review.comments, key=lambda c: order.get(c.sentiment or "", 2))
        return ranked[: self.rows]

    # links ------------------------------------------------------------------------------

    def ticket(self, ticket: str | None) -> Markup:
        if not ticket:
            return Markup("–")
        if self.base_url is None:
            return Markup('<span class="ticket">{}</span>').format(ticket)
        return Markup('<a class="ticket" href="{}">{}</a>').format(self.ticket_url(ticket), ticket)

    def ticket_url(self, ticket: str) -> str:
        base = (self.base_url or "").rstrip("/")
        return f"{base}/ui/{quote(self.review.customer, safe='')}/tickets/{quote(ticket, safe='')}"

    def tickets(self, tickets: Sequence[str], limit: int = SHOWN_TICKETS) -> Markup:
        """Ticket links, the first `limit` of them and how many more (the dashboard lists
        them all)."""
        shown = Markup(", ").join(self.ticket(t) for t in tickets[:limit])
        if len(tickets) <= limit:
            return shown
        more = wording.more(len(tickets) - limit, self.lang)
        return Markup("{} {}").format(shown, more)

    # charts -----------------------------------------------------------------------------

    @property
    def decimal(self) -> str:
        return "," if self.lang == "fi" else "."

    def month_labels(self) -> list[str]:
        return [f"{m[5:7]}/{m[2:4]}" for m in self.review.months]

    def sla_chart(self, index: int) -> Markup:
        trend = self.review.sla_trend[index]
        name = self.metric(trend.metric)
        return charts.line_chart(
            self.month_labels(),
            [charts.Series(name, trend.values, "sla")],
            target=trend.objective_pct,
            unit="%",
            title=f"{name[:1].upper()}{name[1:]}: {self.t('compliance').lower()}",
            width=HALF_WIDTH,
            height=170,
            decimal=self.decimal,
        )

    def xla_chart(self, index: int) -> Markup:
        trend = self.review.xla_trend[index]
        name = self.figure(trend.figure)
        return charts.line_chart(
            self.month_labels(),
            [charts.Series(name, trend.values, "xla")],
            target=trend.objective,
            title=f"{name[:1].upper()}{name[1:]}",
            width=HALF_WIDTH,
            height=170,
            decimal=self.decimal,
        )

    def causes_chart(self) -> Markup:
        """The month's breaches per cause (a breach counts under each of its causes),
        stacked by priority."""
        breaches = self.review.breaches
        causes = [c for c in CAUSES if any(c in b.causes for b in breaches)]
        priorities = sorted({b.priority for b in breaches})
        series = [
            charts.Series(
                p,
                [sum(1 for b in breaches if b.priority == p and c in b.causes) for c in causes],
                f"priority-{p.lower()}",
            )
            for p in priorities
        ]
        return charts.bar_chart(
            [self.cause(c) for c in causes],
            series,
            stacked=True,
            title=f"{self.t('breaches')}: {self.t('cause').lower()}",
            width=FULL_WIDTH,
            height=180,
            decimal=self.decimal,
        )

    def availability_chart(self) -> Markup:
        rows = self.review.availability
        series = [charts.Series(a.service, a.trend, "availability") for a in rows]
        objectives = {a.objective_pct for a in rows}
        return charts.line_chart(
            self.month_labels(),
            series,
            target=objectives.pop() if len(objectives) == 1 else None,
            y_max=100.0,  # uptime never exceeds it; an axis that did would mislead
            unit="%",
            title=f"{self.t('uptime')}, {self.t('trend').lower()}",
            width=FULL_WIDTH,
            height=180,
            decimal=self.decimal,
        )
