"""The Jira Service Management importer (see README.md here): REST search results and
issues with their changelog, webhook bodies, status lists and CSAT feedback, mapped into
the canonical event log."""

from mittari.importers.jira.feedback import FEEDBACK_SCHEMA
from mittari.importers.jira.reader import events_from_webhook, read
from mittari.importers.jira.rules import DEFAULT_MAPPING, JiraMapping, JiraRules, load_rules

__all__ = [
    "DEFAULT_MAPPING",
    "FEEDBACK_SCHEMA",
    "JiraMapping",
    "JiraRules",
    "events_from_webhook",
    "load_rules",
    "read",
]
