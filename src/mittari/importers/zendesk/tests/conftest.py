from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from mittari.importers.extract import Extract

Row = tuple[str, str, str, str | None, str | None]


def events_of(extract: Extract) -> list[Row]:
    """Each event as (ticket_id, ts in UTC with Z, kind, value, actor)."""
    return [
        (r["ticket_id"], z(r["ts"]), r["kind"], r["value"], r["actor"])
        for r in extract.events.to_pylist()
    ]


def z(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def audit(
    aid: int,
    ticket: int | None,
    at: str,
    author: int,
    *events: dict[str, Any],
    channel: str = "web",
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": aid,
        "ticket_id": ticket,
        "created_at": at,
        "author_id": author,
        "via": {"channel": channel, "source": {"from": {}, "to": {}, "rel": None}},
        "events": list(events),
    }
    return found


def create(eid: int, name: str, value: object) -> dict[str, Any]:
    return {"id": eid, "type": "Create", "field_name": name, "value": value}


def change(eid: int, name: str, value: object, previous: object = None) -> dict[str, Any]:
    return {
        "id": eid,
        "type": "Change",
        "field_name": name,
        "value": value,
        "previous_value": previous,
    }


def comment(eid: int, author: int, public: object = True, **extra: Any) -> dict[str, Any]:
    return {
        "id": eid,
        "type": "Comment",
        "author_id": author,
        "body": "text",
        "public": public,
        **extra,
    }


def ticket(tid: int, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": tid,
        "created_at": "2025-03-03T08:00:00Z",
        "updated_at": "2025-03-03T09:00:00Z",
        "status": "open",
        "priority": "normal",
        "requester_id": 9001,
        "type": "incident",
        "subject": "Something broke",
    }
    return {**base, **fields}


@pytest.fixture
def export(tmp_path: Path) -> Callable[..., Path]:
    """Write JSON pages (name → object) into a fresh export directory; returns it."""
    folder = tmp_path / "export"

    def write(**pages: object) -> Path:
        folder.mkdir(exist_ok=True)
        for name, page in pages.items():
            (folder / f"{name}.json").write_text(json.dumps(page), encoding="utf-8")
        return folder

    return write
