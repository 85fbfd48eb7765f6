"""Recompute a whole history, partitioned by ticket, in this process or on a Dask cluster.

    job, notes = prepare_job(contracts, "events/", as_of_us, tickets=Path("tickets.csv"))
    result = recompute(job, LocalExecutor(), Path("out"))
    with dask_executor("tcp://scheduler:8786", workers=0) as ex:
        result = recompute(job, ex, Path("out"))

Modules: `hashing` (the partition of a ticket), `source` (the Parquet log and its
pieces), `job` (the checked job, the routing of tickets), `shuffle` (split stage),
`partition` (the partition API and the measure stage), `rollup` (compliance in mergeable
parts, the percentile pass), `executors` (local and Dask), `output` (atomic publishing),
`run` (the stages in order). docs/scale-out.md explains the design.
"""

from mittari.services.recompute.executors import DaskExecutor, LocalExecutor, dask_executor
from mittari.services.recompute.partition import PartitionResult, measure_partition
from mittari.services.recompute.run import RecomputeResult, prepare_job, recompute

__all__ = [
    "DaskExecutor",
    "LocalExecutor",
    "PartitionResult",
    "RecomputeResult",
    "dask_executor",
    "measure_partition",
    "prepare_job",
    "recompute",
]
