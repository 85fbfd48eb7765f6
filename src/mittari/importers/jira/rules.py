"""The Jira mapping file: as written (`JiraMapping`, pydantic), then resolved (`JiraRules`).

`mapping.yaml` beside this module holds the defaults; a user's mapping file replaces it
whole. Names are matched case-insensitively, so the resolved rules hold case-folded keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mittari.importers.mapping import CanonicalPriority, CanonicalStatus, load_mapping

DEFAULT_MAPPING = Path(__file__).resolve().parent / "mapping.yaml"


def _default_categories() -> dict[str, CanonicalStatus]:
    return {"new": "new", "indeterminate": "open", "done": "resolved"}


class JiraMapping(BaseModel):
    """`mapping.yaml` as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    statuses: dict[str, CanonicalStatus]
    status_categories: dict[str, CanonicalStatus] = Field(default_factory=_default_categories)
    priorities: dict[str, CanonicalPriority]
    automation_accounts: list[str] = Field(default_factory=list)
    service_fields: list[str] = Field(default_factory=lambda: ["components"])
    customer_fields: list[str] = Field(default_factory=list)
    category_fields: dict[str, str] = Field(default_factory=dict)
    group_fields: dict[str, str] = Field(default_factory=dict)

    @field_validator(
        "statuses", "status_categories", "priorities", "category_fields", "group_fields"
    )
    @classmethod
    def _names_once(cls, names: dict[str, str]) -> dict[str, str]:
        folded = [name.casefold() for name in names]
        twice = sorted({name for name in names if folded.count(name.casefold()) > 1})
        if twice:
            raise ValueError(f"names are case-insensitive: {', '.join(twice)} listed twice")
        return names


@dataclass(frozen=True)
class JiraRules:
    """The mapping resolved for lookups: case-folded names, and the file to name in problems."""

    file: str
    statuses: dict[str, str]
    status_categories: dict[str, str]
    priorities: dict[str, str]
    automation_accounts: frozenset[str]
    service_fields: tuple[str, ...]
    customer_fields: tuple[str, ...]
    category_fields: dict[str, str]  # changelog field name (folded) → issue field id
    group_fields: dict[str, str]


def resolve(mapping: JiraMapping, file: str) -> JiraRules:
    return JiraRules(
        file=file,
        statuses=_folded(mapping.statuses),
        status_categories=_folded(mapping.status_categories),
        priorities=_folded(mapping.priorities),
        automation_accounts=frozenset(n.casefold() for n in mapping.automation_accounts),
        service_fields=tuple(mapping.service_fields),
        customer_fields=tuple(mapping.customer_fields),
        category_fields=_folded(mapping.category_fields),
        group_fields=_folded(mapping.group_fields),
    )


def load_rules(mapping: str | Path | JiraRules | None = None) -> JiraRules:
    """The rules of a mapping file (the default one when None); rules pass through.

    A bad file raises `InputError` naming the file, the line, the field and the value.
    """
    if isinstance(mapping, JiraRules):
        return mapping
    path = DEFAULT_MAPPING if mapping is None else Path(mapping)
    return resolve(load_mapping(path, JiraMapping), str(path))


def _folded(names: Mapping[str, str]) -> dict[str, str]:
    return {name.casefold(): value for name, value in names.items()}
