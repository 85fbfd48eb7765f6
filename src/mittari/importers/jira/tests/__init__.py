"""Tests of the Jira importer; `rows` shows events as tuples to compare whole lists."""

from __future__ import annotations

from pathlib import Path

from mittari.importers.extract import Extract

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

Row = tuple[str, str, str, str | None, str | None, str | None, str]


def rows(extract: Extract) -> list[Row]:
    """(ticket_id, ts as UTC with milliseconds, kind, value, actor, raw_value, ref)."""
    return [
        (
            r["ticket_id"],
            r["ts"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            r["kind"],
            r["value"],
            r["actor"],
            r["raw_value"],
            r["ref"],
        )
        for r in extract.events.to_pylist()
    ]


def tickets(extract: Extract) -> dict[str, dict[str, str | None]]:
    return {row["ticket_id"]: row for row in extract.tickets.to_pylist()}


def status_item(old: tuple[str, str], new: tuple[str, str]) -> dict[str, object]:
    """A changelog item moving from status (id, name) `old` to `new`."""
    return {
        "field": "status",
        "fieldtype": "jira",
        "from": old[0],
        "fromString": old[1],
        "to": new[0],
        "toString": new[1],
    }


def issue(key: str, *histories: dict[str, object], **fields: object) -> dict[str, object]:
    """A small REST issue with changelog: created at 09:00 +0200 on 2025-03-03, status To
    Do (category new) and priority Medium unless `fields` says otherwise."""
    base: dict[str, object] = {
        "created": "2025-03-03T09:00:00.000+0200",
        "status": {"id": "10000", "name": "To Do", "statusCategory": {"key": "new"}},
        "priority": {"id": "3", "name": "Medium"},
    }
    changelog = {"startAt": 0, "maxResults": len(histories), "total": len(histories)}
    return {
        "id": "1",
        "key": key,
        "fields": base | fields,
        "changelog": changelog | {"histories": list(histories)},
    }


def history(history_id: str, created: str, *items: dict[str, object]) -> dict[str, object]:
    return {"id": history_id, "created": created, "items": list(items)}
