"""The pulse pages over HTTP, on both backends: GET never records, POST records once, the
language is the link's, the browser's or the invitation's; and in a real chromium at a
phone's width, with JavaScript off, the form fits the screen and can be answered."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser
from sqlalchemy import Engine, select, update
from tests.db.conftest import BACKENDS, drop_database, fresh_database

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.db import repository as repo
from mittari.db.migrate import upgrade
from mittari.db.models import Feedback, PulseRound, utcnow
from mittari.services.pulse import issue_link, open_round

CUSTOMER = "acme"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    engine, url = fresh_database(request.param, str(tmp_path))
    upgrade(engine)
    with engine.begin() as conn:
        repo.customer_ids(conn, [CUSTOMER], create=True)
    yield engine, url
    drop_database(engine)


def client(store: tuple[Engine, str], rate: int = 1000) -> TestClient:
    engine, url = store
    settings = Settings(database_url=url, notifier=False, survey_rate_per_minute=rate)
    return TestClient(create_app(settings, engine=engine))


def link(engine: Engine, kind: str, language: str = "en", address: str = "a@example.test") -> str:
    period = "2026-Q4"
    with engine.connect() as conn:
        known = conn.scalar(select(PulseRound.id).where(PulseRound.kind == kind))
    if known is None:
        known = open_round(engine, CUSTOMER, kind, period, closes="2099-12-31").id
    issued = issue_link(engine, known, address, language)
    assert issued is not None
    return issued.path


def answers(engine: Engine) -> list[tuple[str | None, str | None]]:
    with engine.connect() as conn:
        query = select(Feedback.question, Feedback.score).order_by(Feedback.id)
        return [(q, s) for q, s in conn.execute(query)]


class Form(HTMLParser):
    """The inputs, labels and legends of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.legends = 0
        self.scripts = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "textarea") and found.get("type") != "hidden":
            self.inputs.append(found)
        elif tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))
        self.legends += tag == "legend"
        self.scripts += tag == "script"


def test_get_never_records_and_post_records_once(store: tuple[Engine, str]) -> None:
    web, path = client(store), link(store[0], "relationship")
    for _ in range(3):
        shown = web.get(path)
        assert shown.status_code == 200 and 'name="recommend"' in shown.text
    assert "How is our partnership going?" in shown.text and "2026-Q4" in shown.text
    assert answers(store[0]) == []
    form = {"recommend": "9", "understand": "4", "prevent": "", "comment": "ok", "lang": "en"}
    recorded = web.post(path, data=form)
    assert recorded.status_code == 200 and "Thank you" in recorded.text
    again = web.post(path, data=form)
    assert again.status_code == 409 and "already been answered" in again.text
    assert answers(store[0]) == [("recommend", "9"), ("understand", "4")]


@pytest.mark.parametrize("kind", ["relationship", "team"])
def test_every_field_has_a_label_and_every_group_a_legend(
    store: tuple[Engine, str], kind: str
) -> None:
    page = client(store).get(link(store[0], kind)).text
    parsed = Form(page)
    assert parsed.inputs and parsed.scripts == 0 and 'name="viewport"' in page
    unlabelled = [i for i in parsed.inputs if i.get("id") not in parsed.labelled]
    assert unlabelled == []
    groups = {str(i["name"]) for i in parsed.inputs if i.get("type") in ("radio", "checkbox")}
    assert parsed.legends == len(groups)  # one fieldset with its legend per group
    expected = {"recommend", "understand", "prevent"} if kind != "team" else {"measured_well"}
    assert groups == expected | ({"obstacle"} if kind == "team" else set())


def test_the_team_page_asks_what_gets_in_the_way(store: tuple[Engine, str]) -> None:
    web, path = client(store), link(store[0], "team", "fi")
    shown = web.get(path)
    assert "Auttaako tapa, jolla meitä mitataan, palvelemaan asiakasta acme hyvin?" in shown.text
    assert 'value="closing_over_fixing"' in shown.text
    posted = {"measured_well": "2", "obstacle": ["too_many_tickets", "clock_rules"], "lang": "fi"}
    assert web.post(path, data=posted).status_code == 200
    with store[0].connect() as conn:
        row = conn.execute(select(Feedback.survey, Feedback.factors, Feedback.language)).one()
    assert tuple(row) == ("team", "clock_rules,too_many_tickets", "fi")


@pytest.mark.parametrize(
    ("kind", "posted", "message"),
    [
        ("relationship", {"understand": "4", "comment": "hyvä"}, "Valitse asteikolta 0–10"),
        ("relationship", {"recommend": "11", "comment": "hyvä"}, "Valitse asteikolta 0–10"),
        ("relationship", {"recommend": "8", "prevent": "9", "comment": "hyvä"}, "tarkista ne"),
        ("team", {"obstacle": "too_many_tickets", "comment": "hyvä"}, "asteikolla 1–5"),
        ("team", {"measured_well": "3", "obstacle": "coffee", "comment": "hyvä"}, "tarkista ne"),
    ],
)
def test_a_wrong_form_is_shown_again_as_filled_and_nothing_is_stored(
    store: tuple[Engine, str], kind: str, posted: dict[str, str], message: str
) -> None:
    web, path = client(store), link(store[0], kind, "fi")
    shown = web.post(path, data=posted | {"lang": "fi"})
    assert shown.status_code == 200 and message in shown.text and 'role="alert"' in shown.text
    assert "hyvä</textarea>" in shown.text and answers(store[0]) == []


def test_the_language_is_the_links_then_the_browsers_then_the_invitations(
    store: tuple[Engine, str],
) -> None:
    web, path = client(store), link(store[0], "relationship", "fi")
    assert "Miten yhteistyömme sujuu?" in web.get(path).text
    swedish = web.get(path, headers={"Accept-Language": "sv-FI,en"}).text
    assert '<html lang="sv">' in swedish and "Hur fungerar vårt samarbete?" in swedish
    linked = web.get(f"{path}?lang=en", headers={"Accept-Language": "sv"})
    assert '<html lang="en">' in linked.text


def test_an_unknown_early_or_expired_link_is_refused(store: tuple[Engine, str]) -> None:
    engine = store[0]
    web = client(store)
    assert web.get("/p/not-a-token").status_code == 404
    path = link(engine, "team")
    with engine.begin() as conn:
        conn.execute(update(PulseRound).values(opens_at=utcnow() + timedelta(days=2)))
    early = web.get(path)
    assert early.status_code == 403 and "This survey opens on" in early.text
    with engine.begin() as conn:
        past = utcnow() - timedelta(days=1)
        conn.execute(update(PulseRound).values(opens_at=past - timedelta(days=9), closes_at=past))
    assert web.get(path).status_code == 410
    assert web.post(path, data={"measured_well": "5"}).status_code == 410
    assert answers(engine) == []


def test_the_pulse_and_survey_pages_share_one_rate_limit(store: tuple[Engine, str]) -> None:
    web = client(store, rate=3)
    codes = [web.get(p).status_code for p in ("/p/a", "/s/b", "/p/c", "/p/d", "/s/e")]
    assert codes == [404, 404, 404, 429, 429]
    refused = web.post("/p/a", data={"recommend": "9"})
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")


# --- a real browser ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    """The app over HTTP on SQLite (the browser checks the page, not the database)."""
    engine, url = fresh_database("sqlite", str(tmp_path))
    upgrade(engine)
    with engine.begin() as conn:
        repo.customer_ids(conn, [CUSTOMER], create=True)
    port = _free_port()
    app = create_app(Settings(database_url=url, notifier=False), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield engine, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    drop_database(engine)


def test_on_a_phone_without_javascript_the_form_fits_and_records(
    served: tuple[Engine, str], browser: Browser
) -> None:
    engine, base = served
    path = link(engine, "relationship", "sv")
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:  # the session's chromium (tests/conftest.py)
        page = context.new_page()
        page.goto(f"{base}{path}?lang=sv")  # as the mailed link has it
        # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        box = page.get_by_role("button", name="Skicka").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 360
        page.get_by_label("9", exact=True).first.check()
        page.get_by_label("Vill du berätta något mer? (valfritt)").fill("Bra samarbete")
        page.get_by_role("button", name="Skicka").click()
        assert page.get_by_role("heading", name="Tack!").is_visible()
    finally:
        context.close()
    assert answers(engine) == [("recommend", "9")]
