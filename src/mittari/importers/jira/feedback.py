"""JSM customer satisfaction (CSAT) ratings: `/rest/servicedeskapi/request/{key}/feedback`.

The API's answer (`{"type": "csat", "rating": 4, "comment": {"body": "..."}}`) names
neither the request nor a time: the ticket is the document's own `issueKey` or `key` when an
export adds one, else the issue key in the file's name (`SD-12.feedback.json`); `ts` is
null unless the document has a `created` timestamp.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath

import pyarrow as pa

FEEDBACK_SCHEMA = pa.schema(
    [
        ("ticket_id", pa.string()),
        ("ts", pa.timestamp("us", tz="UTC")),
        ("rating", pa.int64()),
        ("scale", pa.string()),
        ("comment", pa.string()),
        ("source", pa.string()),
    ]
)
SCALE = "1-5"
_ISSUE_KEY = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9_]*-[0-9]+)(?![0-9])")


def key_in_file_name(file: str) -> str | None:
    found = _ISSUE_KEY.search(PurePath(file).name)
    return None if found is None else found.group(1)


class FeedbackRows:
    def __init__(self) -> None:
        self._rows: list[tuple[str, datetime | None, int, str | None]] = []

    def add(self, ticket_id: str, ts: datetime | None, rating: int, comment: str | None) -> None:
        self._rows.append((ticket_id, ts, rating, comment))

    def __len__(self) -> int:
        return len(self._rows)

    def table(self) -> pa.Table:
        ticket_ids, stamps, ratings, comments = (list(c) for c in zip(*self._rows, strict=True))
        n = len(self._rows)
        columns = [ticket_ids, stamps, ratings, [SCALE] * n, comments, ["jira"] * n]
        return pa.table(columns, schema=FEEDBACK_SCHEMA)
