"""Load a mapping file: the model of `model.py`, then the checks that need the whole file.

Each check names the place it fails as a path (`rules.3.activity`); the line of that path
comes from the same YAML node marks as the schema errors of `load_mapping`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mittari.errors import InputError, Problem
from mittari.importers.eventlog.model import MappingModel
from mittari.importers.mapping import load_mapping
from mittari.spec.vocabulary import did_you_mean
from mittari.spec.yamllines import read_documents

Loc = tuple[str | int, ...]
SHIPPED = Path(__file__).parent / "mappings"


@dataclass(frozen=True)
class Mapping:
    """A checked mapping and the file it came from (problems name it)."""

    file: str
    spec: MappingModel


def load(path: str | Path) -> Mapping:
    """The mapping of `path`; an `InputError` naming file, line, field and value if bad.

    A bare name that is no file (`helpdesk`) is the shipped mapping of that name.
    """
    path = Path(path)
    if not path.exists() and path.suffix == "" and shipped(path.name).exists():
        path = shipped(path.name)
    spec = load_mapping(path, MappingModel)
    found = list(_whole_file_checks(spec))
    if found:
        documents, _ = read_documents(Path(path).read_text(encoding="utf-8-sig"))
        lines = documents[0].lines
        raise InputError(
            [
                Problem(str(path), lines.line_of(loc), _dotted(loc), value, message)
                for loc, value, message in found
            ]
        )
    return Mapping(str(path), spec)


def shipped(name: str) -> Path:
    """The path of a mapping shipped with the importer (`helpdesk`, `bpic2013-volvo`)."""
    return SHIPPED / f"{name}.yaml"


def _dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc) or "mapping"


Found = tuple[Loc, object, str]


def _whole_file_checks(spec: MappingModel) -> Iterator[Found]:
    if spec.csv is None and spec.xes is None:
        yield (), None, "a mapping needs a csv or an xes section (or both)"
    if "ticket_id" in spec.tickets:
        yield ("tickets", "ticket_id"), "ticket_id", "the ticket_id is the case id: not mappable"
    yield from _duplicate_rules(spec)
    yield from _created_events(spec)
    for section, fields in _sections(spec):
        yield from _unknown_fields(spec, section, fields)


def _duplicate_rules(spec: MappingModel) -> Iterator[Found]:
    first: dict[tuple[str, str | None], int] = {}
    for i, rule in enumerate(spec.rules):
        key = (rule.activity, rule.lifecycle)
        if key in first:
            message = (
                f"a second rule for this activity and lifecycle (the first is rules.{first[key]})"
            )
            yield ("rules", i, "activity"), rule.activity, message
        first.setdefault(key, i)


def _created_events(spec: MappingModel) -> Iterator[Found]:
    emits_created = [
        (i, k)
        for i, rule in enumerate(spec.rules)
        for k, emit in enumerate(rule.emit)
        if emit.kind == "created"
    ]
    if spec.created == "first_event":
        for i, k in emits_created:
            message = "created: first_event already adds one per case; use created: rule"
            yield ("rules", i, "emit", k, "kind"), "created", message
    elif not emits_created:
        yield ("created",), "rule", "created: rule, but no rule emits a created event"


def _sections(spec: MappingModel) -> Iterator[tuple[str, set[str]]]:
    """Each format section and the field names it declares."""
    if spec.csv is not None:
        yield "csv", set(spec.csv.fields)
    if spec.xes is not None:
        yield "xes", {*spec.xes.fields, *spec.xes.trace_fields}


def _unknown_fields(spec: MappingModel, section: str, known: set[str]) -> Iterator[Found]:
    """Fields named by rules, changes and tickets that `section` does not declare."""
    named: list[tuple[Loc, str]] = []
    for i, rule in enumerate(spec.rules):
        for k, emit in enumerate(rule.emit):
            if emit.value_from is not None:
                named.append((("rules", i, "emit", k, "value_from"), emit.value_from))
    named += [(("changes", j, "field"), change.field) for j, change in enumerate(spec.changes)]
    for name, attribute in spec.tickets.items():
        if attribute.field is not None:
            named.append((("tickets", name, "field"), attribute.field))
    for loc, field in named:
        if field not in known:
            hint = did_you_mean(field, known)
            declared = ", ".join(sorted(known))
            message = f"unknown field{hint}; the {section} section declares {declared}"
            yield loc, field, message
