"""Reading contract files into validated versions, with every problem and its line."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from mittari.errors import Problem
from mittari.spec.fields import fields_at
from mittari.spec.instants import local_to_utc_us
from mittari.spec.models import API_VERSION, ContractModel
from mittari.spec.vocabulary import did_you_mean
from mittari.spec.yamllines import LineIndex, YamlDocument, read_documents

# `Problem.field` of problems that concern no single field
FILE, SYNTAX, DOCUMENT = "(file)", "(yaml)", "(document)"


@dataclass(frozen=True)
class Version:
    """One valid document: a version of a customer's contract, where it was written."""

    file: str
    model: ContractModel
    lines: LineIndex

    @property
    def customer(self) -> str:
        return self.model.metadata.customer

    @property
    def from_us(self) -> int:
        return _local_midnight_us(self.model.spec.effective.from_, self.model.spec.timezone)

    @property
    def to_us(self) -> int | None:
        to = self.model.spec.effective.to
        return None if to is None else _local_midnight_us(to, self.model.spec.timezone)

    def line(self, *loc: str) -> int:
        return self.lines.line_of(loc)


def _local_midnight_us(day: date, zone: str) -> int:
    return local_to_utc_us(day, 0, zone)


def read_versions(path: str | Path) -> tuple[list[Version], list[Problem]]:
    """The valid versions in one file and the problems of the rest (overlaps not checked)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return [], [Problem(file, None, FILE, None, f"cannot read the contract file: {reason}")]
    return versions_from_text(text, file)


def versions_from_text(text: str, file: str) -> tuple[list[Version], list[Problem]]:
    """The same as `read_versions` for the text of a contract file (e.g. a stored one)."""
    documents, syntax = read_documents(text)
    versions: list[Version] = []
    problems: list[Problem] = []
    for document in documents:
        model, found = check_document(file, document)
        problems += found
        if model is not None and not found:
            versions.append(Version(file, model, document.lines))
    if syntax is not None:
        problems.append(Problem(file, syntax.line, SYNTAX, None, syntax.message))
    elif not documents:
        problems.append(Problem(file, None, FILE, None, "the file holds no contract document"))
    return versions, sorted(problems, key=lambda p: p.line or 0)


def check_document(file: str, document: YamlDocument) -> tuple[ContractModel | None, list[Problem]]:
    """The validated model of one YAML document (None if invalid), and its problems."""
    lines = document.lines
    problems = [
        Problem(file, line, _dotted(loc), None, "duplicate key: YAML keeps only the last one")
        for loc, line in lines.duplicates
    ]
    header = _header_problem(file, document)
    if header is not None:
        return None, [*problems, header]
    context = {"calendars": _calendar_names(document.data)}
    try:
        model = ContractModel.model_validate(document.data, context=context)
    except ValidationError as error:
        details = error.errors(include_url=False)
        return None, problems + [_from_pydantic(file, lines, e) for e in details]
    return model, problems


def _header_problem(file: str, document: YamlDocument) -> Problem | None:
    """A document that is not a mittari/v1 mapping is not validated any further."""
    data, lines = document.data, document.lines
    if not isinstance(data, dict):
        message = "a contract document is a mapping of apiVersion, kind, metadata and spec"
        return Problem(file, lines.line_of(()), DOCUMENT, _scalar(data), message)
    if "apiVersion" not in data:
        message = f"missing apiVersion; write apiVersion: {API_VERSION}"
        return Problem(file, lines.line_of(()), "apiVersion", None, message)
    if data["apiVersion"] != API_VERSION:
        value = data["apiVersion"]
        message = f"unknown apiVersion '{value}'; this mittari reads {API_VERSION}"
        return Problem(file, lines.line_of(("apiVersion",)), "apiVersion", value, message)
    return None


def _calendar_names(data: object) -> frozenset[str]:
    spec = data.get("spec") if isinstance(data, dict) else None
    calendars = spec.get("calendars") if isinstance(spec, dict) else None
    return frozenset(str(k) for k in calendars) if isinstance(calendars, dict) else frozenset()


def _from_pydantic(file: str, lines: LineIndex, error: ErrorDetails) -> Problem:
    # "[key]" marks an error in a mapping key; the key's own line is the one to show.
    loc = tuple(part for part in error["loc"] if part != "[key]")
    value = None if error["type"] == "missing" else _scalar(error["input"])
    return Problem(file, lines.line_of(loc), _dotted(loc), value, _message(loc, error))


def _message(loc: Sequence[str | int], error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "literal_error" and "expected" in ctx:
        return f"use {ctx['expected']}"
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "extra_forbidden":
        allowed = fields_at(loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed) or f"; allowed: {', '.join(allowed)}"
        return f"unknown field '{loc[-1]}'{hint}"
    return str(error["msg"])


def _scalar(value: object) -> object:
    """The offending value if it is a scalar (dates as ISO text); None for anything larger."""
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str | int | float) else None


def _dotted(loc: Iterable[str | int]) -> str:
    return ".".join(str(part) for part in loc)


def overlap_problems(versions: Sequence[Version]) -> list[Problem]:
    """Versions of one customer whose effective ranges overlap, or that share a label."""
    problems: list[Problem] = []
    by_customer: dict[str, list[Version]] = {}
    for version in versions:
        by_customer.setdefault(version.customer, []).append(version)
    for group in by_customer.values():
        ordered = sorted(group, key=lambda v: (v.from_us, v.file, v.line()))
        problems += _overlaps(ordered) + _duplicate_labels(ordered)
    return problems


def _overlaps(ordered: Sequence[Version]) -> list[Problem]:
    problems: list[Problem] = []
    widest: Version | None = None  # of the versions seen so far, the one that reaches furthest
    for version in ordered:
        if widest is not None and _end(widest) > version.from_us:
            line = version.line("spec", "effective", "from")
            value = version.model.spec.effective.from_
            message = _overlap_message(version, widest)
            problems.append(Problem(version.file, line, "spec.effective.from", value, message))
        if widest is None or _end(version) > _end(widest):
            widest = version
    return problems


def _end(version: Version) -> float:
    return math.inf if version.to_us is None else version.to_us


def _overlap_message(version: Version, earlier: Version) -> str:
    effective = earlier.model.spec.effective
    where = f"{earlier.file}:{earlier.line('spec', 'effective')}"
    return (
        f"version '{version.model.metadata.version}' overlaps version "
        f"'{earlier.model.metadata.version}' of customer '{version.customer}' ({where}, "
        f"from {effective.from_} to {effective.to or 'an open end'}); "
        "a ticket must fall under exactly one version"
    )


def _duplicate_labels(ordered: Sequence[Version]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Version] = {}
    for version in ordered:
        label = version.model.metadata.version
        if label in seen:
            first = seen[label]
            message = f"version '{label}' is also defined at {first.file}:{first.line()}"
            line = version.line("metadata", "version")
            problems.append(Problem(version.file, line, "metadata.version", label, message))
        seen.setdefault(label, version)
    return problems
