"""Database URLs and engines: one place that knows SQLite from PostgreSQL."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_URL = "sqlite:///./mittari.db"
URL_VARIABLE = "MITTARI_DATABASE_URL"


class DatabaseUrlError(ValueError):
    pass


def database_url(url: str | None = None) -> str:
    """`url`, else `MITTARI_DATABASE_URL`, else the SQLite file `./mittari.db`."""
    chosen = url or os.environ.get(URL_VARIABLE) or DEFAULT_URL
    try:
        backend = make_url(chosen).get_backend_name()
    except Exception as exc:  # SQLAlchemy raises ArgumentError; say which setting is wrong
        raise DatabaseUrlError(f"{URL_VARIABLE}: not a database URL: {chosen!r}") from exc
    if backend not in ("sqlite", "postgresql"):
        message = (
            f"{URL_VARIABLE}: {backend!r} is not supported; use sqlite:/// or postgresql+psycopg://"
        )
        raise DatabaseUrlError(message)
    return chosen


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    engine = create_engine(database_url(url), **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")  # SQLite leaves them off unless asked
    cursor.execute("PRAGMA journal_mode = WAL")  # readers (dashboard) do not block an import
    cursor.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint; safe with WAL
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()
