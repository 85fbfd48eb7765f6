"""The Zendesk importer: incremental ticket exports, ticket audits and satisfaction ratings
→ canonical events, tickets and feedback; live audits and event-webhook bodies one at a time
(see README.md here)."""

from mittari.importers.zendesk.feedback import FEEDBACK_SCHEMA
from mittari.importers.zendesk.live import events_from_audit
from mittari.importers.zendesk.mapping import (
    DEFAULT_MAPPING,
    ZendeskMapping,
    load_zendesk_mapping,
)
from mittari.importers.zendesk.reader import read
from mittari.importers.zendesk.run import SOURCE, ZendeskExtract
from mittari.importers.zendesk.webhook_events import events_from_event_webhook

__all__ = [
    "DEFAULT_MAPPING",
    "FEEDBACK_SCHEMA",
    "SOURCE",
    "ZendeskExtract",
    "ZendeskMapping",
    "events_from_audit",
    "events_from_event_webhook",
    "load_zendesk_mapping",
    "read",
]
