"""Every highlight written in English and Finnish from its numbers; numbers written the
way each language writes them."""

from __future__ import annotations

import pytest

from mittari.reports import wording
from mittari.services.review import Highlight

CASES = {
    "no_measurements": (
        {"month": "2026-10"},
        "No ticket clock stopped in October 2026.",
        "Yksikään tiketin kello ei pysähtynyt: lokakuu 2026.",
    ),
    "sla_missed": (
        {"metric": "resolution", "pct": 86.3, "objective": 90.0, "missed": 1, "judged": 3},
        "Resolution missed its objective: 86.3 % against 90 % (1 of 3 objectives missed).",
        "Ratkaisuaika jäi tavoitteestaan: 86,3 %, tavoite 90 % (1/3 tavoitetta ei täyttynyt).",
    ),
    "breach_pattern": (
        {"count": 3, "total": 5, "metric": "first_response", "priority": None, "cause": "reopened"},
        "3 of 5 first response breaches were tickets closed and then reopened.",
        "5 ensivasteen ylityksestä 3 oli tikettejä, jotka suljettiin ja avattiin uudelleen.",
    ),
    "experience_worse": (
        {"figure": "lost_time_mean_min", "before": 20.0, "after": 75.0},
        "Lost time per answer rose from 20.0 min to 75.0 min since the month before.",
        "Menetetty aika / vastaus nousi edellisestä kuusta: 20,0 min → 75,0 min.",
    ),
    "xla_missed": (
        {"figure": "reopen_rate_pct", "after": 13.9, "objective": 10.0, "direction": "max"},
        "Reopen rate was 13.9 %, short of its objective of at most 10 %.",
        "Uudelleenavaukset oli 13,9 %; tavoite on enintään 10 %.",
    ),
    "flags": (
        {"flagged": 1, "flag": "late_downgrade"},
        "1 ticket was flagged for integrity, most often late downgrade.",
        "Eheyslippuja 1 tiketissä, useimmin myöhäinen prioriteetin lasku.",
    ),
    "availability_missed": (
        {"service": "ERP", "uptime": 99.496, "objective": 99.5, "outages": 1, "downtime_min": 217},
        "ERP availability was 99.496 % against 99.5 % (1 outage, 217 minutes down).",
        "Palvelun ERP käytettävyys oli 99,496 %, tavoite 99,5 % (1 katkoa, 217 min).",
    ),
    "availability_met": (
        {"services": 2, "service": "VPN", "uptime": 99.95, "objective": 99.8},
        "All 2 services met their availability objectives; the lowest was VPN at 99.95 %.",
        "Kaikki 2 palvelua saavuttivat käytettävyystavoitteensa; alin oli VPN: 99,95 %.",
    ),
    "credits": (
        {"pct": 3.0, "amount": 1200.0, "currency": "EUR", "step": "metric", "item": "resolution"}
        | {"uptime": 80.0, "objective": 90.0},
        "Service credits: 3 % of the monthly fee (1,200.00 EUR) for resolution, "
        "compliance 80.0 % vs 90 %.",
        "Hyvitys: 3 % kuukausimaksusta (1 200,00 EUR); syynä ratkaisuaika: toteuma 80,0 %, "
        "tavoite 90 %.",
    ),
    "comments": (
        {"total": 8, "negative": 1, "positive": 6},
        "1 of 8 comments was negative and 6 positive.",
        "8 kommentista 1 oli kielteisiä ja 6 myönteisiä.",
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_highlight_in_both_languages(kind: str) -> None:
    numbers, english, finnish = CASES[kind]
    found = Highlight(kind, numbers)
    assert wording.highlight_text(found, "en") == english
    assert wording.highlight_text(found, "fi") == finnish


def test_every_kind_the_rules_give_has_words() -> None:
    kinds = {
        "no_measurements",
        "sla_met",
        "sla_missed",
        "breach_pattern",
        "experience_worse_sla_met",
        "experience_worse",
        "experience_better",
        "xla_missed",
        "honest_gap",
        "flags",
        "credits",
        "availability_missed",
        "availability_met",
        "recurring",
        "comments",
    }
    for lang in wording.LANGS:
        assert set(wording._WRITERS[lang]) == kinds


def test_numbers_per_language() -> None:
    assert wording.number(12345.678, 1, "en") == "12,345.7"
    assert wording.number(12345.678, 1, "fi") == "12 345,7"
    assert wording.number(-25, 0, "en") == "−25"
    assert wording.trimmed(99.5, "fi") == "99,5" and wording.trimmed(75.0, "en") == "75"
    # beside its objective a percentage never looks equal to it
    assert wording.pct(99.4963, "en", beside=99.5) == "99.496 %"
    assert wording.pct(76.4706, "en", beside=75.0) == "76.5 %"
    assert wording.pct(99.96, "en") == "99.96 %" and wording.pct(100.0, "en") == "100.0 %"
    assert wording.month_name("2026-03", "fi") == "maaliskuu 2026"


def test_a_watermelons_drivers_are_written_as_people_read_them() -> None:
    """The overview's matrix and the report's table write a missed objective and a factor
    alike, from the one vocabulary (`services.vocabulary`)."""
    assert _spaced(wording.missed_text("happiness", -3.704, "min", 40.0, "en")) == (
        "Happiness −3.7 (objective ≥ 40)"
    )
    assert _spaced(wording.missed_text("happiness", -3.704, "min", 40.0, "fi")) == (
        "Onnellisuus −3,7 (tavoite ≥ 40)"
    )
    assert _spaced(wording.missed_text("lost_time_mean_min", 141.2, "max", 60.0, "en")) == (
        "Lost time per answer 141 min (objective ≤ 60 min)"
    )
    assert _spaced(wording.missed_text("reopen_rate_pct", 12.53, "max", 12.0, "fi")) == (
        "Uudelleenavaukset 12,5 % (tavoite ≤ 12 %)"
    )
    assert _spaced(wording.factor_text("not_fixed", 30.0, "en")) == "Not fixed 30 %"
    assert (
        _spaced(wording.factor_text("explain_again", 20.4, "fi")) == "Piti selittää uudelleen 20 %"
    )


def _spaced(text: str) -> str:
    """`text` with its no-break spaces (a number kept with its unit) as plain ones."""
    assert "\u00a0" in text
    return text.replace("\u00a0", " ")
