"""Mapping files of importers: YAML validated by a pydantic model, errors with their lines.

Each importer ships a `mapping.yaml` with its defaults (native statuses to canonical ones,
priorities to P1..P5, ...) and describes it with a pydantic model. A user's `--mapping FILE`
replaces it. A bad mapping file is an `InputError` naming file, line, field and value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from mittari.errors import InputError, Problem
from mittari.importers.canonical.timestamps import check_timezone
from mittari.spec.yamllines import read_documents

M = TypeVar("M", bound=BaseModel)

CanonicalStatus = Literal[
    "new",
    "open",
    "pending_customer",
    "pending_vendor",
    "on_hold",
    "resolved",
    "closed",
    "cancelled",
]
CanonicalPriority = Literal["P1", "P2", "P3", "P4", "P5"]
CANONICAL_STATUSES: tuple[str, ...] = get_args(CanonicalStatus)
CANONICAL_PRIORITIES: tuple[str, ...] = get_args(CanonicalPriority)


def load_mapping(path: str | Path, model: type[M]) -> M:
    """The one YAML document of `path`, validated by `model`."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError([Problem(file, None, "mapping", None, f"cannot read: {exc}")]) from exc
    documents, syntax = read_documents(text)
    if syntax is not None:
        raise InputError([Problem(file, syntax.line, "mapping", None, syntax.message)])
    if len(documents) != 1:
        message = f"a mapping file holds one YAML document, found {len(documents)}"
        raise InputError([Problem(file, None, "mapping", None, message)])
    document = documents[0]
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            loc = tuple(p for p in detail["loc"] if p != "[key]")
            value = detail.get("input")
            shown = value if isinstance(value, str | int | float) else None
            dotted = ".".join(str(p) for p in loc) or "mapping"
            problems.append(
                Problem(file, document.lines.line_of(loc), dotted, shown, str(detail["msg"]))
            )
        raise InputError(problems) from error


def check_zone(file: str, timezone: str | None) -> None:
    """An `InputError` naming `file` when `timezone` (given for naive times) is no IANA zone."""
    if timezone is None:
        return
    try:
        check_timezone(timezone)
    except ValueError as exc:
        raise InputError([Problem(file, None, "timezone", timezone, str(exc))]) from exc
