"""The dashboard's frame: logging in and out, languages, and who sees which customer."""

from __future__ import annotations

import json
import re
from importlib import resources

from fastapi.testclient import TestClient
from tests.api.conftest import A, B, World

from mittari.web.i18n import Translator, messages


def test_both_languages_have_the_same_messages() -> None:
    folder = resources.files("mittari.web").joinpath("messages")
    names = sorted(item.name for item in folder.iterdir() if item.name.endswith("en.json"))
    for name in names:  # each part file has its twin, with the same keys
        twin = name[: -len("en.json")] + "fi.json"
        en_part = json.loads(folder.joinpath(name).read_text("utf-8"))
        fi_part = json.loads(folder.joinpath(twin).read_text("utf-8"))
        assert set(en_part) == set(fi_part), name
    en, fi = messages("en"), messages("fi")
    assert set(en) == set(fi) and "login" in en
    for key in en:  # the same placeholders in both
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", fi[key])), key


def test_numbers_and_durations_are_written_the_local_way() -> None:
    en, fi = Translator("en"), Translator("fi")
    assert (en.num(1234.5, 1), fi.num(1234.5, 1)) == ("1,234.5", "1\u202f234,5")
    assert (en.pct(97.25, 1), fi.pct(-3.0, 0)) == ("97.2\u00a0%", "−3\u00a0%")
    assert en.num(None) == "–" and en.num(float("nan")) == "–"
    assert en.duration(((2 * 24 + 3) * 60 + 5) * 60_000_000) == "2 d 3 h 05 min"
    assert fi.duration(90 * 60_000_000) == "1 h 30 min" and en.duration(-60_000_000) == "−1 min"
    assert en.when(0, "Europe/Helsinki") == "1970-01-01 02:00"


def test_a_page_without_a_token_sends_the_browser_to_log_in(world: World) -> None:
    client = TestClient(world.app, follow_redirects=False)
    response = client.get("/ui/")
    assert response.status_code == 303 and response.headers["location"] == "/ui/login?next=/ui/"
    form = client.get("/ui/login", params={"next": "/ui/"})
    assert form.status_code == 200 and 'name="token"' in form.text


def test_logging_in_sets_a_strict_httponly_cookie_and_logging_out_clears_it(world: World) -> None:
    client = TestClient(world.app, follow_redirects=False)
    posted = client.post("/ui/login", data={"token": world.tokens["analyst"], "next": "/ui/"})
    assert posted.status_code == 303 and posted.headers["location"] == "/ui/"
    cookie = posted.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    home = client.get("/ui/")
    assert home.status_code == 200 and A in home.text and B in home.text
    out = client.post("/ui/logout")
    assert out.status_code == 303
    assert client.get("/ui/").status_code == 303


def test_a_wrong_token_is_refused_and_nothing_is_set(world: World) -> None:
    client = TestClient(world.app, follow_redirects=False)
    posted = client.post("/ui/login", data={"token": "not-a-token"})
    assert posted.status_code == 401 and "set-cookie" not in posted.headers
    assert "unknown or revoked" in posted.text


def test_login_never_redirects_off_the_dashboard(world: World) -> None:
    client = TestClient(world.app, follow_redirects=False)
    for target in ("https://evil.example/", "//evil.example/ui/", "/api/v1/tokens"):
        posted = client.post("/ui/login", data={"token": world.tokens["admin"], "next": target})
        assert posted.headers["location"] == "/ui/", target


def test_a_viewer_goes_straight_to_its_customer_and_sees_no_other(world: World) -> None:
    client = world.client("viewer_b")
    client.follow_redirects = False
    response = client.get("/ui/")
    assert response.status_code == 303 and response.headers["location"] == f"/ui/{B}/"


def test_the_language_follows_the_link_then_the_cookie_then_the_browser(world: World) -> None:
    client = TestClient(world.app, follow_redirects=False)
    assert 'lang="fi"' in client.get("/ui/login", headers={"accept-language": "fi-FI"}).text
    chosen = client.get("/ui/login", params={"lang": "fi"})
    assert 'lang="fi"' in chosen.text and "mittari_lang=fi" in chosen.headers["set-cookie"]
    assert "Kirjaudu" in client.get("/ui/login").text  # remembered
    assert 'lang="en"' in client.get("/ui/login", params={"lang": "en"}).text


def test_static_assets_are_served_from_the_package(world: World) -> None:
    client = TestClient(world.app)
    css = client.get("/ui/static/mittari.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.text)  # nothing remote
