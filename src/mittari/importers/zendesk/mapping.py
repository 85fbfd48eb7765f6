"""The Zendesk mapping file (`mapping.yaml` here is the default), as written.

A user's mapping replaces the default whole; `load_zendesk_mapping` reports a bad file with
the line of each problem (through `importers.mapping.load_mapping`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from mittari.importers.mapping import CanonicalPriority, CanonicalStatus, load_mapping

DEFAULT_MAPPING = Path(__file__).resolve().parent / "mapping.yaml"

AssignField = Literal["group_id", "assignee_id"]


class ServiceSource(BaseModel):
    """Where a ticket's `service` attribute comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Literal["group", "brand", "custom_field", "none"]
    field_id: int | None = None

    @model_validator(mode="after")
    def _field_id_with_custom_field(self) -> ServiceSource:
        if (self.source == "custom_field") != (self.field_id is not None):
            raise ValueError("field_id is needed with source: custom_field, and only then")
        return self


class ZendeskMapping(BaseModel):
    """Zendesk's words → canonical ones, and which fields mean what."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    statuses: dict[str, CanonicalStatus]
    custom_statuses: dict[str, CanonicalStatus] = {}
    priorities: dict[str, CanonicalPriority]
    assign_fields: list[AssignField]
    category_fields: list[str]
    service: ServiceSource
    customer_from: Literal["organization", "none"]
    system_user_ids: list[int]
    system_channels: list[str]

    @field_validator("custom_statuses", mode="before")
    @classmethod
    def _ids_as_text(cls, value: object) -> object:
        """Custom status ids are written as YAML integers; keys are compared as text."""
        if isinstance(value, dict):
            return {str(key): item for key, item in value.items()}
        return value

    @field_validator("category_fields", mode="before")
    @classmethod
    def _field_ids_as_text(cls, value: object) -> object:
        """Custom field ids are written as YAML integers; audits name them as text."""
        if isinstance(value, list):
            return [str(item) if isinstance(item, int) else item for item in value]
        return value


def load_zendesk_mapping(path: str | Path | None = None) -> ZendeskMapping:
    """The mapping in `path`, or the default one; `InputError` with lines when invalid."""
    return load_mapping(DEFAULT_MAPPING if path is None else path, ZendeskMapping)
