"""A customer viewer sees its own customer and nothing of another: the start page takes it to
its overview, the switcher offers no other customer, and another customer's overview or
ticket (typed into the address bar) is the same not-found page as a customer that does not
exist."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.browser.conftest import NAMES, Demo, Visit


def test_a_viewer_reaches_only_its_customer(visit: Callable[..., Visit], demo: Demo) -> None:
    own = demo.story("watermelon").customer
    others = sorted(k for k in NAMES if k != own)
    v = visit(demo.tokens[own])  # logs in with next=/ui/: the start page
    page = v.page
    assert page.url == demo.url(f"/ui/{own}/")
    assert page.locator("h1").inner_text() in (NAMES[own], own)
    assert "customer viewer" in page.locator("footer").inner_text()
    switch = page.locator("details.switch li a")  # drawn only with more than one customer
    listed = switch.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert listed in ([], [f"/ui/{own}/"])
    text = page.locator("body").inner_text()
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for other in others:
        assert NAMES[other] not in text and not re.search(rf"\b{other}\b", text), other
        assert not [h for h in hrefs if h.startswith(f"/ui/{other}/")], other
        assert demo.tickets[other] not in text
    v.watch.check()

    v.watch.allow(404)
    not_found = []
    paths = [
        f"/ui/{others[0]}/",
        f"/ui/{others[0]}/tickets/{demo.tickets[others[0]]}",
        f"/ui/{own}/tickets/{demo.tickets[others[0]]}",  # another's ticket under its own name
        f"/ui/{others[1]}/at-risk",
        "/ui/no-such-customer/",
    ]
    for path in paths:
        answer = v.go(path)
        assert answer.status == 404, path
        assert page.get_by_role("heading", level=1).inner_text() == "Not found", path
        main = page.locator("main").inner_text()
        assert others[0] not in main and demo.tickets[others[0]] not in main
        not_found.append(main)
        if path == paths[1]:
            v.shot("viewer-not-found")
    assert len(set(not_found)) == 1  # unseen and missing answer alike
    # the at-risk list of every customer is, for a viewer, its own customer's
    v.go("/ui/at-risk")
    assert page.url == demo.url(f"/ui/{own}/at-risk")
    customers = page.locator("table.at-risk tbody tr[data-key]").evaluate_all(
        "els => els.map(e => e.dataset.key.split('/')[0])"
    )
    assert set(customers) <= {own}
    v.watch.check()
