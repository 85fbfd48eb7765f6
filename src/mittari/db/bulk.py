"""Arrow tables in and out of the database without per-row ORM objects.

PostgreSQL: COPY in CSV form, written and parsed by Arrow (a staging table takes the rows
when duplicates must be skipped or merged); SQLite: `executemany` on the driver cursor in
chunks. Both run inside the caller's transaction, so a batch is all or nothing.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection

CHUNK = 100_000
SMALL = 200  # rows; fewer go to PostgreSQL as plain statements: a temporary table and COPY
# cost more than they save for a webhook's handful of rows
Progress = Callable[[int, int], None]  # told (rows just written, rows in all)
_stage_names = itertools.count()


def insert(
    conn: Connection,
    table: str,
    data: pa.Table,
    *,
    conflict: Sequence[str] = (),
    merge: Sequence[str] = (),
    progress: Progress | None = None,
) -> int:
    """Insert `data` (its column names are the table's) and return how many rows were added.

    With `conflict` (the columns of a unique constraint), a row that is already there is
    skipped; with `merge` too, its `merge` columns take the new value where it is not null
    (then the count includes merged rows).
    """
    if data.num_rows == 0:
        return 0
    tail = _on_conflict(table, conflict, merge)
    tell = progress or (lambda _n, _total: None)
    if conn.dialect.name == "postgresql":
        if data.num_rows <= SMALL:
            return _pg_rows(conn, table, data, tail, tell)
        return _copy_in(conn, table, data, tail, tell)
    return _executemany(conn, table, data, tail, tell)


def _pg_rows(conn: Connection, table: str, data: pa.Table, tail: str, tell: Progress) -> int:
    names = data.column_names
    marks = ", ".join("%s" for _ in names)
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}){tail}"
    rows = list(zip(*(c.to_pylist() for c in data.columns), strict=True))
    with _driver(conn).cursor() as cursor:
        cursor.executemany(sql, rows)  # psycopg pipelines them: one round trip
        added = max(int(cursor.rowcount), 0)  # the rows of all the statements
    tell(data.num_rows, data.num_rows)
    return added


def upsert_new_ids(
    conn: Connection,
    table: str,
    data: pa.Table,
    *,
    conflict: Sequence[str],
    merge: Sequence[str],
) -> npt.NDArray[np.int64]:
    """`insert(..., conflict, merge)`, returning the ids of the rows it inserted (not merged).

    On SQLite the caller must already have written in this transaction: SQLite then holds
    the database's write lock, so the ids above the current maximum are this call's own.
    """
    if data.num_rows == 0:
        return np.zeros(0, dtype=np.int64)
    tail = _on_conflict(table, conflict, merge)
    if conn.dialect.name == "postgresql" and data.num_rows <= SMALL:
        names = ", ".join(data.column_names)
        marks = ", ".join("%s" for _ in data.column_names)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}){tail} RETURNING id, (xmax = 0)"
        inserted_ids: list[int] = []
        with _driver(conn).cursor() as cursor:
            for row in zip(*(c.to_pylist() for c in data.columns), strict=True):
                cursor.execute(sql, row)
                inserted_ids += [i for i, inserted in cursor.fetchall() if inserted]
        return np.array(inserted_ids, dtype=np.int64)
    if conn.dialect.name == "postgresql":
        names = ", ".join(data.column_names)
        with _driver(conn).cursor() as cursor:
            stage = _staged(cursor, table, names, data, lambda _n, _t: None)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage}{tail} "
                "RETURNING id, (xmax = 0)"  # xmax = 0: a row this statement inserted
            )
            rows = cursor.fetchall()
            cursor.execute(f"DROP TABLE {stage}")
        return np.array([i for i, inserted in rows if inserted], dtype=np.int64)
    top = int(conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar_one())
    _executemany(conn, table, data, tail, lambda _n, _t: None)
    new = conn.exec_driver_sql(f"SELECT id FROM {table} WHERE id > ?", (top,)).scalars()
    return np.array(list(new), dtype=np.int64)


def _on_conflict(table: str, conflict: Sequence[str], merge: Sequence[str]) -> str:
    if not conflict:
        return ""
    target = ", ".join(conflict)
    if not merge:
        return f" ON CONFLICT ({target}) DO NOTHING"
    sets = ", ".join(f"{c} = COALESCE(excluded.{c}, {table}.{c})" for c in merge)
    return f" ON CONFLICT ({target}) DO UPDATE SET {sets}"


def _executemany(conn: Connection, table: str, data: pa.Table, tail: str, tell: Progress) -> int:
    names = data.column_names
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}){tail}"
    cursor = _driver(conn).cursor()
    added = 0
    try:
        for batch in data.to_batches(max_chunksize=CHUNK):
            columns = [column.to_pylist() for column in batch.columns]
            cursor.executemany(sql, zip(*columns, strict=True))
            added += max(cursor.rowcount, 0)
            tell(batch.num_rows, data.num_rows)
    finally:
        cursor.close()
    return added


def _copy_in(conn: Connection, table: str, data: pa.Table, tail: str, tell: Progress) -> int:
    names = ", ".join(data.column_names)
    raw = _driver(conn)
    with raw.cursor() as cursor:
        if not tail:
            _copy_rows(cursor, table, names, data, tell)
            n: int = data.num_rows
            return n
        stage = _staged(cursor, table, names, data, tell)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage}{tail}")
        added = int(cursor.rowcount)
        cursor.execute(f"DROP TABLE {stage}")
        return added


def _staged(cursor: Any, table: str, names: str, data: pa.Table, tell: Progress) -> str:
    """A temporary table with `data`, shaped like `table`'s columns `names`."""
    stage = f"_stage_{table}_{next(_stage_names)}"
    cursor.execute(
        f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA"
    )
    _copy_rows(cursor, stage, names, data, tell)
    return stage


def _copy_rows(cursor: Any, table: str, names: str, data: pa.Table, tell: Progress) -> None:
    options = pacsv.WriteOptions(include_header=False)
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
        for batch in data.to_batches(max_chunksize=CHUNK):
            buffer = io.BytesIO()
            pacsv.write_csv(pa.Table.from_batches([batch]), buffer, options)
            copy.write(buffer.getbuffer())
            tell(batch.num_rows, data.num_rows)


def _driver(conn: Connection) -> Any:
    """The driver's own connection (sqlite3 or psycopg), inside the caller's transaction."""
    return conn.connection.driver_connection


def select(
    conn: Connection,
    sql: str,
    params: Mapping[str, Any],
    schema: pa.Schema,
    *,
    small: bool = False,
) -> pa.Table:
    """The rows of a query as a table of `schema` (one field per selected column, in order).

    `sql` uses named parameters as `:name`. `small=True` (a few rows, e.g. one ticket's
    events) skips PostgreSQL's COPY, whose set-up costs more than such a result.
    """
    if conn.dialect.name == "postgresql" and not small:
        return _copy_out(conn, sql, params, schema)
    if conn.dialect.name == "postgresql":
        return _fetch(conn, _pyformat(sql, params), params, schema)
    return _fetch(conn, sql, params, schema)


def _pyformat(sql: str, params: Mapping[str, Any]) -> str:
    """`:name` → `%(name)s`, whole names only (`:w1` must not eat the start of `:w10`)."""
    return re.sub(r":(\w+)", lambda m: f"%({m[1]})s" if m[1] in params else m[0], sql)


def _copy_out(conn: Connection, sql: str, params: Mapping[str, Any], schema: pa.Schema) -> pa.Table:
    query = _pyformat(sql, params)
    raw = _driver(conn)
    buffer = io.BytesIO()
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)", dict(params)) as copy,
    ):
        for chunk in copy:
            buffer.write(chunk)
    if buffer.tell() == 0:
        return schema.empty_table()
    buffer.seek(0)
    return pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(column_names=schema.names),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),  # text may hold newlines
        convert_options=pacsv.ConvertOptions(
            column_types=schema,
            strings_can_be_null=True,  # PostgreSQL writes NULL unquoted, '' as ""
            quoted_strings_can_be_null=False,
        ),
    )


def _fetch(conn: Connection, sql: str, params: Mapping[str, Any], schema: pa.Schema) -> pa.Table:
    raw = _driver(conn)
    cursor = raw.execute(sql, dict(params))
    batches = []
    rows_type = pa.struct(list(schema))  # Arrow reads the row tuples itself: no transposing
    try:
        while rows := cursor.fetchmany(CHUNK):
            batch = pa.RecordBatch.from_struct_array(pa.array(rows, type=rows_type))
            batches.append(pa.record_batch(batch.columns, schema=schema))
    finally:
        cursor.close()
    return pa.Table.from_batches(batches, schema=schema)
