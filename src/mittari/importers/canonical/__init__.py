"""The canonical importer: mittari's own interchange format v1 (see README.md here).

Every other importer maps its source into these columns; "copy the canonical importer" is
how a new one starts.
"""

from mittari.importers.canonical.parser import (
    EVENT_COLUMNS,
    REQUIRED_COLUMNS,
    ReadResult,
    events_from_table,
    read_events,
)
from mittari.importers.canonical.tickets import TICKET_COLUMNS, TicketTable, read_tickets
from mittari.importers.canonical.writer import (
    MEASUREMENT_SCHEMA,
    measurements_table,
    write_table,
)

__all__ = [
    "EVENT_COLUMNS",
    "MEASUREMENT_SCHEMA",
    "REQUIRED_COLUMNS",
    "TICKET_COLUMNS",
    "ReadResult",
    "TicketTable",
    "events_from_table",
    "measurements_table",
    "read_events",
    "read_tickets",
    "write_table",
]
