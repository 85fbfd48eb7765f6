"""Importer names → their `read` functions. A new importer adds one line here.

Every reader has the signature `read(path, *, mapping=None, timezone=None) -> Extract`.
The canonical format is read by `mittari.importers.canonical` directly: it is the fast path
for millions of events and has its own tickets file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from mittari.importers.extract import Extract

Reader = Callable[..., Extract]

READERS: dict[str, str] = {
    "servicenow": "mittari.importers.servicenow",
    "jira": "mittari.importers.jira",
    "zendesk": "mittari.importers.zendesk",
    "eventlog": "mittari.importers.eventlog",
}


def reader(name: str) -> Reader:
    """The `read` function of importer `name` (imported when first needed)."""
    try:
        module = READERS[name]
    except KeyError:
        known = ", ".join(["canonical", *READERS])
        raise ValueError(f"unknown importer {name!r}; known: {known}") from None
    read: Reader = importlib.import_module(module).read
    return read


def read(
    name: str, path: str | Path, *, mapping: str | Path | None = None, timezone: str | None = None
) -> Extract:
    return reader(name)(path, mapping=mapping, timezone=timezone)
