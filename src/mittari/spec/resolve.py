"""Validated contract models → the frozen policy objects the engine runs on.

Defaults live here, not in the models: the stock metrics (docs/semantics.md) fix their
start and stop conditions, and absent optional fields take the values documented in
examples/contracts/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from mittari.engine.availability import AvailabilityPolicy
from mittari.engine.credits import CreditPolicy
from mittari.engine.integrity import IntegrityPolicy
from mittari.engine.types import (
    ContractPolicy,
    MetricPolicy,
    PriorityRule,
    ReopenPolicy,
    Target,
)
from mittari.spec.availability import resolve_availability
from mittari.spec.calendars import build_calendar
from mittari.spec.credits import resolve_credits
from mittari.spec.durations import parse_duration
from mittari.spec.instants import local_to_utc_us
from mittari.spec.integrity import resolve_integrity_section
from mittari.spec.models import ContractModel, MetricModel
from mittari.spec.vocabulary import parse_condition, parse_priority, parse_status

FIRST_RESPONSE_STOP = ("reply:agent", "status:resolved", "status:closed")
RESOLUTION_STOP = ("status:resolved", "status:closed")
DEFAULT_PAUSES = {"resolution": ("pending_customer", "pending_vendor"), "custom": ()}
DEFAULT_REOPEN = {"first_response": "ignore", "resolution": "resume", "custom": "resume"}


def resolve_contract(model: ContractModel) -> ContractPolicy:
    """One contract version as a ContractPolicy (the model must have passed validation)."""
    spec = model.spec
    effective = spec.effective
    return ContractPolicy(
        customer=model.metadata.customer,
        version=model.metadata.version,
        timezone=spec.timezone,
        effective_from_us=local_to_utc_us(effective.from_, 0, spec.timezone),
        effective_to_us=(
            None if effective.to is None else local_to_utc_us(effective.to, 0, spec.timezone)
        ),
        calendars={
            name: build_calendar(calendar, spec.timezone, name)
            for name, calendar in spec.calendars.items()
        },
        metrics=tuple(
            resolve_metric(name, metric, spec.default_priority)
            for name, metric in spec.metrics.items()
        ),
    )


@dataclass(frozen=True)
class ContractTerms:
    """One version with its availability and credit terms (None where it has none)."""

    contract: ContractPolicy
    availability: AvailabilityPolicy | None
    credits: CreditPolicy | None


def resolve_terms(model: ContractModel) -> ContractTerms:
    """`resolve_contract` plus the version's `availability` and `credits` sections."""
    spec = model.spec
    return ContractTerms(resolve_contract(model), resolve_availability(spec), resolve_credits(spec))


def resolve_integrity(model: ContractModel) -> IntegrityPolicy:
    """The version's `integrity` section with its defaults (all of them when absent)."""
    spec = model.spec
    types = {name: metric.type for name, metric in spec.metrics.items()}
    return resolve_integrity_section(spec.integrity, types)


def resolve_metric(name: str, model: MetricModel, default_priority: str | None) -> MetricPolicy:
    """One metric with the defaults of its type applied."""
    targets = {
        parse_priority(key): Target(parse_duration(target.within), target.calendar)
        for key, target in model.targets.items()
    }
    start, stop = _conditions(model)
    pauses = model.pause_statuses
    if pauses is None:
        pauses = DEFAULT_PAUSES.get(model.type, ())
    return MetricPolicy(
        name=name,
        start=tuple(parse_condition(text) for text in start),
        stop=tuple(parse_condition(text) for text in stop),
        pause_statuses=frozenset(parse_status(status) for status in pauses),
        reopen=ReopenPolicy[(model.reopen or DEFAULT_REOPEN[model.type]).upper()],
        priority_rule=PriorityRule[(model.priority_rule or "current").upper()],
        targets=targets,
        objective_pct=model.objective,
        # "least urgent with a target": tickets without a priority are measured leniently
        # rather than not at all, unless the contract names another default.
        default_priority=parse_priority(default_priority) if default_priority else max(targets),
    )


def _conditions(model: MetricModel) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Start and stop conditions in written order, duplicates dropped."""
    if model.type == "custom":
        start, stop = model.start or (), model.stop or ()
    elif model.type == "first_response":
        system = ("reply:system",) if model.count_system_replies else ()
        start, stop = ("created",), FIRST_RESPONSE_STOP + system
    else:
        start, stop = ("created",), RESOLUTION_STOP
    return tuple(dict.fromkeys(start)), tuple(dict.fromkeys(stop))
