"""Importers: one folder per source, each mapping its world into the canonical event log.

`canonical/` reads mittari's own interchange format v1 and is the template for the rest.
"""
