"""Logging in through the form: a wrong token is refused with the error, the admin's token
opens the customer list, logging out returns to the form and ends the session."""

from __future__ import annotations

from collections.abc import Callable

from tests.browser.conftest import Demo, Visit

from mittari.services.demo_data import DEMO_CUSTOMERS


def test_log_in_fail_then_succeed_then_log_out(visit: Callable[..., Visit], demo: Demo) -> None:
    v = visit()
    page = v.page
    v.go("/ui/")  # no session: the dashboard sends the browser to the form
    assert page.url == demo.url("/ui/login?next=/ui/")
    assert page.get_by_role("heading", level=1).inner_text() == "Log in to mittari"
    assert page.locator("[role=alert]").count() == 0
    v.shot("login")

    v.watch.allow(401)  # the refused login answers 401 with the form
    page.get_by_label("Token").fill("mit_this-token-was-never-issued")
    with page.expect_navigation() as refused:
        page.get_by_role("button", name="Log in").click()
    assert refused.value is not None and refused.value.status == 401
    assert page.get_by_role("alert").inner_text() == "That token is unknown or revoked."
    assert page.get_by_label("Token").input_value() == ""  # a token is never echoed back
    assert not [c for c in v.context.cookies() if c["name"] == "mittari_session"]
    v.shot("login-refused")

    page.get_by_label("Token").fill(demo.tokens["admin"])
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.url == demo.url("/ui/")
    listed = page.locator("ul.customer-list li").all_inner_texts()
    assert sorted(text.split()[-1] for text in listed) == sorted(c.slug for c in DEMO_CUSTOMERS)
    session = [c for c in v.context.cookies() if c["name"] == "mittari_session"]
    assert len(session) == 1 and session[0]["httpOnly"] and session[0]["sameSite"] == "Strict"
    assert "provider admin" in page.locator("footer").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    assert page.url == demo.url("/ui/login")
    assert page.get_by_role("heading", level=1).inner_text() == "Log in to mittari"
    assert not [c for c in v.context.cookies() if c["name"] == "mittari_session"]
    v.go("/ui/")  # the session is over: back to the form
    assert page.url.startswith(demo.url("/ui/login"))
    v.watch.check()
