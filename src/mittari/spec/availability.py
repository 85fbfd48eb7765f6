"""`spec.availability`: service objectives over agreed service time, maintenance windows.

The models mirror the YAML (see examples/contracts/README.md); `resolve_availability` turns
them into the engine's frozen `AvailabilityPolicy`. Calendar names are checked against the
contract's calendars through the validation context, as targets are.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel

from mittari.engine.availability import (
    DEFAULT_BANDS_US,
    PPM,
    AvailabilityPolicy,
    MaintenancePolicy,
    ServiceObjective,
)
from mittari.engine.types import US, CalendarSpec
from mittari.spec.calendars import HolidayLookup, build_calendar, weekly_hours
from mittari.spec.durations import parse_duration
from mittari.spec.instants import local_to_utc_us
from mittari.spec.scalars import DayKey, Duration, Objective, Text, TimeRange, Zone
from mittari.spec.vocabulary import did_you_mean

if TYPE_CHECKING:
    from mittari.spec.models import SpecModel


class SectionModel(BaseModel):
    """Base of the availability and credits models: as `spec/models.py` configures its own."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=to_camel)


def defined_calendar(name: str, info: ValidationInfo) -> str:
    """`name` itself if the contract defines that calendar (context from the checker)."""
    context: dict[str, Any] = info.context or {}
    known: frozenset[str] | None = context.get("calendars")
    if known is not None and name not in known:
        listed = ", ".join(sorted(known)) or "none"
        raise ValueError(
            f"unknown calendar '{name}'{did_you_mean(name, known)}; "
            f"spec.calendars defines: {listed}"
        )
    return name


CalendarName = Annotated[str, AfterValidator(defined_calendar)]


class WindowModel(SectionModel):
    """One dated maintenance window: `from` and `to` instants (local when no offset)."""

    from_: datetime = Field(alias="from")
    to: datetime

    @field_validator("to")
    @classmethod
    def _after_from(cls, to: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("from_")
        if start is not None and (start.tzinfo is None) != (to.tzinfo is None):
            raise ValueError("give both 'from' and 'to' with a UTC offset, or neither")
        if start is not None and to <= start:
            raise ValueError(f"'to' ({to}) must come after 'from' ({start})")
        return to


class MaintenanceModel(SectionModel):
    """Maintenance windows: weekly local hours and/or dated windows."""

    timezone: Zone | None = None
    weekly: dict[DayKey, tuple[TimeRange, ...]] | None = None
    dates: tuple[WindowModel, ...] = ()


class ServiceModel(SectionModel):
    """`spec.availability.services.<name>`: the objective of one service."""

    objective: Objective
    calendar: CalendarName | None = None
    maintenance: MaintenanceModel | None = None


class AvailabilityModel(SectionModel):
    """`spec.availability`: defaults for every service, and the services themselves."""

    calendar: CalendarName | None = None
    maintenance: MaintenanceModel | None = None
    bands: tuple[Duration, ...] | None = None
    services: dict[Text, ServiceModel]

    @field_validator("bands")
    @classmethod
    def _increasing(cls, bands: tuple[str, ...] | None) -> tuple[str, ...] | None:
        seconds = [parse_duration(b) for b in bands or ()]
        if any(b <= a for a, b in itertools.pairwise(seconds)):
            raise ValueError("bands are band edges in increasing order, e.g. [5m, 30m, 4h]")
        return bands

    @field_validator("services")
    @classmethod
    def _not_empty(cls, services: dict[str, ServiceModel]) -> dict[str, ServiceModel]:
        if not services:
            raise ValueError("give at least one service")
        return services


# --- resolving ------------------------------------------------------------------------------


def resolve_availability(spec: SpecModel) -> AvailabilityPolicy | None:
    """The availability policy of one contract version, or None if it has no section."""
    model: AvailabilityModel | None = getattr(spec, "availability", None)
    if model is None:
        return None
    shared = _maintenance(model.maintenance, spec.timezone)
    services = tuple(
        ServiceObjective(
            service=name,
            objective_ppm=round(service.objective * PPM / 100),
            calendar=_calendar(service.calendar or model.calendar, spec, name),
            maintenance=shared + _maintenance(service.maintenance, spec.timezone),
        )
        for name, service in model.services.items()
    )
    bands = tuple(parse_duration(b) * US for b in model.bands) if model.bands else None
    return AvailabilityPolicy(spec.timezone, services, bands or DEFAULT_BANDS_US)


def _calendar(name: str | None, spec: SpecModel, service: str) -> CalendarSpec:
    """The named calendar of the contract, or 24x7 in the contract's zone."""
    if name is None:
        return CalendarSpec(
            f"{service}-24x7", spec.timezone, always_open=True, holidays=HolidayLookup()
        )
    return build_calendar(spec.calendars[name], spec.timezone, name)


def _maintenance(model: MaintenanceModel | None, default_tz: str) -> tuple[MaintenancePolicy, ...]:
    if model is None:
        return ()
    zone = model.timezone or default_tz
    weekly = weekly_hours(model.weekly) if model.weekly else ()
    dated = tuple((_instant(w.from_, zone), _instant(w.to, zone)) for w in model.dates)
    return (MaintenancePolicy(zone, weekly, dated),)


def _instant(value: datetime, zone: str) -> int:
    """µs UTC of an aware datetime, or of a naive one read as local time in `zone`."""
    if value.tzinfo is not None:
        delta = value - datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))
        return delta // timedelta(microseconds=1)
    minute = value.hour * 60 + value.minute  # local wall time → instant with the DST rules
    rest = value.second * US + value.microsecond
    return local_to_utc_us(value.date(), minute, zone) + rest
