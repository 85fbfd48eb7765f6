"""The mapping file of the event-log importer, as written (YAML, validated by pydantic).

One file says how to read one kind of log: where the case id, activity, lifecycle and
timestamp are (a `csv` section, an `xes` section, or both: the rules are shared), how its
times are written, and which canonical events each (activity, lifecycle) becomes. Checks
that need the whole file (duplicate rules, fields a rule names but no section declares)
run after this model, in `load.py`, so that each points at its own line.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from mittari.importers.mapping import CANONICAL_PRIORITIES, CANONICAL_STATUSES
from mittari.spec.vocabulary import check_timezone, did_you_mean

EventKind = Literal["created", "status", "priority", "reply", "note", "assign", "category"]
ChangeKind = Literal["status", "priority", "assign", "category"]
ActorName = Literal["agent", "customer", "system"]
REQUIRED_FIELDS = ("activity", "timestamp")  # logical fields every format section names


def _non_empty(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _field_name(name: str) -> str:
    if name == "case":
        raise ValueError("'case' is the case id, named by `case:`; use another field name")
    return _non_empty(name)


Text = Annotated[str, AfterValidator(_non_empty)]
FieldName = Annotated[str, AfterValidator(_field_name)]
Zone = Annotated[str, AfterValidator(check_timezone)]


def check_value(kind: str, value: str) -> None:
    """A canonical value fit for `kind`: a status for status, P1..P5 for priority."""
    allowed = {"status": CANONICAL_STATUSES, "priority": CANONICAL_PRIORITIES}.get(kind)
    if allowed is not None and value not in allowed:
        hint = did_you_mean(value, allowed)
        raise ValueError(f"not a canonical {kind}{hint}; use one of {', '.join(allowed)}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmitModel(_Model):
    """One canonical event a rule emits: `{kind: status, value: open}`."""

    kind: EventKind
    value: Text | None = None  # the canonical value, as is
    value_from: FieldName | None = None  # or the value of this field of the same record
    actor: ActorName | None = None  # reply and note only

    @model_validator(mode="after")
    def _fits_its_kind(self) -> EmitModel:
        kind, named = self.kind, self.value is not None or self.value_from is not None
        if kind in ("reply", "note") and self.actor is None:
            raise ValueError(f"a {kind} needs an actor: agent, customer or system")
        if kind not in ("reply", "note") and self.actor is not None:
            raise ValueError(f"only reply and note take an actor, not {kind}")
        if kind in ("created", "reply", "note") and named:
            raise ValueError(f"a {kind} event takes no value")
        if kind in ("status", "priority") and self.value is None:
            raise ValueError(f"a {kind} event needs a value (value_from is for assign, category)")
        if kind in ("assign", "category") and (self.value is None) == (self.value_from is None):
            raise ValueError(f"an {kind} event needs one of value or value_from")
        if self.value is not None:
            check_value(kind, self.value)
        return self


class RuleModel(_Model):
    """What the records with one activity (and lifecycle) become; `emit: []` ignores them."""

    activity: Text
    lifecycle: str | None = None  # None: any lifecycle no other rule of this activity names
    emit: tuple[EmitModel, ...]
    note: str | None = None  # why: the decision, for the reader of the mapping


class ChangeModel(_Model):
    """An event each time a field changes within a case (`when: first`: its first value)."""

    field: FieldName
    kind: ChangeKind
    when: Literal["change", "first"] = "change"
    values: dict[str, str | None] | None = None  # native → canonical; null: no event
    note: str | None = None

    @model_validator(mode="after")
    def _values_fit(self) -> ChangeModel:
        if self.kind in ("status", "priority") and self.values is None:
            raise ValueError(f"a {self.kind} change needs `values`: native → canonical")
        for canonical in (self.values or {}).values():
            if canonical is not None:
                check_value(self.kind, canonical)
        return self


class TicketFieldModel(_Model):
    """One ticket attribute: a field's first or last non-empty value in the case, or a
    constant."""

    field: FieldName | None = None
    value: Text | None = None
    take: Literal["first", "last"] = "first"

    @model_validator(mode="after")
    def _one_source(self) -> TicketFieldModel:
        if (self.field is None) == (self.value is None):
            raise ValueError("a ticket attribute needs one of field or value")
        return self


class TimestampsModel(_Model):
    """How times are written: ISO 8601 or a strptime format; what to do with offsets."""

    format: Text = "iso"  # or a strptime format, e.g. "%d/%m/%Y %H:%M" (day first)
    offset: Literal["keep", "ignore"] = "keep"  # ignore: wall-clock time in `zone`
    zone: Zone | None = None  # the zone of times without an offset (`--timezone` wins)

    @model_validator(mode="after")
    def _consistent(self) -> TimestampsModel:
        if self.format != "iso" and "%" not in self.format:
            raise ValueError("format is 'iso' or a strptime format such as '%d/%m/%Y %H:%M'")
        if self.offset == "ignore" and "%z" in self.format:
            raise ValueError("offset: ignore drops the offset before parsing; remove %z")
        return self


def _has_required(fields: dict[str, str]) -> dict[str, str]:
    missing = [name for name in REQUIRED_FIELDS if name not in fields]
    if missing:
        raise ValueError(f"fields must name {' and '.join(missing)}")
    return fields


Fields = Annotated[dict[FieldName, Text], AfterValidator(_has_required)]


class CsvModel(_Model):
    """`csv`: the columns of each field (logical name → header as written)."""

    delimiter: str = Field(",", min_length=1, max_length=1)
    case: Text  # the case id column
    fields: Fields


class XesModel(_Model):
    """`xes`: attribute keys of each field, of events (`fields`) or of traces."""

    case: Text = "concept:name"  # the trace attribute that holds the case id
    fields: Fields
    trace_fields: dict[FieldName, Text] = {}

    @model_validator(mode="after")
    def _each_name_once(self) -> XesModel:
        twice = sorted(set(self.fields) & set(self.trace_fields))
        if twice:
            raise ValueError(f"{', '.join(twice)}: named in both fields and trace_fields")
        return self


class MappingModel(_Model):
    """A whole mapping file."""

    name: Text
    source: str | None = None  # where the log comes from: a citation
    timestamps: TimestampsModel = TimestampsModel()
    csv: CsvModel | None = None
    xes: XesModel | None = None
    created: Literal["first_event", "rule"] = "first_event"
    rules: tuple[RuleModel, ...]
    changes: tuple[ChangeModel, ...] = ()
    tickets: dict[FieldName, TicketFieldModel] = {}
