"""Plain fixed-width tables for the terminal (no styling dependency needed)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pyarrow as pa
import typer


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def format_table(table: pa.Table) -> list[str]:
    names = table.column_names
    rows = [[_cell(v) for v in row.values()] for row in table.to_pylist()]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    numeric = [pa.types.is_integer(t) or pa.types.is_floating(t) for t in table.schema.types]

    def line(cells: list[str]) -> str:
        cols = zip(cells, widths, numeric, strict=True)
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in cols]
        return "  ".join(parts).rstrip()

    return [line(names), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def print_table(table: pa.Table, echo: Callable[[str], None] = typer.echo) -> None:
    for text in format_table(table):
        echo(text)


def rounded(table: pa.Table) -> pa.Table:
    """Figures to one decimal, none as empty: the terminal shows text."""
    for i, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            values = table.column(i).to_pylist()
            text = ["" if v is None or math.isnan(v) else f"{v:.1f}" for v in values]
            table = table.set_column(i, field.name, pa.array(text, pa.string()))
    return table
