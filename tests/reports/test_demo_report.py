"""Smoke: the review of a demo customer's last full month renders, in both languages, with
its highlights and charts (the golden checks are on the hand-made store)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium

from mittari.db.connect import make_engine
from mittari.db.scope import Principal, Role, Scoped
from mittari.reports.review import render_review
from mittari.services.demo import run_demo
from mittari.services.demo_data import DEMO_CUSTOMERS
from mittari.services.review import service_review, shift_month


def test_a_demo_customer_review(tmp_path: Path) -> None:
    run_demo(7, tmp_path)
    month = shift_month(datetime.now(UTC).strftime("%Y-%m"), -1)
    customer = DEMO_CUSTOMERS[0].slug
    engine = make_engine(f"sqlite:///{tmp_path / 'mittari.db'}")
    try:
        with engine.connect() as conn:
            scope = Scoped(conn, Principal(0, Role.PROVIDER_ADMIN, None))
            review = service_review(scope, customer, month)
            pdf = render_review(scope, customer, month, fmt="pdf")
            html = render_review(scope, customer, month, fmt="html", lang="fi", base_url="")
    finally:
        engine.dispose()
    assert review.tickets_measured > 100
    assert 3 <= len(review.highlights) <= 6
    assert review.sla and review.sla_trend and review.xla
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) >= 2
        text = document[0].get_textpage().get_text_range()
        document[0].render(scale=1).to_pil().save(tmp_path / "demo-review-1.png")
    finally:
        document.close()
    assert review.name.split()[0] in text and "Highlights" in text
    page = html.decode("utf-8")
    assert f'href="/ui/{customer}/tickets/' in page and "<svg" in page and "Nostot" in page
