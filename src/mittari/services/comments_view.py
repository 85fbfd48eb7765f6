"""Survey comments of one customer, as the dashboard's page shows them, with its filters.

Each answer with a comment comes with its rating, the comment's sentiment
(`services.sentiment.classify`, the language detected where the survey did not say), its
factors and lost time, and the ticket and service it is about: the answer's ticket (linked
when stored, else matched by the reference it carries, as `services.feedback.linked_tickets`
does) and that ticket's service, else the service the answer names. Months are local months
in the zone of the customer's latest contract version, as for the experience figures.

A rating band is one of the 0–10 scale's three: 0–6, 7–8, 9–10 (HappySignals' detractors,
passives and promoters); answers on another scale have none.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow.compute as pc
from sqlalchemy import Engine

from mittari.db.feedback import UNANSWERED, load_answers
from mittari.db.scope import Scoped
from mittari.engine.compliance import month_periods
from mittari.engine.types import NULL_TS
from mittari.services.experience import customer_parts, figures_table
from mittari.services.feedback import linked_tickets
from mittari.services.sentiment import classify
from mittari.services.stored_inputs import stored_terms
from mittari.services.xla import pooled

BANDS = ("0-6", "7-8", "9-10")
SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class SurveyComment:
    at_us: int | None
    month: str | None
    survey: str
    score: str
    scale: str
    band: str | None
    text: str
    sentiment: str | None  # negative, neutral, positive; None: not analysed
    language: str | None
    factors: list[str]
    lost_time: str | None
    service: str | None
    ticket: str | None  # the ticket's name (its source id) when it is in the store
    ticket_ref: str | None  # the reference the answer gave


@dataclass(frozen=True)
class CommentFilter:
    month: str | None = None
    service: str | None = None
    sentiment: str | None = None
    band: str | None = None

    def keeps(self, c: SurveyComment, *, band: bool = True, sentiment: bool = True) -> bool:
        """`band`/`sentiment` False: that part of the filter is not applied (for counts)."""
        return (
            (self.month is None or c.month == self.month)
            and (self.service is None or c.service == self.service)
            and (not sentiment or self.sentiment is None or c.sentiment == self.sentiment)
            and (not band or self.band is None or c.band == self.band)
        )


@dataclass(frozen=True)
class CommentsView:
    timezone: str
    months: list[str]  # months with comments, oldest first
    services: list[str]
    shown: list[SurveyComment]  # the filter's comments, newest first
    bands: dict[str, int]  # per band: comments under the filter's other parts
    sentiments: dict[str, int]  # per sentiment: comments under the filter's other parts


def band_of(score: str, scale: str) -> str | None:
    """The 0–10 band of a score; None on another scale or for text that is no score."""
    if scale != "0-10" or not score.strip().isdigit():
        return None
    value = int(score)
    if value > 10:
        return None
    return BANDS[0] if value <= 6 else BANDS[1] if value <= 8 else BANDS[2]


def customer_comments(scope: Scoped, owner: int, as_of_us: int) -> tuple[str, list[SurveyComment]]:
    """The months' zone, and every answered survey of the customer with a comment,
    answered by as-of (answers without a time are kept, without a month), newest first."""
    terms, _ = stored_terms(scope, owner)
    zone = terms[-1].contract.timezone if terms else "UTC"
    answers = load_answers(scope.conn, owner)
    tickets = scope.ticket_table(owner)
    linked = linked_tickets(answers, tickets).to_pylist()
    ids = tickets.column("id").to_pylist()
    name_of = dict(zip(ids, tickets.column("external_id").to_pylist(), strict=True))
    service_of = dict(zip(ids, tickets.column("service").to_pylist(), strict=True))
    rows = [
        (r, t)
        for r, t in zip(answers.to_pylist(), linked, strict=True)
        if (r["comment"] or "").strip()
        and r["score"] not in UNANSWERED
        and (r["ts_us"] is None or r["ts_us"] <= as_of_us)
    ]
    at = np.array([NULL_TS if r["ts_us"] is None else r["ts_us"] for r, _ in rows], np.int64)
    codes, labels = month_periods(at, zone)
    out = [
        _comment(row, ticket, labels[code] if code >= 0 else None, name_of, service_of)
        for (row, ticket), code in zip(rows, codes.tolist(), strict=True)
    ]
    return zone, sorted(out, key=lambda c: (-(c.at_us or 0), c.text))


def _comment(
    row: dict[str, object],
    ticket: int | None,
    month: str | None,
    name_of: dict[int, str],
    service_of: dict[int, str | None],
) -> SurveyComment:
    text = str(row["comment"]).strip()
    verdict = classify(text, _text(row["language"]))
    score, scale = str(row["score"] or ""), str(row["scale"] or "")
    factors = [f for f in str(row["factors"] or "").split(",") if f]
    return SurveyComment(
        at_us=None if row["ts_us"] is None else int(str(row["ts_us"])),
        month=month,
        survey=str(row["survey"] or "ticket"),
        score=score,
        scale=scale,
        band=band_of(score, scale),
        text=text,
        sentiment=verdict.label if verdict else None,
        language=verdict.language if verdict else _text(row["language"]),
        factors=factors,
        lost_time=_text(row["lost_time"]),
        service=(service_of.get(ticket) if ticket is not None else None) or _text(row["service"]),
        ticket=name_of.get(ticket) if ticket is not None else None,
        ticket_ref=_text(row["ticket_ref"]),
    )


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def comments_view(
    zone: str, comments: Sequence[SurveyComment], chosen: CommentFilter
) -> CommentsView:
    """The comments `chosen` keeps, and the counts per band and per sentiment that link to
    the same view narrowed further."""
    months = sorted({c.month for c in comments if c.month})
    services = sorted({c.service for c in comments if c.service})
    shown = [c for c in comments if chosen.keeps(c)]
    bands = Counter(c.band for c in comments if c.band and chosen.keeps(c, band=False))
    moods = Counter(
        c.sentiment for c in comments if c.sentiment and chosen.keeps(c, sentiment=False)
    )
    return CommentsView(
        zone,
        months,
        services,
        shown,
        {b: bands.get(b, 0) for b in BANDS},
        {s: moods.get(s, 0) for s in SENTIMENTS},
    )


SHOWN_FIGURES = (
    "happiness",
    "happiness_mean",
    "csat_pct",
    "nps",
    "response_rate_pct",
    "lost_time_mean_min",
    "lost_time_total_h",
    "sentiment_net",
)


def month_experience(
    engine: Engine, customer: str, month: str, as_of_us: int
) -> dict[str, float | int | None]:
    """The customer's experience figures of `month`, every service together (what the API's
    `/experience?month=` gives), with its count of answers; None where nothing counts."""
    parts = pooled(customer_parts(engine, customer, as_of_us=as_of_us), by_service=False)
    table = figures_table(parts.filter(pc.equal(parts.column("month"), month)))
    if table.num_rows == 0:
        return {name: None for name in ("answers", *SHOWN_FIGURES)}
    row = table.to_pylist()[0]
    found: dict[str, float | int | None] = {"answers": int(row.get("answers") or 0)}
    for name in SHOWN_FIGURES:
        value = row.get(name)
        found[name] = None if value is None or math.isnan(value) else float(value)
    return found
