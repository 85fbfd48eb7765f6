"""One field of one source record, whatever its shape, and where it came from.

CSV cells are text. Table API values are text (`"2"`), a reference (`{"link", "value"}` with
`sysparm_display_value=false`), or a pair (`{"display_value", "value"[, "link"]}` with
`sysparm_display_value=all`); with `sysparm_display_value=true` every value is display text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Cell:
    value: str  # the actual value (a code, a sys_id, a UTC time) or the text; "" when empty
    display: str  # the display value where the source gives one, else `value`
    where: str  # the CSV column header, or the JSON path (`result[3].state`)
    actual: bool = False  # `value` is known to be the stored value (a JSON object's "value")

    def __bool__(self) -> bool:
        return bool(self.value or self.display)

    def text(self) -> str | None:
        """The display text, None when empty (for ticket attributes)."""
        return self.display or None


class Record(Protocol):
    """A CSV row or a Table API result, read field by field (fields of `Columns`)."""

    @property
    def line(self) -> int | None: ...

    def cell(self, field: str) -> Cell: ...


def cell_of(item: object, where: str) -> Cell:
    """The Cell of one Table API value, in any of its three shapes."""
    if item is None:
        return Cell("", "", where)
    if isinstance(item, dict):
        value = _text(item.get("value"))
        display = _text(item.get("display_value"))
        return Cell(value, display or value, where, actual=True)
    text = _text(item)
    return Cell(text, text, where)


def _text(item: object) -> str:
    if item is None or isinstance(item, dict | list):
        return ""
    return str(item).strip()
