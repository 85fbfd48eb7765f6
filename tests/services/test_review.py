"""The monthly review's data and its highlights.

Golden checks run on the hand-made store of `tests/reports/store.py` (its docstring works
every figure out by hand), on SQLite and PostgreSQL; the highlight rules and the breach
causes are also checked on hand-made reviews and logs, one rule at a time.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine
from tests.db import conftest as databases
from tests.reports.store import CUSTOMER, MONTH, build_acme

from mittari.db.scope import Principal, Role, Scoped
from mittari.engine.types import NO_VALUE, EventLog, Kind, Status
from mittari.errors import InputError
from mittari.services.review import (
    Breach,
    Credit,
    Highlight,
    RecurringFault,
    ServiceAvailability,
    ServiceReview,
    SlaRow,
    SurveyComment,
    XlaRow,
    breach_causes,
    service_review,
    shift_month,
)
from mittari.services.review_highlights import derive_highlights

ADMIN = Principal(0, Role.PROVIDER_ADMIN, None)
migrated, db = databases.migrated, databases.db  # every store test on SQLite and PostgreSQL


def _review(db: Engine, tmp_path: Path, principal: Principal = ADMIN) -> ServiceReview:
    build_acme(db, tmp_path)
    with db.connect() as conn:
        return service_review(Scoped(conn, principal), CUSTOMER, MONTH)


def test_sla_of_the_month_reported_and_honest(db: Engine, tmp_path: Path) -> None:
    review = _review(db, tmp_path)
    assert review.name == "Acme Oy – managed workplace"
    assert review.as_of_us == 1_793_484_000_000_000  # 2026-11-01 00:00 Helsinki: month closed
    rows = {(r.metric, r.priority): r for r in review.sla}
    resolution = rows[("resolution", None)]
    assert (resolution.count, resolution.met, resolution.breached) == (17, 13, 4)
    assert resolution.compliance_pct == pytest.approx(100 * 13 / 17, abs=1e-4)
    assert (resolution.objective_pct, resolution.objective_met) == (75.0, True)
    assert resolution.honest_pct == pytest.approx(100 * 12 / 17, abs=1e-4)
    assert resolution.honest_met is False
    assert rows[("first_response", None)].compliance_pct == 100.0
    assert (rows[("resolution", "P2")].met, rows[("resolution", "P2")].count) == (6, 9)
    assert review.sla_all_met is True
    assert review.tickets_measured == 17
    assert [f.flag for f in review.flags] == ["late_downgrade"]
    assert review.flags[0].tickets == ("A-17",)


def test_trend_of_twelve_months(db: Engine, tmp_path: Path) -> None:
    review = _review(db, tmp_path)
    assert review.months[0] == "2025-11" and review.months[-1] == MONTH and len(review.months) == 12
    resolution = next(t for t in review.sla_trend if t.metric == "resolution")
    assert resolution.objective_pct == 75.0
    assert resolution.values[:9] == (None,) * 9  # no ticket before August
    assert resolution.values[9:11] == (100.0, 100.0)  # G-1 in August, S-1..S-4 in September
    assert resolution.values[11] == pytest.approx(76.4706)


def test_breaches_with_their_causes(db: Engine, tmp_path: Path) -> None:
    review = _review(db, tmp_path)
    found = [(b.ticket, b.priority, b.service, b.causes) for b in review.breaches]
    assert found == [
        ("A-13", "P2", "vpn", ("vendor_wait",)),
        ("A-14", "P2", "vpn", ("vendor_wait",)),
        ("A-15", "P2", "vpn", ("vendor_wait",)),
        ("A-16", "P3", "erp", ("slow",)),
    ]
    assert [b.elapsed_s / 3600 for b in review.breaches] == [12.0, 12.0, 12.0, 31.0]


def test_experience_beside_sla(db: Engine, tmp_path: Path) -> None:
    review = _review(db, tmp_path)
    (happiness,) = review.xla
    assert (happiness.figure, happiness.value, happiness.previous) == ("happiness", -25.0, 40.0)
    assert (happiness.status, happiness.basis, happiness.objective) == ("missed", 4, 20.0)
    trend = review.xla_trend[0]
    assert trend.values[-2:] == (40.0, -25.0)
    cells = {c.service: c for c in review.watermelon}
    assert cells["vpn"].sla_ok is False  # its three breaches put vpn's resolution at 0 %
    assert cells["email"].sla_ok is True


def test_availability_credits_recurring_comments(db: Engine, tmp_path: Path) -> None:
    review = _review(db, tmp_path)
    erp, vpn = review.availability
    assert erp.service == "erp" and erp.uptime_pct == pytest.approx(100 * (1 - 240 / 44_700))
    assert (erp.objective_met, erp.outages, erp.downtime_min, erp.complete) == (
        False,
        1,
        240.0,
        True,
    )
    assert vpn.uptime_pct == pytest.approx(100 * (1 - 30 / 44_700)) and vpn.objective_met
    assert erp.trend[2:11] == (100.0,) * 9 and erp.trend[:2] == (None, None)  # from January
    total = review.credit_total
    assert total is not None and (total.pct, total.amount) == (Decimal("5"), Decimal("500.00"))
    assert (review.credits[0].step, review.credits[0].item) == ("availability", "erp")
    (fault,) = review.recurring
    assert (fault.service, fault.in_quarter) == ("vpn", 5)
    assert fault.tickets == ("G-1", "S-3", "A-13", "A-14", "A-15")
    texts = [c.text for c in review.comments]
    assert len(texts) == 3 and texts[0].startswith("Nopea")  # the answer without a comment: none
    assert [c.sentiment for c in review.comments] == ["positive", "neutral", "negative"]
    assert [c.ticket for c in review.comments] == ["A-1", "A-13", "A-14"]


def test_golden_highlights(db: Engine, tmp_path: Path) -> None:
    review = _review(db, tmp_path)
    kinds = [h.kind for h in review.highlights]
    assert kinds == [
        "sla_met",
        "breach_pattern",
        "experience_worse_sla_met",
        "honest_gap",
        "credits",
        "recurring",
    ]
    by = {h.kind: h for h in review.highlights}
    assert dict(by["breach_pattern"].numbers) == {
        "count": 3,
        "total": 4,
        "metric": "resolution",
        "priority": "P2",
        "cause": "vendor_wait",
    }
    assert by["breach_pattern"].tickets == ("A-13", "A-14", "A-15")
    moved = by["experience_worse_sla_met"].numbers
    assert (moved["figure"], moved["before"], moved["after"]) == ("happiness", 40.0, -25.0)
    gap = by["honest_gap"].numbers
    assert gap["flagged"] == 1 and gap["honest_met"] == 0
    assert by["honest_gap"].tickets == ("A-17",)
    credits = by["credits"].numbers
    assert (credits["pct"], credits["amount"], credits["item"]) == (5.0, 500.0, "erp")
    assert credits["uptime"] == pytest.approx(99.46309, abs=1e-5)
    assert dict(by["recurring"].numbers) == {
        "service": "vpn",
        "count": 5,
        "subject": "VPN-yhteys katkeaa",
    }


def test_a_viewer_of_another_customer_sees_no_review(db: Engine, tmp_path: Path) -> None:
    build_acme(db, tmp_path)
    with db.begin() as conn:
        from mittari.db import repository as repo

        ids = repo.customer_ids(conn, ["acme", "other"], create=True)
    with db.connect() as conn:
        outsider = Scoped(conn, Principal(2, Role.CUSTOMER_VIEWER, ids["other"]))
        with pytest.raises(InputError, match="unknown customer"):
            service_review(outsider, CUSTOMER, MONTH)
        viewer = Scoped(conn, Principal(3, Role.CUSTOMER_VIEWER, ids["acme"]))
        assert service_review(viewer, CUSTOMER, MONTH).tickets_measured == 17


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "October", "2026-10-01"])
def test_a_bad_month_is_named(db: Engine, month: str) -> None:
    with db.connect() as conn, pytest.raises(InputError, match="write YYYY-MM") as caught:
        service_review(Scoped(conn, ADMIN), CUSTOMER, month)
    assert month in str(caught.value)


def test_a_customer_without_a_contract_is_told_so(db: Engine) -> None:
    from mittari.db import repository as repo

    with db.begin() as conn:
        repo.customer_ids(conn, ["bare"], create=True)
    with db.connect() as conn, pytest.raises(InputError, match="no contract stored"):
        service_review(Scoped(conn, ADMIN), "bare", MONTH)


def test_shift_month() -> None:
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2026-10", -11) == "2025-11"
    assert shift_month("2026-12", 1) == "2027-01"


# --- breach causes on a hand-made log ------------------------------------------------------

H = 3_600_000_000  # an hour in µs


def _log(events: list[tuple[int, Kind, int]]) -> EventLog:
    """One ticket's events as (hour, kind, value)."""
    n = len(events)
    return EventLog(
        np.zeros(n, np.int64),
        np.array([h * H for h, _, _ in events], np.int64),
        np.array([k for _, k, _ in events], np.int8),
        np.array([v for _, _, v in events], np.int64),
        np.full(n, NO_VALUE, np.int8),
        ("T1",),
        ("Network", "Desk"),
    )


def test_breach_causes_read_the_events_inside_the_clock() -> None:
    log = _log(
        [
            (0, Kind.CREATED, NO_VALUE),
            (0, Kind.PRIORITY, 2),  # at the start: not a change
            (1, Kind.ASSIGN, 0),
            (2, Kind.STATUS, Status.PENDING_CUSTOMER),
            (3, Kind.STATUS, Status.OPEN),
            (4, Kind.ASSIGN, 1),
            (5, Kind.STATUS, Status.RESOLVED),
            (6, Kind.STATUS, Status.OPEN),
            (7, Kind.PRIORITY, 1),
            (9, Kind.STATUS, Status.RESOLVED),
            (10, Kind.STATUS, Status.PENDING_VENDOR),  # after the stop: not counted
        ]
    )
    found = breach_causes(log, 0, 0, 9 * H)
    assert found == ("customer_wait", "reopened", "reassigned", "priority_changed")
    assert breach_causes(log, 0, 0, 2 * H) == ("slow",)  # one assign is no hand-over
    assert breach_causes(log, 0, 8 * H, 11 * H) == ("vendor_wait", "reopened")


# --- highlight rules on hand-made reviews --------------------------------------------------


def _made(**parts: object) -> ServiceReview:
    base: dict[str, object] = {
        "customer": "acme",
        "name": "Acme",
        "month": MONTH,
        "timezone": "UTC",
        "as_of_us": 0,
        "months": (MONTH,),
        "sla": (),
        "sla_trend": (),
        "breaches": (),
        "tickets_measured": 0,
        "flags": (),
        "xla": (),
        "xla_trend": (),
        "watermelon": (),
        "availability": (),
        "credits": (),
        "recurring": (),
        "comments": (),
    }
    return ServiceReview(**(base | parts))  # type: ignore[arg-type]


def _metric(name: str, pct: float, objective: float, met: bool) -> SlaRow:
    return SlaRow(name, None, 10, int(pct / 10), 10 - int(pct / 10), pct, objective, met)


def _breach(ticket: str, priority: str, *causes: str, metric: str = "resolution") -> Breach:
    return Breach(ticket, metric, priority, "svc", None, 3600.0, 7200.0, 0, causes)


def test_nothing_measured_says_so() -> None:
    assert derive_highlights(_made()) == [Highlight("no_measurements", {"month": MONTH})]


def test_the_worst_missed_metric_is_named_with_its_breaches() -> None:
    review = _made(
        sla=(_metric("first_response", 80, 95, False), _metric("resolution", 70, 90, False)),
        breaches=(_breach("T9", "P2", "slow"), _breach("T8", "P3", "slow", metric="other")),
    )
    (first, *_) = derive_highlights(review)
    assert first.kind == "sla_missed"
    assert (first.numbers["metric"], first.numbers["missed"], first.numbers["judged"]) == (
        "resolution",
        2,
        2,
    )
    assert first.tickets == ("T9",)


def test_a_breach_pattern_without_one_priority() -> None:
    breaches = (
        _breach("T1", "P1", "customer_wait"),
        _breach("T2", "P2", "customer_wait", "reassigned"),
        _breach("T3", "P3", "customer_wait"),
        _breach("T4", "P3", "slow"),
    )
    found = {h.kind: h for h in derive_highlights(_made(breaches=breaches))}
    pattern = found["breach_pattern"]
    assert dict(pattern.numbers) == {
        "count": 3,
        "total": 4,
        "metric": "resolution",
        "priority": None,  # P3 has only one of the three waits
        "cause": "customer_wait",
    }


def test_no_pattern_when_causes_scatter() -> None:
    breaches = (
        _breach("T1", "P1", "customer_wait"),
        _breach("T2", "P2", "reopened"),
        _breach("T3", "P3", "reassigned"),
        _breach("T4", "P3", "slow"),
    )
    assert "breach_pattern" not in [h.kind for h in derive_highlights(_made(breaches=breaches))]


def _xla(value: float | None, previous: float | None, status: str = "met") -> XlaRow:
    return XlaRow("happiness", "min", 20.0, value, 9, status, previous, None)


def test_experience_rules() -> None:
    met = (_metric("resolution", 95, 90, True),)
    worse = derive_highlights(_made(sla=met, xla=(_xla(12, 42, "missed"),)))
    assert worse[1].kind == "experience_worse_sla_met"
    missed_sla = (_metric("resolution", 80, 90, False),)
    assert derive_highlights(_made(sla=missed_sla, xla=(_xla(12, 42),)))[1].kind == (
        "experience_worse"
    )
    small = derive_highlights(_made(sla=met, xla=(_xla(15, 22, "missed"),)))  # 7 points: quiet
    assert small[1].kind == "xla_missed"
    better = derive_highlights(_made(sla=met, xla=(_xla(50, 30),)))
    assert better[1].kind == "experience_better"
    lost = XlaRow("lost_time_mean_min", "max", 60.0, 90.0, 9, "missed", 60.0, None)
    rose = derive_highlights(_made(sla=met, xla=(lost,)))  # +50 %: worse for a max figure
    assert rose[1].kind == "experience_worse_sla_met" and rose[1].numbers["after"] == 90.0


def _uptime(service: str, pct: float, objective: float) -> ServiceAvailability:
    return ServiceAvailability(service, pct, objective, pct >= objective, 99.0, 2, True, ())


def test_availability_without_credits_and_all_met() -> None:
    met = (_metric("resolution", 95, 90, True),)
    missed = derive_highlights(_made(sla=met, availability=(_uptime("ERP", 99.1, 99.5),)))
    assert missed[1].kind == "availability_missed"
    assert (missed[1].numbers["service"], missed[1].numbers["uptime"]) == ("ERP", 99.1)
    fine = (_uptime("ERP", 99.9, 99.5), _uptime("VPN", 99.7, 99.5))
    found = derive_highlights(_made(sla=met, availability=fine))
    assert found[1].kind == "availability_met"
    assert (found[1].numbers["services"], found[1].numbers["service"]) == (2, "VPN")


def test_metric_credits_name_the_metric() -> None:
    credits = (
        Credit("metric", "resolution", "3 points", 3, Decimal("3"), Decimal("300"), "EUR"),
        Credit("total", "", "", None, Decimal("3"), Decimal("300"), "EUR"),
    )
    sla = (_metric("resolution", 80, 90, False),)
    found = {h.kind: h for h in derive_highlights(_made(sla=sla, credits=credits))}
    assert dict(found["credits"].numbers) == {
        "pct": 3.0,
        "amount": 300.0,
        "currency": "EUR",
        "step": "metric",
        "item": "resolution",
        "uptime": 80,
        "objective": 90,
    }


def test_comments_count_their_tone_and_name_the_complaints() -> None:
    said = tuple(
        SurveyComment(f"T{i}", None, i, "3", "0-10", "x", "en", tone)
        for i, tone in enumerate(["negative", "negative", "positive", None])
    )
    met = (_metric("resolution", 95, 90, True),)
    found = {h.kind: h for h in derive_highlights(_made(sla=met, comments=said))}
    assert dict(found["comments"].numbers) == {"total": 3, "negative": 2, "positive": 1}
    assert found["comments"].tickets == ("T0", "T1")


def test_at_most_six() -> None:
    review = _made(
        sla=(_metric("resolution", 80, 90, False),),
        breaches=(_breach("T1", "P2", "vendor_wait"), _breach("T2", "P2", "vendor_wait")),
        xla=(_xla(12, 42, "missed"),),
        availability=(_uptime("ERP", 99.1, 99.5), _uptime("VPN", 99.0, 99.5)),
        recurring=(RecurringFault("VPN", "VPN down", 4, 3, 10.0, ("T1", "T2", "T3")),),
        comments=tuple(
            SurveyComment(None, None, i, None, None, "x", "en", "negative") for i in range(3)
        ),
    )
    kinds = [h.kind for h in derive_highlights(review)]
    assert kinds == [  # seven found, the comments are the seventh
        "sla_missed",
        "breach_pattern",
        "experience_worse",
        "availability_missed",
        "availability_missed",
        "recurring",
    ]
