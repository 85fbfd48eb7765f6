"""The monthly review rendered: HTML read back with an HTML parser, PDF opened with pdfium
and its first page rendered to PNG (saved in the test's folder) and looked at: not blank,
the chart colours there. On the hand-made store of `store.py`, SQLite and PostgreSQL."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from sqlalchemy import Engine
from tests.reports.store import ADMIN, CUSTOMER, MONTH, build_acme

from mittari.db.scope import Scoped
from mittari.reports import charts
from mittari.reports.review import render_review

BASE = "http://127.0.0.1:8000"


class Page(HTMLParser):
    """Tags, attributes and the text of each element class we look for."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.highlights: list[str] = []
        self.comments: list[str] = []
        self._open: list[str] = []
        self._collect: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        classes = (found.get("class") or "").split()
        if self._collect is not None:
            self._depth += 1
        elif "highlight" in classes:
            self._collect, self._depth = self.highlights, 1
            self.highlights.append("")
        elif tag == "blockquote":
            self._collect, self._depth = self.comments, 1
            self.comments.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._collect is not None:
            self._depth -= 1
            if self._depth == 0:
                self._collect = None

    def handle_data(self, data: str) -> None:
        if self._collect is not None:
            self._collect[-1] += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def _render(db: Engine, tmp_path: Path, fmt: str, lang: str, base: str | None) -> bytes:
    build_acme(db, tmp_path)
    with db.connect() as conn:
        return render_review(
            Scoped(conn, ADMIN),
            CUSTOMER,
            MONTH,
            fmt=fmt,  # type: ignore[arg-type]
            lang=lang,  # type: ignore[arg-type]
            base_url=base,
        )


def _page(html: bytes) -> Page:
    page = Page()
    page.feed(html.decode("utf-8"))
    return page


def test_html_highlights_in_english(db: Engine, tmp_path: Path) -> None:
    page = _page(_render(db, tmp_path, "html", "en", BASE))
    sentences = [" ".join(h.split()) for h in page.highlights]
    assert sentences == [
        "Every SLA objective was met (2 of 2); the closest was resolution, 76.5 % against 75 %.",
        "3 of 4 resolution breaches were P2 tickets waiting on a vendor. (A-13, A-14, A-15)",
        "Happiness fell from 40 to −25 while every SLA was met.",
        "Resolution compliance is 76.5 % as reported, but 70.6 % once the 1 flagged ticket is "
        "judged honestly, below its objective of 75 %. (A-17)",
        "Service credits: 5 % of the monthly fee (500.00 EUR) for erp, availability 99.46 % "
        "vs 99.5 %.",
        "vpn failed 5 times this quarter with the same fault: “VPN-yhteys katkeaa”. "
        "(G-1, S-3, A-13, A-14, A-15)",
    ]


def test_html_highlights_in_finnish(db: Engine, tmp_path: Path) -> None:
    page = _page(_render(db, tmp_path, "html", "fi", None))
    sentences = [" ".join(h.split()) for h in page.highlights]
    assert sentences[1] == (
        "4 ratkaisuajan ylityksestä 3 oli P2-tikettejä, jotka odottivat toimittajaa. "
        "(A-13, A-14, A-15)"
    )
    assert sentences[2] == "Onnellisuus laski 40 → −25, vaikka kaikki SLA-tavoitteet täyttyivät."
    assert sentences[4] == (
        "Hyvitys: 5 % kuukausimaksusta (500,00 EUR); syynä erp: käytettävyys 99,46 %, "
        "tavoite 99,5 %."
    )
    assert ("html", {"lang": "fi"}) in page.tags


def test_every_ticket_links_to_its_timeline(db: Engine, tmp_path: Path) -> None:
    page = _page(_render(db, tmp_path, "html", "en", BASE))
    anchors = page.all("a")
    hrefs = {a["href"] for a in anchors}
    assert f"{BASE}/ui/acme/tickets/A-13" in hrefs and f"{BASE}/ui/acme/tickets/A-17" in hrefs
    assert all(h is not None and h.startswith(f"{BASE}/ui/acme/tickets/") for h in hrefs)
    marked = [t for t, a in page.tags if "ticket" in (a.get("class") or "").split()]
    assert len(marked) >= 15 and set(marked) == {"a"}  # every ticket number is a link


def test_without_a_base_url_nothing_links(db: Engine, tmp_path: Path) -> None:
    page = _page(_render(db, tmp_path, "html", "en", None))
    assert page.all("a") == []
    assert any("ticket" in (a.get("class") or "") for a in page.all("span"))


def test_the_html_is_self_contained_and_escapes_what_people_wrote(
    db: Engine, tmp_path: Path
) -> None:
    html = _render(db, tmp_path, "html", "en", BASE)
    page = _page(html)
    assert page.all("script") == [] and page.all("link") == [] and page.all("img") == []
    assert all("src" not in attrs for _, attrs in page.tags)
    assert len(page.all("style")) == 1
    svgs = page.all("svg")
    assert len(svgs) >= 5 and all(s["role"] == "img" and s["aria-label"] for s in svgs)
    assert page.all("b") == []  # the comment's "<b>" is text, not markup
    assert "Still waiting for the vendor, this is terrible <b>really</b>." in page.comments
    (tmp_path / "review.html").write_bytes(html)


def _pixels(image: object) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)  # type: ignore[attr-defined]


def _near(pixels: np.ndarray, colour: str, tolerance: int = 40) -> int:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    return int((np.abs(pixels - rgb).sum(axis=2) <= tolerance).sum())


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Acme Oy", "October 2026", "Monthly service review", "76.5 %", "Page 1 of"]),
        ("fi", ["Acme Oy", "lokakuu 2026", "palvelukatsaus", "76,5 %", "Sivu 1 /"]),
    ],
)
def test_pdf_pages_read_and_look_right(
    db: Engine, tmp_path: Path, lang: str, words: list[str]
) -> None:
    pdf = _render(db, tmp_path, "pdf", lang, None)
    assert pdf.startswith(b"%PDF-")
    (tmp_path / f"review-{lang}.pdf").write_bytes(pdf)
    document = pdfium.PdfDocument(pdf)
    try:
        assert 2 <= len(document) <= 4  # A4: three pages for this month
        first = document[0]
        width, height = first.get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        text = first.get_textpage().get_text_range()
        for word in words:
            assert word in text, word
        later = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        assert "A-13" in later and "VPN-yhteys katkeaa" in later and "500" in later
        image = first.render(scale=1).to_pil()
        image.save(tmp_path / f"review-{lang}-1.png")
    finally:
        document.close()
    pixels = _pixels(image)
    assert pixels.std() > 20  # not a blank page
    assert _near(pixels, charts.PALETTE[0], 30) > 120  # the compliance lines and points
    assert _near(pixels, charts.TARGET_COLOUR, 30) > 60  # the dashed objective lines
    assert _near(pixels, "#ffffff", 3) > pixels.shape[0] * pixels.shape[1] // 2  # mostly paper
