"""Experience (XLA) of a customer per service and month, from the store or from columns.

`experience_parts` gives the mergeable counts (docs/experience.md) per customer, service
and month as an Arrow table with text keys: tables of partitions, customers or runs add up
with `merge_part_tables`, exactly. `figures_table` turns counts into figures. Months are
local months in the customer's contract zone (UTC without a contract): answers by when
they were answered (a rating without a time, JSM's, by its ticket's resolve), tickets as
contacts by creation and as resolutions by their first resolve. A ticket's service is the
answer's service; an answer without a ticket counts under the service it names itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from mittari.db import repository as repo
from mittari.db.feedback import load_answers
from mittari.engine.compliance import month_periods
from mittari.engine.experience import Parts, answer_parts, answered_tickets, finish, merge_parts
from mittari.engine.experience_tickets import ticket_experience, ticket_parts
from mittari.engine.types import I64, NULL_TS, EventLog
from mittari.services.experience_inputs import answer_columns, log_indexes, text_codes
from mittari.services.feedback import linked_tickets
from mittari.services.stored import StoredTables, _customer, policies_of, stored_log

KEYS = ("customer", "service", "month")
SHOWN_COUNTS = (
    "answers",
    "pulse_n",
    "pulse_understand_n",
    "pulse_prevent_n",
    "team_n",
    "resolved",
    "created",
)


def experience_parts(
    log: EventLog,
    tickets: pa.Table | None,
    answers: pa.Table,
    answer_ticket: I64,
    *,
    customer: str,
    timezone: str,
    as_of_us: int,
) -> pa.Table:
    """The counts per (customer, service, month). `tickets` (service, requester) is aligned
    to `log.ticket_ids`; `answers` has the columns of `db.feedback.ANSWER_LOAD_SCHEMA`,
    `answer_ticket` each answer's ticket index in the log (-1: none)."""
    on_time = pc.fill_null(pc.less_equal(answers.column("ts_us"), as_of_us), True)
    kept = np.asarray(on_time.to_numpy(zero_copy_only=False), dtype=bool)
    cols = answer_columns(answers.filter(pa.array(kept)), answer_ticket[kept])
    n = log.n_tickets
    ticket_service = _column(tickets, "service", n)
    service_of_answer = [
        ticket_service[t] if t >= 0 else own
        for t, own in zip(cols.ticket, cols.service, strict=True)
    ]
    services, service_labels = text_codes(ticket_service + service_of_answer)
    requesters, _ = text_codes(_column(tickets, "requester", n))
    facts = ticket_experience(log, as_of_us, requesters, services[:n])
    linked = cols.ticket >= 0
    resolved = np.full(len(cols.ts), NULL_TS, dtype=np.int64)
    resolved[linked] = facts.resolved_at[cols.ticket[linked]]
    answered_at = np.where(cols.ts == NULL_TS, resolved, cols.ts)
    instants = np.concatenate((facts.created_at, facts.resolved_at, answered_at))
    months, month_labels = month_periods(instants.astype(np.int64), timezone)
    created_m, resolved_m, answer_m = np.split(months, [n, 2 * n])
    zeros_t, zeros_a = np.zeros(n, np.int64), np.zeros(len(cols.ts), np.int64)
    parts = merge_parts(
        [
            answer_parts([zeros_a, services[n:], answer_m], cols.answers),
            ticket_parts(
                [zeros_t, services[:n], created_m],
                [zeros_t, services[:n], resolved_m],
                facts,
                answered_tickets(cols.ticket, cols.answers, n),
            ),
        ]
    )
    return parts_table(parts, [[customer], service_labels, month_labels])


def _column(tickets: pa.Table | None, name: str, n: int) -> list[str | None]:
    if tickets is None or name not in tickets.column_names:
        return [None] * n
    values: list[str | None] = tickets.column(name).cast(pa.string()).to_pylist()
    return [v or None for v in values]  # files write an unknown value as empty


def parts_table(parts: Parts, labels: Sequence[Sequence[str]]) -> pa.Table:
    """Parts with their key codes as text (a code -1 is null), then the counts."""
    columns: dict[str, pa.Array] = {}
    for name, codes, names in zip(KEYS, parts.keys, labels, strict=True):
        text = [None if c < 0 else names[c] for c in codes.tolist()]
        columns[name] = pa.array(text, pa.string())
    for j, name in enumerate(parts.names):
        columns[name] = pa.array(parts.counts[:, j], pa.int64())
    return pa.table(columns)


def merge_part_tables(tables: Sequence[pa.Table]) -> pa.Table:
    """Add part tables up per (customer, service, month): exact integer sums."""
    names = [n for t in tables for n in t.column_names if n not in KEYS]
    counts = list(dict.fromkeys(names))
    filled = [_with_columns(t, counts) for t in tables]
    summed = pa.concat_tables(filled).group_by(list(KEYS)).aggregate([(c, "sum") for c in counts])
    summed = summed.rename_columns([c.removesuffix("_sum") for c in summed.column_names])
    return summed.select([*KEYS, *counts]).sort_by([(k, "ascending") for k in KEYS])


def _with_columns(table: pa.Table, counts: Sequence[str]) -> pa.Table:
    for name in counts:
        if name not in table.column_names:
            table = table.append_column(name, pa.array(np.zeros(table.num_rows, np.int64)))
    return table.select([*KEYS, *counts])


def figures_table(parts: pa.Table) -> pa.Table:
    """The figures of each (customer, service, month) of a parts table, beside its counts
    of answers and tickets; null where a figure has nothing to count."""
    merged = merge_part_tables([parts])
    names = tuple(n for n in merged.column_names if n not in KEYS)
    matrix = np.stack([merged.column(n).to_numpy() for n in names], axis=1).astype(np.int64)
    groups = np.arange(merged.num_rows, dtype=np.int64)
    figures = finish(Parts((groups,), names, matrix.reshape(len(groups), len(names))))
    columns = {k: merged.column(k) for k in KEYS}
    columns |= {c: merged.column(c) for c in SHOWN_COUNTS if c in names}
    # NaN (nothing to count) becomes null: no figure, rather than a number that is none
    columns |= {n: pa.array(v, pa.float64(), from_pandas=True) for n, v in figures.items()}
    return pa.table(columns)


def customer_experience(
    engine: Engine,
    customer: str,
    *,
    as_of_us: int,
    timezone: str | None = None,
    month: str | None = None,
) -> pa.Table:
    """The experience figures of a stored customer per service and month."""
    return figures_table(
        _month(customer_parts(engine, customer, as_of_us=as_of_us, timezone=timezone), month)
    )


def customer_parts(
    engine: Engine,
    customer: str,
    *,
    as_of_us: int,
    timezone: str | None = None,
    loaded: StoredTables | None = None,
) -> pa.Table:
    """The mergeable counts of a stored customer (its log, tickets and answers); from
    `loaded` when the caller has already read them."""
    if loaded is None:
        with engine.connect() as conn:
            owner = _customer(conn, customer)
            log = stored_log(conn, owner)
            tickets = repo.load_tickets(conn, owner)
            answers = load_answers(conn, owner)
            versions = repo.active_contracts(conn, owner)
    else:
        log, tickets, answers = loaded.log, loaded.tickets, loaded.answers
        versions = loaded.versions
    zone = timezone or (policies_of(versions)[-1].timezone if versions else "UTC")
    in_log = pc.index_in(
        pa.array([int(t) for t in log.ticket_ids], pa.int64()), value_set=tickets.column("id")
    )
    aligned = tickets.take(in_log)
    ticket = log_indexes(log.ticket_ids, linked_tickets(answers, tickets))
    return experience_parts(
        log, aligned, answers, ticket, customer=customer, timezone=zone, as_of_us=as_of_us
    )


def _month(parts: pa.Table, month: str | None) -> pa.Table:
    return parts if month is None else parts.filter(pc.equal(parts.column("month"), month))
