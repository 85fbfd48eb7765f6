"""Tests of the event-log importer."""
