"""Errors the engine raises (re-exported with the whole tree by `mittari.errors`)."""


class MittariError(Exception):
    """Base class of every error mittari raises on purpose."""


class CalendarError(MittariError):
    """A business calendar is unusable (no working time, unknown zone, bad hours)."""


class EngineError(MittariError):
    """The engine was given arrays that break its contract (unsorted, mismatched lengths)."""
