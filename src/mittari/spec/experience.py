"""`spec.experience`: XLA objectives on the experience figures, as written and resolved.

Each objective names a figure of docs/experience.md and gives exactly one bound, `min` or
`max`. `minAnswers` is the count a month needs before it is judged; `baseline` is the
period whose figures are shown beside each month as the reference.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import Field, ValidationInfo, field_validator, model_validator

from mittari.engine.xla import FIGURES, Direction, ExperiencePolicy, XlaObjective
from mittari.spec.availability import SectionModel
from mittari.spec.vocabulary import did_you_mean

if TYPE_CHECKING:
    from mittari.spec.models import SpecModel

DEFAULT_MIN_ANSWERS = 5  # below five answers one unhappy person decides the month


class BoundModel(SectionModel):
    """`experience.objectives.<figure>`: `{min: 40}` or `{max: 30}`."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> BoundModel:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one bound: {min: 40} or {max: 30}")
        return self


class BaselineModel(SectionModel):
    """`experience.baseline`: local dates, `from` inclusive, `to` exclusive."""

    from_: date = Field(alias="from")
    to: date

    @field_validator("to")
    @classmethod
    def _after_from(cls, to: date, info: ValidationInfo) -> date:
        start = info.data.get("from_")
        if start is not None and to <= start:
            raise ValueError(f"'to' ({to}) must come after 'from' ({start}); 'to' is exclusive")
        return to


class ExperienceModel(SectionModel):
    """`spec.experience`: the XLA of this contract version."""

    objectives: dict[str, BoundModel]
    min_answers: int | None = Field(default=None, ge=1)
    baseline: BaselineModel | None = None

    @field_validator("objectives")
    @classmethod
    def _known_figures(cls, objectives: dict[str, BoundModel]) -> dict[str, BoundModel]:
        if not objectives:
            raise ValueError("give at least one objective, e.g. happiness: {min: 40}")
        for name in objectives:
            if name not in FIGURES:
                raise ValueError(
                    f"unknown figure '{name}'{did_you_mean(name, FIGURES)}; "
                    f"the figures: {', '.join(FIGURES)}"
                )
        return objectives


def resolve_experience(spec: SpecModel) -> ExperiencePolicy | None:
    """The XLA of one contract version, or None if it has no experience section."""
    model: ExperienceModel | None = getattr(spec, "experience", None)
    if model is None:
        return None
    objectives = tuple(
        XlaObjective(name, Direction.MIN, b.min)
        if b.min is not None
        else XlaObjective(name, Direction.MAX, float(b.max or 0))
        for name, b in model.objectives.items()
    )
    baseline = (model.baseline.from_, model.baseline.to) if model.baseline else None
    return ExperiencePolicy(objectives, model.min_answers or DEFAULT_MIN_ANSWERS, baseline)
