"""Where the tasks run: in this process (`local`) or on a Dask cluster (`dask`).

Both run the same task functions over the same items; a run differs only in its executor.
The local one is a plain loop. The Dask one sends the run's context to every worker once
(`scatter`, broadcast), submits one task per item with `retries` (a worker that dies or a
task that raises is tried again, up to RETRIES more times; a task's files are rewritten
whole, so a retry is safe), reports progress as tasks finish and returns the results in
item order. Input errors (`MittariError`) are returned from the worker as data, not
raised: retrying them cannot help, and their problems survive the trip intact.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from mittari.errors import InputError, MittariError, Problem

R = TypeVar("R")
Progress = Callable[[str, int, int], None]  # (stage, done, total)
RETRIES = 2


def no_progress(stage: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


class Executor(Protocol):
    name: str

    def share(self, context: Any) -> Any:
        """A handle on `context` to pass to every task (the context itself, locally)."""

    def run(
        self,
        task: Callable[[Any, Any], R],
        items: Sequence[Any],
        shared: Any,
        stage: str,
        progress: Progress,
    ) -> list[R]:
        """`task(item, context)` for every item; the results in item order."""


class LocalExecutor:
    name = "local"

    def share(self, context: Any) -> Any:
        return context

    def run(
        self,
        task: Callable[[Any, Any], R],
        items: Sequence[Any],
        shared: Any,
        stage: str,
        progress: Progress,
    ) -> list[R]:
        results = []
        for done, item in enumerate(items, 1):
            results.append(task(item, shared))
            progress(stage, done, len(items))
        return results


@dataclass(frozen=True)
class TaskFailure:
    """An input error raised in a task, carried back as data."""

    message: str
    problems: list[Problem]


def _guarded(task: Callable[[Any, Any], R], item: Any, context: Any) -> R | TaskFailure:
    try:
        return task(item, context)
    except MittariError as exc:
        return TaskFailure(str(exc), list(getattr(exc, "problems", [])))


class DaskExecutor:
    name = "dask"

    def __init__(self, client: Any, retries: int = RETRIES) -> None:
        self.client = client
        self.retries = retries
        self._run = uuid.uuid4().hex[:8]  # task keys unique to this run on a shared cluster

    def share(self, context: Any) -> Any:
        return self.client.scatter(context, broadcast=True, hash=False)

    def run(
        self,
        task: Callable[[Any, Any], R],
        items: Sequence[Any],
        shared: Any,
        stage: str,
        progress: Progress,
    ) -> list[R]:
        from distributed import as_completed

        futures = [
            self.client.submit(
                _guarded,
                task,
                item,
                shared,
                key=f"{stage}-{self._run}-{i}",
                retries=self.retries,
                pure=False,
            )
            for i, item in enumerate(items)
        ]
        try:
            finished = as_completed(futures)  # type: ignore[no-untyped-call]
            for done, future in enumerate(finished, 1):
                future.result()  # raises the task's error once its retries are spent
                progress(stage, done, len(items))
            results = [f.result() for f in futures]
        finally:
            self.client.cancel(futures)
        return [_unwrap(r) for r in results]


def _unwrap(result: R | TaskFailure) -> R:
    if isinstance(result, TaskFailure):
        if result.problems:
            raise InputError(result.problems)
        raise MittariError(result.message)
    return result


@contextmanager
def dask_executor(scheduler: str | None, workers: int) -> Iterator[DaskExecutor]:
    """A client of the cluster at `scheduler`, or of a new LocalCluster of `workers`
    single-threaded worker processes (the engine is single-threaded numpy)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise MittariError("--engine dask needs Dask: pip install 'mittari[dask]'") from exc
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise MittariError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        with client:
            yield _ready(DaskExecutor(client))
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield _ready(DaskExecutor(client))


TASK_MODULES = "mittari.services.recompute.partition"  # imports every stage's code


def _ready(executor: DaskExecutor) -> DaskExecutor:
    """Import the task code on every worker now: a worker without mittari fails here, with
    a message, not in its first task; and the first tasks are not slowed by imports."""
    try:
        executor.client.run(_import_task_code)
    except ImportError as exc:
        raise MittariError(
            f"a Dask worker cannot import mittari ({exc}): install mittari on every worker"
        ) from exc
    return executor


def _import_task_code() -> None:
    importlib.import_module(TASK_MODULES)
