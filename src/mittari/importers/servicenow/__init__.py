"""The ServiceNow importer: incidents from the Table API (a snapshot) or a history export (CSV).

See README.md here for the two input shapes, how events are derived and the mapping file.
"""

from mittari.importers.servicenow.reader import SOURCE, read
from mittari.importers.servicenow.settings import DEFAULT_MAPPING, Settings, load_settings

__all__ = ["DEFAULT_MAPPING", "SOURCE", "Settings", "load_settings", "read"]
