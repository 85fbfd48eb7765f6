"""The honest-numbers reports of one customer's store, as the API serves them: integrity
flags with reported beside honest compliance, availability per service and month,
the service-credit statement of a month, and recurring-fault candidates.

Each computes exactly what its file-based command computes (`mittari integrity`,
`availability`, `credits`, `recurring`), with the same services on the inputs read by
`stored_inputs` through the caller's scope. A customer without a contract, or whose
contract lacks the section a report needs, gets an empty report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from mittari.db.scope import Scoped
from mittari.services.availability import availability_table, measure_availability, month_range
from mittari.services.credits import credit_statements
from mittari.services.integrity import judge
from mittari.services.measure import measure_versions
from mittari.services.recurring import recurring_faults
from mittari.services.stored import StoredTables
from mittari.services.stored_inputs import stored_inputs, stored_outages, stored_terms

BY = ["month", "metric"]  # the integrity report's compliance rows
EMPTY = pa.table({})


@dataclass(frozen=True)
class IntegrityView:
    flags: pa.Table  # one row per hit: ticket_id, flag, rule, at, evidence …
    compliance: pa.Table  # per month and metric: reported and honest side by side
    bunching: pa.Table  # per version, assignee and month: the deadline-bunching test


def integrity_report(
    scope: Scoped, owner: int, as_of_us: int, month: str | None = None
) -> IntegrityView:
    """Flags, deadline bunching and compliance reported vs honest at as-of; with `month`,
    the flags raised in it (in the contract's zone) and its compliance rows."""
    found = stored_inputs(scope, owner)
    if not found.terms or len(found.log) == 0:
        return IntegrityView(EMPTY, EMPTY, EMPTY)
    report = judge(
        found.log,
        found.contracts,
        found.integrity,
        found.customers(),
        found.tickets,
        as_of_us,
        BY,
    )
    flags, compliance, bunching = report.flags, report.compliance, report.bunching
    if month is not None:
        lo, hi = month_range(month, found.timezone)
        at = pc.cast(flags.column("at"), pa.int64())
        flags = flags.filter(pc.and_(pc.greater_equal(at, lo), pc.less(at, hi)))
        compliance = compliance.filter(pc.equal(compliance.column("month"), month))
        bunching = bunching.filter(pc.equal(bunching.column("month"), month))
    return IntegrityView(flags, compliance, bunching)


def availability_report(
    scope: Scoped, owner: int, as_of_us: int, month: str | None = None
) -> pa.Table:
    """Availability per service and month (`services.availability.availability_table`)
    from the stored outages: `month` alone, else from the first outage to as-of."""
    terms, _ = stored_terms(scope, owner)  # no tickets: availability is outages alone
    if not any(t.availability for t in terms):
        return EMPTY
    outages = stored_outages(scope, owner)
    return availability_table(measure_availability(outages, terms, as_of_us, month))


def credit_report(
    scope: Scoped, owner: int, month: str, as_of_us: int, *, loaded: StoredTables | None = None
) -> pa.Table:
    """The service-credit statement of `month`, line by line, measured at as-of; from the
    customer's tables in `loaded` when the caller has read them."""
    terms = stored_terms(scope, owner)
    if not any(t.credits for t in terms[0]):  # no credits: the log is not even read
        return EMPTY
    found = stored_inputs(scope, owner, loaded=loaded, terms=terms)
    measured = measure_versions(found.log, found.contracts, found.customers(), as_of_us)
    since = month_range(month, found.timezone)[0]
    outages = stored_outages(scope, owner)
    availability = measure_availability(outages, found.terms, as_of_us, since=since)
    return credit_statements(found.terms, measured.table, availability, month, as_of_us)


def recurring_report(scope: Scoped, owner: int, as_of_us: int, top: int) -> pa.Table:
    """The `top` problem candidates among the customer's incidents created by as-of."""
    found = stored_inputs(scope, owner)
    if len(found.log) == 0:
        return EMPTY
    return recurring_faults(found.log, found.ticket_table(), as_of_us, top=top).clusters
