"""Query parameters of the honest-numbers, recurring, comments and contracts pages.

A page reads its parameters as text and checks them here, so a wrong value shows the page
(its defaults) with a plain message naming the parameter, the value and what was expected,
answered with 422, rather than a bare error document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from fastapi.responses import HTMLResponse

from mittari.db.models import Customer
from mittari.services.evidence_words import EvidenceEvent
from mittari.web.deps import Page
from mittari.web.i18n import Translator
from mittari.web.render import render

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MONTH = re.compile(r"(19[7-9]\d|20\d\d)-(0[1-9]|1[0-2])")  # months the calendars can measure


@dataclass
class Checked:
    """The problems found so far, as (parameter, value, expected)."""

    problems: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def status(self) -> int:
        return 422 if self.problems else 200

    def month(self, value: str | None, name: str = "month") -> str | None:
        """A YYYY-MM month, or None (empty or wrong: the page's default)."""
        text = (value or "").strip()
        if not text:
            return None
        if MONTH.fullmatch(text) is None:
            self.problems.append((name, text[:40], "YYYY-MM"))
            return None
        return text

    def choice(self, value: str | None, name: str, allowed: tuple[str, ...]) -> str | None:
        text = (value or "").strip()
        if not text:
            return None
        if text not in allowed:
            self.problems.append((name, text[:40], ", ".join(allowed)))
            return None
        return text

    def text(self, value: str | None, name: str) -> str | None:
        text = (value or "").strip()
        if len(text) > 200:
            self.problems.append((name, text[:20] + "…", "at most 200 characters"))
            return None
        return text or None

    def number(self, value: str | None, name: str) -> int | None:
        """A positive id, or None."""
        text = (value or "").strip()
        if not text:
            return None
        if not text.isdigit() or not 0 < int(text) < 2**63:
            self.problems.append((name, text[:40], "a number"))
            return None
        return int(text)

    def as_of(self, value: str | None) -> int:
        """An ISO 8601 instant with its offset, in µs UTC; now when not given."""
        text = (value or "").strip()
        if text:
            try:
                found = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                found = None
            if found is not None and found.utcoffset() is not None and 1970 <= found.year < 2100:
                return (found - EPOCH) // timedelta(microseconds=1)
            self.problems.append(("as_of", text[:40], "an ISO 8601 instant with its offset"))
        return now_us()


def render_checked(
    page: Page, template: str, customer: Customer, section: str, checked: Checked, **context: Any
) -> HTMLResponse:
    """One of these pages of `customer`: answered 422 naming the parameters `checked` found
    wrong, with the navigation and the template `helpers`."""
    return render(
        page.request,
        template,
        status=checked.status,
        who=page.who,
        nav_customers=page.customers(),
        customer=customer,
        section=section,
        problems=checked.problems,
        **context,
        **helpers(page.t),
    )


def now_us() -> int:
    return int(datetime.now(UTC).timestamp() * 1_000_000)


def helpers(t: Translator) -> dict[str, Callable[..., str]]:
    """Functions the pages' templates call: a ticket's timeline link, an instant as ISO
    8601 (for `<time datetime>`), and an evidence event in words."""

    def word(prefix: str, value: str) -> str:
        found = t(prefix + value)
        return value if found == prefix + value else found

    def phrase(event: EvidenceEvent) -> str:
        value = event.value
        if event.kind == "status":
            value = word("mo_st_", value)
        elif event.kind in ("reply", "note"):
            value = word("mo_actor_", value)
        return t("mo_ev_" + event.kind, value=value)

    return {"ticket_url": ticket_url, "iso": iso, "phrase": phrase}


def ticket_url(customer: str, ticket: str) -> str:
    """The ticket's timeline page (any character of its id escaped)."""
    return f"/ui/{quote(customer, safe='')}/tickets/{quote(ticket, safe='')}"


def iso(us: int | None) -> str:
    if us is None:
        return ""
    return (EPOCH + timedelta(microseconds=us)).isoformat().replace("+00:00", "Z")
