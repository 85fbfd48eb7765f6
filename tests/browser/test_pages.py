"""Each page of the dashboard on the customer whose planted story it should show, with no
console error and no failed request: the watermelon customer's matrix, the service credits
of the planted month, the gaming team's flags, the recurring fault ranked first, the
unhappy customer's comments, the renewed contract's diff and a what-if under its old
version. The stories are the ones the demo itself found (`DemoReport.findings`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml
from playwright.sync_api import Page
from tests.browser.conftest import NAMES, Demo, Visit, search


def number(text: str) -> float:
    """A figure as the English pages write it: `1,234.5 %`, `−7.4 pp`."""
    cleaned = text.replace("\u2212", "-").replace(",", "")
    found = re.search(r"[-+]?\d+(\.\d+)?", cleaned)
    assert found, f"no number in {text!r}"
    return float(found.group(0))


def section_is(page: Page, label: str) -> None:
    nav = page.get_by_role("navigation", name="Sections")
    assert nav.locator("[aria-current=page]").inner_text() == label


def test_overview_shows_the_watermelon(visit: Callable[..., Visit], demo: Demo) -> None:
    story = demo.story("watermelon")
    key = story.customer
    month = demo.full_month
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/?month={month}")
    page = v.page
    assert page.url == demo.url(f"/ui/{key}/?month={month}")
    assert page.locator("h1").inner_text() in (NAMES[key], key)
    section_is(page, "Overview")
    planted = int(search(r"(\d+) watermelon cells", story.text).group(1))
    judged = page.locator("table.matrix td.cell[data-cell]")
    melons = page.locator("table.matrix td.cell[data-cell=watermelon]")
    assert 0 < melons.count() <= planted
    assert melons.count() * 2 > judged.count(), "the watermelon customer: most cells"
    first = melons.first
    assert first.locator(".mark").all_inner_texts() == ["SLA ✓", "XLA ✗"]
    # the year's happiness is below its XLA bound: the month's tile shows it missed
    happiness = page.locator("article.tile[data-figure=happiness]")
    assert "missed" in happiness.locator(".status").inner_text()
    first.locator("details.drivers summary").click()
    drivers = first.locator("details.drivers li")
    assert drivers.count() >= 1 and drivers.first.is_visible()
    assert "happiness" in " ".join(drivers.all_inner_texts()).lower()
    v.shot("overview-watermelon")
    v.watch.check()


def test_overview_shows_the_credits_of_the_planted_month(
    visit: Callable[..., Visit], demo: Demo
) -> None:
    story = demo.story("service credits")
    found = re.search(r" (\d{4}-\d{2}): ([\d,]+\.\d\d) ([A-Z]{3}) due", story.text)
    assert found, story.text
    month, amount, currency = found.groups()
    key = story.customer
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/?month={month}")
    page = v.page
    assert page.locator("#sla-h").inner_text() == f"SLA in {month}"
    total = page.locator("[data-figure=credits-total]").inner_text()
    assert total.split() == [amount, currency]
    lines = page.locator("table.credits tbody tr")
    assert lines.count() >= 2  # at least one credit line and the total
    assert "total" in (lines.last.get_attribute("class") or "")
    service = re.search(r"\((\S+) uptime ([\d.]+) %", story.text)
    if service:  # an availability credit: the month's uptime missed its objective
        row = page.locator(f"table.availability tr[data-service='{service.group(1)}']")
        assert abs(number(row.locator("td").first.inner_text()) - float(service.group(2))) < 0.006
        assert "missed" in row.locator(".status").inner_text()
    page.locator("table.credits").scroll_into_view_if_needed()
    v.shot("overview-credits", full_page=False)
    v.watch.check()


def test_honest_page_shows_the_gaming_teams_flags(visit: Callable[..., Visit], demo: Demo) -> None:
    story = demo.story("gamed clock")
    team = search(r"its team (.+?) reported", story.text).group(1)
    key = story.customer
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/honest")
    page = v.page
    section_is(page, "Honest numbers")
    # over the year, the resolution clock's honest figure is below the reported one
    page.locator("details.as-table summary").click()
    year = [
        row.locator("td").all_inner_texts()
        for row in page.locator("details.as-table tbody tr").all()
    ]
    resolution = [(number(r[2]), number(r[3])) for r in year if r[1] == "resolution"]
    assert len(resolution) >= 6
    assert all(honest <= reported for reported, honest in resolution)
    assert sum(honest < reported for reported, honest in resolution) * 2 > len(resolution)
    rules = page.locator("table.rule-counts tbody tr")
    assert rules.count() >= 1
    assert page.locator("table.flagged tbody tr").count() >= 1
    v.shot("honest")
    # the flagged tickets of the month's commonest rule: most of them are the team's
    counts = [number(r.locator("td").last.inner_text()) for r in rules.all()]
    top = rules.nth(counts.index(max(counts)))
    shown = int(max(counts))
    with page.expect_navigation():
        top.locator("td").last.get_by_role("link").click()
    assert "flag=" in page.url
    assert int(page.locator("[data-total]").get_attribute("data-total") or -1) == shown
    teams = Counter(page.locator("table.tickets tbody tr td:nth-child(4)").all_inner_texts())
    assert teams.most_common(1)[0][0] == team, teams
    v.watch.check()


def test_a_flagged_ticket_shows_its_evidence(visit: Callable[..., Visit], demo: Demo) -> None:
    key = demo.story("gamed clock").customer
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/honest")
    page = v.page
    flagged = page.locator("table.flagged tbody tr").first
    ticket = flagged.get_attribute("data-ticket")
    with page.expect_navigation():
        flagged.get_by_role("link", name=ticket, exact=True).first.click()
    assert page.url == demo.url(f"/ui/{key}/tickets/{ticket}")
    assert page.locator("h1").inner_text().startswith(str(ticket))
    hits = page.locator("ul.flags li.flag")
    assert hits.count() >= 1
    evidence = hits.first.locator("ol.evidence a[data-event]")
    assert evidence.count() >= 1
    event = evidence.first.get_attribute("data-event")
    row = page.locator(f"table.events tr#ev-{event}")
    assert "flagged" in (row.get_attribute("class") or "")
    assert "⚑" in row.locator("td").last.inner_text()
    assert page.locator("svg.timeline-band rect.seg").count() >= 1
    v.shot("ticket-flags")
    v.watch.check()


def test_recurring_fault_ranked_first(visit: Callable[..., Visit], demo: Demo) -> None:
    story = demo.story("recurring fault")
    found = re.match(r"(\S+) / (.+?): “(.+?)”, (\d+) incidents", story.text)
    assert found, story.text
    key, service, subject, count = found.groups()
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/recurring")
    page = v.page
    section_is(page, "Recurring faults")
    first = page.locator("table.recurring tbody tr").first
    assert first.get_attribute("data-rank") == "1"
    assert first.locator(".subject").inner_text() == subject
    assert first.locator("th a").first.inner_text() == service
    incidents = first.locator("td.num").nth(1)
    assert number(incidents.inner_text()) == int(count)
    assert first.locator("td.rc-bars svg rect.bar").count() >= 6  # a year of months, drawn
    v.shot("recurring")
    with page.expect_navigation():
        incidents.get_by_role("link").click()
    opened = page.locator("details#c1")
    assert opened.get_attribute("open") is not None
    assert opened.locator("ul.ticket-list li").count() == int(count)
    v.watch.check()


def test_comments_of_the_unhappy_customer(visit: Callable[..., Visit], demo: Demo) -> None:
    key = demo.story("watermelon").customer
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/comments")
    page = v.page
    section_is(page, "Comments")
    comments = page.locator("ol.comments li.comment")
    assert comments.count() >= 5
    assert comments.first.locator(".rating").inner_text().endswith(("/10", "/5"))
    bands = {
        b: number(page.locator(f"a[data-band='{b}'] strong").inner_text())
        for b in ("0-6", "7-8", "9-10")
    }
    assert bands["0-6"] > bands["9-10"], bands  # a watermelon: its people are unhappy
    listed = int(number(page.locator("#list").inner_text()))
    assert listed == sum(bands.values())
    v.shot("comments")
    with page.expect_navigation():
        page.locator("a[data-sentiment=negative]").click()
    moods = page.locator("ol.comments li.comment .status[data-sentiment]")
    assert moods.count() >= 1
    assert set(moods.evaluate_all("els => els.map(e => e.dataset.sentiment)")) == {"negative"}
    v.watch.check()


def renewed_customer(demo: Demo) -> str:
    """The customer whose contract file holds more than one version (a renewal)."""
    folder = Path(demo.report.database).parent / "contracts"
    for path in sorted(folder.glob("*.yaml")):
        documents = [d for d in yaml.safe_load_all(path.read_text()) if d]
        if len(documents) > 1:
            return str(documents[0]["metadata"]["customer"])
    raise AssertionError(f"no demo contract in {folder} has two versions")


def test_contracts_and_their_diff(visit: Callable[..., Visit], demo: Demo) -> None:
    key = renewed_customer(demo)
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/contracts")
    page = v.page
    section_is(page, "Contracts")
    versions = page.locator("table.versions tbody tr")
    assert versions.count() == 2
    added = page.locator("table.diff tr[data-kind=add]")
    removed = page.locator("table.diff tr[data-kind=remove]")
    assert added.count() >= 1 and removed.count() >= 1
    summary = page.locator("#diff ~ p.muted").first.inner_text()
    assert f"{added.count()} lines added, {removed.count()} removed" in summary
    new_lines = " ".join(added.locator("td.code").all_inner_texts())
    old_lines = " ".join(removed.locator("td.code").all_inner_texts())
    assert "P2:" in new_lines and "P2:" in old_lines  # the renewal changed the P2 targets
    assert page.locator("pre.yaml").inner_text().startswith("apiVersion: mittari/v1")
    v.shot("contracts-diff")
    v.watch.check()


def test_what_if_under_the_old_version(visit: Callable[..., Visit], demo: Demo) -> None:
    """The renewal tightened P2 targets: the month under the old version can only do as
    well or better for P2, and the other priorities do not move."""
    key = renewed_customer(demo)
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/contracts")
    page = v.page
    rows = page.locator("table.versions tbody tr")
    labels = [r.locator("th a").inner_text() for r in rows.all()]
    old = rows.nth(labels.index(min(labels)))
    with page.expect_navigation():
        old.get_by_role("link", name="What if…").click()
    assert "/contracts/what-if?version=" in page.url
    months = page.locator("select[name=month] option").evaluate_all("els => els.map(e => e.value)")
    assert len(months) >= 6
    changed = 0
    for index, month in enumerate(months):  # newest first, until a clock changes
        if index:
            page.locator("select[name=month]").select_option(month)
            with page.expect_navigation():
                page.get_by_role("button", name="Recompute").click()
        assert page.locator("p.summary").inner_text().startswith(f"{month} under version")
        for row in page.locator("table.whatif tbody tr").all():
            priority = row.get_attribute("data-priority")
            difference = row.locator("td.diff").inner_text()
            if priority in ("P1", "P3", "P4"):
                assert number(difference) == 0.0, (month, priority, difference)
            else:
                assert number(difference) >= 0.0, (month, priority, difference)
        changed = page.locator("table.changed tbody tr").count()
        if changed:
            break
    assert changed, "no month of the run changes a clock under the old P2 targets"
    shot = v.shot("what-if")
    for row in page.locator("table.changed tbody tr").all():
        states = row.locator(".status").all_inner_texts()
        assert states == ["✗ breached", "✓ met"], states
    assert shot.exists()
    v.watch.check()
