"""Side-loaded objects (users, groups, organizations, brands, custom statuses) by id.

Zendesk writes ids as numbers in objects and as text in audit values (`"value": "501"`):
every id here is kept and looked up as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mittari.importers.zendesk.pages import Record


def id_text(value: object) -> str | None:
    """An id as text (`501`, `"501"` → `"501"`); None for null or an empty value."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = str(value).strip()
    return text or None


def id_order(ident: str) -> tuple[int, int, str]:
    """Zendesk ids are numbers: numeric order, any other text after them."""
    return (0, int(ident), "") if ident.isdigit() else (1, 0, ident)


@dataclass
class Lookups:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    brands: dict[str, dict[str, Any]] = field(default_factory=dict)
    custom_statuses: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_side(cls, side: Mapping[str, Iterable[Record]]) -> Lookups:
        """Every side-loaded object by id; a later copy of an object replaces an earlier."""
        lookups = cls()
        for key, records in side.items():
            table: dict[str, dict[str, Any]] = getattr(lookups, key)
            table.update(_by_id(record.data for record in records))
        return lookups

    @classmethod
    def of(
        cls,
        users: Iterable[Mapping[str, Any]] | Mapping[Any, Mapping[str, Any]] | None,
        groups: Iterable[Mapping[str, Any]] | Mapping[Any, Mapping[str, Any]] | None,
    ) -> Lookups:
        """Users and groups handed over in memory: a list of objects or a dict by id."""
        return cls(users=_by_id(_objects(users)), groups=_by_id(_objects(groups)))

    def name(self, table: str, key: object) -> str | None:
        """The object's `name` where it is known, else its id as text."""
        ident = id_text(key)
        if ident is None:
            return None
        found: dict[str, Any] = getattr(self, table).get(ident, {})
        name = found.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else ident

    def role(self, user: str | None) -> str | None:
        role = self.users.get(user or "", {}).get("role")
        return role if isinstance(role, str) else None

    def custom_status_label(self, key: object) -> str | None:
        label = self.custom_statuses.get(id_text(key) or "", {}).get("agent_label")
        return label if isinstance(label, str) else None


def _objects(
    given: Iterable[Mapping[str, Any]] | Mapping[Any, Mapping[str, Any]] | None,
) -> Iterable[Mapping[str, Any]]:
    if given is None:
        return ()
    if isinstance(given, Mapping):
        return [{"id": key, **value} for key, value in given.items()]
    return given


def _by_id(objects: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in objects:
        ident = id_text(item.get("id"))
        if ident is not None:
            found[ident] = dict(item)
    return found
