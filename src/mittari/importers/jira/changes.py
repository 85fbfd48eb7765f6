"""Changelog items to events, and the values a ticket started with.

A changelog history (`histories[]` in REST, `changelog` in a webhook) holds items, each a
change of one field. The fields that matter to SLA clocks are "slots": status, priority,
the assignee, group fields (all `assign`) and category fields. Other items are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from mittari.importers.jira.collector import Collector, Event, Place
from mittari.importers.jira.rules import JiraRules
from mittari.importers.jira.translate import Raw, canonical
from mittari.importers.jira.values import Json, label, obj, text, user_id


@dataclass(frozen=True)
class Slot:
    kind: str  # status, priority, assign or category
    names: frozenset[str]  # changelog `field` names and `fieldId`s (folded) of this slot
    field: str  # the issue field holding the current value


def slots(rules: JiraRules) -> tuple[Slot, ...]:
    fixed = [
        Slot("status", frozenset({"status"}), "status"),
        Slot("priority", frozenset({"priority"}), "priority"),
        Slot("assign", frozenset({"assignee"}), "assignee"),
    ]
    groups = [_slot("assign", name, field) for name, field in rules.group_fields.items()]
    categories = [_slot("category", n, f) for n, f in rules.category_fields.items()]
    return (*fixed, *groups, *categories)


def _slot(kind: str, name: str, field: str) -> Slot:
    return Slot(kind, frozenset({name, field.casefold()}), field)


class Change(NamedTuple):
    """One changelog item at its history's instant."""

    ts: datetime
    order: tuple[int, int]  # history id (numeric ids sort as numbers), then item index
    ref: str  # `SD-1 changelog 10042 item 0`
    item: Json


def changes_of(c: Collector, key: str, histories: object, place: Place) -> list[Change]:
    """Every item of every history, in time order; items of a history keep their order."""
    found: list[Change] = []
    for history in histories if isinstance(histories, list) else []:
        found.extend(history_changes(c, key, obj(history), place))
    return sorted(found, key=lambda change: (change.ts, change.order))


def history_changes(c: Collector, key: str, history: Json, place: Place) -> list[Change]:
    history_id = text(history.get("id")) or "?"
    ts = c.instant(history.get("created"), place, "created", f"{key} changelog {history_id}")
    if ts is None:
        return []
    number = int(history_id) if history_id.isdigit() else -1
    items = history.get("items")
    return [
        Change(ts, (number, i), f"{key} changelog {history_id} item {i}", obj(item))
        for i, item in enumerate(items if isinstance(items, list) else [])
    ]


def slot_of(item: Json, known: Sequence[Slot]) -> Slot | None:
    names = {
        name.casefold() for name in (text(item.get("field")), text(item.get("fieldId"))) if name
    }
    return next((slot for slot in known if slot.names & names), None)


def change_events(
    c: Collector, key: str, changes: Sequence[Change], known: Sequence[Slot], place: Place
) -> list[Event]:
    """The events of changes; items of other fields, and cleared fields, are counted."""
    events = []
    for change in changes:
        slot = slot_of(change.item, known)
        raw = Raw(None, None) if slot is None else _side(change.item, "to", slot)
        if slot is None or raw.empty:
            c.ignore(key, change.ref)
            continue
        value = canonical(c, slot.kind, raw, place, change.ref)
        if value is not None:
            events.append(Event(key, change.ts, slot.kind, value, None, raw.text, change.ref))
    return events


def initial_events(
    c: Collector,
    key: str,
    created: datetime,
    fields: Json,
    changes: Sequence[Change],
    known: Sequence[Slot],
    place: Place,
) -> list[Event]:
    """Each slot's value at creation: the `from` side of its first change, else the
    issue's current value (the field never changed). Categories have none: a category
    event means a re-categorisation, which the ticket's creation is not."""
    events = []
    for slot in (s for s in known if s.kind != "category"):
        first = next((ch for ch in changes if slot_of(ch.item, [slot]) is slot), None)
        if first is not None:
            raw, ref = _side(first.item, "from", slot), f"{first.ref} from"
        else:
            raw, ref = current(slot, fields), f"{key} fields.{slot.field}"
        if raw.empty:
            continue
        value = canonical(c, slot.kind, raw, place, ref)
        if value is not None:
            events.append(Event(key, created, slot.kind, value, None, raw.text, ref))
    return events


def current(slot: Slot, fields: Json) -> Raw:
    value = fields.get(slot.field)
    if slot.field == "assignee":
        return Raw(text(obj(value).get("displayName")), user_id(value))
    if slot.kind == "status":
        return Raw(text(obj(value).get("name")), text(obj(value).get("id")))
    return Raw(label(value), None)


def _side(item: Json, side: str, slot: Slot) -> Raw:
    """`fromString`/`from` or `toString`/`to` of an item. The id is kept for the assignee
    (its opaque id is the value) and a status (to find its category), not for the rest."""
    keeps_id = slot.field == "assignee" or slot.kind == "status"
    return Raw(text(item.get(f"{side}String")), text(item.get(side)) if keeps_id else None)
