"""Small readers of Jira JSON values: objects, names, user ids."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def obj(value: object) -> Json:
    """`value` if it is a JSON object, else an empty one (Jira writes null for empty fields)."""
    return value if isinstance(value, dict) else {}


def text(value: object) -> str | None:
    """A non-empty string (numbers as text: ids are sometimes numbers), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        shown = str(value).strip()
        return shown or None
    return None


def label(value: object) -> str | None:
    """The name a field value shows: a string itself, the first of a list, an object's
    request type name, `name` or `value` (components, options, groups, request types)."""
    if isinstance(value, list):
        return next((found for item in value if (found := label(item)) is not None), None)
    if isinstance(value, dict):
        request_type = obj(value.get("requestType")).get("name")
        for candidate in (request_type, value.get("name"), value.get("value")):
            if (found := text(candidate)) is not None:
                return found
        return None
    return text(value)


def user_id(user: object) -> str | None:
    """An opaque id of a user: `accountId` (Cloud), else `key` or `name` (Server)."""
    found = obj(user)
    return text(found.get("accountId")) or text(found.get("key")) or text(found.get("name"))


def user_names(user: object) -> list[str]:
    """The names a user goes by (display name, user name), case-folded."""
    found = obj(user)
    names = (text(found.get("displayName")), text(found.get("name")))
    return [name.casefold() for name in names if name is not None]
