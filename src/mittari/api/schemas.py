"""What the API returns and accepts. Schemas, not ORM models: each says what a client sees."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="Items in all pages.")
    page: int = Field(description="This page, from 1.")
    size: int = Field(description="Items per page.")


class CustomerOut(BaseModel):
    key: str
    name: str | None


class ServiceOut(BaseModel):
    key: str
    name: str | None


class ContractVersionOut(BaseModel):
    id: int
    version: str
    file_name: str
    sha256: str
    effective_from: datetime
    effective_to: datetime | None
    submitted_at: datetime
    superseded_at: datetime | None
    in_force: bool


class ContractAddedOut(BaseModel):
    customer: str
    added: int = Field(description="Versions that were new (a resubmission adds none).")
    versions: list[str]


class TicketOut(BaseModel):
    id: str = Field(description="The ticket's id in its source.")
    source: str
    service: str | None
    type: str | None
    requester: str | None
    subject: str | None


class EventOut(BaseModel):
    ts: datetime
    kind: str
    value: str | None
    actor: str | None
    raw_value: str | None
    ref: str | None


class SegmentOut(BaseModel):
    metric: str
    cycle: int
    start: datetime
    end: datetime
    kind: Literal["running", "paused", "outside_hours"]


class ClockOut(BaseModel):
    metric: str
    cycle: int
    priority: str
    state: str
    target_s: float
    elapsed_s: float
    start_at: datetime
    stop_at: datetime | None
    due_at: datetime | None
    breached_at: datetime | None


class TicketDetailOut(TicketOut):
    events: list[EventOut]
    clocks: list[ClockOut] = Field(description="Every clock, measured now under the contract.")
    segments: list[SegmentOut] = Field(description="When each clock ran, paused or waited.")


class RunOut(BaseModel):
    id: int
    as_of: datetime
    contract_hash: str
    engine_version: str
    tickets: int
    rows: int
    created_at: datetime


class MeasurementOut(BaseModel):
    ticket: str
    metric: str
    cycle: int
    priority: str
    state: str
    target_s: float
    elapsed_s: float
    wall_s: float
    start_at: datetime
    stop_at: datetime | None
    due_at: datetime | None
    breached_at: datetime | None


class ComplianceOut(BaseModel):
    month: str | None = None
    metric: str | None = None
    priority: str | None = None
    count: int
    met: int
    breached: int
    compliance_pct: float | None
    objective_pct: float | None
    objective_met: bool | None
    p50_s: float | None
    p90_s: float | None
    mean_s: float | None


class AtRiskOut(BaseModel):
    customer: str
    ticket: str
    metric: str
    cycle: int
    priority: str
    state: Literal["running", "paused"]
    level: Literal["ok", "warning", "critical", "breached"]
    used_pct: float = Field(description="Percent of the target used now.")
    target_s: float
    elapsed_s: float
    due_at: datetime = Field(description="When it breaches if it runs on from now.")
    calendar: str


class NotificationOut(BaseModel):
    id: int
    ticket: str
    metric: str
    cycle: int
    threshold_pct: int
    crossed_at: datetime


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: Literal["provider-admin", "provider-analyst", "customer-viewer"]
    customer: str | None = Field(None, description="Only for a customer-viewer token.")


class TokenOut(BaseModel):
    id: int
    name: str
    role: str
    customer: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(BaseModel):
    id: int
    token: str = Field(description="Shown once: only its hash is stored.")


class WebhookSecretIn(BaseModel):
    secret: str | None = Field(
        None, min_length=16, max_length=200, description="Leave out to have one generated."
    )


class WebhookSecretOut(BaseModel):
    customer: str
    source: str
    secret: str
    url: str


class ReceivedOut(BaseModel):
    delivery: str
    events: int
    duplicates: int
    rejected: int
    open_clocks: int


class HookIn(BaseModel):
    url: str = Field(pattern=r"^https?://", max_length=2000)
    customer: str | None = Field(None, description="Only this customer's warnings; none: all.")
    secret: str | None = Field(None, min_length=16, max_length=200)


class HookOut(BaseModel):
    id: int
    url: str
    customer: str | None
    active: bool


class HookCreatedOut(HookOut):
    secret: str = Field(description="Signs each delivery: X-Mittari-Signature.")


class DeliveryOut(BaseModel):
    id: int
    notification_id: int
    status: str
    attempts: int
    last_code: int | None
    last_error: str | None
    delivered_at: datetime | None


# --- the honest numbers: integrity, availability, credits, recurring faults, outages -------


class IntegrityFlagOut(BaseModel):
    ticket: str
    contract_version: str
    flag: str = Field(description="premature_resolve, late_downgrade, pause_without_cause …")
    rule: str = Field(description="Which form of the flag: reopened, near_due, system_reply …")
    at: datetime = Field(description="The instant of its main event.")
    evidence: str = Field(
        description="The events that raised it, in words, `; `-separated, the main one first."
    )


class HonestComplianceOut(BaseModel):
    month: str | None
    metric: str | None
    objective_pct: float | None
    reported_count: int | None = Field(description="Met and breached, as the contract counts.")
    honest_count: int | None = Field(description="The same with the flagged behaviour undone.")
    reported_met: int | None
    honest_met: int | None
    reported_compliance_pct: float | None
    honest_compliance_pct: float | None
    reported_objective_met: bool | None
    honest_objective_met: bool | None


class BunchingOut(BaseModel):
    contract_version: str
    assignee: str
    month: str
    resolutions: int
    in_last_window: int
    in_window_before: int
    p_value: float
    flagged: bool
    tickets_in_last_window: str


class IntegrityOut(BaseModel):
    as_of: datetime
    month: str | None
    flags: list[IntegrityFlagOut]
    compliance: list[HonestComplianceOut] = Field(description="Reported and honest, per month.")
    bunching: list[BunchingOut] = Field(description="The deadline-bunching test per team-month.")


class AvailabilityOut(BaseModel):
    contract_version: str
    service: str
    month: str
    complete: bool = Field(description="False: the month is measured up to as-of only.")
    objective_pct: float
    agreed_min: float = Field(description="Agreed service time, minus excluded time.")
    excluded_min: float = Field(description="Planned work inside maintenance windows.")
    downtime_min: float = Field(description="Weighted: a 30 % outage of 10 min is 3 min.")
    uptime_pct: float | None
    objective_met: bool
    budget_left_pct: float | None = Field(description="Of the whole month's error budget.")
    burn_rate: float | None = Field(description="1 spends the budget exactly by month's end.")
    outages: int = Field(description="Outage episodes starting in the month.")
    outages_by_duration: dict[str, int] = Field(description="Episodes per duration band.")


class CreditLineOut(BaseModel):
    month: str
    step: Literal["availability", "metric", "earn-back", "subtotal", "cap", "total"]
    item: str = Field(description="The service or metric; empty on sums.")
    points: int | None
    pct: Decimal = Field(description="Percent of the monthly fee.")
    amount: Decimal
    currency: str | None
    detail: str


class RecurringOut(BaseModel):
    rank: int
    service: str | None
    subject: str = Field(description="The cluster's most common wording.")
    count: int
    recent: int = Field(description="Created in the last 90 days before as-of.")
    previous: int = Field(description="Created in the 90 days before those.")
    growth: float
    lost_hours: float
    score: float
    first_at: datetime
    last_at: datetime
    tickets: str = Field(description="Its first tickets.")


class OutageOut(BaseModel):
    id: str = Field(description="Its id in its source: CSV id, alert fingerprint@start, event.")
    source: Literal["csv", "alertmanager", "zabbix"]
    service: str
    start: datetime
    end: datetime | None = Field(description="None while it is going on.")
    weight: float = Field(description="1 for a full outage, less for a partial one.")
    planned: bool
    summary: str | None
    received_at: datetime
    closed_at: datetime | None = Field(description="When a later record gave it its end.")


class AlertsReceivedOut(BaseModel):
    batch: int
    alerts: int = Field(description="Alerts in the notification.")
    added: int = Field(description="New outages.")
    closed: int = Field(description="Outages that were going on and have ended.")
    duplicates: int = Field(description="Alerts already stored as they are (a re-send).")
    rejected: int = Field(description="Alerts that are no outage of a known service.")


class SurveyLinkOut(BaseModel):
    url: str = Field(description="The survey link to put in the resolution message.")
    language: str
    expires_at: datetime
