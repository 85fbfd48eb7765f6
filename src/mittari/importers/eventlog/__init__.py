"""The generic event-log importer: CSV and XES (IEEE 1849) logs, mapped by a YAML file.

A process-mining event log has one record per (case, activity, lifecycle, time); a mapping
file says where those are and which canonical events each (activity, lifecycle) becomes.
See README.md here; `mappings/` holds the mappings of the real logs it was proven on.
"""

from mittari.importers.eventlog.load import Mapping, load, shipped
from mittari.importers.eventlog.model import MappingModel
from mittari.importers.eventlog.reader import EventLogExtract, read

__all__ = ["EventLogExtract", "Mapping", "MappingModel", "load", "read", "shipped"]
