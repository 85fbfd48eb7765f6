"""The files of an export: every `*.json` under a directory (or one file), in name order.

Each file is one API response, recognised by its top-level keys: `tickets` (incremental
ticket export pages, cursor- or time-based) or `ticket`, `audits` or `audit`,
`satisfaction_ratings`, and side-loaded or separately exported `users`, `groups`,
`organizations`, `brands`, `custom_statuses`. Paging keys (`after_cursor`, `end_of_stream`,
`next_page`, `meta`, ...) are ignored. A file that is not JSON, or holds none of these keys,
is a Problem; nothing in it is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mittari.errors import InputError, Problem

RECORD_KEYS = {
    "tickets": "tickets",
    "ticket": "tickets",
    "audits": "audits",
    "audit": "audits",
    "satisfaction_ratings": "ratings",
    "satisfaction_rating": "ratings",
}
SIDE_KEYS = ("users", "groups", "organizations", "brands", "custom_statuses")
_NOT_READ = {
    "ticket_events": "incremental ticket_events are not read: export the tickets' audits"
    " (GET /api/v2/tickets/{id}/audits.json), which carry the same history",
}


@dataclass(frozen=True)
class Record:
    """One object of a page: where it is (`file`, `ref` such as `audits[3]`) and its data."""

    file: str
    ref: str
    data: dict[str, Any]


@dataclass
class Pages:
    """Every record of an export by kind, in file order then page order."""

    tickets: list[Record] = field(default_factory=list)
    audits: list[Record] = field(default_factory=list)
    ratings: list[Record] = field(default_factory=list)
    side: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add_page(self, file: str, page: dict[str, Any]) -> None:
        known = [key for key in page if key in RECORD_KEYS or key in SIDE_KEYS]
        for key, why in _NOT_READ.items():
            if key in page:
                self.problems.append(Problem(file, None, key, None, why))
        if not known and not any(key in page for key in _NOT_READ):
            names = ", ".join([*RECORD_KEYS, *SIDE_KEYS])
            message = f"not a Zendesk export page: expected a top-level key of {names}"
            self.problems.append(Problem(file, None, "file", None, message))
        for key in known:
            self._add_records(file, key, page[key])

    def _add_records(self, file: str, key: str, items: object) -> None:
        single = not isinstance(items, list)
        listed: list[object] = [items] if not isinstance(items, list) else items
        target = self.side.setdefault(key, []) if key in SIDE_KEYS else self._kind(key)
        for i, item in enumerate(listed):
            ref = key if single else f"{key}[{i}]"
            if isinstance(item, dict):
                target.append(Record(file, ref, item))
            else:
                self.problems.append(Problem(file, None, ref, None, "expected a JSON object"))

    def _kind(self, key: str) -> list[Record]:
        kind: list[Record] = getattr(self, RECORD_KEYS[key])
        return kind


def json_files(path: Path) -> list[Path]:
    """`path` itself, or every `*.json` below it in name order (by relative path)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError([Problem(str(path), None, "path", None, "no such file or directory")])
    files = sorted(path.rglob("*.json"), key=lambda p: p.relative_to(path).as_posix())
    if not files:
        raise InputError([Problem(str(path), None, "path", None, "no *.json files in it")])
    return files


def load_pages(path: str | Path) -> Pages:
    pages = Pages()
    for file in json_files(Path(path)):
        page = _load(file, pages.problems)
        if page is not None:
            pages.add_page(str(file), page)
    return pages


def _load(file: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        page = json.loads(file.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        problems.append(Problem(str(file), exc.lineno, "json", None, f"not JSON: {exc.msg}"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(file), None, "file", None, f"cannot read: {exc}"))
        return None
    if not isinstance(page, dict):
        problems.append(Problem(str(file), None, "file", None, "expected a JSON object"))
        return None
    return page
