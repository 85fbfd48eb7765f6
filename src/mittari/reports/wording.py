"""The review's words in English and Finnish: labels, names, numbers, and each highlight
written as a sentence from its structured numbers (`services.review.Highlight`).

Numbers are written the way each language writes them: "76.5 %" and "76,5 %". A
percentage beside its objective gets as many decimals as it takes not to look equal to
it (99.496 % is never shown as "99.50 %" against 99.5 %).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from mittari.services import vocabulary
from mittari.services.review import Highlight
from mittari.services.vocabulary import capital

Lang = Literal["en", "fi"]
LANGS: tuple[Lang, ...] = ("en", "fi")

LABELS: dict[Lang, dict[str, str]] = {
    "en": {
        "title": "Monthly service review",
        "as_of": "Measured from the event log as of",
        "highlights": "Highlights",
        "sla_xla": "Service levels and experience",
        "sla": "SLA",
        "xla": "Experience (XLA)",
        "metric": "Metric",
        "priority": "Priority",
        "compliance": "Compliance",
        "objective": "Objective",
        "honest": "Honest",
        "measured": "Measured",
        "tickets_measured": "Tickets with a clock stopped this month",
        "status": "Status",
        "figure": "Figure",
        "value": "Value",
        "month_before": "Month before",
        "answers": "Answers",
        "met": "met",
        "missed": "missed",
        "not enough answers": "not enough answers",
        "all": "all",
        "trend": "Last 12 months",
        "by_priority": "Compliance by priority",
        "breaches": "Breaches",
        "no_breaches": "No clock breached its target this month.",
        "no_measurements": "No clock stopped this month.",
        "ticket": "Ticket",
        "service": "Service",
        "subject": "Subject",
        "elapsed": "Elapsed / target (h)",
        "cause": "Cause",
        "integrity": "Integrity flags",
        "flag": "Flag",
        "hits": "Hits",
        "tickets": "Tickets",
        "watermelon": "SLA beside experience per service",
        "cell": "Cell",
        "experience": "Experience",
        "availability": "Availability",
        "uptime": "Uptime",
        "downtime": "Downtime (min)",
        "outages": "Outages",
        "no_availability": "The contract sets no availability objective.",
        "credits": "Service credits",
        "step": "Step",
        "step_availability": "availability",
        "step_metric": "metric",
        "step_earn-back": "earn-back",
        "step_subtotal": "subtotal",
        "step_cap": "cap",
        "step_total": "total",
        "item": "Item",
        "detail": "Detail",
        "share": "Share of fee",
        "amount": "Amount",
        "no_credits": "No service credit is due for this month.",
        "recurring": "Recurring faults",
        "in_quarter": "This quarter",
        "total": "In all",
        "lost_hours": "Hours open",
        "no_recurring": "No fault recurred at least three times this quarter.",
        "comments": "What people said",
        "no_comments": "No survey comments this month.",
        "score": "Score",
        "sentiment": "Tone",
        "positive": "positive",
        "negative": "negative",
        "neutral": "neutral",
        "unknown": "unknown",
        "green": "green",
        "watermelon_cell": "watermelon",
        "reverse": "reverse",
        "red": "red",
        "page": "Page",
        "of": "of",
        "no_xla": "The contract sets no experience objective.",
        "footer": "Every figure is recomputed from the ticket events under the contract "
        "in force; honest compliance undoes the flagged behaviour.",
    },
    "fi": {
        "title": "Kuukausittainen palvelukatsaus",
        "as_of": "Laskettu tapahtumalokista ajanhetkellä",
        "highlights": "Nostot",
        "sla_xla": "Palvelutaso ja kokemus",
        "sla": "SLA",
        "xla": "Kokemus (XLA)",
        "metric": "Mittari",
        "priority": "Prioriteetti",
        "compliance": "Toteuma",
        "objective": "Tavoite",
        "honest": "Rehellinen",
        "measured": "Mitattu",
        "tickets_measured": "Tikettejä, joiden kello pysähtyi tässä kuussa",
        "status": "Tila",
        "figure": "Luku",
        "value": "Arvo",
        "month_before": "Edellinen kk",
        "answers": "Vastauksia",
        "met": "täyttyi",
        "missed": "ei täyttynyt",
        "not enough answers": "liian vähän vastauksia",
        "all": "kaikki",
        "trend": "Viimeiset 12 kuukautta",
        "by_priority": "Toteuma prioriteeteittain",
        "breaches": "Ylitykset",
        "no_breaches": "Yksikään kello ei ylittänyt tavoitettaan tässä kuussa.",
        "no_measurements": "Yksikään kello ei pysähtynyt tässä kuussa.",
        "ticket": "Tiketti",
        "service": "Palvelu",
        "subject": "Aihe",
        "elapsed": "Kulunut / tavoite (h)",
        "cause": "Syy",
        "integrity": "Eheysliput",
        "flag": "Lippu",
        "hits": "Osumia",
        "tickets": "Tiketit",
        "watermelon": "SLA ja kokemus palveluittain",
        "cell": "Solu",
        "experience": "Kokemus",
        "availability": "Käytettävyys",
        "uptime": "Käytettävyys",
        "downtime": "Katkot (min)",
        "outages": "Katkoja",
        "no_availability": "Sopimus ei aseta käytettävyystavoitetta.",
        "credits": "Hyvitykset",
        "step": "Vaihe",
        "step_availability": "käytettävyys",
        "step_metric": "mittari",
        "step_earn-back": "takaisinansainta",
        "step_subtotal": "välisumma",
        "step_cap": "katto",
        "step_total": "yhteensä",
        "item": "Kohde",
        "detail": "Peruste",
        "share": "Osuus maksusta",
        "amount": "Summa",
        "no_credits": "Tältä kuulta ei makseta hyvitystä.",
        "recurring": "Toistuvat viat",
        "in_quarter": "Tällä neljänneksellä",
        "total": "Kaikkiaan",
        "lost_hours": "Auki (h)",
        "no_recurring": "Mikään vika ei toistunut kolmesti tällä neljänneksellä.",
        "comments": "Mitä käyttäjät sanoivat",
        "no_comments": "Ei kyselykommentteja tässä kuussa.",
        "score": "Arvio",
        "sentiment": "Sävy",
        "positive": "myönteinen",
        "negative": "kielteinen",
        "neutral": "neutraali",
        "unknown": "ei tiedossa",
        "green": "vihreä",
        "watermelon_cell": "vesimeloni",
        "reverse": "käänteinen",
        "red": "punainen",
        "page": "Sivu",
        "of": "/",
        "no_xla": "Sopimus ei aseta kokemustavoitetta.",
        "footer": "Jokainen luku on laskettu uudelleen tikettien tapahtumista voimassa olevan "
        "sopimuksen mukaan; rehellinen toteuma kumoaa liputetun toiminnan.",
    },
}

MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "fi": (
        "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
        "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu",
    ),
}  # fmt: skip

# name, and in Finnish the genitive the sentences need ("ratkaisuajan ylityksistä")
METRICS: dict[Lang, dict[str, str]] = {
    "en": {"first_response": "first response", "resolution": "resolution"},
    "fi": {"first_response": "ensivaste", "resolution": "ratkaisuaika"},
}
METRICS_GENITIVE_FI = {"first_response": "ensivasteen", "resolution": "ratkaisuajan"}

PERCENT_FIGURES = frozenset(
    {"csat_pct", "response_rate_pct", "reopen_rate_pct", "fcr_pct", "ping_pong_pct"}
    | {"repeat_contact_pct"}
)

CAUSES: dict[Lang, dict[str, str]] = {
    "en": {
        "vendor_wait": "vendor wait",
        "customer_wait": "customer wait",
        "reopened": "closed and reopened",
        "reassigned": "passed between teams",
        "priority_changed": "priority changed",
        "slow": "slow handling",
    },
    "fi": {
        "vendor_wait": "toimittajan odotus",
        "customer_wait": "asiakkaan odotus",
        "reopened": "suljettu ja avattu",
        "reassigned": "siirtyi tiimiltä toiselle",
        "priority_changed": "prioriteetti muuttui",
        "slow": "hidas käsittely",
    },
}
# "3 of 4 resolution breaches were P2 tickets ..." / "... P2-tikettejä, jotka ..."
CAUSE_CLAUSES: dict[Lang, dict[str, str]] = {
    "en": {
        "vendor_wait": "waiting on a vendor",
        "customer_wait": "waiting on the customer",
        "reopened": "closed and then reopened",
        "reassigned": "passed between two or more teams",
        "priority_changed": "whose priority changed",
        "slow": "with no wait, reopen or handover recorded",
    },
    "fi": {
        "vendor_wait": "jotka odottivat toimittajaa",
        "customer_wait": "jotka odottivat asiakasta",
        "reopened": "jotka suljettiin ja avattiin uudelleen",
        "reassigned": "jotka kulkivat kahden tai useamman tiimin kautta",
        "priority_changed": "joiden prioriteetti muuttui",
        "slow": "joissa ei ollut odotusta, uudelleenavausta eikä siirtoa",
    },
}


def label(key: str, lang: Lang) -> str:
    return LABELS[lang].get(key, key)


def metric_name(metric: str, lang: Lang) -> str:
    return METRICS[lang].get(metric, metric.replace("_", " "))


def figure_name(figure: str, lang: Lang) -> str:
    return vocabulary.figure_name(figure, lang)


def factor_name(factor: str, lang: Lang) -> str:
    return vocabulary.factor_name(factor, lang)


def flag_name(flag: str, lang: Lang) -> str:
    return vocabulary.flag_name(flag, lang)


def cause_name(cause: str, lang: Lang) -> str:
    return CAUSES[lang].get(cause, cause.replace("_", " "))


def month_name(month: str, lang: Lang) -> str:
    year, number = month.split("-")
    return f"{MONTHS[lang][int(number) - 1]} {year}"


def number(value: float | int | None, digits: int, lang: Lang) -> str:
    """A number with `digits` decimals; a comma in Finnish; "–" for none."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    if lang == "fi":
        text = text.replace(",", " ").replace(".", ",")
    return text.replace("-", "−") if text.startswith("-") else text


def trimmed(value: float | int | None, lang: Lang) -> str:
    """An objective as written: 75, 99.5, 99.95 (no trailing zeros)."""
    if value is None:
        return "–"
    digits = 0
    while digits < 4 and round(float(value), digits) != round(float(value), 6):
        digits += 1
    return number(value, digits, lang)


def pct(value: float | None, lang: Lang, *, beside: float | None = None, digits: int = 1) -> str:
    """A percentage; beside an objective, with the decimals that keep them apart."""
    if value is None:
        return "–"
    if beside is not None and value != beside:
        while digits < 4 and round(value, digits) == round(beside, digits):
            digits += 1
    while digits < 4 and value < 100 <= round(value, digits):  # 99.96 is not "100.0"
        digits += 1
    return f"{number(value, digits, lang)} %"


UNITS = {"lost_time_mean_min": "min", "lost_time_total_h": "h"}


def figure_value(figure: str, value: float | None, lang: Lang) -> str:
    """A figure as people read it: happiness and NPS whole, rates with %, times with units."""
    if value is None:
        return "–"
    shown = number(value, 0 if figure in ("happiness", "nps", "sentiment_net") else 1, lang)
    if figure in PERCENT_FIGURES:
        return f"{shown} %"
    return f"{shown} {UNITS[figure]}" if figure in UNITS else shown


def instant(us: int, zone: str, lang: Lang) -> str:
    at = datetime.fromtimestamp(us / 1_000_000, UTC).astimezone(ZoneInfo(zone))
    if lang == "fi":
        return f"{at.day}.{at.month}.{at.year} klo {at:%H.%M}"
    return f"{at:%Y-%m-%d %H:%M} ({zone})"


def day(us: int, zone: str, lang: Lang) -> str:
    at = datetime.fromtimestamp(us / 1_000_000, UTC).astimezone(ZoneInfo(zone))
    return f"{at.day}.{at.month}." if lang == "fi" else f"{at:%b} {at.day}"


def more(count: int, lang: Lang) -> str:
    return f"and {count} more" if lang == "en" else f"ja {count} muuta"


# --- highlights -----------------------------------------------------------------------------


def highlight_text(h: Highlight, lang: Lang) -> str:
    """The sentence of a highlight, from its numbers alone."""
    writer = _WRITERS[lang].get(h.kind)
    if writer is None:
        return h.kind.replace("_", " ")
    text = writer(h.numbers, lang)
    if (lang, h.kind) in _NAME_FIRST:  # a service's own name, written as it is stored
        return text
    return text[:1].upper() + text[1:]


N = Mapping[str, str | int | float | None]
_NAME_FIRST = {("en", "recurring"), ("en", "availability_missed"), ("fi", "recurring")}


def _f(n: N, key: str) -> float | None:
    value = n.get(key)
    return float(value) if isinstance(value, int | float) else None


def _i(n: N, key: str) -> int:
    value = n.get(key)
    return int(value) if isinstance(value, int | float) else 0


def _s(n: N, key: str) -> str:
    value = n.get(key)
    return "" if value is None else str(value)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _worded(fields: Callable[[N, Lang], dict[str, object]], **sentences: str) -> Writer:
    """A writer of one sentence per language, each filled in with the same `fields`."""

    def write(n: N, lang: Lang) -> str:
        return sentences[lang].format(**fields(n, lang))

    return write


def _sla_fields(n: N, lang: Lang) -> dict[str, object]:
    return {
        "metric": metric_name(_s(n, "metric"), lang),
        "shown": pct(_f(n, "pct"), lang, beside=_f(n, "objective")),
        "objective": trimmed(_f(n, "objective"), lang),
        "judged": _i(n, "judged"),
        "missed": _i(n, "missed"),
    }


_sla_met = _worded(
    _sla_fields,
    en="every SLA objective was met ({judged} of {judged}); the closest was {metric}, "
    "{shown} against {objective} %.",
    fi="kaikki SLA-tavoitteet täyttyivät ({judged}/{judged}); tiukimmin {metric}: "
    "{shown}, tavoite {objective} %.",
)
_sla_missed = _worded(
    _sla_fields,
    en="{metric} missed its objective: {shown} against {objective} % "
    "({missed} of {judged} objectives missed).",
    fi="{metric} jäi tavoitteestaan: {shown}, tavoite {objective} % "
    "({missed}/{judged} tavoitetta ei täyttynyt).",
)


def _en_breaches(n: N, lang: Lang) -> str:
    priority = f"{n['priority']} tickets" if n.get("priority") else "tickets"
    clause = CAUSE_CLAUSES[lang].get(_s(n, "cause"), _s(n, "cause"))
    metric = metric_name(_s(n, "metric"), lang)
    return f"{_i(n, 'count')} of {_i(n, 'total')} {metric} breaches were {priority} {clause}."


def _fi_breaches(n: N, lang: Lang) -> str:
    priority = f"{n['priority']}-tikettejä" if n.get("priority") else "tikettejä"
    clause = CAUSE_CLAUSES[lang].get(_s(n, "cause"), _s(n, "cause"))
    metric = METRICS_GENITIVE_FI.get(_s(n, "metric"), f"mittarin {_s(n, 'metric')}")
    return f"{_i(n, 'total')} {metric} ylityksestä {_i(n, 'count')} oli {priority}, {clause}."


def _moved(n: N, lang: Lang) -> tuple[str, str, str, str]:
    figure = _s(n, "figure")
    before, after = (
        figure_value(figure, _f(n, "before"), lang),
        figure_value(figure, _f(n, "after"), lang),
    )
    down = (_f(n, "after") or 0.0) < (_f(n, "before") or 0.0)
    verb = {"en": ("rose", "fell"), "fi": ("nousi", "laski")}[lang][down]
    return figure_name(figure, lang), verb, before, after


def _moved_fields(n: N, lang: Lang) -> dict[str, object]:
    name, verb, before, after = _moved(n, lang)
    return {"name": name, "verb": verb, "before": before, "after": after}


_worse_sla_met = _worded(
    _moved_fields,
    en="{name} {verb} from {before} to {after} while every SLA was met.",
    fi="{name} {verb} {before} → {after}, vaikka kaikki SLA-tavoitteet täyttyivät.",
)
_moved_since = _worded(
    _moved_fields,
    en="{name} {verb} from {before} to {after} since the month before.",
    fi="{name} {verb} edellisestä kuusta: {before} → {after}.",
)


def _en_xla_missed(n: N, lang: Lang) -> str:
    figure = _s(n, "figure")
    side = "at least" if n.get("direction") == "min" else "at most"
    return (
        f"{figure_name(figure, lang)} was {figure_value(figure, _f(n, 'after'), lang)}, "
        f"short of its objective of {side} {bound(figure, _f(n, 'objective'), lang)}."
    )


def _fi_xla_missed(n: N, lang: Lang) -> str:
    figure = _s(n, "figure")
    side = "vähintään" if n.get("direction") == "min" else "enintään"
    return (
        f"{figure_name(figure, lang)} oli {figure_value(figure, _f(n, 'after'), lang)}; "
        f"tavoite on {side} {bound(figure, _f(n, 'objective'), lang)}."
    )


def bound(figure: str, value: float | None, lang: Lang) -> str:
    shown = trimmed(value, lang)
    if figure in PERCENT_FIGURES:
        return f"{shown} %"
    return f"{shown} {UNITS[figure]}" if figure in UNITS else shown


# --- the drivers of a watermelon cell ---------------------------------------------------

OBJECTIVE_WORD: dict[Lang, str] = {"en": "objective", "fi": "tavoite"}


def driver_value(figure: str, value: float | None, lang: Lang) -> str:
    """A figure beside its objective: one decimal (happiness −3.7 against 40), whole
    minutes and NPS points, a unit where it has one."""
    if value is None:
        return "–"
    digits = 0 if figure == "nps" or figure in UNITS else 1
    shown = number(value, digits, lang)
    if figure in PERCENT_FIGURES:
        return f"{shown} %"
    return f"{shown} {UNITS[figure]}" if figure in UNITS else shown


def missed_text(
    figure: str, value: float | None, direction: str, objective: float | None, lang: Lang
) -> str:
    """A missed experience objective: "Happiness −3.7 (objective ≥ 40)"."""
    side = "≥" if direction == "min" else "≤"
    shown, limit = (
        _glued(driver_value(figure, value, lang)),
        _glued(bound(figure, objective, lang)),
    )
    return (
        f"{capital(figure_name(figure, lang))} {shown} ({OBJECTIVE_WORD[lang]} {side}{NBSP}{limit})"
    )


NBSP = "\u00a0"


def _glued(text: str) -> str:
    """A number and its unit kept on one line ("141 min", "12 %")."""
    return text.replace(" ", NBSP)


def factor_text(factor: str, share: float, lang: Lang) -> str:
    """A factor and the share of answers naming it: "Not fixed 30 %"."""
    return f"{capital(factor_name(factor, lang))} {number(share, 0, lang)}{NBSP}%"


def _en_honest(n: N, lang: Lang) -> str:
    flagged = _plural(_i(n, "flagged"), "flagged ticket is", "flagged tickets are")
    below = (
        f", below its objective of {trimmed(_f(n, 'objective'), lang)} %"
        if n.get("honest_met") == 0
        else ""
    )
    return (
        f"{metric_name(_s(n, 'metric'), lang)} compliance is {pct(_f(n, 'reported'), lang)} "
        f"as reported, but {pct(_f(n, 'honest'), lang)} once the {flagged} judged "
        f"honestly{below}."
    )


def _fi_honest(n: N, lang: Lang) -> str:
    count = _i(n, "flagged")
    flagged = f"{count} liputettu tiketti" if count == 1 else f"{count} liputettua tikettiä"
    below = (
        f", alle tavoitteen {trimmed(_f(n, 'objective'), lang)} %"
        if n.get("honest_met") == 0
        else ""
    )
    return (
        f"{metric_name(_s(n, 'metric'), lang)}: raportoitu toteuma {pct(_f(n, 'reported'), lang)}"
        f", rehellinen {pct(_f(n, 'honest'), lang)}, kun {flagged} arvioidaan "
        f"kaunistelematta{below}."
    )


def _en_flags(n: N, lang: Lang) -> str:
    tickets = _plural(_i(n, "flagged"), "ticket was", "tickets were")
    return f"{tickets} flagged for integrity, most often {flag_name(_s(n, 'flag'), lang)}."


def _fi_flags(n: N, lang: Lang) -> str:
    flag = flag_name(_s(n, "flag"), lang)
    return f"eheyslippuja {_i(n, 'flagged')} tiketissä, useimmin {flag}."


def _credit_reason(n: N, lang: Lang) -> str:
    if not n.get("item"):
        return ""
    what = {
        ("en", "availability"): "availability",
        ("en", "metric"): "compliance",
        ("fi", "availability"): "käytettävyys",
        ("fi", "metric"): "toteuma",
    }[(lang, "metric" if n.get("step") == "metric" else "availability")]
    item = metric_name(_s(n, "item"), lang) if n.get("step") == "metric" else _s(n, "item")
    if n.get("uptime") is None:
        return f" ({item})"
    shown = pct(_f(n, "uptime"), lang, beside=_f(n, "objective"))
    objective = trimmed(_f(n, "objective"), lang)
    if lang == "en":
        return f" for {item}, {what} {shown} vs {objective} %"
    return f"; syynä {item}: {what} {shown}, tavoite {objective} %"


def _en_credits(n: N, lang: Lang) -> str:
    money = f"{number(_f(n, 'amount'), 2, lang)} {_s(n, 'currency')}".strip()
    return (
        f"service credits: {trimmed(_f(n, 'pct'), lang)} % of the monthly fee ({money})"
        f"{_credit_reason(n, lang)}."
    )


def _fi_credits(n: N, lang: Lang) -> str:
    money = f"{number(_f(n, 'amount'), 2, lang)} {_s(n, 'currency')}".strip()
    return (
        f"hyvitys: {trimmed(_f(n, 'pct'), lang)} % kuukausimaksusta ({money})"
        f"{_credit_reason(n, lang)}."
    )


def _en_availability_missed(n: N, lang: Lang) -> str:
    shown = pct(_f(n, "uptime"), lang, beside=_f(n, "objective"))
    outages = _plural(_i(n, "outages"), "outage", "outages")
    return (
        f"{_s(n, 'service')} availability was {shown} against "
        f"{trimmed(_f(n, 'objective'), lang)} % ({outages}, "
        f"{number(_f(n, 'downtime_min'), 0, lang)} minutes down)."
    )


def _fi_availability_missed(n: N, lang: Lang) -> str:
    shown = pct(_f(n, "uptime"), lang, beside=_f(n, "objective"))
    return (
        f"palvelun {_s(n, 'service')} käytettävyys oli {shown}, tavoite "
        f"{trimmed(_f(n, 'objective'), lang)} % ({_i(n, 'outages')} katkoa, "
        f"{number(_f(n, 'downtime_min'), 0, lang)} min)."
    )


def _en_availability_met(n: N, lang: Lang) -> str:
    shown = pct(_f(n, "uptime"), lang, beside=_f(n, "objective"))
    return (
        f"all {_i(n, 'services')} services met their availability objectives; the lowest "
        f"was {_s(n, 'service')} at {shown}."
    )


def _fi_availability_met(n: N, lang: Lang) -> str:
    shown = pct(_f(n, "uptime"), lang, beside=_f(n, "objective"))
    return (
        f"kaikki {_i(n, 'services')} palvelua saavuttivat käytettävyystavoitteensa; alin "
        f"oli {_s(n, 'service')}: {shown}."
    )


def _en_recurring(n: N, lang: Lang) -> str:
    return (
        f"{_s(n, 'service')} failed {_i(n, 'count')} times this quarter with the same fault: "
        f"“{_s(n, 'subject')}”."
    )


def _fi_recurring(n: N, lang: Lang) -> str:
    return (
        f"{_s(n, 'service')}: sama vika {_i(n, 'count')} kertaa tällä neljänneksellä: "
        f"”{_s(n, 'subject')}”."
    )


def _en_comments(n: N, lang: Lang) -> str:
    verb = "was" if _i(n, "negative") == 1 else "were"
    return (
        f"{_i(n, 'negative')} of {_i(n, 'total')} comments {verb} negative and "
        f"{_i(n, 'positive')} positive."
    )


def _fi_comments(n: N, lang: Lang) -> str:
    return (
        f"{_i(n, 'total')} kommentista {_i(n, 'negative')} oli kielteisiä ja "
        f"{_i(n, 'positive')} myönteisiä."
    )


def _en_none(n: N, lang: Lang) -> str:
    return f"no ticket clock stopped in {month_name(_s(n, 'month'), lang)}."


def _fi_none(n: N, lang: Lang) -> str:
    return f"yksikään tiketin kello ei pysähtynyt: {month_name(_s(n, 'month'), lang)}."


Writer = Callable[[N, Lang], str]
_WRITERS: dict[Lang, dict[str, Writer]] = {
    "en": {
        "no_measurements": _en_none,
        "sla_met": _sla_met,
        "sla_missed": _sla_missed,
        "breach_pattern": _en_breaches,
        "experience_worse_sla_met": _worse_sla_met,
        "experience_worse": _moved_since,
        "experience_better": _moved_since,
        "xla_missed": _en_xla_missed,
        "honest_gap": _en_honest,
        "flags": _en_flags,
        "credits": _en_credits,
        "availability_missed": _en_availability_missed,
        "availability_met": _en_availability_met,
        "recurring": _en_recurring,
        "comments": _en_comments,
    },
    "fi": {
        "no_measurements": _fi_none,
        "sla_met": _sla_met,
        "sla_missed": _sla_missed,
        "breach_pattern": _fi_breaches,
        "experience_worse_sla_met": _worse_sla_met,
        "experience_worse": _moved_since,
        "experience_better": _moved_since,
        "xla_missed": _fi_xla_missed,
        "honest_gap": _fi_honest,
        "flags": _fi_flags,
        "credits": _fi_credits,
        "availability_missed": _fi_availability_missed,
        "availability_met": _fi_availability_met,
        "recurring": _fi_recurring,
        "comments": _fi_comments,
    },
}
