"""The mapping file of the ServiceNow importer, as written (`mapping.yaml` beside this file).

A user's `--mapping FILE` replaces the shipped one whole; `load_settings` validates either
with `load_mapping`, so a bad file is an `InputError` naming its line. `Vocabulary` turns the
written tables into trimmed, case-insensitive lookups.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mittari.importers.mapping import CanonicalPriority, CanonicalStatus, load_mapping

DEFAULT_MAPPING = Path(__file__).with_name("mapping.yaml")

Names = list[str]


class Columns(BaseModel):
    """Field → the CSV headers (names or display labels) and JSON keys it may be read from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: Names = Field(min_length=1)
    state: Names = Field(min_length=1)
    updated: Names = Field(min_length=1)
    hold_reason: Names = []
    opened_at: Names = []
    created_on: Names = []
    resolved_at: Names = []
    closed_at: Names = []
    priority: Names = []
    assignment_group: Names = []
    category: Names = []
    short_description: Names = []
    caller_id: Names = []
    service: Names = []
    reopen_count: Names = []
    made_sla: Names = []
    sys_id: Names = []


class Settings(BaseModel):
    """One mapping file, exactly as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    states: dict[str, CanonicalStatus]
    hold_reasons: dict[str, CanonicalStatus] = {}
    priorities: dict[str, CanonicalPriority]
    columns: Columns
    timestamp_format: str | None = None
    dayfirst: bool | None = None  # None: a dd/mm vs mm/dd date is a problem, not a guess
    json_utc: bool = True
    delimiter: str = Field(",", min_length=1, max_length=1)

    @field_validator("states", "hold_reasons", "priorities", mode="before")
    @classmethod
    def _codes_as_text(cls, value: object) -> object:
        """`3: on_hold` written without quotes is the code "3", as the data has it."""
        if isinstance(value, dict):
            return {str(k) if isinstance(k, int) else k: v for k, v in value.items()}
        return value


class Vocabulary:
    """The mapping tables as lookups on trimmed, case-folded native values."""

    def __init__(self, settings: Settings) -> None:
        self.states = _folded(settings.states)
        self.hold_reasons = _folded(settings.hold_reasons)
        self.priorities = _folded(settings.priorities)

    def state(self, raw: str) -> str | None:
        return self.states.get(fold(raw))

    def hold_reason(self, raw: str) -> str | None:
        return self.hold_reasons.get(fold(raw))

    def priority(self, raw: str) -> str | None:
        return self.priorities.get(fold(raw))


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _folded(table: Mapping[str, str]) -> dict[str, str]:
    return {fold(key): value for key, value in table.items()}


def load_settings(path: str | Path | None) -> tuple[Settings, str]:
    """The mapping at `path` (the shipped default when None) and its file name for messages."""
    file = DEFAULT_MAPPING if path is None else Path(path)
    return load_mapping(file, Settings), str(file)
