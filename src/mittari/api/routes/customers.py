"""Customers and what is theirs: services, contracts, tickets, runs, compliance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query

import mittari
from mittari.api.deps import Config, DbEngine, Id, Scope, Writer, customer_of
from mittari.api.errors import not_found
from mittari.api.schemas import (
    ClockOut,
    ComplianceOut,
    ContractAddedOut,
    ContractVersionOut,
    CustomerOut,
    MeasurementOut,
    NotificationOut,
    Page,
    RunOut,
    SegmentOut,
    ServiceOut,
    SurveyLinkOut,
    TicketDetailOut,
    TicketOut,
)
from mittari.api.views import (
    clock_rows,
    event_out,
    instant,
    measurement_rows,
    page_bounds,
    ticket_names,
    ticket_out,
)
from mittari.services import live, surveys
from mittari.services.stored import add_contract_text, compliance, measure_customer, run_table
from mittari.services.timeline import ticket_clocks

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])
PageNo = Annotated[int, Query(ge=1, le=1_000_000, description="Page, from 1.")]
Size = Annotated[int | None, Query(ge=1, le=100_000, description="Items per page.")]


@router.get("", response_model=Page[CustomerOut], summary="Customers the caller may see")
def list_customers(
    scope: Scope, config: Config, page: PageNo = 1, size: Size = None
) -> Page[CustomerOut]:
    offset, limit = page_bounds(page, size, config)
    found, total = scope.customers(offset, limit)
    items = [CustomerOut(key=c.key, name=c.name) for c in found]
    return Page(items=items, total=total, page=page, size=limit)


@router.get("/{customer}", response_model=CustomerOut, summary="One customer")
def get_customer(customer: str, scope: Scope) -> CustomerOut:
    found = scope.customer(customer)
    if found is None:
        raise not_found("customer")
    return CustomerOut(key=found.key, name=found.name)


@router.get("/{customer}/services", response_model=list[ServiceOut], summary="Its services")
def list_services(customer: str, scope: Scope) -> list[ServiceOut]:
    found = scope.services(customer_of(scope, customer))
    return [ServiceOut(key=s.key, name=s.name) for s in found]


@router.get(
    "/{customer}/contracts",
    response_model=list[ContractVersionOut],
    summary="Its contract versions, superseded ones included",
)
def list_contracts(customer: str, scope: Scope) -> list[ContractVersionOut]:
    versions = scope.contract_versions(customer_of(scope, customer), active_only=False)
    return [
        ContractVersionOut(
            id=v.id,
            version=v.label,
            file_name=v.file_name,
            sha256=v.sha256,
            effective_from=instant(v.effective_from_us),
            effective_to=None if v.effective_to_us is None else instant(v.effective_to_us),
            submitted_at=v.submitted_at,
            superseded_at=v.superseded_at,
            in_force=v.superseded_at is None,
        )
        for v in versions
    ]


@router.post(
    "/{customer}/contracts",
    response_model=ContractAddedOut,
    status_code=201,
    summary="Upload a contract file (YAML); its versions are validated and stored",
)
def upload_contract(
    customer: str,
    scope: Scope,
    engine: DbEngine,
    _: Writer,
    text: Annotated[str, Body(media_type="application/yaml", description="The contract YAML.")],
    name: Annotated[str, Query(max_length=200, description="File name to keep.")] = "upload.yaml",
) -> ContractAddedOut:
    owner = customer_of(scope, customer)
    added = add_contract_text(engine, name, text, customer=customer)
    live.forget(owner)
    return ContractAddedOut(customer=added.customer, added=added.added, versions=added.versions)


@router.get("/{customer}/tickets", response_model=Page[TicketOut], summary="Its tickets")
def list_tickets(
    customer: str, scope: Scope, config: Config, page: PageNo = 1, size: Size = None
) -> Page[TicketOut]:
    offset, limit = page_bounds(page, size, config)
    found, total = scope.tickets(customer_of(scope, customer), offset, limit)
    return Page(items=[ticket_out(t) for t in found], total=total, page=page, size=limit)


@router.get(
    "/{customer}/tickets/{ticket}",
    response_model=TicketDetailOut,
    summary="One ticket: its events, its clocks now and their segments",
)
def get_ticket(customer: str, ticket: str, scope: Scope) -> TicketDetailOut:
    owner = customer_of(scope, customer)
    found = scope.ticket(owner, ticket)
    if found is None:
        raise not_found("ticket")
    now_us = int(datetime.now(UTC).timestamp() * 1_000_000)
    table, segments = ticket_clocks(scope.conn, owner, found.id, now_us)
    return TicketDetailOut(
        **ticket_out(found).model_dump(),
        events=[event_out(e) for e in scope.events(found)],
        clocks=[] if table is None else [ClockOut(**row) for row in clock_rows(table)],
        segments=[
            SegmentOut(
                metric=s.metric,
                cycle=s.cycle,
                start=instant(s.start_us),
                end=instant(s.end_us),
                kind=s.kind,
            )  # type: ignore[arg-type]
            for s in segments
        ],
    )


@router.post(
    "/{customer}/tickets/{ticket}/survey",
    response_model=SurveyLinkOut,
    status_code=201,
    summary="A survey link for a resolved ticket, for the desk's own resolution message",
)
def create_survey_link(
    customer: str, ticket: str, scope: Scope, engine: DbEngine, config: Config, _: Writer
) -> SurveyLinkOut:
    customer_of(scope, customer)
    try:
        issued = surveys.invite(engine, customer, ticket, valid_days=config.survey_valid_days)
    except surveys.TicketUnknown:
        raise not_found("ticket") from None
    url = f"{config.survey_base_url.rstrip('/')}{issued.path}"
    return SurveyLinkOut(url=url, language=issued.language, expires_at=issued.expires_at)


@router.get("/{customer}/runs", response_model=list[RunOut], summary="Its measurement runs")
def list_runs(customer: str, scope: Scope) -> list[RunOut]:
    return [
        RunOut(
            id=r.id,
            as_of=instant(r.as_of_us),
            contract_hash=r.contract_hash,
            engine_version=r.engine_version,
            tickets=r.n_tickets,
            rows=r.n_rows,
            created_at=r.created_at,
        )
        for r in scope.runs(customer_of(scope, customer))
    ]


@router.post("/{customer}/runs", response_model=RunOut, status_code=201, summary="Measure now")
def create_run(customer: str, scope: Scope, engine: DbEngine, _: Writer) -> RunOut:
    customer_of(scope, customer)
    now = datetime.now(UTC)
    run = measure_customer(engine, customer, int(now.timestamp() * 1_000_000))
    return RunOut(
        id=run.run,
        as_of=now,
        contract_hash=run.contract_hash,
        engine_version=mittari.__version__,
        tickets=run.n_tickets,
        rows=run.n_rows,
        created_at=now,
    )


@router.get(
    "/{customer}/runs/{run}/measurements",
    response_model=Page[MeasurementOut],
    summary="The rows of one run",
)
def list_measurements(
    customer: str, run: Id, scope: Scope, config: Config, page: PageNo = 1, size: Size = None
) -> Page[MeasurementOut]:
    owner = customer_of(scope, customer)
    if run not in {r.id for r in scope.runs(owner)}:
        raise not_found("run")
    offset, limit = page_bounds(page, size, config)
    table = run_table(scope.conn, owner, customer, run)
    rows = measurement_rows(table.slice(offset, limit))
    return Page(
        items=[MeasurementOut(**r) for r in rows], total=table.num_rows, page=page, size=limit
    )


@router.get(
    "/{customer}/compliance",
    response_model=list[ComplianceOut],
    summary="Compliance per month, metric and priority, from the latest run (or `run`)",
)
def get_compliance(
    customer: str,
    scope: Scope,
    engine: DbEngine,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")] = None,
    run: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> list[ComplianceOut]:
    owner = customer_of(scope, customer)
    known = {r.id for r in scope.runs(owner)}
    if not known or (run is not None and run not in known):
        raise not_found("run")
    table, _ = compliance(
        engine, customer, month=month, run=run, by=["month", "metric", "priority"]
    )
    return [ComplianceOut(**row) for row in table.to_pylist()]


@router.get(
    "/{customer}/notifications",
    response_model=list[NotificationOut],
    summary="Its breach warnings, newest first",
)
def list_notifications(
    customer: str, scope: Scope, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[NotificationOut]:
    found = scope.notifications(customer_of(scope, customer), limit)
    names = ticket_names(scope.conn, [n.ticket_id for n in found])
    return [
        NotificationOut(
            id=n.id,
            ticket=names[n.ticket_id],
            metric=n.metric,
            cycle=n.cycle,
            threshold_pct=n.threshold,
            crossed_at=instant(n.crossed_at_us),
        )
        for n in found
    ]
