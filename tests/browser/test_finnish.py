"""The dashboard in Finnish: `?lang=fi` gives Finnish labels and numbers written the
Finnish way (a decimal comma, a narrow no-break space between thousands), and is
remembered for the next page."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.browser.conftest import Demo, Visit

PERCENT_FI = re.compile(r"^\d{1,3},\d\u00a0%$")  # 97,8 %


def test_finnish_overview(visit: Callable[..., Visit], demo: Demo) -> None:
    key = demo.story("watermelon").customer
    month = demo.full_month
    v = visit(demo.tokens["admin"], then=f"/ui/{key}/?month={month}&lang=fi")
    page = v.page
    assert page.locator("html").get_attribute("lang") == "fi"
    nav = page.get_by_role("navigation", name="Osiot")
    assert nav.locator("[aria-current=page]").inner_text() == "Yleiskuva"
    assert nav.get_by_role("link").all_inner_texts()[:3] == ["Yleiskuva", "Vaarassa", "Tiketit"]
    assert page.locator("select#month").input_value() == month
    assert page.locator("#sla-h").inner_text() == f"SLA {month}"
    assert page.locator("#wm-h").inner_text() == "Vesimelonimatriisi"
    assert page.get_by_role("button", name="Kirjaudu ulos").is_visible()
    values = page.locator("article.tile[data-metric] .value a").all_inner_texts()
    assert values and all(PERCENT_FI.match(x) for x in values), values
    objective = page.locator("article.tile[data-metric] .sub").first.inner_text()
    assert re.search(r"tavoite \d+,\d\u00a0%", objective), objective
    breached = page.locator("article.tile[data-metric] a[data-figure=breached]").first
    assert re.fullmatch(r"\d+ ylittyi", breached.inner_text())
    v.shot("overview-fi")
    v.go("/ui/at-risk")  # the language is remembered
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vaarassa")
    v.watch.check()
