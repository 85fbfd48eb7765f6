"""The names people read for the codes of figures, survey factors and integrity flags, in
English and Finnish: one wording for the dashboard (`web`) and the monthly report
(`reports`), so that a figure or flag is called the same on every page.

Names are written as they stand inside a sentence ("happiness", "not fixed"); `capital`
starts a line or a label with a capital letter. A code without a name is shown as its
words ("some_code" → "some code"), never hidden.
"""

from __future__ import annotations

from collections.abc import Mapping

from mittari.engine.integrity import FLAG_NAMES, RULE_NAMES
from mittari.engine.integrity.policy import FLAG_OF

FIGURES: dict[str, dict[str, str]] = {
    "en": {
        "happiness": "happiness",
        "happiness_mean": "mean score",
        "csat_pct": "CSAT",
        "csat_mean": "mean CSAT",
        "nps": "NPS",
        "response_rate_pct": "survey response rate",
        "lost_time_mean_min": "lost time per answer",
        "lost_time_total_h": "lost time in all",
        "reopen_rate_pct": "reopen rate",
        "fcr_pct": "first-contact resolution",
        "ping_pong_pct": "ping-pong rate",
        "reassignments_mean": "reassignments per ticket",
        "repeat_contact_pct": "repeat contacts",
        "sentiment_net": "comment tone (net)",
    },
    "fi": {
        "happiness": "onnellisuus",
        "happiness_mean": "keskiarvo",
        "csat_pct": "CSAT",
        "csat_mean": "CSAT-keskiarvo",
        "nps": "NPS",
        "response_rate_pct": "vastausprosentti",
        "lost_time_mean_min": "menetetty aika / vastaus",
        "lost_time_total_h": "menetetty aika yhteensä",
        "reopen_rate_pct": "uudelleenavaukset",
        "fcr_pct": "ensikontaktiratkaisu",
        "ping_pong_pct": "pingpong-osuus",
        "reassignments_mean": "siirrot / tiketti",
        "repeat_contact_pct": "toistuvat yhteydenotot",
        "sentiment_net": "kommenttien sävy (netto)",
    },
}

# What a ticket survey answer says affected it (`engine.experience.FACTORS`).
FACTORS: dict[str, dict[str, str]] = {
    "en": {
        "speed": "speed",
        "friendly": "friendliness",
        "skills": "skills",
        "easy": "ease",
        "kept_informed": "kept informed",
        "explain_again": "had to explain again",
        "not_fixed": "not fixed",
        "learned": "learned something",
        "other": "other",
    },
    "fi": {
        "speed": "nopeus",
        "friendly": "ystävällisyys",
        "skills": "osaaminen",
        "easy": "helppous",
        "kept_informed": "pidettiin ajan tasalla",
        "explain_again": "piti selittää uudelleen",
        "not_fixed": "ei korjaantunut",
        "learned": "opin jotain",
        "other": "muu",
    },
}

# Integrity flags (a kind of gaming) and their rules (one way a flag fires).
FLAGS: dict[str, dict[str, str]] = {
    "en": {
        "premature_resolve": "premature resolve",
        "late_downgrade": "late downgrade",
        "pause_without_cause": "pause without cause",
        "hollow_first_response": "hollow first response",
        "clone_to_restart": "clone to restart the clock",
        "scope_escape": "escape from the measured scope",
        "deadline_bunching": "deadline bunching",
    },
    "fi": {
        "premature_resolve": "ennenaikainen ratkaisu",
        "late_downgrade": "myöhäinen prioriteetin lasku",
        "pause_without_cause": "aiheeton tauko",
        "hollow_first_response": "ontto ensivastaus",
        "clone_to_restart": "kloonaus kellon nollaamiseksi",
        "scope_escape": "siirto mittauksen ulkopuolelle",
        "deadline_bunching": "kasautuminen määräajan alle",
    },
}
RULES: dict[str, dict[str, str]] = {
    "en": {
        "reopened": "reopened",
        "follow_up": "follow-up",
        "late": "late",
        "raised_again": "raised again",
        "no_question": "no question",
        "after_customer_reply": "after the customer's reply",
        "kept_after_reply": "kept after reply",
        "near_due": "near the deadline",
        "system_reply": "automatic reply",
        "quick_then_silent": "quick, then silent",
        "linked_successor": "linked successor",
        "marked_duplicate": "marked duplicate",
        "priority_without_target": "priority without target",
        "out_of_scope_category": "category out of scope",
    },
    "fi": {
        "reopened": "avattu uudelleen",
        "follow_up": "jatkotiketti",
        "late": "myöhään",
        "raised_again": "nostettu takaisin",
        "no_question": "ei kysymystä",
        "after_customer_reply": "asiakkaan vastauksen jälkeen",
        "kept_after_reply": "pidetty vastauksen jälkeen",
        "near_due": "lähellä määräaikaa",
        "system_reply": "automaattivastaus",
        "quick_then_silent": "nopea, sitten hiljaista",
        "linked_successor": "linkitetty seuraaja",
        "marked_duplicate": "merkitty kaksoiskappaleeksi",
        "priority_without_target": "prioriteetti ilman tavoitetta",
        "out_of_scope_category": "kategoria rajauksen ulkopuolella",
    },
}
# The flag each rule fires, by name ("reopened" → "premature_resolve").
FLAG_OF_RULE: dict[str, str] = {
    RULE_NAMES[int(rule)]: FLAG_NAMES[int(flag)] for rule, flag in FLAG_OF.items()
}


def _name(words: Mapping[str, Mapping[str, str]], code: str, lang: str) -> str:
    return (words.get(lang) or words["en"]).get(code) or code.replace("_", " ")


def figure_name(figure: str, lang: str) -> str:
    return _name(FIGURES, figure, lang)


def factor_name(factor: str, lang: str) -> str:
    return _name(FACTORS, factor, lang)


def flag_name(flag: str, lang: str) -> str:
    return _name(FLAGS, flag, lang)


def rule_name(rule: str, lang: str) -> str:
    return _name(RULES, rule, lang)


def flag_or_rule(name: str, lang: str) -> str:
    """A flag's name, or a rule's with its flag's: "premature resolve · reopened"."""
    flag = FLAG_OF_RULE.get(name)
    if flag is None:
        return flag_name(name, lang)
    return f"{flag_name(flag, lang)} · {rule_name(name, lang)}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
