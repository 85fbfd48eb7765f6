"""One Jira issue (REST `/issue/KEY?expand=changelog`, or one of a search result's
`issues`) to its ticket row and its events."""

from __future__ import annotations

from datetime import datetime

from mittari.importers.jira.changes import (
    Change,
    change_events,
    changes_of,
    initial_events,
    slots,
)
from mittari.importers.jira.collector import Collector, Event, Place
from mittari.importers.jira.comments import comment_event, comments_of
from mittari.importers.jira.rules import JiraRules
from mittari.importers.jira.values import Json, label, obj, text, user_id


def issue_key(c: Collector, issue: Json, place: Place) -> str | None:
    key = text(issue.get("key"))
    if key is None:
        c.problem(place, "key", None, "an issue without a key is skipped")
    return key


def add_issue(c: Collector, issue: Json, place: Place) -> None:
    """The issue's ticket row and events: `created`, the values it started with, then its
    changelog and comments in time order."""
    key = issue_key(c, issue, place)
    if key is None:
        return
    fields = obj(issue.get("fields"))
    c.ticket(key, **ticket_attributes(c.rules, fields))
    changelog = obj(issue.get("changelog"))
    _check_complete(c, key, changelog, place)
    changes = changes_of(c, key, changelog.get("histories"), place)
    add_creation(c, key, fields, changes, place)
    for event in _timeline(c, key, fields, changes, place):
        c.add(event, place)


def add_creation(c: Collector, key: str, fields: Json, changes: list[Change], place: Place) -> None:
    """`created` and the values the ticket started with (see `initial_events`)."""
    created = c.instant(fields.get("created"), place, "created", f"{key} fields.created")
    if created is None:
        return
    c.add(Event(key, created, "created", None, None, None, f"{key} fields.created"), place)
    for event in initial_events(c, key, created, fields, changes, slots(c.rules), place):
        c.add(event, place)


def _timeline(
    c: Collector, key: str, fields: Json, changes: list[Change], place: Place
) -> list[Event]:
    """Changes and comments in time order; at the same instant, changes first. The changes
    come sorted already, so their position keeps their order among themselves."""
    timed: list[tuple[datetime, int, int, Event]] = []
    for n, event in enumerate(change_events(c, key, changes, slots(c.rules), place)):
        timed.append((event.ts, 0, n, event))
    reporter = user_id(fields.get("reporter"))
    for n, comment in enumerate(comments_of(fields)):
        said = comment_event(c, key, comment, reporter, place)
        if said is not None:
            timed.append((said.ts, 1, n, said))
    return [event for *_, event in sorted(timed, key=lambda t: t[:3])]


def _check_complete(c: Collector, key: str, changelog: Json, place: Place) -> None:
    """A search result holds at most one page of histories: say so when some are missing."""
    histories, total = changelog.get("histories"), changelog.get("total")
    shown = len(histories) if isinstance(histories, list) else 0
    if isinstance(total, int) and total > shown:
        message = (
            f"{key}: the changelog holds {shown} of {total} histories, so events are missing;"
            f" read all of /rest/api/2/issue/{key}/changelog"
        )
        c.problem(place, "changelog", total, message)


def ticket_attributes(rules: JiraRules, fields: Json) -> dict[str, str | None]:
    listed = fields.get("labels")
    labels = [n for n in listed if isinstance(n, str)] if isinstance(listed, list) else []
    return {
        "customer": _first(fields, rules.customer_fields),
        "service": _first(fields, rules.service_fields),
        "type": label(fields.get("issuetype")),
        "requester": user_id(fields.get("reporter")),
        "subject": text(fields.get("summary")),
        "project": text(obj(fields.get("project")).get("key")),
        "labels": " ".join(labels) or None,
    }


def _first(fields: Json, names: tuple[str, ...]) -> str | None:
    return next((found for n in names if (found := label(fields.get(n))) is not None), None)
