"""Native values to canonical ones: statuses, priorities, assignees, categories."""

from __future__ import annotations

from typing import NamedTuple

from mittari.importers.jira.collector import Collector, Place


class Raw(NamedTuple):
    """A native value as Jira shows it (`text`) and its id (`id`), either may be missing."""

    text: str | None
    id: str | None

    @property
    def empty(self) -> bool:
        return self.text is None and self.id is None


def canonical(c: Collector, kind: str, raw: Raw, place: Place, ref: str) -> str | None:
    """The canonical value of `raw` for an event of `kind`; None (with a problem for a
    status or priority the mapping does not know) when there is none."""
    if kind == "status":
        return _status(c, raw, place, ref)
    if kind == "priority":
        return _priority(c, raw, place, ref)
    if kind == "assign":
        return raw.id or raw.text  # the assignee's opaque id; a group's name
    return raw.text


def _status(c: Collector, raw: Raw, place: Place, ref: str) -> str | None:
    name = raw.text
    if name is not None and name.casefold() in c.rules.statuses:
        return c.rules.statuses[name.casefold()]
    category = c.categories.of(raw.id, name)
    if category is not None and category in c.rules.status_categories:
        return c.rules.status_categories[category]
    known = "" if category is None else f" (its status category {category!r} is not mapped)"
    message = (
        f"{ref}: status {name!r} is not listed under `statuses` in {c.rules.file} and has"
        f" no known status category{known}; add it there, or give the statuses of"
        " /rest/api/2/status with the input"
    )
    c.problem(place, "status", name if name is not None else raw.id, message)
    return None


def _priority(c: Collector, raw: Raw, place: Place, ref: str) -> str | None:
    name = raw.text
    if name is not None and name.casefold() in c.rules.priorities:
        return c.rules.priorities[name.casefold()]
    message = f"{ref}: priority {name!r} is not listed under `priorities` in {c.rules.file}"
    c.problem(place, "priority", name if name is not None else raw.id, message + "; add it")
    return None
