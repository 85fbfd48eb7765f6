"""The store at scale: canonical import into SQLite and PostgreSQL, and loading back.

The event log of `bench_engine.py` (fixed seed; 1,000,000 tickets ≈ 10 M events by default)
is written to Parquet once. Then each step runs in a fresh subprocess (`--worker`), so each
peak RSS (`ru_maxrss`, the whole process) belongs to that step alone:

    import    `import_source(engine, "canonical", events.parquet, customer=...)` into a
              migrated, empty database: read + check (stage) and write (store), timed apart
    reimport  the same file again: every event is a duplicate, nothing is added
    load      `stored_log(conn, customer)`: the customer's whole log from the database into
              the engine's EventLog, through Arrow (target: 10 M events from PostgreSQL ≤ 15 s)

The peer a user would otherwise pick is pandas: `read_parquet` + `DataFrame.to_sql` (its
default, batched executemany through SQLAlchemy) into a table of the same columns with no
keys, and `read_sql` back. It runs on `--peer-events` events (default 1 M), since it is slow.

    .venv/bin/python bench/bench_store.py                       # 1M tickets, both databases
    .venv/bin/python bench/bench_store.py --tickets 100000      # smaller
    .venv/bin/python bench/bench_store.py --backends sqlite     # one database

PostgreSQL: 127.0.0.1:5432, database `test` (or MITTARI_BENCH_POSTGRES_URL); each run uses a
schema of its own, dropped at the end. SQLite: a file in bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import RESULTS, ensure_log, environment

POSTGRES = os.environ.get(
    "MITTARI_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CUSTOMER = "bench"
TARGET_EVENTS_PER_S, TARGET_LOAD_S = 200_000, 15.0
PEER_COLUMNS = ("ticket_id", "ts", "kind", "value", "actor")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_for(url: str) -> Any:
    from mittari.db.connect import make_engine
    from mittari.runtime import tune_process

    tune_process()
    return make_engine(url)


# --- workers (each in its own process) ----------------------------------------------------


def import_worker(url: str, path: Path) -> dict[str, Any]:
    from mittari.services.ingest import store
    from mittari.services.staging import stage_canonical

    engine = engine_for(url)
    t0 = time.perf_counter()
    staged = stage_canonical(path, None, None)
    t1 = time.perf_counter()
    summary = store(engine, staged, customer=CUSTOMER, strict=False)
    t2 = time.perf_counter()
    return {
        "events": len(staged.log),
        "imported": summary.n_imported,
        "duplicates": summary.n_duplicates,
        "stage_s": t1 - t0,
        "store_s": t2 - t1,
        "total_s": t2 - t0,
        "events_per_s": len(staged.log) / (t2 - t0),
        "peak_rss_mb": peak_rss_mb(),
    }


def load_worker(url: str) -> dict[str, Any]:
    from mittari.db import repository as repo
    from mittari.services.stored import stored_log

    engine = engine_for(url)
    with engine.connect() as conn:
        customer = repo.customer_id(conn, CUSTOMER)
        t0 = time.perf_counter()
        log = stored_log(conn, customer or -1)
        seconds = time.perf_counter() - t0
    return {
        "events": len(log),
        "tickets": log.n_tickets,
        "load_s": seconds,
        "events_per_s": len(log) / seconds,
        "peak_rss_mb": peak_rss_mb(),
    }


def peer_worker(url: str, path: Path, n: int) -> dict[str, Any]:
    import pandas as pd
    import pyarrow.parquet as pq

    engine = engine_for(url)
    t0 = time.perf_counter()
    frame = pq.read_table(path, columns=list(PEER_COLUMNS)).slice(0, n).to_pandas()
    t1 = time.perf_counter()
    frame.to_sql("peer_events", engine, if_exists="replace", index=False, chunksize=100_000)
    t2 = time.perf_counter()
    back = pd.read_sql("SELECT ticket_id, ts, kind, value, actor FROM peer_events", engine)
    t3 = time.perf_counter()
    assert len(back) == len(frame)
    return {
        "events": len(frame),
        "read_s": t1 - t0,
        "to_sql_s": t2 - t1,
        "import_events_per_s": len(frame) / (t2 - t0),
        "read_sql_s": t3 - t2,
        "load_events_per_s": len(frame) / (t3 - t2),
        "peak_rss_mb": peak_rss_mb(),
    }


# --- the driver -----------------------------------------------------------------------------


def spawn(args: list[str]) -> dict[str, Any]:
    load = os.getloadavg()[0]
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"worker {args[0]} failed (exit {proc.returncode})")
    report: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    report["load_avg_1min_before"] = load
    return report


def fresh_database(backend: str) -> tuple[str, Any]:
    """A migrated, empty database: (url, a function that drops it)."""
    from sqlalchemy import text

    from mittari.db.connect import make_engine
    from mittari.db.migrate import upgrade

    if backend == "sqlite":
        file = RESULTS / f"store-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{file}"

        def drop() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{file}{suffix}").unlink(missing_ok=True)

    else:
        schema = f"mittari_bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(POSTGRES)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{POSTGRES}?options=-csearch_path%3D{schema}"

        def drop() -> None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url, drop


def run_backend(backend: str, path: Path, peer_events: int) -> dict[str, Any]:
    url, drop = fresh_database(backend)
    try:
        print(f"{backend}: import ...", file=sys.stderr, flush=True)
        first = spawn(["import", url, str(path)])
        print(f"{backend}: reimport ...", file=sys.stderr, flush=True)
        again = spawn(["import", url, str(path)])
        print(f"{backend}: load ...", file=sys.stderr, flush=True)
        loaded = spawn(["load", url])
        print(f"{backend}: pandas peer ...", file=sys.stderr, flush=True)
        peer = spawn(["peer", url, str(path), str(peer_events)]) if peer_events else None
    finally:
        drop()
    return {"import": first, "reimport": again, "load": loaded, "peer": peer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--peer-events", type=int, default=1_000_000)
    parser.add_argument("--regen", action="store_true", help="Write the event log again.")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"events_{args.tickets}.parquet"
    meta = ensure_log(args.tickets, path, args.regen)
    report: dict[str, Any] = {"log": meta, "environment": environment(), "backends": {}}
    for backend in args.backends.split(","):
        report["backends"][backend] = run_backend(backend, path, args.peer_events)
    out = RESULTS / f"store_{args.tickets}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)
    print(f"\nwrote {out}")


def print_report(report: dict[str, Any]) -> None:
    events = report["log"]["events"]
    print(f"\n{events:,} events ({report['log']['tickets']:,} tickets), one customer\n")
    names = ("database", "step", "events", "seconds", "events/s", "peak MB")
    widths = (-11, -22, 11, 8, 11, 8)
    header = " ".join(
        f"{n:<{-w}}" if w < 0 else f"{n:>{w}}" for n, w in zip(names, widths, strict=True)
    )
    print(header)
    print("-" * len(header))
    for backend, steps in report["backends"].items():
        rows = [
            ("mittari import", steps["import"], "total_s"),
            ("  of which stage", steps["import"], "stage_s"),
            ("  of which store", steps["import"], "store_s"),
            ("mittari re-import", steps["reimport"], "total_s"),
            ("mittari load", steps["load"], "load_s"),
        ]
        for name, step, key in rows:
            rate = step["events"] / step[key]
            print(
                f"{backend:<11} {name:<22} {step['events']:>11,} {step[key]:>8.2f} "
                f"{rate:>11,.0f} {step['peak_rss_mb']:>8,.0f}"
            )
        peer = steps["peer"]
        if peer:
            for name, key in (("pandas to_sql", "to_sql_s"), ("pandas read_sql", "read_sql_s")):
                rate = peer["events"] / peer[key]
                print(
                    f"{backend:<11} {name:<22} {peer['events']:>11,} {peer[key]:>8.2f} "
                    f"{rate:>11,.0f} {peer['peak_rss_mb']:>8,.0f}"
                )
    print(
        f"\ntargets: import ≥ {TARGET_EVENTS_PER_S:,} events/s into each database; "
        f"load of 10 M events from PostgreSQL ≤ {TARGET_LOAD_S:.0f} s"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        step, rest = sys.argv[2], sys.argv[3:]
        if step == "import":
            result = import_worker(rest[0], Path(rest[1]))
        elif step == "load":
            result = load_worker(rest[0])
        else:
            result = peer_worker(rest[0], Path(rest[1]), int(rest[2]))
        print(json.dumps(result))
    else:
        main()
