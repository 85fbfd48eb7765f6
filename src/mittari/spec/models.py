"""Contract YAML as written (`apiVersion: mittari/v1`, `kind: Contract`), validated.

The models mirror the YAML exactly: camelCase keys, no extra fields, no defaults applied
(an absent optional field is None); `resolve.py` applies the defaults. Checks that need a
neighbouring field run as field validators (they see earlier fields in `info.data`), so that
each error points at the field that is wrong. Target calendars are checked against the
names in the validation context `{"calendars": <names>}`, collected from the raw document.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel

from mittari.spec.availability import AvailabilityModel
from mittari.spec.calendars import check_holiday_country, check_holiday_subdivision
from mittari.spec.credits import CreditsField
from mittari.spec.experience import ExperienceModel
from mittari.spec.integrity import IntegrityField
from mittari.spec.scalars import (
    ConditionText,
    DayKey,
    Duration,
    Name,
    Objective,
    PriorityKey,
    Region,
    Slug,
    StatusName,
    Text,
    TimeRange,
    VersionLabel,
    Zone,
)
from mittari.spec.vocabulary import did_you_mean

API_VERSION = "mittari/v1"
CUSTOMER_NAME_MAX = 200  # db.models.Customer.name


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel)


class MetadataModel(_Model):
    """`metadata`: whose contract this is and which version."""

    customer: Slug
    name: Text
    version: VersionLabel
    customer_name: Text | None = None  # the customer's display name ("Kalliokone Oy")

    @field_validator("customer_name")
    @classmethod
    def _short_name(cls, name: str | None) -> str | None:
        if name is not None and len(name) > CUSTOMER_NAME_MAX:
            raise ValueError(f"at most {CUSTOMER_NAME_MAX} characters")
        return name


class EffectiveModel(_Model):
    """`spec.effective`: local dates in spec.timezone; `from` inclusive, `to` exclusive."""

    from_: date = Field(alias="from")
    to: date | None = None

    @field_validator("to")
    @classmethod
    def _after_from(cls, to: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_")
        if to is not None and start is not None and to <= start:
            raise ValueError(f"'to' ({to}) must come after 'from' ({start}); 'to' is exclusive")
        return to


class HolidaysModel(_Model):
    """`spec.calendars.<name>.holidays`: public holidays of a country, plus listed dates."""

    country: Region | None = None
    subdivision: Region | None = None
    dates: tuple[date, ...] = ()

    @field_validator("country")
    @classmethod
    def _known_country(cls, country: str | None) -> str | None:
        return None if country is None else check_holiday_country(country)

    @field_validator("subdivision")
    @classmethod
    def _known_subdivision(cls, subdivision: str | None, info: ValidationInfo) -> str | None:
        if subdivision is None:
            return None
        if "country" in info.data and info.data["country"] is None:
            raise ValueError("a subdivision needs a country")
        if info.data.get("country") is None:  # the country itself was invalid
            return subdivision
        return check_holiday_subdivision(info.data["country"], subdivision)


class ClosureModel(_Model):
    """One entry of `spec.calendars.<name>.closures`: part of one local date closed."""

    day: date = Field(alias="date")
    hours: TimeRange


class CalendarModel(_Model):
    """`spec.calendars.<name>`: weekly hours, holidays and closures, or always open."""

    timezone: Zone | None = None
    hours: dict[DayKey, tuple[TimeRange, ...]] | None = None
    holidays: HolidaysModel | None = None
    closures: tuple[ClosureModel, ...] = ()
    always_open: bool = False

    @model_validator(mode="after")
    def _has_working_time(self) -> CalendarModel:
        if self.always_open:
            extra = [k for k in ("hours", "holidays") if getattr(self, k) is not None]
            extra += ["closures"] if self.closures else []
            if extra:
                raise ValueError(
                    f"an alwaysOpen calendar is open at every instant, so {', '.join(extra)} "
                    "cannot apply; for 24x7 with holidays write hours mon-sun: [00:00-24:00]"
                )
        elif not any(self.hours.values() if self.hours else ()):
            raise ValueError(
                "this calendar has no working time: give hours such as "
                'mon-fri: ["08:00-16:00"], or alwaysOpen: true'
            )
        return self


class TargetModel(_Model):
    """`spec.metrics.<name>.targets.P<n>`: business time allowed, on which calendar."""

    within: Duration
    calendar: str

    @field_validator("calendar")
    @classmethod
    def _defined_calendar(cls, name: str, info: ValidationInfo) -> str:
        context: dict[str, Any] = info.context or {}
        known: frozenset[str] | None = context.get("calendars")
        if known is not None and name not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise ValueError(
                f"unknown calendar '{name}'{did_you_mean(name, known)}; "
                f"spec.calendars defines: {listed}"
            )
        return name


MetricType = Literal["first_response", "resolution", "custom"]
# Fields that only some metric types take (stock metrics fix the rest; see resolve.py).
ONLY_FOR: dict[str, tuple[str, ...]] = {
    "count_system_replies": ("first_response",),
    "start": ("custom",),
    "stop": ("custom",),
    "pause_statuses": ("resolution", "custom"),
    "reopen": ("resolution", "custom"),
}


class MetricModel(_Model):
    """`spec.metrics.<name>`: a stock metric (first_response, resolution) or a custom one."""

    type: MetricType  # first, so that the validators below see it in info.data
    objective: Objective
    targets: dict[PriorityKey, TargetModel]
    count_system_replies: bool | None = None
    start: tuple[ConditionText, ...] | None = None
    stop: tuple[ConditionText, ...] | None = None
    pause_statuses: tuple[StatusName, ...] | None = None
    reopen: Literal["resume", "restart", "ignore"] | None = None
    priority_rule: Literal["current", "initial", "highest"] | None = None

    @field_validator(*ONLY_FOR)
    @classmethod
    def _allowed_for_type(cls, value: object, info: ValidationInfo) -> object:
        kind = info.data.get("type")
        allowed = ONLY_FOR[str(info.field_name)]
        if kind is not None and kind not in allowed:
            hint = "; use type: custom for a clock of your own" if "custom" in allowed else ""
            raise ValueError(
                f"{to_camel(str(info.field_name))} applies only to "
                f"{' and '.join(allowed)} metrics, not {kind}{hint}"
            )
        return value

    @field_validator("targets", "start", "stop")
    @classmethod
    def _not_empty(cls, value: object) -> object:
        if value is not None and not value:
            raise ValueError("give at least one")
        return value

    @model_validator(mode="after")
    def _custom_has_conditions(self) -> MetricModel:
        missing = [k for k in ("start", "stop") if getattr(self, k) is None]
        if self.type == "custom" and missing:
            raise ValueError(f"a custom metric needs {' and '.join(missing)} conditions")
        return self


class SpecModel(_Model):
    """`spec`: what is measured under this version."""

    timezone: Zone
    effective: EffectiveModel
    default_priority: PriorityKey | None = None
    calendars: dict[Name, CalendarModel]
    metrics: dict[Name, MetricModel]
    availability: AvailabilityModel | None = None  # spec/availability.py
    credits: CreditsField = None  # spec/credits.py; after metrics and availability: it names them
    integrity: IntegrityField = None  # spec/integrity.py; after metrics: it names them
    experience: ExperienceModel | None = None  # spec/experience.py: XLA objectives

    @field_validator("calendars", "metrics")
    @classmethod
    def _not_empty(cls, value: dict[str, object]) -> dict[str, object]:
        if not value:
            raise ValueError("give at least one")
        return value


class ContractModel(_Model):
    """One YAML document: one version of one customer's contract."""

    api_version: Literal["mittari/v1"]
    kind: Literal["Contract"]
    metadata: MetadataModel
    spec: SpecModel
