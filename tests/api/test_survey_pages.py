"""The survey pages over HTTP, on both backends: GET never records, POST records once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tests.db.conftest import BACKENDS, drop_database, fresh_database
from tests.db.test_surveys import CUSTOMER, seed_tickets

from mittari.api.app import create_app
from mittari.api.settings import Settings
from mittari.db.migrate import upgrade
from mittari.db.models import Feedback
from mittari.services.surveys import LANGUAGES, invite

CATALOGUES = Path(__file__).parents[2] / "src/mittari/services/survey_messages"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    engine, url = fresh_database(request.param, str(tmp_path))
    upgrade(engine)
    seed_tickets(engine, tmp_path)
    yield engine, url
    drop_database(engine)


def client(store: tuple[Engine, str], rate: int = 1000) -> TestClient:
    engine, url = store
    settings = Settings(database_url=url, notifier=False, survey_rate_per_minute=rate)
    return TestClient(create_app(settings, engine=engine))


def answers(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Feedback)) or 0)


def test_every_message_exists_in_every_language() -> None:
    keys = {lang: set(json.loads((CATALOGUES / f"{lang}.json").read_text())) for lang in LANGUAGES}
    assert keys["fi"] == keys["sv"] == keys["en"]


def test_get_never_records_and_post_records_once(store: tuple[Engine, str]) -> None:
    web, path = client(store), invite(store[0], CUSTOMER, "T-1", language="en").path
    for _ in range(3):
        shown = web.get(path)
        assert shown.status_code == 200 and 'name="rating"' in shown.text
    assert '<html lang="en">' in shown.text and 'name="viewport"' in shown.text
    assert "<script" not in shown.text and answers(store[0]) == 0
    form = {"rating": "9", "positive": ["friendly"], "lost_time": "none", "lang": "en"}
    recorded = web.post(path, data=form)
    assert recorded.status_code == 200 and "Thank you" in recorded.text
    again = web.post(path, data=form)
    assert again.status_code == 409 and "already been answered" in again.text
    assert answers(store[0]) == 1


def test_a_missing_rating_shows_the_form_again_and_stores_nothing(
    store: tuple[Engine, str],
) -> None:
    web, path = client(store), invite(store[0], CUSTOMER, "T-2", language="fi").path
    shown = web.post(path, data={"comment": "hyvä", "lang": "fi"})
    assert shown.status_code == 200 and "Valitse arvio asteikolta 0–10." in shown.text
    assert "hyvä</textarea>" in shown.text and answers(store[0]) == 0


def test_the_language_is_the_links_then_the_browsers_then_the_invitations(
    store: tuple[Engine, str],
) -> None:
    web, path = client(store), invite(store[0], CUSTOMER, "T-3", language="fi").path
    assert '<html lang="fi">' in web.get(path).text
    assert '<html lang="sv">' in web.get(path, headers={"Accept-Language": "sv-FI,en"}).text
    linked = web.get(f"{path}?lang=en", headers={"Accept-Language": "sv"})
    assert '<html lang="en">' in linked.text


def test_an_unknown_or_expired_link_is_refused(store: tuple[Engine, str]) -> None:
    web = client(store)
    assert web.get("/s/not-a-token").status_code == 404
    path = invite(store[0], CUSTOMER, "T-1", valid_days=1).path
    from datetime import timedelta

    from sqlalchemy import update

    from mittari.db.models import SurveyInvitation, utcnow

    with store[0].begin() as conn:
        past = utcnow() - timedelta(days=1)
        conn.execute(update(SurveyInvitation).values(expires_at=past))
    assert web.get(path).status_code == 410
    assert web.post(path, data={"rating": "5"}).status_code == 410
    assert answers(store[0]) == 0


def test_the_pages_are_rate_limited(store: tuple[Engine, str]) -> None:
    web = client(store, rate=3)
    codes = [web.get("/s/whatever").status_code for _ in range(5)]
    assert codes[:3] == [404] * 3 and codes[3:] == [429, 429]
    refused = web.get("/s/whatever")
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_a_desk_gets_a_working_link_through_the_api(store: tuple[Engine, str]) -> None:
    from mittari.services.tokens import create_token

    engine, _ = store
    token = create_token(engine, "desk", "provider-admin", None)[0]
    api = client(store)
    api.headers["Authorization"] = f"Bearer {token}"
    made = api.post(f"/api/v1/customers/{CUSTOMER}/tickets/T-3/survey")
    assert made.status_code == 201, made.text
    link = made.json()["url"]
    assert link.startswith("http") and "/s/" in link and "T-3" not in link
    page = api.get(link[link.index("/s/") :])
    assert page.status_code == 200 and 'name="rating"' in page.text
    missing = api.post(f"/api/v1/customers/{CUSTOMER}/tickets/nope/survey")
    assert missing.status_code == 404
