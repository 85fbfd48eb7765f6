"""Comments to `reply` (public) and `note` (internal) events, with their actor.

Public or internal: JSM's `jsdPublic` when the comment carries it; else the JSM property
`sd.public.comment` ({"internal": true}); else a comment restricted by `visibility` (a role
or group) is internal; else (plain Jira) it is public.

Actor: `system` for an app account (`accountType: "app"`) or a name listed under
`automation_accounts`; `customer` for a JSM customer account (`accountType: "customer"`),
the issue's reporter, or a comment without an author; `agent` otherwise.
"""

from __future__ import annotations

from mittari.importers.jira.collector import Collector, Event, Place
from mittari.importers.jira.values import Json, obj, text, user_id, user_names


def comments_of(fields: Json) -> list[Json]:
    """The comments of an issue: `fields.comment.comments` (v2) or a plain list (v3)."""
    found = fields.get("comment")
    listed = obj(found).get("comments") if isinstance(found, dict) else found
    return [obj(comment) for comment in listed] if isinstance(listed, list) else []


def comment_event(
    c: Collector, key: str, comment: Json, reporter: str | None, place: Place
) -> Event | None:
    ref = f"{key} comment {text(comment.get('id')) or '?'}"
    ts = c.instant(comment.get("created"), place, "created", ref)
    if ts is None:
        return None
    kind = "reply" if is_public(comment) else "note"
    return Event(key, ts, kind, None, actor_of(c, comment.get("author"), reporter), None, ref)


def is_public(comment: Json) -> bool:
    flag = comment.get("jsdPublic")
    if isinstance(flag, bool):
        return flag
    for prop in comment.get("properties") or []:
        if obj(prop).get("key") == "sd.public.comment":
            return obj(obj(prop).get("value")).get("internal") is not True
    return not obj(comment.get("visibility"))


def actor_of(c: Collector, author: object, reporter: str | None) -> str:
    found = obj(author)
    account_type = text(found.get("accountType"))
    automation = c.rules.automation_accounts
    if account_type == "app" or any(name in automation for name in user_names(found)):
        return "system"
    author_id = user_id(found)
    if account_type == "customer" or author_id is None or author_id == reporter:
        return "customer"
    return "agent"
