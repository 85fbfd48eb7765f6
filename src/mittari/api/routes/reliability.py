"""The honest numbers of one customer: integrity flags with reported beside honest
compliance, availability, service credits, recurring faults, and its stored outages.

Each report is computed on request from the customer's store, read through the caller's
scope, at now or `as_of` (docs/integrity.md and docs/availability.md define every figure).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mittari.api.deps import AsOf, Config, Month, OptionalMonth, Scope, customer_of
from mittari.api.report_views import (
    availability_out,
    credits_out,
    integrity_out,
    outage_out,
    recurring_out,
)
from mittari.api.routes.customers import PageNo, Size
from mittari.api.schemas import (
    AvailabilityOut,
    CreditLineOut,
    IntegrityOut,
    OutageOut,
    Page,
    RecurringOut,
)
from mittari.api.views import page_bounds
from mittari.services.stored_reports import (
    availability_report,
    credit_report,
    integrity_report,
    recurring_report,
)

router = APIRouter(prefix="/api/v1/customers", tags=["reliability"])
Top = Annotated[int, Query(ge=1, le=1000, description="How many candidates, best first.")]


@router.get(
    "/{customer}/integrity",
    response_model=IntegrityOut,
    summary="Integrity flags with their evidence, and compliance reported beside honest",
)
def get_integrity(
    customer: str, scope: Scope, as_of: AsOf, month: OptionalMonth = None
) -> IntegrityOut:
    view = integrity_report(scope, customer_of(scope, customer), as_of, month)
    return integrity_out(view, as_of, month)


@router.get(
    "/{customer}/availability",
    response_model=list[AvailabilityOut],
    summary="Uptime per service and month: downtime, outages by duration, budget, burn rate",
)
def get_availability(
    customer: str, scope: Scope, as_of: AsOf, month: OptionalMonth = None
) -> list[AvailabilityOut]:
    return availability_out(availability_report(scope, customer_of(scope, customer), as_of, month))


@router.get(
    "/{customer}/credits",
    response_model=list[CreditLineOut],
    summary="The service-credit statement of a month, line by line",
)
def get_credits(customer: str, scope: Scope, as_of: AsOf, month: Month) -> list[CreditLineOut]:
    return credits_out(credit_report(scope, customer_of(scope, customer), month, as_of))


@router.get(
    "/{customer}/recurring",
    response_model=list[RecurringOut],
    summary="Recurring faults: incidents clustered by subject per service, ranked",
)
def get_recurring(customer: str, scope: Scope, as_of: AsOf, top: Top = 10) -> list[RecurringOut]:
    return recurring_out(recurring_report(scope, customer_of(scope, customer), as_of, top))


@router.get("/{customer}/outages", response_model=Page[OutageOut], summary="Its stored outages")
def list_outages(
    customer: str, scope: Scope, config: Config, page: PageNo = 1, size: Size = None
) -> Page[OutageOut]:
    offset, limit = page_bounds(page, size, config)
    found, total = scope.outages(customer_of(scope, customer), offset, limit)
    return Page(items=[outage_out(o) for o in found], total=total, page=page, size=limit)
