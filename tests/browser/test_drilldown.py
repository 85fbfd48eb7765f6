"""Every number leads to the tickets behind it: from a missed SLA tile of the overview to
the tickets list (as many as the tile said) and on to one ticket's timeline, whose clock
segments are drawn (SVG) beside its events."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page
from tests.browser.conftest import Demo, Visit, search

MONTHS_BACK = 12  # the overview's month steps tried before giving up on a missed tile


def count_in(link: Locator) -> int:
    found = re.match(r"(\d[\d,]*) ", link.inner_text())
    assert found, link.inner_text()
    return int(found.group(1).replace(",", ""))


def missed_tile(page: Page) -> Locator:
    """The first SLA tile that missed its objective, stepping back month by month."""
    for _ in range(MONTHS_BACK):
        missed = page.locator("article.tile.bad[data-metric]")
        if missed.count():
            return missed.first
        with page.expect_navigation():
            page.locator("a.step[rel=prev]").click()
    raise AssertionError(f"no missed SLA tile in {MONTHS_BACK} months")


def total(page: Page) -> int:
    return int(page.locator("p.count [data-total]").get_attribute("data-total") or -1)


def test_from_a_missed_tile_to_a_ticket_timeline(visit: Callable[..., Visit], demo: Demo) -> None:
    key = demo.story("reverse watermelon").customer  # the customer that misses its SLA
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/")
    page = v.page
    tile = missed_tile(page)
    metric = tile.get_attribute("data-metric")
    month = page.locator("select#month").input_value()
    assert "missed" in tile.locator(".status").inner_text()
    met = count_in(tile.locator("a[data-figure=met]"))
    breached = count_in(tile.locator("a[data-figure=breached]"))
    assert breached > 0
    compliance = tile.locator("a[data-figure=compliance]")
    judged = int(search(r"^\d+", compliance.get_attribute("title") or "").group(0))
    assert judged == met + breached
    shown_pct = float(compliance.inner_text().split()[0])
    assert abs(shown_pct - 100 * met / judged) < 0.051

    with page.expect_navigation():
        compliance.click()  # the percentage: every clock it counts
    assert total(page) == judged
    page.go_back(wait_until="load")

    with page.expect_navigation():
        page.locator(f"article.tile[data-metric='{metric}'] a[data-figure=breached]").click()
    assert page.url.startswith(demo.url(f"/ui/{key}/tickets?"))
    assert f"month={month}" in page.url and "state=breached" in page.url
    assert total(page) == breached
    rows = page.locator("table.tickets tbody tr")
    assert rows.count() == min(breached, 50)  # one page of the list holds 50
    states = rows.locator("td .status").all_inner_texts()
    assert set(states) == {"breached"}
    metrics = set(rows.locator("td:nth-child(6)").all_inner_texts())
    assert {m.split(" #")[0] for m in metrics} == {metric}
    stopped = rows.locator("td.when").all_inner_texts()
    assert all(s.startswith(month) for s in stopped), stopped  # stopped in the tile's month
    assert page.locator("select[name=state]").input_value() == "breached"
    v.shot("tickets")

    ticket = rows.first.locator("th a").inner_text()
    with page.expect_navigation():
        rows.first.locator("th a").click()
    assert page.url == demo.url(f"/ui/{key}/tickets/{ticket}")
    assert page.locator("h1").inner_text().startswith(ticket)
    clock = page.locator(f"article.clock[data-metric='{metric}'][data-state=breached]")
    assert clock.count() >= 1
    band = page.locator("svg.timeline-band")
    assert band.count() == 1 and band.is_visible()
    segments = band.locator("rect.seg")
    assert segments.count() >= 1
    kinds = set(segments.evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert "running" in kinds
    assert band.locator("line.due").count() >= 1  # the due instant the clock passed
    events = page.locator("table.events tbody tr")
    assert events.count() >= 2
    assert events.first.locator("td").nth(1).inner_text() == "created"
    heading = page.locator("#events-h").inner_text()
    assert heading == f"Events ({events.count()})"
    v.shot("ticket-timeline")
    v.watch.check()
