"""The monthly review downloaded from the overview is a PDF whose first page names the
customer and the month and shows the overview's SLA figures (rendered to PNG, not blank);
and the overview on a phone does not scroll sideways."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from playwright.sync_api import ViewportSize
from tests.browser.conftest import NAMES, SHOTS, Demo, Visit


def words(text: str) -> str:
    """Text with every run of white space (line breaks, no-break spaces) as one space."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def inked(path: Path) -> float:
    """The share of a PNG's pixels that are not (nearly) white."""
    with Image.open(path) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return sum(histogram[:230]) / (grey.width * grey.height)


def test_the_review_pdf_from_the_overview(
    visit: Callable[..., Visit], demo: Demo, tmp_path: Path
) -> None:
    key = demo.story("watermelon").customer
    month = demo.full_month
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/?month={month}")
    page = v.page
    assert page.locator("select#month").input_value() == month
    figures = {
        tile.get_attribute("data-metric"): words(tile.locator(".value").inner_text())
        for tile in page.locator("article.tile[data-metric]").all()
    }
    assert figures
    link = page.get_by_role("link", name="Monthly report (PDF)")
    assert link.get_attribute("href") == f"/ui/{key}/report?month={month}&format=pdf"
    v.watch.download(demo.url(link.get_attribute("href") or ""))
    with page.expect_download(timeout=60_000) as started:
        link.click()
    download = started.value
    assert download.suggested_filename == f"mittari-{key}-{month}.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) >= 2
        first = words(document[0].get_textpage().get_text_range())
        shots = []
        for index in range(len(document)):
            path = SHOTS / f"report-page-{index + 1}.png"
            SHOTS.mkdir(parents=True, exist_ok=True)
            document[index].render(scale=1.5).to_pil().save(path)
            shots.append(path)
    finally:
        document.close()
    year, number = (int(p) for p in month.split("-"))
    assert NAMES[key] in first, first[:300]
    assert f"{calendar.month_name[number]} {year}" in first, first[:300]
    for metric, shown in figures.items():  # the dashboard's SLA figures, in the report
        assert shown in first, (metric, shown, first[:800])
    assert inked(shots[0]) > 0.02, "page 1 of the report looks blank"
    assert all(inked(path) > 0.005 for path in shots), "a page of the report looks blank"
    v.watch.check()


def test_overview_on_a_phone(visit: Callable[..., Visit], demo: Demo) -> None:
    key = demo.story("watermelon").customer
    width = 390
    v = visit(
        demo.tokens["admin"],
        then=f"/ui/{key}/?month={demo.full_month}",
        viewport=ViewportSize(width=width, height=844),
    )
    page = v.page
    assert page.locator("article.tile[data-metric]").count() >= 1
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    assert widths[2] == width
    assert max(widths[:2]) <= width, f"the page scrolls sideways: {widths}"
    for tile in page.locator("article.tile").all():  # every tile inside the screen
        box = tile.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
    v.shot("overview-phone", full_page=False)
    v.watch.check()
