"""Satisfaction ratings (`GET /api/v2/satisfaction_ratings.json`) → `Extract.feedback`.

One row per rating id; a rating exported twice (it changes from `offered` to `good` when
the requester answers) is kept in its latest form. `ts` is when the rating took its score:
`updated_at`, else `created_at`. Zendesk's scale is good/bad; `offered` means the survey
was sent and not answered, `unoffered` that it was not sent. `reason` is the requester's
reason for a bad rating; reason code 0 ("No reason provided") is null.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pyarrow as pa

from mittari.importers.zendesk.lookups import id_order, id_text
from mittari.importers.zendesk.pages import Record
from mittari.importers.zendesk.run import SOURCE, Run

FEEDBACK_SCHEMA = pa.schema(
    [
        ("ticket_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("score", pa.string()),
        ("scale", pa.string()),
        ("comment", pa.string()),
        ("reason", pa.string()),
        ("rating_id", pa.string()),
        ("source", pa.string()),
    ]
)
SCORES = ("good", "bad", "offered", "unoffered")
SCALE = "good/bad"
NO_REASON = 0  # Zendesk's reason code for "No reason provided"


def feedback_table(run: Run, records: Iterable[Record]) -> pa.Table:
    """The ratings as a FEEDBACK_SCHEMA table, ordered by ticket, time and rating id."""
    latest: dict[str, tuple[datetime, dict[str, Any]]] = {}
    for record in records:
        row = _row(run, record)
        if row is None:
            continue
        known = latest.get(row["rating_id"])
        if known is None or row["ts"] >= known[0]:
            latest[row["rating_id"]] = (row["ts"], row)
    rows = sorted(
        (row for _, row in latest.values()),
        key=lambda r: (id_order(r["ticket_id"]), r["ts"], id_order(r["rating_id"])),
    )
    columns = {name: [row[name] for row in rows] for name in FEEDBACK_SCHEMA.names}
    return pa.table(columns, schema=FEEDBACK_SCHEMA)


def _row(run: Run, record: Record) -> dict[str, Any] | None:
    data, file, ref = record.data, record.file, record.ref
    ticket_id = id_text(data.get("ticket_id"))
    if ticket_id is None:
        run.problem(file, f"{ref}.ticket_id", None, "a rating without ticket_id; skipped")
        return None
    score = data.get("score")
    if score not in SCORES:
        message = f"unknown score; expected one of {', '.join(SCORES)}; skipped"
        run.problem(file, f"{ref}.score", score, message)
        return None
    stamp_field = "updated_at" if data.get("updated_at") else "created_at"
    ts = run.instant(file, f"{ref}.{stamp_field}", data.get(stamp_field), note="skipped")
    if ts is None:
        return None
    return {
        "ticket_id": ticket_id,
        "ts": ts,
        "score": score,
        "scale": SCALE,
        "comment": _text(data.get("comment")),
        "reason": None if data.get("reason_code") == NO_REASON else _text(data.get("reason")),
        "rating_id": id_text(data.get("id")) or f"{file}#{ref}",
        "source": SOURCE,
    }


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
