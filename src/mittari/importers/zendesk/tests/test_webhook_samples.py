"""`samples/webhooks/`: the event-webhook bodies of two made-up tickets, read one by one in
name order as they would arrive, give every event listed here."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa

from mittari.importers.canonical import events_from_table
from mittari.importers.zendesk import events_from_event_webhook, load_zendesk_mapping
from mittari.importers.zendesk.tests.conftest import z

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "webhooks"
CREATED_1, CREATED_2 = "2025-03-10T08:00:00Z", "2025-03-10T13:00:00Z"

EXPECTED = [
    # ticket 35001, by web: created with its initial state; the description is part of it
    ("01", "35001", CREATED_1, "created", None, None, None),
    ("01", "35001", CREATED_1, "status", "new", None, "NEW"),
    ("01", "35001", CREATED_1, "priority", "P2", None, "HIGH"),
    ("01", "35001", CREATED_1, "assign", "3003", None, "3003"),
    ("01", "35001", CREATED_1, "category", "incident", None, "INCIDENT"),
    ("03", "35001", "2025-03-10T08:05:10Z", "assign", "2002", None, "2002"),
    ("04", "35001", "2025-03-10T08:06:00Z", "reply", None, "agent", None),
    ("05", "35001", "2025-03-10T08:06:00Z", "status", "pending_customer", None, "PENDING"),
    ("07", "35001", "2025-03-10T09:30:00Z", "reply", None, "customer", None),
    ("08", "35001", "2025-03-10T09:30:00Z", "status", "open", None, "OPEN"),
    ("09", "35001", "2025-03-10T10:00:00Z", "priority", "P1", None, "URGENT"),
    ("10", "35001", "2025-03-10T10:15:00Z", "assign", "3004", None, "3004"),
    ("11", "35001", "2025-03-10T10:20:00Z", "note", None, "agent", None),
    ("12", "35001", "2025-03-10T11:00:00Z", "reply", None, "system", None),
    ("13", "35001", "2025-03-10T12:00:00Z", "status", "resolved", None, "SOLVED"),
    # ticket 35002, by phone: an agent wrote its description for the caller; then deleted
    ("15", "35002", CREATED_2, "created", None, None, None),
    ("15", "35002", CREATED_2, "status", "open", None, "OPEN"),
    ("15", "35002", CREATED_2, "priority", "P3", None, "NORMAL"),
    ("15", "35002", CREATED_2, "assign", "3003", None, "3003"),
    ("15", "35002", CREATED_2, "assign", "2002", None, "2002"),
    ("15", "35002", CREATED_2, "category", "question", None, "QUESTION"),
    ("17", "35002", "2025-03-10T13:20:00Z", "status", "cancelled", None, "deleted"),
]


def test_every_sample_body_gives_its_events() -> None:
    mapping = load_zendesk_mapping()
    found, ignored, tables = [], Counter[str](), []
    for path in sorted(SAMPLES.glob("*.json")):
        extract = events_from_event_webhook(
            json.loads(path.read_text(encoding="utf-8")), mapping=mapping, file=path.name
        )
        assert extract.problems == [], path.name
        ignored.update(extract.ignored)
        tables.append(extract.events)
        for r in extract.events.to_pylist():
            assert r["file"] == path.name and r["ref"].startswith("event 0000000-webhook-sample-")
            row = (r["ticket_id"], z(r["ts"]), r["kind"], r["value"], r["actor"], r["raw_value"])
            found.append((path.name[:2], *row))
    assert found == EXPECTED
    assert ignored == {
        "ticket.comment_added (description, part of created)": 2,
        "ticket.custom_status_changed (its category is the status)": 1,
        "ticket.tags_changed": 1,
    }
    columns = ["ticket_id", "ts", "kind", "value", "actor"]
    result = events_from_table(pa.concat_tables(tables).select(columns))
    assert result.problems == []
