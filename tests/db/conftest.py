"""Databases for tests, built through the Alembic migrations, never `create_all`.

Every test that takes `db` runs twice: on a SQLite file and on the real PostgreSQL server of
this machine (127.0.0.1:5432, database `test`, or `MITTARI_TEST_POSTGRES_URL`). PostgreSQL
tests run in a schema of their own, dropped at the end. An unreachable server is an error,
not a skip: CI must run both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from tests.smtp import inbox  # noqa: F401  (the SMTP server fixture, reused)

from mittari.db.connect import make_engine
from mittari.db.migrate import upgrade
from mittari.db.models import Base

POSTGRES_URL = os.environ.get(
    "MITTARI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def fresh_database(backend: str, directory: str) -> tuple[Engine, str]:
    """An empty database of `backend` and its URL; drop it with `drop_database`."""
    if backend == "sqlite":
        url = f"sqlite:///{directory}/mittari-{uuid.uuid4().hex[:8]}.db"
        return make_engine(url), url
    schema = f"mittari_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"  # the schema as a URL can carry it
    return make_engine(url), url


def drop_database(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        schema = _schema_of(engine)
        engine.dispose()
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()
    else:
        engine.dispose()


def _schema_of(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT current_schema()")).scalar())


@pytest.fixture(scope="session", params=BACKENDS)
def migrated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    engine, _ = fresh_database(request.param, str(tmp_path_factory.mktemp("db")))
    upgrade(engine)
    yield engine
    drop_database(engine)


@pytest.fixture
def db(migrated: Engine) -> Engine:
    """The migrated database of one backend, emptied before the test."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with migrated.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
    return migrated
