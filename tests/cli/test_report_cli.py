"""`mittari report` on a stored customer (SQLite and PostgreSQL): the PDF and the HTML
written where asked, and clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlalchemy import Engine
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from tests.reports.store import build_acme
from typer.testing import CliRunner

from mittari.cli.main import app
from mittari.db.migrate import upgrade


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    engine: Engine
    engine, url = fresh_database(request.param, str(tmp_path))
    upgrade(engine)
    build_acme(engine, tmp_path)
    yield url
    drop_database(engine)


def test_pdf_to_a_named_file(store: str, tmp_path: Path) -> None:
    out = tmp_path / "acme.pdf"
    args = ["report", "--customer", "acme", "--month", "2026-10", "--format", "pdf"]
    result = CliRunner().invoke(
        app, [*args, "--out", str(out)], env={"MITTARI_DATABASE_URL": store}
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out} (")
    document = pdfium.PdfDocument(out.read_bytes())
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "Acme Oy" in text and "October 2026" in text and "76.5 %" in text


def test_html_in_finnish_with_links_to_the_default_file(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["report", "--customer", "acme", "--month", "2026-10", "--format", "html"]
    args += ["--lang", "fi", "--base-url", "http://127.0.0.1:8000/"]
    result = CliRunner().invoke(app, args, env={"MITTARI_DATABASE_URL": store})
    assert result.exit_code == 0, result.output
    html = (tmp_path / "review-acme-2026-10.html").read_text(encoding="utf-8")
    assert "lokakuu 2026" in html and "Kuukausittainen palvelukatsaus" in html
    assert 'href="http://127.0.0.1:8000/ui/acme/tickets/A-13"' in html


def test_an_earlier_as_of_measures_less(store: str, tmp_path: Path) -> None:
    out = tmp_path / "mid.html"
    args = ["report", "--customer", "acme", "--month", "2026-10", "--format", "html"]
    args += ["--as-of", "2026-10-13T00:00:00+03:00", "--out", str(out)]
    result = CliRunner().invoke(app, args, env={"MITTARI_DATABASE_URL": store})
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "2026-10-13 00:00" in html and "A-14" not in html  # created after the as-of


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--customer", "nobody", "--month", "2026-10"], 1, "unknown customer"),
        (["--customer", "acme", "--month", "2026-13"], 1, "write YYYY-MM"),
        (["--customer", "acme", "--month", "2026-10", "--format", "docx"], 2, "html or pdf"),
        (["--customer", "acme", "--month", "2026-10", "--lang", "sv"], 2, "en or fi"),
    ],
)
def test_errors_name_what_is_wrong(
    store: str, tmp_path: Path, extra: list[str], code: int, message: str
) -> None:
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(
        app, ["report", *extra, "--out", str(out)], env={"MITTARI_DATABASE_URL": store}
    )
    assert result.exit_code == code, result.output
    assert message in result.output
    assert not out.exists()
