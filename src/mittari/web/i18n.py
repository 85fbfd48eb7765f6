"""The dashboard's two languages: messages, and numbers and times written the local way.

English and Finnish messages live in `messages/{en,fi}.json` and in part files
`messages/<part>.{en,fi}.json`, with the same keys (a test checks that). The language is
`?lang=` when given (and then remembered in a cookie), else the cookie, else the browser's
first known language, else English.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from fastapi import Request

from mittari.reports import wording
from mittari.services import vocabulary
from mittari.services.vocabulary import capital

LANGUAGES = ("en", "fi")
COOKIE = "mittari_lang"


@cache
def messages(lang: str) -> dict[str, str]:
    """`messages/{lang}.json` and every `messages/<part>.{lang}.json` (one file per page group)."""
    found: dict[str, str] = {}
    folder = resources.files("mittari.web").joinpath("messages")
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name == f"{lang}.json" or item.name.endswith(f".{lang}.json"):
            found |= json.loads(item.read_text("utf-8"))
    return found


def choose(request: Request) -> str:
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return str(candidate)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


@dataclass(frozen=True)
class Translator:
    """`t("key", n=3)` formats a message; `t.num`, `t.pct`, `t.when` write values."""

    lang: str

    @property
    def decimal(self) -> str:
        """The decimal mark: a comma in Finnish (for the charts' numbers)."""
        return "," if self.lang == "fi" else "."

    def __call__(self, key: str, **values: object) -> str:
        text = messages(self.lang).get(key) or messages("en").get(key) or key
        return text.format(**values) if values else text

    # codes in words, the same as the monthly report's (`services.vocabulary`)

    def figure(self, code: str) -> str:
        return capital(vocabulary.figure_name(code, self.lang))

    def factor(self, code: str) -> str:
        """A factor as it stands in a sentence ("affected by: not fixed")."""
        return vocabulary.factor_name(code, self.lang)

    def flag(self, code: str) -> str:
        """A flag's name, or a rule's with its flag's ("Premature resolve · reopened")."""
        return capital(vocabulary.flag_or_rule(code, self.lang))

    def rule(self, code: str) -> str:
        return vocabulary.rule_name(code, self.lang)

    def missed(self, figure: str, value: float | None, direction: str, objective: float) -> str:
        """A missed experience objective: "Happiness −3.7 (objective ≥ 40)"."""
        return wording.missed_text(figure, value, direction, objective, self._lang)

    def factor_shares(self, shares: Sequence[tuple[str, float]]) -> str:
        """Factors with the share of answers naming them: "Not fixed 30 %, Slow 20 %"."""
        return ", ".join(wording.factor_text(code, share, self._lang) for code, share in shares)

    @property
    def _lang(self) -> wording.Lang:
        return "fi" if self.lang == "fi" else "en"

    def num(self, value: float | int | None, digits: int = 0) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = f"{value:,.{digits}f}"
        if self.lang == "fi":  # 1 234,5: a narrow no-break space groups, a comma decimals
            text = text.replace(",", "\u202f").replace(".", ",")
        return text.replace("-", "−")

    def pct(self, value: float | None, digits: int = 1) -> str:
        """A percentage given as 0–100."""
        shown = self.num(value, digits)
        return shown if shown == "–" else f"{shown}\u00a0%"

    def when(self, us: int | None, zone: str = "UTC", seconds: bool = False) -> str:
        """An instant (µs UTC) as local wall time in `zone`, ISO-like and unambiguous."""
        if us is None:
            return "–"
        local = datetime.fromtimestamp(us / 1_000_000, UTC).astimezone(ZoneInfo(zone))
        shape = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
        return local.strftime(shape)

    def duration(self, us: int | None) -> str:
        """A duration (µs) as `2 d 3 h 05 min` (`pv`, `h`, `min` in Finnish)."""
        if us is None:
            return "–"
        sign = "−" if us < 0 else ""
        minutes = abs(int(us)) // 60_000_000
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        day = "pv" if self.lang == "fi" else "d"
        if days:
            return f"{sign}{days} {day} {hours} h {mins:02d} min"
        if hours:
            return f"{sign}{hours} h {mins:02d} min"
        return f"{sign}{mins} min"
