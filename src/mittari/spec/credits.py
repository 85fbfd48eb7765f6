"""`spec.credits`: a versioned service-credit table, as written and resolved.

Percentages of the fee and the fee itself are kept as exact Decimals (`2.5%` is 2.5, never
2.4999…): credits are money. The table may name only services of `spec.availability` and
metrics of `spec.metrics`; that is checked by `CreditsField`, which sees the fields of the
spec validated before it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mittari.engine.availability import PPM
from mittari.engine.credits import CreditPolicy, Tier
from mittari.spec.availability import SectionModel
from mittari.spec.scalars import Name, Objective, Text, VersionLabel
from mittari.spec.vocabulary import did_you_mean

if TYPE_CHECKING:
    from mittari.spec.models import SpecModel


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"write {what}")
    text = repr(value) if isinstance(value, float) else str(value)  # 2.5 stays 2.5
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number; write {what}") from None


def _percent(value: object) -> Decimal:
    """`5%`, `2.5%` or a number meaning percent, 0..100, kept exact."""
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]
    number = _decimal(value, "a percentage of the monthly fee, e.g. 5% or 2.5%")
    if not 0 <= number <= 100:
        raise ValueError("a percentage of the fee is from 0% to 100%")
    return number


def _fee(value: object) -> Decimal:
    number = _decimal(value, "the monthly fee as a number, e.g. 12000 or 12000.50")
    if number <= 0:
        raise ValueError("the monthly fee must be positive")
    return number


Percent = Annotated[Decimal, BeforeValidator(_percent)]
Fee = Annotated[Decimal, BeforeValidator(_fee)]


class TierModel(SectionModel):
    """One uptime threshold of a service: uptime below `below` credits `credit`."""

    below: Objective
    credit: Percent


class MetricCreditModel(SectionModel):
    """`credits.metrics.<metric>`: points for a month in which the metric misses."""

    points: int = Field(gt=0)


class EarnBackModel(SectionModel):
    """`credits.earnBack`: met objectives in the following months waive a credit."""

    months: int = Field(gt=0, le=12)


class CreditsModel(SectionModel):
    """`spec.credits`: the credit table of this contract version."""

    table: VersionLabel
    monthly_fee: Fee
    currency: Text
    availability: dict[Text, tuple[TierModel, ...]] = Field(default_factory=dict)
    metrics: dict[Name, MetricCreditModel] = Field(default_factory=dict)
    point_value: Percent | None = None
    cap: Percent | None = None
    earn_back: EarnBackModel | None = None

    @field_validator("availability")
    @classmethod
    def _tiers(cls, tiers: dict[str, tuple[TierModel, ...]]) -> dict[str, tuple[TierModel, ...]]:
        for service, listed in tiers.items():
            if not listed:
                raise ValueError(f"give at least one threshold for '{service}'")
        return tiers

    @model_validator(mode="after")
    def _point_value_given(self) -> CreditsModel:
        if self.point_value is None and self.metrics:
            raise ValueError("metrics earn points: give pointValue, e.g. 1% per point")
        return self


def check_against_spec(credits: CreditsModel | None, info: ValidationInfo) -> CreditsModel | None:
    """The table names only services of spec.availability and metrics of spec.metrics."""
    if credits is None:
        return None
    data: dict[str, Any] = info.data
    if not credits.availability and not credits.metrics:
        raise ValueError("a credit table gives availability thresholds, metric points or both")
    if "metrics" in data:  # absent when spec.metrics itself was invalid
        _known("metric", credits.metrics, data["metrics"], "spec.metrics")
    availability = data.get("availability")
    if credits.availability and "availability" in data:
        services = availability.services if availability is not None else {}
        _known("service", credits.availability, services, "spec.availability.services")
    return credits


def _known(kind: str, named: dict[str, Any], defined: dict[str, Any], where: str) -> None:
    for name in named:
        if name not in defined:
            listed = ", ".join(defined) or "none"
            hint = did_you_mean(name, defined)
            raise ValueError(f"credits name the unknown {kind} '{name}'{hint}; {where}: {listed}")


CreditsField = Annotated[CreditsModel | None, AfterValidator(check_against_spec)]


def resolve_credits(spec: SpecModel) -> CreditPolicy | None:
    """The credit policy of one contract version, or None if it has no credit table."""
    model: CreditsModel | None = getattr(spec, "credits", None)
    if model is None:
        return None
    tiers = {
        service: tuple(Tier(round(t.below * PPM / 100), t.credit) for t in listed)
        for service, listed in model.availability.items()
    }
    return CreditPolicy(
        table=model.table,
        monthly_fee=model.monthly_fee,
        currency=model.currency,
        availability=tiers,
        metric_points={metric: m.points for metric, m in model.metrics.items()},
        point_value_pct=model.point_value or Decimal(0),
        cap_pct=Decimal(100) if model.cap is None else model.cap,
        earn_back_months=model.earn_back.months if model.earn_back else 0,
    )
