"""Jira webhook bodies to events.

- `jira:issue_created`: `created` and the values the issue started with (its fields then).
- `jira:issue_updated`: the items of its `changelog`, at the changelog's `created` when the
  body has one, else at the body's `timestamp` (when Jira raised the event, epoch ms); and
  the `comment` a Server/Data Center body carries when the update added one.
- `comment_created`: the `comment`.
Other events (deletions, comment edits, worklogs, ...) give no events.

Everything is taken from the body alone, and refs name Jira's own ids, so a replayed body
gives identical events.
"""

from __future__ import annotations

from datetime import datetime

from mittari.importers.jira.changes import Change, change_events, slots
from mittari.importers.jira.collector import Collector, Place
from mittari.importers.jira.comments import comment_event
from mittari.importers.jira.issues import add_creation, issue_key, ticket_attributes
from mittari.importers.jira.values import Json, obj, text, user_id

CREATED, UPDATED, COMMENTED = "jira:issue_created", "jira:issue_updated", "comment_created"


def add_webhook(c: Collector, body: Json, place: Place) -> None:
    event = body.get("webhookEvent")
    if event not in (CREATED, UPDATED, COMMENTED):
        return
    issue = obj(body.get("issue"))
    key = issue_key(c, issue, place)
    if key is None:
        return
    fields = obj(issue.get("fields"))
    c.ticket(key, **ticket_attributes(c.rules, fields))
    if event == CREATED:  # its values are those the issue started with: from `fields`
        add_creation(c, key, fields, [], place)
        return
    if event == UPDATED:
        for found in change_events(c, key, _changes(c, key, body, place), slots(c.rules), place):
            c.add(found, place)
    if body.get("comment") is not None:
        _add_comment(c, key, obj(body.get("comment")), fields, place)


def _changes(c: Collector, key: str, body: Json, place: Place) -> list[Change]:
    changelog = obj(body.get("changelog"))
    items = _items(changelog)
    if not items:
        return []
    changelog_id = text(changelog.get("id")) or "?"
    ts = _when(c, body, changelog, place, f"{key} changelog {changelog_id}")
    if ts is None:
        return []
    number = int(changelog_id) if changelog_id.isdigit() else -1
    return [
        Change(ts, (number, i), f"{key} changelog {changelog_id} item {i}", obj(item))
        for i, item in enumerate(items)
    ]


def _when(c: Collector, body: Json, changelog: Json, place: Place, ref: str) -> datetime | None:
    if changelog.get("created") is not None:
        return c.instant(changelog.get("created"), place, "created", ref)
    return c.instant(body.get("timestamp"), place, "timestamp", ref)


def _add_comment(c: Collector, key: str, comment: Json, fields: Json, place: Place) -> None:
    found = comment_event(c, key, comment, user_id(fields.get("reporter")), place)
    if found is not None:
        c.add(found, place)


def _items(changelog: Json) -> list[object]:
    items = changelog.get("items")
    return items if isinstance(items, list) else []
