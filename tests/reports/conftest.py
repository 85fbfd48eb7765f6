"""The `db` fixture of tests/db (SQLite and PostgreSQL) for the report tests."""

from tests.db import conftest as databases

migrated, db = databases.migrated, databases.db
