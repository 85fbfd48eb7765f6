"""Recurring faults: incidents clustered per service by subject, ranked as problem candidates.

Tickets (`tickets.csv`: subject, service, type) are taken with their `created` instant and
the time they stayed open from the event log. The method is in `engine/recurring.py`, the
ranking in `engine/recurring_rank.py`; docs/availability.md explains both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mittari.engine.recurring import cluster_texts, normalise
from mittari.engine.recurring_rank import DEFAULT_RECENT_US, rank_clusters
from mittari.engine.types import I64, NULL_TS, EventLog, Kind, Status
from mittari.importers.canonical.tickets import TicketTable
from mittari.services.measure import created_at

UTC_US = pa.timestamp("us", tz="UTC")
SHOWN_IDS = 5


@dataclass(frozen=True)
class RecurringFaults:
    clusters: pa.Table  # one row per problem candidate, best first
    members: pa.Table  # the incidents of each candidate (rank, ticket_id, subject, created)
    considered: int  # incidents with a subject that were clustered


def resolved_at(log: EventLog) -> I64:
    """Per ticket, the first resolved or closed status at or after creation (NULL_TS: none)."""
    created = created_at(log)
    done = (log.kind == Kind.STATUS) & np.isin(log.value, [Status.RESOLVED, Status.CLOSED])
    done &= log.ts >= created[log.ticket]
    out = np.full(log.n_tickets, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, log.ticket[done], log.ts[done])
    return np.where(out == np.iinfo(np.int64).max, NULL_TS, out)


def recurring_faults(
    log: EventLog,
    tickets: TicketTable,
    as_of: int,
    *,
    incident_type: str | None = "incident",
    threshold: float = 0.5,
    min_size: int = 3,
    recent_us: int = DEFAULT_RECENT_US,
    top: int = 10,
) -> RecurringFaults:
    """The `top` problem candidates among incidents created up to as-of.

    `incident_type`: keep tickets of this type (case-insensitive) when the tickets file
    names types; None keeps every ticket.
    """
    rows = tickets.aligned(log.ticket_ids)
    created, done = created_at(log), resolved_at(log)
    subject = _text(rows, "subject")
    keep = (created != NULL_TS) & (created <= as_of) & (subject != "")
    types = _text(rows, "type")
    if incident_type is not None and (types != "").any():
        keep &= np.char.lower(types.astype(str)) == incident_type.lower()
    index = np.flatnonzero(keep)
    end = np.where((done[index] == NULL_TS) | (done[index] > as_of), as_of, done[index])
    lost = np.maximum(end - created[index], 0)
    service = _text(rows, "service")[index]
    group = np.unique(service, return_inverse=True)[1].reshape(-1).astype(np.int64)
    label = cluster_texts(list(subject[index]), group, threshold)
    ranked = rank_clusters(label, created[index], lost, as_of, recent_us, min_size)
    shown = slice(0, top)
    ids = np.array(log.ticket_ids, dtype=object)[index]
    members = [np.flatnonzero(label == lab) for lab in ranked.label[shown]]
    clusters = pa.table(
        {
            "rank": pa.array(np.arange(1, len(members) + 1), pa.int64()),
            "service": pa.array([service[lab] for lab in ranked.label[shown]], pa.string()),
            "subject": pa.array([_representative(subject[index][m]) for m in members], pa.string()),
            "count": pa.array(ranked.count[shown]),
            "recent": pa.array(ranked.recent[shown]),
            "previous": pa.array(ranked.previous[shown]),
            "growth": pa.array(np.round(ranked.growth[shown], 3)),
            "lost_hours": pa.array(np.round(ranked.lost_h[shown], 1)),
            "score": pa.array(np.round(ranked.score[shown], 2)),
            "first_at": pa.array(ranked.first_at[shown], UTC_US),
            "last_at": pa.array(ranked.last_at[shown], UTC_US),
            "tickets": pa.array([_ids(ids[m]) for m in members], pa.string()),
        }
    )
    return RecurringFaults(
        clusters, _members(members, ids, subject[index], created[index]), len(index)
    )


def _representative(subjects: np.ndarray) -> str:
    """The cluster's most common wording (after normalising); the first such subject."""
    forms = [normalise(str(s)) for s in subjects]
    common = Counter(forms).most_common(1)[0][0]
    return str(subjects[forms.index(common)])


def _text(rows: pa.Table, name: str) -> np.ndarray:
    if name not in rows.column_names:
        return np.full(rows.num_rows, "", dtype=object)
    column = pc.utf8_trim_whitespace(rows.column(name).cast(pa.string()).fill_null(""))
    return np.asarray(column.to_pylist(), dtype=object)


def _ids(ids: np.ndarray) -> str:
    more = f" (+{len(ids) - SHOWN_IDS})" if len(ids) > SHOWN_IDS else ""
    return ", ".join(str(i) for i in ids[:SHOWN_IDS]) + more


def _members(members: list[I64], ids: np.ndarray, subject: np.ndarray, created: I64) -> pa.Table:
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    rank = np.repeat(np.arange(1, len(members) + 1, dtype=np.int64), sizes)
    rows = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    return pa.table(
        {
            "rank": pa.array(rank.astype(np.int64)),
            "ticket_id": pa.array(list(ids[rows]), pa.string()),
            "subject": pa.array(list(subject[rows]), pa.string()),
            "created_at": pa.array(created[rows], UTC_US),
        }
    )
