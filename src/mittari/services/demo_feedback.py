"""Survey answers of the demo: after resolved tickets, and the quarterly pulse.

A requester answers a ticket survey (0-10, what affected it, lost time, a comment) with the
customer's `Feel.response` odds, some hours after the first resolve. The score follows the
ticket's story: a latent score around the customer's mood, lowered where the ticket was
reopened, not really fixed, slow (resolved after its target's deadline in wall time,
waits included: people feel the whole wait), waited for a vendor, or had its breach
hidden; the factors, lost time and comment say why. The pulse asks a customer's contacts
each quarter how likely they are to recommend the provider (0-10, the NPS question).

The rows have mittari's own CSV columns (importers/feedback/mapping.yaml), so the demo
imports them through `mittari import feedback`'s path.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from mittari.engine.types import NULL_TS
from mittari.services.demo_clock import DAY, HOUR, iso_utc
from mittari.services.demo_comments import PULSE, TICKET
from mittari.services.demo_data import CustomerYear

COLUMNS = (
    "answer_id", "ticket_id", "answered_at", "survey", "scale", "score", "factors",
    "lost_time", "comment", "language", "service",
)  # fmt: skip
PRAISE = ("speed", "friendly", "skills", "kept_informed", "easy", "learned")
PRAISE_ODDS = (0.3, 0.25, 0.2, 0.1, 0.1, 0.05)
LOST_TIME = ("none", "<30m", "30m-2h", "2-4h", "day+")
LOST_ODDS = {  # by how the ticket went: happy, middling, unhappy, unhappy and not fixed
    "happy": (0.7, 0.3, 0.0, 0.0, 0.0),
    "middling": (0.3, 0.5, 0.2, 0.0, 0.0),
    "unhappy": (0.0, 0.15, 0.4, 0.35, 0.1),
    "broken": (0.0, 0.0, 0.25, 0.4, 0.35),
}
TOPIC = {"not_fixed": "not_fixed", "explain_again": "explain_again", "speed": "slow"}
TOPIC["kept_informed"] = "uninformed"


def ticket_answers(part: CustomerYear, end: int, rng: np.random.Generator) -> pa.Table:
    """The ticket-survey answers of one customer's tickets, answered before `end`."""
    c, facts = part.customer, part.facts
    resolved = facts["resolved_at"]
    delay = np.minimum(np.exp(rng.normal(0.0, 1.2, len(resolved))) * 3 * HOUR, 5 * DAY)
    answered = resolved + delay.astype(np.int64)
    asked = (resolved != NULL_TS) & (rng.random(len(resolved)) < c.feel.response)
    rows = np.flatnonzero(asked & (answered < end))
    broken = facts["not_fixed"] | facts["reopened"]
    latent = (
        c.feel.mood
        + rng.normal(0.0, 1.0, len(resolved))
        - 3.0 * facts["reopened"]
        - 3.5 * facts["not_fixed"]
        - 2.0 * facts["slow"]
        - 1.0 * facts["vendor"]
        - 1.5 * facts["gamed"]
    )
    score = np.clip(np.rint(latent), 0, 10).astype(np.int64)
    ids = part.tickets.column("ticket_id").to_pylist()
    out: dict[str, list[str | None]] = {k: [] for k in COLUMNS}
    for n, i in enumerate(rows.tolist()):
        factors = _factors(
            int(score[i]), bool(broken[i]), bool(facts["slow"][i]), bool(facts["vendor"][i]), rng
        )
        mood = "happy" if score[i] >= 9 else "middling" if score[i] >= 7 else "unhappy"
        mood = "broken" if mood == "unhappy" and broken[i] else mood
        lost = rng.choice(LOST_TIME, p=LOST_ODDS[mood]) if rng.random() < 0.85 else None
        language, comment = _comment(int(score[i]), factors, c.language, rng)
        row = {
            "answer_id": f"{c.slug}-s{n + 1:06d}",
            "ticket_id": ids[i],
            "survey": "ticket",
            "scale": "0-10",
            "score": str(score[i]),
            "factors": ";".join(factors) if factors and rng.random() < 0.75 else None,
            "lost_time": None if lost is None else str(lost),
            "comment": comment,
            "language": language,
            "service": None,
        }
        for key, value in row.items():
            out[key].append(value)
    out["answered_at"] = [*iso_utc(answered[rows], c.timezone)]
    return pa.table({k: pa.array(out[k], pa.string()) for k in COLUMNS})


def _factors(
    score: int, broken: bool, slow: bool, vendor: bool, rng: np.random.Generator
) -> list[str]:
    """What affected the answer: praise for a good one, the story's faults for a bad one."""
    if score >= 8:
        k = 1 + int(rng.random() < 0.4)
        return [str(f) for f in rng.choice(PRAISE, size=k, replace=False, p=PRAISE_ODDS)]
    if score == 7:
        return [str(rng.choice(("speed", "kept_informed", "friendly")))]
    found = []
    if broken:
        found.append("not_fixed")
        if rng.random() < 0.5:
            found.append("explain_again")
    if slow:
        found.append("speed")
    if vendor:
        found.append("kept_informed")
    return found or [str(rng.choice(("speed", "kept_informed", "other")))]


def _comment(
    score: int, factors: list[str], language: str, rng: np.random.Generator
) -> tuple[str | None, str | None]:
    """(language, comment) or (None, None): unhappy people write more often."""
    odds = 0.6 if score <= 4 else 0.45 if score <= 6 else 0.2 if score <= 8 else 0.35
    if rng.random() >= odds:
        return None, None
    own = {"fi": 0.75, "sv": 0.55}.get(language, 1.0)
    chosen = language if rng.random() < own else "en"
    if score >= 9 or (score >= 7 and rng.random() < 0.4):
        topic = "praise"
    elif score >= 7:
        topic = "neutral"
    else:
        topic = next((TOPIC[f] for f in factors if f in TOPIC), "slow")
    return chosen, str(rng.choice(TICKET[chosen][topic]))


def pulse_answers(part: CustomerYear, start: int, end: int, rng: np.random.Generator) -> pa.Table:
    """The quarterly pulse of one customer: its contacts answer in the second half of each
    quarter's last month; the score drifts by `Feel.pulse_trend` over the window."""
    c = part.customer
    months = np.arange(
        np.datetime64(start // DAY, "D").astype("datetime64[M]"),
        np.datetime64((end - 1) // DAY, "D").astype("datetime64[M]") + 1,
    )
    quarter_ends = [m for m in months if (m.astype(np.int64) % 12) in (2, 5, 8, 11)]
    at: list[int] = []
    scores: list[int] = []
    for month in quarter_ends:
        first = int(month.astype("datetime64[D]").astype(np.int64)) * DAY
        for _ in range(6 + int(rng.poisson(3))):
            when = first + int(rng.integers(14, 27)) * DAY + int(rng.integers(8, 16)) * HOUR
            if when >= end:
                continue
            drift = c.feel.pulse_trend * (when - start) / (end - start)
            latent = c.feel.pulse + drift + rng.normal(0.0, 1.3)
            at.append(when)
            scores.append(int(np.clip(np.rint(latent), 0, 10)))
    out: dict[str, list[str | None]] = {k: [] for k in COLUMNS}
    for n, score in enumerate(scores):
        topic = "praise" if score >= 9 else "neutral" if score >= 7 else "complaint"
        own = {"fi": 0.7, "sv": 0.5}.get(c.language, 1.0)
        language = c.language if rng.random() < own else "en"
        comment = str(rng.choice(PULSE[language][topic])) if rng.random() < 0.5 else None
        row = {
            "answer_id": f"{c.slug}-p{n + 1:04d}",
            "ticket_id": None,
            "survey": "pulse",
            "scale": "0-10",
            "score": str(score),
            "factors": None,
            "lost_time": None,
            "comment": comment,
            "language": language if comment else None,
            "service": None,
        }
        for key, value in row.items():
            out[key].append(value)
    out["answered_at"] = [*iso_utc(np.array(at, dtype=np.int64), c.timezone)]
    return pa.table({k: pa.array(out[k], pa.string()) for k in COLUMNS})
