"""Outages of the demo's monitored services, as the CSV `mittari import outages` reads.

Each service with an availability objective gets a few short unplanned outages a month
(most full, some partial) that stay well inside its error budget, and a planned patch on
the first Sunday night of each month inside the contract's maintenance window (excluded
from agreed time). The recurring fault's occurrences are partial outages of its service;
the long one is the month of service credits (demo_stories).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from mittari.services.demo_clock import DAY, HOUR, MINUTE, iso_utc
from mittari.services.demo_data import CustomerYear
from mittari.services.demo_subjects import RECURRING_FAULT, RECURRING_SERVICE

COLUMNS = ("service", "start", "end", "weight", "planned", "source_id", "summary")
SUMMARIES = {
    "fi": ("Palvelu ei vastaa", "Hidas vasteaika osalle käyttäjistä", "Kirjautuminen epäonnistuu"),
    "sv": ("Tjänsten svarar inte", "Långsamma svarstider", "Inloggningen misslyckas"),
}
LONG = "WMS-integraatio kaatunut: keräily seis kaikissa varastoissa"
PATCH = {"fi": "Huoltokatko (ilmoitettu)", "sv": "Planerat underhåll"}


def outage_table(
    part: CustomerYear,
    services: Sequence[str],
    patch_hour: int | None,
    start: int,
    end: int,
    rng: np.random.Generator,
) -> pa.Table:
    """The outages of one customer's monitored `services` over local [start, end);
    `patch_hour`: the local hour of the monthly planned patch (None: no patches)."""
    c = part.customer
    rows: list[tuple[str, int, int, float, bool, str]] = []
    for service in services:
        if c.recurring and service == RECURRING_SERVICE:
            continue  # this one's outages are the fault's (below)
        days = np.arange(start // DAY, (end - 1) // DAY + 1)
        count = int(rng.poisson(1.2 * len(days) / 30.4))
        at = np.sort(rng.choice(days, size=count)) * DAY + rng.integers(0, DAY, size=count)
        minutes = np.minimum(np.exp(rng.normal(0.0, 0.8, count)) * 6, 15)
        weight = np.where(rng.random(count) < 0.7, 1.0, np.round(rng.uniform(0.3, 0.6, count), 2))
        texts = SUMMARIES.get(c.language, SUMMARIES["fi"])
        for t, m, w in zip(at.tolist(), minutes.tolist(), weight.tolist(), strict=True):
            rows.append((service, t, t + int(m * MINUTE), w, False, str(rng.choice(texts))))
    for o in part.plan.occurrences:
        summary = LONG if o.long else RECURRING_FAULT[2]
        rows.append(
            (
                RECURRING_SERVICE,
                o.start,
                o.start + int(o.minutes * MINUTE),
                o.weight,
                False,
                summary,
            )
        )
    if patch_hour is not None:
        patch = PATCH.get(c.language, PATCH["fi"])
        for sunday in _first_sundays(start, end):
            t = sunday + patch_hour * HOUR + 30 * MINUTE
            rows += [(s, t, t + 80 * MINUTE, 1.0, True, patch) for s in services if t < end]
    rows = [r for r in rows if r[1] < end]
    rows.sort(key=lambda r: (r[1], r[0]))
    starts = iso_utc(np.array([r[1] for r in rows], dtype=np.int64), c.timezone)
    ends = iso_utc(np.array([min(r[2], end) for r in rows], dtype=np.int64), c.timezone)
    ongoing = [r[2] >= end for r in rows]
    return pa.table(
        {
            "service": pa.array([r[0] for r in rows], pa.string()),
            "start": pa.array(starts, pa.string()),
            "end": pa.array(
                [None if o else e for e, o in zip(ends, ongoing, strict=True)], pa.string()
            ),
            "weight": pa.array([f"{r[3]:g}" for r in rows], pa.string()),
            "planned": pa.array(["true" if r[4] else "false" for r in rows], pa.string()),
            "source_id": pa.array(
                [f"{c.id_prefix}-OUT-{i + 1:04d}" for i in range(len(rows))], pa.string()
            ),
            "summary": pa.array([r[5] for r in rows], pa.string()),
        }
    )


def _first_sundays(start: int, end: int) -> list[int]:
    """Local µs of the midnight starting the first Sunday of each month in [start, end)."""
    found = []
    for day in range(start // DAY, (end - 1) // DAY + 1):
        date = np.datetime64(day, "D")
        if (day + 3) % 7 == 6 and int(str(date)[8:10]) <= 7:  # 1970-01-01: a Thursday
            found.append(day * DAY)
    return found
