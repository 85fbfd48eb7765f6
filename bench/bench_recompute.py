"""Recompute at scale: the partitioned pipeline in one process and on a 2-worker LocalCluster.

The synthetic log of `bench_engine.py` (same generator and seed: 10 events per ticket,
2,000,000 tickets ≈ 20,000,000 events by default, cached in bench/results/), measured
under the bench contract (written here as YAML, as a user would) for one customer. Each
variant runs in a fresh subprocess of this script (`--worker`), so that each peak RSS
belongs to it alone:

    one-piece   read_events → measure_versions → compliance_table: today's single-machine
                path, the reference the others must equal
    local       `mittari recompute --engine local`: split, measure, percentiles in-process
    dask        `mittari recompute --engine dask` on LocalCluster(2 workers × 1 thread);
                the cluster's start-up is timed apart

Reported: wall seconds (and per stage), events per second, peak RSS of the driver and of
each worker process (`ru_maxrss`, read inside the tasks), and whether the compliance tables
(and, local against dask, every measurement file) are equal.

    .venv/bin/python bench/bench_recompute.py                    # 2M tickets, ~20M events
    .venv/bin/python bench/bench_recompute.py --tickets 200000   # smaller
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_engine

RESULTS = bench_engine.RESULTS
VARIANTS = ("one-piece", "local", "dask")
AS_OF = "2027-01-01T00:00:00+00:00"
CONTRACT = """\
apiVersion: mittari/v1
kind: Contract
metadata: {customer: bench, name: The bench contract, version: "1"}
spec:
  timezone: Europe/Helsinki
  effective: {from: 2024-01-01}
  calendars:
    office:
      hours: {mon-fri: ["08:00-16:00"]}
      holidays: {country: FI}
    24x7: {alwaysOpen: true}
  metrics:
    first_response:
      type: first_response
      objective: 95%
      targets:
        P1: {within: 30m, calendar: 24x7}
        P2: {within: 2h, calendar: office}
        P3: {within: 4h, calendar: office}
        P4: {within: 8h, calendar: office}
    resolution:
      type: resolution
      objective: 90%
      reopen: resume
      targets:
        P1: {within: 4h, calendar: 24x7}
        P2: {within: 8h, calendar: office}
        P3: {within: 24h, calendar: office}
        P4: {within: 40h, calendar: office}
"""
BY = ("month", "metric", "priority")


def peak_rss_mb() -> float:
    """VmHWM: ru_maxrss would carry the size of the process that started this one."""
    from mittari.services.recompute.job import peak_rss_mb as vm_hwm

    return vm_hwm()


def cpu_seconds() -> float:
    return time.process_time()


# --- workers (fresh processes) ------------------------------------------------------------


def one_piece_worker(log: Path, contract: Path, out: Path) -> dict[str, Any]:
    from mittari.runtime import tune_process

    tune_process()
    import pyarrow.parquet as pq

    from mittari.cli.main import parse_as_of
    from mittari.services.measure import compliance_table
    from mittari.services.runs import load_inputs, measure_loaded

    t0, c0 = time.perf_counter(), cpu_seconds()
    loaded = load_inputs([contract], log, None, None, False)
    result = measure_loaded(loaded, parse_as_of(AS_OF))
    table = compliance_table(result.table, loaded.contracts, list(BY))
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out / "compliance.parquet")
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "events": len(loaded.log),
        "measurements": result.table.num_rows,
        "driver_peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": [],
    }


def recompute_worker(engine: str, log: Path, contract: Path, out: Path, args: list[str]) -> dict:
    from mittari.runtime import tune_process

    tune_process()
    from mittari.cli.main import parse_as_of
    from mittari.services.recompute import LocalExecutor, dask_executor, prepare_job, recompute

    partitions = int(args[0]) if args[0] != "auto" else None
    workers = int(args[1])
    job, _ = prepare_job(
        [contract], str(log), parse_as_of(AS_OF), customer="bench", by=BY, partitions=partitions
    )
    startup = 0.0
    t0 = time.perf_counter()
    if engine == "local":
        result = recompute(job, LocalExecutor(), out)
    else:
        with dask_executor(None, workers) as executor:
            startup = time.perf_counter() - t0
            t0 = time.perf_counter()
            result = recompute(job, executor, out)
    wall = time.perf_counter() - t0
    workers_rss = [v for pid, v in sorted(result.peak_rss_mb.items()) if pid != os.getpid()]
    return {
        "wall_s": wall,
        "cluster_startup_s": startup,
        "stages_s": result.seconds,
        "task_s": result.task_seconds,
        "cpu_s": sum(result.task_cpu_seconds.values()),
        "task_cpu_s": result.task_cpu_seconds,
        "events": result.events_read,
        "measurements": result.measurements,
        "partitions": result.partitions,
        "pieces": result.pieces,
        "driver_peak_rss_mb": peak_rss_mb(),
        "worker_peak_rss_mb": workers_rss,
    }


def spawn(args: list[str]) -> dict[str, Any]:
    load = os.getloadavg()[0]
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"worker {args} failed (exit {proc.returncode})")
    report: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    report["load_avg_1min_before"] = load
    return report


# --- the driver ---------------------------------------------------------------------------


def compare(outs: dict[str, Path]) -> dict[str, bool]:
    """Compliance of every variant against one-piece's; local and dask file by file."""
    import pyarrow.parquet as pq

    found: dict[str, bool] = {}
    tables = {v: pq.read_table(p / "compliance.parquet") for v, p in outs.items()}
    reference = tables.get("one-piece")
    for variant, table in tables.items():
        if reference is not None and variant != "one-piece":
            found[f"compliance {variant} = one-piece"] = table.equals(reference)
    if "local" in outs and "dask" in outs:
        files = sorted((outs["local"] / "measurements").glob("*.parquet"))
        same = all(
            pq.read_table(f).equals(pq.read_table(outs["dask"] / "measurements" / f.name))
            for f in files
        )
        found["measurement files local = dask"] = same and bool(files)
        found["compliance local = dask"] = tables["local"].equals(tables["dask"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2_000_000)
    parser.add_argument("--partitions", default="auto", help="partitions (default: auto)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--log", type=Path, help="Parquet file (default bench/results/...)")
    parser.add_argument("--regen", action="store_true", help="regenerate the event log")
    parser.add_argument("--keep", action="store_true", help="keep the outputs")
    parser.add_argument("--json", type=Path, default=RESULTS / "recompute.json")
    args = parser.parse_args()
    path = args.log or RESULTS / f"events-{args.tickets}.parquet"
    meta = bench_engine.ensure_log(args.tickets, path, args.regen)
    contract = RESULTS / "bench-contract.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    print(
        f"event log: {meta['events']:,} events, {meta['tickets']:,} tickets ({path})",
        file=sys.stderr,
    )
    reports, outs = {}, {}
    for variant in args.variants.split(","):
        out = RESULTS / f"recompute-{variant}"
        shutil.rmtree(out, ignore_errors=True)
        print(f"  {variant} ...", end="", file=sys.stderr, flush=True)
        if variant == "one-piece":
            reports[variant] = spawn(["one-piece", str(path), str(contract), str(out)])
        else:
            extra = [args.partitions, str(args.workers)]
            reports[variant] = spawn([variant, str(path), str(contract), str(out), *extra])
        outs[variant] = out
        print(f" {reports[variant]['wall_s']:.1f} s", file=sys.stderr)
    checks = compare(outs)
    print_report(meta, reports, checks)
    if not args.keep:
        for out in outs.values():
            shutil.rmtree(out, ignore_errors=True)
    payload = {
        "bench": "recompute",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": bench_engine.environment(),
        "log": {**meta, "path": str(path), "as_of": AS_OF},
        "workers": args.workers,
        "variants": reports,
        "checks": checks,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nJSON: {args.json}")


def print_report(meta: dict[str, Any], reports: dict[str, Any], checks: dict[str, bool]) -> None:
    print()
    head = f"{'variant':<10} {'wall s':>7} {'events/s':>11} {'CPU s':>7} {'events/CPU s':>13}"
    head += f"  {'stages (wall s)':<34} {'driver MB':>9}  workers' peak RSS MB"
    print(head)
    print("-" * len(head))
    for variant, r in reports.items():
        rate, per_cpu = r["events"] / r["wall_s"], r["events"] / r["cpu_s"]
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r.get("stages_s", {}).items()) or "–"
        workers = ", ".join(f"{mb:,.0f}" for mb in r["worker_peak_rss_mb"]) or "–"
        line = f"{variant:<10} {r['wall_s']:>7.1f} {rate:>11,.0f} {r['cpu_s']:>7.1f}"
        line += f" {per_cpu:>13,.0f}  {stages:<34} {r['driver_peak_rss_mb']:>9,.0f}  {workers}"
        print(line)
    loads = ", ".join(f"{v} {r['load_avg_1min_before']:.2f}" for v, r in reports.items())
    print(
        "\nCPU s: CPU time of the tasks (recompute) or of the process (one-piece); other work on"
        f"\nthe machine inflates wall times, hardly CPU times. 1-min load before each: {loads}"
    )
    dask = reports.get("dask")
    if dask:
        print(f"cluster start-up (not in the dask wall time): {dask['cluster_startup_s']:.1f} s")
    for what, ok in checks.items():
        print(f"{what}: {ok}")
    print(
        f"{meta['events']:,} events; {reports[next(iter(reports))]['measurements']:,} measurements"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        kind, log, contract, out = (
            sys.argv[2],
            Path(sys.argv[3]),
            Path(sys.argv[4]),
            Path(sys.argv[5]),
        )
        if kind == "one-piece":
            report = one_piece_worker(log, contract, out)
        else:
            report = recompute_worker(kind, log, contract, out, sys.argv[6:])
        print(json.dumps(report))
    else:
        main()
