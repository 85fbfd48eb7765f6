"""The exception tree of mittari, drawn here once.

    MittariError
    ├── ContractError           a contract file is invalid (carries every problem found)
    ├── CalendarError           a business calendar cannot be built (e.g. no working time)
    ├── InputError              input data is invalid (carries file, line, column, value)
    │   └── BatchRejected       --strict: a batch had bad rows, nothing was taken
    └── EngineError             the engine was called with inconsistent arrays

The engine raises only CalendarError and EngineError; they live in `engine/errors.py` so
that the engine imports nothing outside itself, numpy and the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

from mittari.engine.errors import CalendarError, EngineError, MittariError

__all__ = [
    "BatchRejected",
    "CalendarError",
    "ContractError",
    "EngineError",
    "InputError",
    "MittariError",
    "Problem",
]


@dataclass(frozen=True)
class Problem:
    """One problem in one place of an input file."""

    file: str
    line: int | None
    field: str
    value: object
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.field}: {self.message}{shown}"


class ContractError(MittariError):
    """A contract is invalid; `problems` lists every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class InputError(MittariError):
    """Input rows are invalid; `problems` names file, line, column and value of each."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class BatchRejected(InputError):
    """In strict mode a batch with any bad row is rejected as a whole."""
