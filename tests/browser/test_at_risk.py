"""The at-risk page is live: its countdowns tick every second, and the at-risk stream
(Server-Sent Events, authenticated by the session cookie) delivers the listed clocks, whose
levels the page's script (`static/live.js`) writes into the rows."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.browser.conftest import Demo, Visit

# Observes the page's EventSource without changing it: counts what the stream delivers.
RECORD_STREAM = """
(() => {
  const Original = window.EventSource;
  const seen = { opened: 0, errors: 0, clocks: [] };
  window.__stream = seen;
  function Recorded(url, options) {
    const source = new Original(url, options);
    source.addEventListener("open", () => { seen.opened += 1; });
    source.addEventListener("error", () => { seen.errors += 1; });
    source.addEventListener("clock", (e) => { seen.clocks.push(JSON.parse(e.data)); });
    return source;
  }
  Recorded.prototype = Original.prototype;
  window.EventSource = Recorded;
})();
"""
DAY_MS = 86_400_000


def test_countdowns_tick_and_the_stream_delivers(visit: Callable[..., Visit], demo: Demo) -> None:
    v = visit(demo.tokens["admin"], then="/ui/at-risk", init_script=RECORD_STREAM)
    page = v.page
    assert page.get_by_role("heading", level=1).inner_text() == "At risk"
    rows = page.locator("table.at-risk tbody tr[data-key]")
    assert rows.count() >= 10  # the demo ends now: the last hours' clocks are open
    keys = rows.evaluate_all("els => els.map(e => e.dataset.key)")
    assert len(set(keys)) == len(keys)
    customers = {k.split("/")[0] for k in keys}
    assert len(customers) >= 3  # the provider's page lists every customer's clocks

    # a running clock within a day of its due instant: its countdown shows seconds
    now_ms = page.evaluate("Date.now()")
    index = page.evaluate(
        """([now, day]) => {
          const cells = [...document.querySelectorAll("table.at-risk td.countdown")];
          return cells.findIndex(c => !c.hasAttribute("data-paused")
            && Math.abs(Number(c.dataset.due) - now) < day);
        }""",
        [now_ms, DAY_MS],
    )
    assert index >= 0, "no running clock within a day of its due instant"
    cell = page.locator("table.at-risk td.countdown").nth(index)
    before = cell.inner_text()
    assert before.startswith(("in ", "overdue by ")) and before.endswith(" s"), before
    page.wait_for_timeout(2200)
    after = cell.inner_text()
    assert after != before and after.endswith(" s"), (before, after)

    # the stream's first snapshot: every listed clock (a key is `customer/ticket/metric/cycle`)
    page.wait_for_function(
        """keys => {
          const got = new Set(window.__stream.clocks.map(
            c => [c.customer, c.ticket, c.metric, c.cycle].join("/")));
          return keys.every(k => got.has(k));
        }""",
        arg=keys,
        timeout=20_000,
    )
    stream, levels = page.evaluate(
        """() => [window.__stream, Object.fromEntries(
          [...document.querySelectorAll("table.at-risk tbody tr[data-key]")]
            .map(e => [e.dataset.key, e.dataset.level]))]"""
    )  # both at one instant: a level may change between two reads
    assert stream["opened"] >= 1 and stream["errors"] == 0, {
        k: v for k, v in stream.items() if k != "clocks"
    }
    delivered = {
        f"{c['customer']}/{c['ticket']}/{c['metric']}/{c['cycle']}": c for c in stream["clocks"]
    }
    for key in keys:  # the script wrote each delivered level into its row
        assert levels[key] == delivered[key]["level"], (key, levels[key], delivered[key])
    assert page.locator("[data-live-note]").is_hidden()  # no clock the page does not list
    first = delivered[keys[0]]
    pill = rows.first.locator("td.level .status").inner_text()
    assert pill.lower() == first["level"], (pill, json.dumps(first))
    v.shot("at-risk", full_page=False)
    v.watch.check()  # before leaving: leaving aborts the stream's request
