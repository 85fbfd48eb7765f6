"""The mapping file of the survey-answer CSV importer (`mapping.yaml` holds the defaults).

A mapping names, for each field of the experience model, the CSV column that holds it,
and translates a tool's own words into the model's values. Words are matched trimmed and
case-insensitively; the model's own values (`0-10`, `speed`, `<30m` ...) are always taken.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from mittari.engine.experience import FACTORS, TEAM_FACTORS
from mittari.importers.feedback.model import LOST_TIMES
from mittari.importers.mapping import load_mapping

SHIPPED = Path(__file__).with_name("mapping.yaml")
_KNOWN_FACTORS = (*FACTORS, *(f for f in TEAM_FACTORS if f not in FACTORS))
Scale = Literal["0-10", "1-5", "good/bad"]
Survey = Literal["ticket", "pulse", "team"]
LostTime = Literal["none", "<30m", "30m-2h", "2-4h", "day+"]
Factor = Annotated[str, Field(pattern="^[a-z][a-z_]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel)


class Columns(_Model):
    """The CSV column of each field (matched trimmed and case-insensitively)."""

    external_id: str = "answer_id"
    ticket_id: str = "ticket_id"
    answered_at: str = "answered_at"
    survey: str = "survey"
    scale: str = "scale"
    score: str = "score"
    factors: str = "factors"
    lost_time: str = "lost_time"
    comment: str = "comment"
    language: str = "language"
    service: str = "service"
    question: str = "question"  # optional: recommend, understand, prevent, measured_well

    @field_validator("*")
    @classmethod
    def _folded(cls, value: str) -> str:
        return value.strip().lower()


class SurveyMapping(_Model):
    source: Annotated[str, Field(min_length=1, max_length=40)] = "survey"
    columns: Columns = Columns()
    scale: Scale | None = None  # the scale of every row, when the file has no scale column
    survey: Survey | None = None  # the survey of every row, when the file has no column
    factor_separator: Annotated[str, Field(min_length=1)] = ";"
    time_format: str | None = None  # strptime format, for tools that write no ISO 8601
    scales: dict[str, Scale] = Field(default_factory=dict)
    scores: dict[str, str] = Field(default_factory=dict)  # a word → a score in its scale
    factors: dict[str, Factor] = Field(default_factory=dict)
    lost_times: dict[str, LostTime] = Field(default_factory=dict)
    surveys: dict[str, Survey] = Field(default_factory=dict)
    ignore_factors: list[str] = Field(default_factory=list)  # words that name no factor

    @field_validator("factors")
    @classmethod
    def _known_factors(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value.values()) - set(_KNOWN_FACTORS))
        if unknown:
            known = ", ".join(_KNOWN_FACTORS)
            raise ValueError(f"unknown factor codes {unknown}; known: {known}")
        return value

    def words(self, name: str) -> dict[str, str]:
        """A value map with folded keys, the model's own values mapping to themselves."""
        own: dict[str, tuple[str, ...]] = {"scales": ("0-10", "1-5", "good/bad")}
        own |= {"surveys": ("ticket", "pulse", "team")}
        own |= {"factors": _KNOWN_FACTORS, "lost_times": LOST_TIMES}
        given: dict[str, str] = getattr(self, name)
        found = {v: v for v in own.get(name, ())}
        return found | {k.strip().casefold(): v for k, v in given.items()}


def load(path: str | Path | None = None) -> SurveyMapping:
    """The mapping at `path`, or the shipped defaults."""
    return load_mapping(SHIPPED if path is None else path, SurveyMapping)
