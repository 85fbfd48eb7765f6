"""The reports' Arrow tables and stored outages as the API's schemas."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from mittari.api.schemas import (
    AvailabilityOut,
    BunchingOut,
    CreditLineOut,
    HonestComplianceOut,
    IntegrityFlagOut,
    IntegrityOut,
    OutageOut,
    RecurringOut,
)
from mittari.api.views import instant
from mittari.db.models import Outage
from mittari.engine.outage_steps import WEIGHT_SCALE
from mittari.services.stored_reports import IntegrityView

BANDS = "outages "  # availability_table names its band columns `outages <5m`, …


def integrity_out(view: IntegrityView, as_of_us: int, month: str | None) -> IntegrityOut:
    flags = [
        IntegrityFlagOut(ticket=row.pop("ticket_id"), **_only(row, IntegrityFlagOut))
        for row in view.flags.to_pylist()
    ]
    return IntegrityOut(
        as_of=instant(as_of_us),
        month=month,
        flags=flags,
        compliance=[HonestComplianceOut(**r) for r in view.compliance.to_pylist()],
        bunching=[BunchingOut(**_only(r, BunchingOut)) for r in view.bunching.to_pylist()],
    )


def availability_out(table: pa.Table) -> list[AvailabilityOut]:
    out = []
    for row in table.to_pylist():
        bands = {k.removeprefix(BANDS): v for k, v in row.items() if k.startswith(BANDS)}
        out.append(AvailabilityOut(**_only(row, AvailabilityOut), outages_by_duration=bands))
    return out


def credits_out(table: pa.Table) -> list[CreditLineOut]:
    return [CreditLineOut(**_only(row, CreditLineOut)) for row in table.to_pylist()]


def recurring_out(table: pa.Table) -> list[RecurringOut]:
    return [RecurringOut(**row) for row in table.to_pylist()]


def outage_out(outage: Outage) -> OutageOut:
    return OutageOut(
        id=outage.external_id,
        source=outage.source,
        service=outage.service,
        start=instant(outage.start_us),
        end=None if outage.end_us is None else instant(outage.end_us),
        weight=outage.weight / WEIGHT_SCALE,
        planned=outage.planned,
        summary=outage.summary,
        received_at=outage.received_at,
        closed_at=outage.closed_at,
    )


def _only(row: dict[str, Any], schema: type[Any]) -> dict[str, Any]:
    """The row's fields the schema has (the tables carry more, e.g. `customer`)."""
    return {k: v for k, v in row.items() if k in schema.model_fields}
