"""The dashboard's main pages: a customer's overview, the at-risk clocks, the tickets list and
one ticket's timeline. Each figure shown is checked against the service that computes it on
the world's data (both databases), read from the HTML with a parser; each number's link is
followed to the tickets list, whose count must be the number."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyarrow.compute as pc
import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser
from sqlalchemy import Engine
from tests.api.conftest import CONTRACTS, A, B, World
from tests.db.conftest import drop_database, fresh_database
from tests.web.pages import Node, get, parse

from mittari.api.settings import Settings
from mittari.db import repository as repo
from mittari.db.migrate import upgrade
from mittari.db.scope import Principal, Role, Scoped
from mittari.services.at_risk import Levels, feed
from mittari.services.experience import customer_parts, figures_table
from mittari.services.ingest import import_source
from mittari.services.live import recompute
from mittari.services.stored import add_contract, compliance
from mittari.services.stored_reports import availability_report, credit_report
from mittari.services.timeline import ticket_clocks
from mittari.services.tokens import create_token
from mittari.services.watermelon_stored import customer_watermelon
from mittari.services.xla import pooled
from mittari.web import ticket_list
from mittari.web.i18n import Translator
from mittari.web.site import create_site
from mittari.web.timeline_svg import LABEL_W, PAD, Lane, band, merged, stretches, time_ticks

EN = Translator("en")
US = 1_000_000


def now_us() -> int:
    return int(datetime.now(UTC).timestamp() * US)


def admin_scope(world: World, conn: object) -> Scoped:
    return Scoped(conn, Principal(0, Role.PROVIDER_ADMIN, None))  # type: ignore[arg-type]


def owner_of(world: World, key: str) -> int:
    with world.engine.connect() as conn:
        found = admin_scope(world, conn).customer_id(key)
    assert found is not None
    return found


def listed(client: TestClient, url: str) -> tuple[int, list[str]]:
    """The count a tickets page states, and the tickets its rows link to."""
    page = get(client, url)
    total = int(page.one("strong", data_total=None).attrs["data-total"] or "-1")
    rows = page.one("table", class_="tickets").all("tbody")[0].all("tr") if total else []
    names = [row.all("a")[0].text() for row in rows]
    return total, names


# --- overview --------------------------------------------------------------------------------


def latest_compliance(world: World, key: str) -> tuple[str, dict[str, dict[str, int]]]:
    table, _ = compliance(world.engine, key, by=["month", "metric"])
    month = max(m for m in table.column("month").to_pylist() if m)
    found: dict[str, dict[str, int]] = {}
    for row in table.filter(pc.equal(table.column("month"), month)).to_pylist():
        seen = found.setdefault(row["metric"], {"count": 0, "met": 0, "breached": 0})
        for name in seen:
            seen[name] += row[name]
    return month, found


@pytest.mark.parametrize("key", [A, B])
def test_the_sla_tiles_are_the_compliance_of_the_latest_month(world: World, key: str) -> None:
    month, expected = latest_compliance(world, key)
    page = get(world.client("analyst"), f"/ui/{key}/")
    assert page.one("select", name="month").one("option", selected=None).text() == month
    tiles = {t.attrs["data-metric"]: t for t in page.all("article", data_metric=None)}
    assert set(tiles) == set(expected)
    for metric, want in expected.items():
        tile = tiles[metric]
        shown = tile.one("a", data_figure="compliance").text()
        assert shown == EN.pct(100.0 * want["met"] / want["count"], 1)
        assert tile.one("a", data_figure="breached").text() == f"{want['breached']} breached"
        assert tile.one("a", data_figure="met").text() == f"{want['met']} in time"
        assert tile.all("svg", class_="sparkline"), "a 12-month trend"


def test_a_tiles_numbers_are_the_rows_of_the_tickets_they_link_to(world: World) -> None:
    month, expected = latest_compliance(world, B)
    assert expected["resolution"]["breached"] >= 1  # the world's INC-1003 breaches
    client = world.client("admin")
    page = get(client, f"/ui/{B}/")
    for metric, want in expected.items():
        tile = page.one("article", data_metric=metric)
        for figure, count in (("breached", "breached"), ("met", "met"), ("compliance", "count")):
            href = tile.one("a", data_figure=figure).attrs["href"] or ""
            query = parse_qs(urlsplit(href).query)
            assert query["metric"] == [metric] and query["month"] == [month]
            total, names = listed(client, href)
            assert total == len(names) == want[count], (metric, figure)
            for name in names:
                assert client.get(f"/ui/{B}/tickets/{name}").status_code == 200


def test_every_link_of_the_overview_to_tickets_answers(world: World) -> None:
    client = world.client("viewer_a")
    page = get(client, f"/ui/{A}/")
    links = {a.attrs["href"] for a in page.all("a") if (a.attrs["href"] or "").startswith("/ui/")}
    tickets = [link for link in links if link and "/tickets" in link]
    assert tickets
    for link in sorted(tickets):
        assert client.get(link).status_code == 200, link


def test_the_experience_tiles_are_the_services_figures(world: World) -> None:
    month, _ = latest_compliance(world, A)
    parts = pooled(customer_parts(world.engine, A, as_of_us=now_us()), by_service=False)
    shown = parts.filter(pc.equal(parts.column("month"), month))
    figures = figures_table(shown).to_pylist()[0]
    page = get(world.client("admin"), f"/ui/{A}/")
    happiness = page.one("article", data_figure="happiness").one("div", class_="value").text()
    assert happiness == EN.num(figures["happiness"], 0)
    rate = page.one("article", data_figure="response_rate").one("div", class_="value").text()
    assert rate == EN.pct(figures["response_rate_pct"], 0)
    comments = page.one("article", data_figure="comments").one("div", class_="value").text()
    assert comments == str(pc.sum(shown.column("commented")).as_py())


def test_the_watermelon_matrix_shows_each_cell_and_a_watermelons_drivers(world: World) -> None:
    month, _ = latest_compliance(world, A)
    cells = {
        (c.service, c.month): c
        for c in customer_watermelon(world.engine, A, as_of_us=now_us())
        if c.month <= month
    }
    client = world.client("viewer_a")
    page = get(client, f"/ui/{A}/")
    shown = {
        (td.attrs["data-service"] or None, td.attrs["data-month"]): td
        for td in page.one("table", class_="matrix").all("td", data_cell=None)
    }
    assert set(shown) == set(cells)
    melons = [key for key, c in cells.items() if c.cell.value == "watermelon"]
    assert melons, "the world's A has a watermelon (VPN, the reopened ticket)"
    t = Translator("en")
    for key, cell in cells.items():
        td = shown[key]
        assert td.attrs["data-cell"] == cell.cell.value
        if cell.drivers is not None:
            details = td.one("details", class_="drivers").text()
            assert all(
                t.missed(m.figure, m.value, m.direction, m.objective) in details
                for m in cell.drivers.missed_figures
            )
            assert len(cell.drivers.missed_figures) == len(cell.drivers.missed)
            assert "_" not in details.split("“")[0]  # no field names before the comments
            assert all(c.text in details for c in cell.drivers.comments)
    service, melon_month = melons[0]
    total, names = listed(client, td_link(shown[melons[0]]))
    assert total == len(names) >= 1
    assert service is not None and melon_month == month


def td_link(td: Node) -> str:
    return td.all("a")[0].attrs["href"] or ""


def test_availability_and_credits_are_the_reports_of_the_month(world: World) -> None:
    month, _ = latest_compliance(world, B)
    owner = owner_of(world, B)
    with world.engine.connect() as conn:
        scope = admin_scope(world, conn)
        uptime = availability_report(scope, owner, now_us(), month).to_pylist()
        lines = credit_report(scope, owner, month, now_us()).to_pylist()
    assert uptime and lines, "B's contract has availability objectives and a credit table"
    page = get(world.client("admin"), f"/ui/{B}/?month={month}")
    rows = {
        tr.attrs["data-service"]: tr
        for tr in page.one("table", class_="availability").all("tr", data_service=None)
    }
    assert set(rows) == {r["service"] for r in uptime}
    for r in uptime:
        cells = [td.text() for td in rows[r["service"]].all("td")]
        assert cells[0] == EN.pct(r["uptime_pct"], 3) and cells[1] == EN.pct(r["objective_pct"], 2)
        assert ("met" if r["objective_met"] else "missed") in cells[2]
    total = next(line for line in lines if line["step"] == "total")
    due = page.one("strong", data_figure="credits-total").text()
    assert due == f"{EN.num(total['amount'], 2)} {total['currency']}"
    assert len(page.one("table", class_="credits").all("tbody")[0].all("tr")) == len(lines)


def test_a_month_without_figures_and_a_wrong_month(world: World) -> None:
    client = world.client("admin")
    empty = get(client, f"/ui/{A}/?month=2024-06")
    assert not empty.all("article", data_metric=None)
    assert "No clock stopped in this month." in empty.text()
    wrong = get(client, f"/ui/{A}/?month=2025-3", status=422)
    assert (
        "month: “2025-3” is not valid; expected YYYY-MM."
        in wrong.one("ul", class_="problems").text()
    )


def test_the_overview_speaks_finnish(world: World) -> None:
    month, expected = latest_compliance(world, B)
    page = get(world.client("admin"), f"/ui/{B}/?lang=fi")
    assert page.one("html").attrs["lang"] == "fi"
    assert page.one("h2", id="sla-h").text() == f"SLA {month}"
    want = expected["resolution"]
    shown = page.one("article", data_metric="resolution").one("a", data_figure="compliance")
    assert shown.text() == Translator("fi").pct(100.0 * want["met"] / want["count"], 1)


def test_the_monthly_report_downloads_as_pdf_and_opens_as_html(world: World) -> None:
    month, _ = latest_compliance(world, A)
    client = world.client("viewer_a")
    page = get(client, f"/ui/{A}/")
    hrefs = {a.attrs["href"] for a in page.one("div", class_="report-links").all("a")}
    pdf_link = f"/ui/{A}/report?month={month}&format=pdf"
    assert hrefs == {pdf_link, f"/ui/{A}/report?month={month}&format=html"}
    pdf = client.get(pdf_link)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    disposition = pdf.headers["content-disposition"]
    assert disposition == f'attachment; filename="mittari-{A}-{month}.pdf"'
    html = client.get(f"/ui/{A}/report", params={"month": month, "format": "html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Monthly service review" in html.text and "March 2025" in html.text
    assert B not in html.text
    bad = client.get(f"/ui/{A}/report", params={"format": "docx"})
    assert bad.status_code == 422 and "format" in bad.text


# --- at risk ---------------------------------------------------------------------------------


def feed_of(world: World, persona_role: Role, customer: int | None) -> list[object]:
    with world.engine.connect() as conn:
        scope = Scoped(conn, Principal(0, persona_role, customer))
        return list(feed(conn, scope, None, now_us(), 500, Levels()))


def test_at_risk_lists_the_feed_with_due_times_levels_and_a_live_countdown(world: World) -> None:
    owner = owner_of(world, A)
    expected = {
        f"{r.customer}/{r.ticket}/{r.metric}/{r.cycle}": r  # type: ignore[attr-defined]
        for r in feed_of(world, Role.CUSTOMER_VIEWER, owner)
    }
    assert expected, "the world's OPEN-A is open"
    client = world.client("viewer_a")
    page = get(client, f"/ui/{A}/at-risk")
    table = page.one("table", class_="at-risk")
    assert table.attrs["data-live"] == f"/api/v1/at-risk/stream?limit=500&customer={A}"
    rows = {tr.attrs["data-key"]: tr for tr in table.all("tr", data_key=None)}
    assert set(rows) == set(expected)
    for key, clock in expected.items():
        tr = rows[key]
        due_us = int(clock.due_at.timestamp() * US)  # type: ignore[attr-defined]
        countdown = tr.one("td", class_="countdown")
        assert countdown.attrs["data-due"] == str(due_us // 1000)
        if clock.state == "running":  # type: ignore[attr-defined]
            assert tr.one("td", class_="due").text() == EN.when(due_us, "Europe/Helsinki")
        assert tr.one("td", class_="level").text() == clock.level  # type: ignore[attr-defined]
        link = tr.all("a")[0].attrs["href"] or ""
        assert client.get(link).status_code == 200
    assert page.one("script").attrs["src"] == "/ui/static/live.js"
    script = client.get("/ui/static/live.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "EventSource" in script.text and "http" not in script.text  # nothing remote


def test_the_all_customers_page_filters_and_sends_a_viewer_to_its_own(world: World) -> None:
    client = world.client("admin")
    every = get(client, "/ui/at-risk").one("table", class_="at-risk")
    keys = {tr.attrs["data-key"] for tr in every.all("tr", data_key=None)}
    assert {k.split("/")[1] for k in keys} == {"OPEN-A", "OPEN-B"}
    urgent = get(client, "/ui/at-risk?priority=P1").one("table", class_="at-risk")
    assert {tr.all("td")[3].text() for tr in urgent.all("tr", data_key=None)} == {"P1"}
    only_a = get(client, f"/ui/at-risk?customer={A}").one("table", class_="at-risk")
    assert {tr.attrs["data-key"].split("/")[0] for tr in only_a.all("tr", data_key=None)} == {A}
    first = get(client, "/ui/at-risk?metric=first_response").one("table", class_="at-risk")
    assert {tr.attrs["data-key"].split("/")[2] for tr in first.all("tr", data_key=None)} == {
        "first_response"
    }
    nobody = get(client, "/ui/at-risk?team=No+such+team")
    assert not nobody.all("table", class_="at-risk")
    viewer = world.client("viewer_b")
    viewer.follow_redirects = False
    sent = viewer.get("/ui/at-risk", params={"priority": "P1"})
    assert sent.status_code == 303 and sent.headers["location"] == f"/ui/{B}/at-risk?priority=P1"
    assert viewer.get(f"/ui/at-risk?customer={A}").status_code == 303  # never A's page


def test_the_at_risk_stream_takes_the_session_cookie_for_reading_only(world: World) -> None:
    client = TestClient(world.app)
    stream = "/api/v1/at-risk/stream"
    assert client.get(stream, params={"follow": "false"}).status_code == 401
    client.post("/ui/login", data={"token": world.tokens["viewer_a"], "next": "/ui/"})
    text = client.get(stream, params={"follow": "false"}).text
    assert "event: clock" in text and f'"customer":"{A}"' in text and B not in text
    assert client.get(f"/api/v1/customers/{A}/tickets").status_code == 200
    # the header wins over the cookie
    other = {"Authorization": f"Bearer {world.tokens['viewer_b']}"}
    theirs = client.get(stream, params={"follow": "false"}, headers=other).text
    assert f'"customer":"{B}"' in theirs and f'"customer":"{A}"' not in theirs
    # a write never takes the cookie (no cross-site request forgery)
    admin = TestClient(world.app)
    admin.post("/ui/login", data={"token": world.tokens["admin"], "next": "/ui/"})
    assert admin.post(f"/api/v1/customers/{A}/runs").status_code == 401
    stranger = TestClient(world.app)
    stranger.cookies.set("mittari_session", "not-a-token")
    assert stranger.get(stream, params={"follow": "false"}).status_code == 401


# --- tickets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"INC-1001", "INC-1002", "OPEN-A"}),
        ("service=VPN", {"INC-1002"}),
        ("team=Network", {"INC-1002"}),
        ("q=outlook", {"INC-1001"}),
        ("q=inc-100", {"INC-1001", "INC-1002"}),
        ("priority=P3", {"INC-1001"}),
        ("month=2025-03", {"INC-1001", "INC-1002"}),
        ("month=2025-03&service=Email", {"INC-1001"}),
        ("state=open", set()),
    ],
)
def test_the_tickets_filters(world: World, query: str, expected: set[str]) -> None:
    client = world.client("viewer_a")
    total, names = listed(client, f"/ui/{A}/tickets?{query}")
    assert (total, set(names)) == (len(expected), expected)


def test_clock_rows_are_the_runs_measurements(world: World) -> None:
    client = world.client("admin")
    total, names = listed(client, f"/ui/{A}/tickets?metric=resolution&month=2025-03")
    assert (total, sorted(names)) == (2, ["INC-1001", "INC-1002"])
    page = get(client, f"/ui/{A}/tickets?metric=resolution&month=2025-03&state=met")
    header = [th.text() for th in page.one("table", class_="tickets").all("th", scope="col")]
    assert "Metric" in header and "Elapsed" in header


def test_the_flag_filter_finds_the_flagged_ticket_in_the_month_of_its_flag(world: World) -> None:
    client = world.client("analyst")
    for flag in ("late_downgrade", "late"):  # a flag, or one of its rules
        assert listed(client, f"/ui/{B}/tickets?flag={flag}") == (1, ["INC-1003"])
    assert listed(client, f"/ui/{B}/tickets?flag=late_downgrade&month=2025-03")[0] == 1
    assert listed(client, f"/ui/{B}/tickets?flag=late_downgrade&month=2025-02")[0] == 0
    assert listed(client, f"/ui/{B}/tickets?flag=premature_resolve")[0] == 0


def test_pages_of_tickets(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ticket_list, "PAGE_SIZE", 2)
    client = world.client("admin")
    first = get(client, f"/ui/{A}/tickets")
    pager = first.one("nav", class_="pager")
    assert "page 1 of 2" in pager.text()
    following = pager.one("a", rel="next").attrs["href"]
    assert following == "?page=2"
    second = get(client, f"/ui/{A}/tickets{following}")
    rows = second.one("table", class_="tickets").all("tbody")[0].all("tr")
    assert len(rows) == 1 and second.one("nav", class_="pager").all("a", rel="prev")


def test_wrong_filters_are_named(world: World) -> None:
    page = get(
        world.client("admin"),
        f"/ui/{A}/tickets?month=March&state=late&flag=gaming&page=0",
        status=422,
    )
    problems = page.one("ul", class_="problems").text()
    for name, value in (("month", "March"), ("state", "late"), ("flag", "gaming"), ("page", "0")):
        assert f"{name}: “{value}” is not valid" in problems


# --- one ticket ------------------------------------------------------------------------------


def test_the_timeline_shows_every_event_and_each_clocks_segments(world: World) -> None:
    owner = owner_of(world, A)
    with world.engine.connect() as conn:
        scope = admin_scope(world, conn)
        ticket = scope.ticket(owner, "INC-1002")
        assert ticket is not None
        events = scope.events(ticket)
        table, segments = ticket_clocks(conn, owner, ticket.id, now_us())
    assert table is not None
    page = get(world.client("viewer_a"), f"/ui/{A}/tickets/INC-1002")
    rows = page.one("table", class_="events").all("tr", data_event=None)
    assert [tr.attrs["data-event"] for tr in rows] == [str(e.id) for e in events]
    for tr, event in zip(rows, events, strict=True):
        cells = [td.text() for td in tr.all("td")]
        assert cells[0] == EN.when(event.ts_us, "Europe/Helsinki", seconds=True)
        assert cells[2] == (event.value or "")
    cards = {
        (c.attrs["data-metric"], c.attrs["data-cycle"]): c
        for c in page.all("article", class_="clock")
    }
    clocks = table.to_pylist()
    assert set(cards) == {(r["metric"], str(r["cycle"])) for r in clocks}
    for r in clocks:
        assert cards[(r["metric"], str(r["cycle"]))].attrs["data-state"] == r["state"]
    svg = page.one("svg", class_="timeline-band")
    lanes = svg.all("g", class_="lane")
    assert len(lanes) == len(clocks)
    for lane, r in zip(lanes, sorted(clocks, key=lambda r: (r["metric"], r["cycle"])), strict=True):
        drawn = {
            (int(x.attrs["data-start"] or 0), int(x.attrs["data-end"] or 0), x.attrs["data-kind"])
            for x in lane.all("rect", class_="seg")
            if x.attrs["data-kind"] != "stopped"
        }
        mine = [(s.start_us, s.end_us, s.kind) for s in segments if s.metric == r["metric"]]
        assert drawn == set(merged(mine))
        due = lane.one("line", class_="due")
        assert due.attrs["data-at"] == str(int(r["due_at"].timestamp() * US))


def test_a_flag_on_the_timeline_points_at_its_evidence(world: World) -> None:
    page = get(world.client("analyst"), f"/ui/{B}/tickets/INC-1003")
    hit = page.one("li", data_flag="late_downgrade")
    assert hit.attrs["data-rule"] == "late"
    proof = hit.one("ol", class_="evidence").one("a")
    event_id = proof.attrs["data-event"]
    assert proof.attrs["href"] == f"#ev-{event_id}"
    row = page.one("tr", id=f"ev-{event_id}")
    assert "flagged" in (row.attrs["class"] or "") and "Late downgrade" in row.text()
    assert row.one("span", data_flag="late_downgrade") and "late_downgrade" not in row.text()
    assert hit.one("strong").text() == "⚑ Late downgrade"  # the honest page's words
    assert row.all("td")[1].text() == "priority" and row.all("td")[2].text() == "P3"
    others = [tr for tr in page.all("tr", data_event=None) if tr is not row]
    assert not any("flagged" in (tr.attrs.get("class") or "") for tr in others)


def test_a_viewer_reaches_no_ticket_of_another_customer(world: World) -> None:
    client = world.client("viewer_b")
    for url in (f"/ui/{A}/tickets/INC-1001", f"/ui/{B}/tickets/INC-1001", f"/ui/{A}/tickets"):
        response = client.get(url)
        assert response.status_code == 404 and "INC-1001" not in response.text, url
    assert client.get(f"/ui/{B}/tickets/no-such-ticket").status_code == 404


# --- the clock band's SVG --------------------------------------------------------------------


def test_stretches_of_one_kind_merge_and_gaps_are_stopped() -> None:
    segments = [(0, 10, "running"), (10, 20, "running"), (20, 30, "paused"), (40, 50, "running")]
    assert merged(segments) == [(0, 20, "running"), (20, 30, "paused"), (40, 50, "running")]
    lane = Lane("resolution", segments, 0, 60, None, "met")
    assert stretches(lane, 100) == [
        (0, 20, "running"),
        (20, 30, "paused"),
        (30, 40, "stopped"),  # resolved, then reopened: not counting
        (40, 50, "running"),
        (50, 60, "stopped"),
        (60, 100, "stopped"),  # after the stop, to the right edge
    ]
    still_open = Lane("resolution", [(0, 10, "running")], 0, None, 80, "running")
    assert stretches(still_open, 100) == [(0, 10, "running")]


def test_the_band_places_each_stretch_and_the_due_line_by_hand() -> None:
    lane = Lane("<first> & co", [(250, 500, "running")], 250, 500, 750, "met")
    svg = parse(str(band([lane], 0, 1000, "UTC", EN, width=880)))
    plot = 880 - LABEL_W - PAD  # 718
    running = svg.one("rect", data_kind="running")
    assert float(running.attrs["x"] or 0) == LABEL_W + plot * 0.25  # 329.5
    assert float(running.attrs["width"] or 0) == plot * 0.25
    stopped = svg.one("rect", data_kind="stopped")  # from the stop to the right edge
    assert float(stopped.attrs["x"] or 0) == LABEL_W + plot * 0.5
    due = svg.one("line", class_="due")
    assert float(due.attrs["x1"] or 0) == LABEL_W + plot * 0.75
    assert svg.one("text", class_="lane-label").text() == "<first> & co"  # escaped, then read
    assert "running:" in running.one("title").text()


def test_time_ticks_fall_on_local_midnights_across_a_dst_change() -> None:
    lo = int(datetime(2025, 3, 28, 22, tzinfo=UTC).timestamp() * US)  # 03-29 00:00 in Helsinki
    hi = int(datetime(2025, 4, 2, 0, tzinfo=UTC).timestamp() * US)
    ticks = time_ticks(lo, hi, "Europe/Helsinki")
    hours = [datetime.fromtimestamp(at / US, UTC).strftime("%m-%d %H") for at, _ in ticks]
    # EET (+2) until 2025-03-30 03:00, then EEST (+3): local midnight is 22:00, then 21:00 UTC
    assert hours == ["03-28 22", "03-29 22", "03-30 21", "03-31 21", "04-01 21"]
    assert [label for _, label in ticks] == ["03-29", "03-30", "03-31", "04-01", "04-02"]


# --- the live countdown in a browser (Debian's chromium) ----------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


LIVE_TICKETS = f"LIVE-1,{A},VPN,VPN is down\nLIVE-2,{A},Email,Mail is slow\n"


def _import(engine: Engine, folder: Path, name: str, events: str) -> None:
    """Events of the live tickets, imported as a desk's export would be, then the clocks
    followed as a webhook's events are (`live.recompute`)."""
    (folder / f"{name}.csv").write_text("ticket_id,ts,kind,value,actor\n" + events)
    tickets = folder / f"{name}-tickets.csv"
    tickets.write_text("ticket_id,customer,service,subject\n" + LIVE_TICKETS)
    found = import_source(engine, "canonical", folder / f"{name}.csv", tickets=tickets)
    assert found.n_rejected == 0, found.problems
    with engine.begin() as conn:
        owner = repo.customer_id(conn, A) or -1
        pks = repo.ticket_ids(conn, "canonical", owner).column("id").to_pylist()
        recompute(conn, owner, pks, now_us())


def _opening(ticket: str, at: str) -> str:
    return f"{ticket},{at},created,,customer\n{ticket},{at},priority,P1,\n"


def _opened(engine: Engine) -> str:
    """When the live tickets were created (both at once), as the import wrote it."""
    with engine.connect() as conn:
        first = conn.exec_driver_sql("SELECT MIN(ts_us) FROM events").scalar_one()
    return datetime.fromtimestamp(first / US, UTC).isoformat()


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[tuple[Engine, str, str]]:
    """A store of its own (the test closes a ticket), served over HTTP: two open tickets of
    A, opened five minutes ago (P1: first response due in 25 minutes, round the clock)."""
    engine, url = fresh_database("sqlite", str(tmp_path))
    upgrade(engine)
    add_contract(engine, CONTRACTS / f"{A}.yaml")
    opened = (datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)).isoformat()
    events = "".join(_opening(t, opened) for t in ("LIVE-1", "LIVE-2"))
    _import(engine, tmp_path, "open", events)
    token = create_token(engine, "a-it", "customer-viewer", A)[0]
    settings = Settings(database_url=url, notifier=False, sse_interval_s=0.3)
    app = create_site(settings, engine=engine)
    config = uvicorn.Config(app, port=_free_port(), log_level="warning")
    config.timeout_graceful_shutdown = 2
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield engine, f"http://127.0.0.1:{config.port}", token
    server.should_exit = True
    thread.join(timeout=10)
    drop_database(engine)


def test_the_countdown_ticks_and_the_stream_removes_a_closed_clock(
    live_site: tuple[Engine, str, str], tmp_path: Path, browser: Browser
) -> None:
    engine, base, token = live_site
    first = f"tr[data-key='{A}/LIVE-1/first_response/0'] td.countdown"
    closed = f"tr[data-key^='{A}/LIVE-2/']"
    bare_context = browser.new_context(java_script_enabled=False)
    context = browser.new_context()
    try:  # the session's chromium (tests/conftest.py)
        bare = bare_context.new_page()
        _log_in(bare, base, token)
        bare.goto(f"{base}/ui/{A}/at-risk")
        assert re.fullmatch(r"in 2\d min", bare.inner_text(first).strip())  # the server's
        page = context.new_page()
        _log_in(page, base, token)
        page.goto(f"{base}/ui/{A}/at-risk")
        before = page.inner_text(first)
        page.wait_for_timeout(1500)
        after = page.inner_text(first)
        assert re.fullmatch(r"in 2\d min \d\d s", after) and after != before
        assert page.locator(closed).count() == 2  # its first response and resolution
        resolved = datetime.now(UTC).replace(microsecond=0).isoformat()
        again = _opening("LIVE-2", _opened(engine))  # a file names a ticket's creation
        _import(engine, tmp_path, "close", f"{again}LIVE-2,{resolved},status,resolved,agent\n")
        page.wait_for_function(
            f'document.querySelectorAll("{closed}").length === 0', timeout=15_000
        )
        assert page.locator(f"tr[data-key^='{A}/LIVE-1/']").count() == 2
        assert page.inner_text("[data-count]") == "2"
    finally:
        bare_context.close()
        context.close()


def _log_in(page: Any, base: str, token: str) -> None:
    page.goto(f"{base}/ui/login")
    page.fill("#token", token)
    page.click("button[type=submit]")
