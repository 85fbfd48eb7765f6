"""The whole clock engine at scale: Parquet event log → EventLog → measure → Measurements.

A synthetic canonical event log (fixed seed, vectorised numpy, not timed) of 1,000,000
tickets / about 10,000,000 events is written to Parquet once and reused. Then each run is a
fresh subprocess of this script (`--worker`) that times, stage by stage:

    read     Parquet → EventLog, through the canonical importer (`read_events`) or a
             direct pyarrow → EventLog conversion (no row checks, no problems, no raw rows)
    measure  `measure(log, [first_response, resolution], calendars, as_of)`

and reports its peak RSS (`ru_maxrss`, the whole process). The target: 1M tickets / 10M
events through read + measure in ≤ 10 s and ≤ 4 GB. Finally the slow reference twin
`ref_measure` runs on the first 2,000 tickets, is checked row for row against `measure`,
and its per-event rate is extrapolated to the full log.

    .venv/bin/python bench/bench_engine.py                      # 1M tickets
    .venv/bin/python bench/bench_engine.py --tickets 100000     # smaller
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

US = 1_000_000
SEED = 20250301
RESULTS = Path(__file__).resolve().parent / "results"
AS_OF = datetime(2027, 1, 1, tzinfo=UTC)  # a snapshot: later events are not yet known
FIRST_CREATED = datetime(2025, 1, 1, tzinfo=UTC)
TARGET_SECONDS, TARGET_GB = 10.0, 4.0
VARIANTS = ("importer", "direct")


# --- the synthetic event log --------------------------------------------------------------

# One ticket is a fixed sequence of optional slots; a slot's event happens `gap` seconds after
# the previous present slot. Flattening the present slots row by row gives events already in
# (ticket, ts, input order) order, like a real export.
#   slot: (kind, actor)
SLOTS = (
    ("created", "customer"),  # 0  always
    ("priority", None),  # 1  always, at creation
    ("assign", None),  # 2  always, at creation
    ("reply", "system"),  # 3  auto-acknowledgement (not a response under the contract)
    ("status", "agent"),  # 4  open: an agent picks it up
    ("reply", "agent"),  # 5  first response
    ("note", "agent"),  # 6  internal note (never a response)
    ("priority", None),  # 7  re-prioritised
    ("status", "agent"),  # 8  pending_customer (pause 1)
    ("reply", "customer"),  # 9  the customer answers
    ("status", "agent"),  # 10 open again
    ("status", "agent"),  # 11 pending_customer (pause 2)
    ("reply", "customer"),  # 12
    ("status", "agent"),  # 13 open again
    ("status", "agent"),  # 14 resolved, or cancelled
    ("status", "agent"),  # 15 open: reopened
    ("reply", "agent"),  # 16
    ("status", "agent"),  # 17 resolved again
    ("status", "system"),  # 18 closed by the system after a few days
)
STATUS_OF_SLOT = {4: "open", 8: "pending_customer", 10: "open", 11: "pending_customer"}
STATUS_OF_SLOT |= {13: "open", 15: "open", 17: "resolved", 18: "closed"}
GROUPS = ("Service Desk", "Network", "Workplace", "Identity", "ERP", "Field Service")
VOCAB = (
    None,
    *(f"P{p}" for p in range(1, 6)),
    "open",
    "pending_customer",
    "resolved",
    "cancelled",
    "closed",
    *GROUPS,
)
ACTORS = (None, "agent", "customer", "system")


def _code(word: str | None) -> int:
    return VOCAB.index(word)


def generate(n: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """Columns of the event log as codes: ticket, ts (µs), slot, value code, actor code."""
    rng = np.random.default_rng(seed)
    s = len(SLOTS)
    hours = 3600.0
    # Created: days over 2025-2026, mostly in the Helsinki working day.
    day = rng.integers(0, 730, n)
    daytime = rng.random(n) < 0.7
    second = np.where(
        daytime, rng.integers(5 * 3600, 15 * 3600, n), rng.integers(0, 86_400, n)
    )  # 05-15 UTC is 07/08-17/18 in Helsinki
    t0 = int(FIRST_CREATED.timestamp()) + day * 86_400 + second
    prio = rng.choice([1, 2, 3, 4], n, p=[0.03, 0.17, 0.55, 0.25])
    pi = prio - 1
    present = np.zeros((n, s), dtype=bool)
    gap = np.zeros((n, s), dtype=np.float64)  # seconds after the previous present slot
    present[:, 0:3] = True
    present[:, 3] = rng.random(n) < 0.6
    gap[:, 3] = rng.uniform(2, 30, n)
    present[:, 4] = True
    pickup_mean = np.array([0.2, 1.0, 3.0, 8.0]) * hours
    gap[:, 4] = rng.exponential(pickup_mean[pi])
    present[:, 5] = rng.random(n) < 0.95
    gap[:, 5] = rng.uniform(0, 120, n)
    present[:, 6] = rng.random(n) < 0.6
    gap[:, 6] = rng.exponential(0.5 * hours, n)
    present[:, 7] = rng.random(n) < 0.05
    gap[:, 7] = rng.exponential(1 * hours, n)
    pause1 = rng.random(n) < 0.45
    pause2 = pause1 & (rng.random(n) < 0.4)
    for first, on in ((8, pause1), (11, pause2)):
        present[:, first : first + 3] = on[:, None]
        gap[:, first] = rng.exponential(2 * hours, n)
        gap[:, first + 1] = rng.exponential(20 * hours, n)
        gap[:, first + 2] = rng.exponential(0.5 * hours, n)
    present[:, 14] = True
    work_mean = np.array([3.0, 8.0, 30.0, 60.0]) * hours
    gap[:, 14] = rng.exponential(work_mean[pi])
    cancelled = rng.random(n) < 0.03
    reopened = ~cancelled & (rng.random(n) < 0.08)
    present[:, 15:18] = reopened[:, None]
    gap[:, 15] = rng.exponential(24 * hours, n)
    gap[:, 16] = rng.exponential(1 * hours, n)
    gap[:, 17] = rng.exponential(24 * hours, n)
    present[:, 18] = ~cancelled & (rng.random(n) < 0.7)
    gap[:, 18] = 5 * 86_400
    gap[~present] = 0
    ts = t0[:, None] * US + np.cumsum(np.rint(gap * US).astype(np.int64), axis=1)
    value = np.zeros((n, s), dtype=np.int8)
    value[:, 1] = prio  # "P1".."P4" are VOCAB codes 1..4
    value[:, 2] = _code(GROUPS[0]) + rng.integers(0, len(GROUPS), n)
    value[:, 7] = rng.integers(1, 5, n)
    for slot, status in STATUS_OF_SLOT.items():
        value[:, slot] = _code(status)
    value[:, 14] = np.where(cancelled, _code("cancelled"), _code("resolved"))
    actor = np.array([ACTORS.index(a) for _, a in SLOTS], dtype=np.int8)
    rows, slots = np.nonzero(present)
    return {
        "ticket": rows.astype(np.int64),
        "ts": ts[rows, slots],
        "slot": slots.astype(np.int8),
        "value": value[rows, slots],
        "actor": actor[slots],
    }


def write_parquet(cols: dict[str, np.ndarray], n_tickets: int, path: Path) -> None:
    """The canonical columns: ticket_id, ts (timestamp[us, UTC]), kind, value, actor."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = pa.array([f"INC-{i:07d}" for i in range(n_tickets)], pa.string())
    kinds = pa.array([k for k, _ in SLOTS], pa.string())
    table = pa.table(
        {
            "ticket_id": ids.take(pa.array(cols["ticket"])),
            "ts": pa.array(cols["ts"], pa.timestamp("us", tz="UTC")),
            "kind": kinds.take(pa.array(cols["slot"])),
            "value": pa.array(VOCAB, pa.string()).take(pa.array(cols["value"])),
            "actor": pa.array(ACTORS, pa.string()).take(pa.array(cols["actor"])),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)


# --- the contract: two metrics, two calendars ---------------------------------------------


@cache
def fi_holidays() -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("FI", years=range(2024, 2029)))


def calendar_specs() -> dict[str, Any]:
    from mittari.engine.types import CalendarSpec

    days = fi_holidays()
    return {
        "24x7": CalendarSpec("24x7", "UTC", always_open=True),
        "office": CalendarSpec(
            "office",
            "Europe/Helsinki",
            weekly=(((8 * 60, 16 * 60),),) * 5 + ((), ()),
            holidays=lambda year: frozenset(d for d in days if d.year == year),
        ),
    }


def metrics() -> tuple[Any, ...]:
    from mittari.engine.types import (
        Actor,
        Condition,
        MetricPolicy,
        PriorityRule,
        ReopenPolicy,
        Status,
        Target,
        Trigger,
    )

    h = 3600
    stops = (
        Condition(Trigger.STATUS, int(Status.RESOLVED)),
        Condition(Trigger.STATUS, int(Status.CLOSED)),
    )
    first_response = MetricPolicy(
        name="first_response",
        start=(Condition(Trigger.CREATED),),
        stop=(Condition(Trigger.REPLY, int(Actor.AGENT)), *stops),
        pause_statuses=frozenset(),
        reopen=ReopenPolicy.IGNORE,
        priority_rule=PriorityRule.CURRENT,
        targets={
            1: Target(30 * 60, "24x7"),
            2: Target(2 * h, "office"),
            3: Target(4 * h, "office"),
            4: Target(8 * h, "office"),
        },
        objective_pct=95.0,
        default_priority=3,
    )
    resolution = MetricPolicy(
        name="resolution",
        start=(Condition(Trigger.CREATED),),
        stop=stops,
        pause_statuses=frozenset({int(Status.PENDING_CUSTOMER), int(Status.PENDING_VENDOR)}),
        reopen=ReopenPolicy.RESUME,
        priority_rule=PriorityRule.CURRENT,
        targets={
            1: Target(4 * h, "24x7"),
            2: Target(8 * h, "office"),
            3: Target(24 * h, "office"),
            4: Target(40 * h, "office"),
        },
        objective_pct=90.0,
        default_priority=3,
    )
    return first_response, resolution


def as_of_us() -> int:
    return int(AS_OF.timestamp()) * US


# --- Parquet → EventLog -------------------------------------------------------------------


def read_importer(path: Path) -> tuple[Any, dict[str, Any]]:
    from mittari.importers.canonical.parser import read_events

    result = read_events(path)
    return result.log, {"problems": len(result.problems), "skipped_rows": result.n_skipped}


PRIORITY_WORDS = ["P1", "P2", "P3", "P4", "P5", "1", "2", "3", "4", "5"]


def _dictionary_and_indices(column: Any) -> tuple[Any, np.ndarray]:
    """A unified dictionary column's dictionary and each row's index (len(dictionary) for
    null)."""
    import pyarrow as pa

    chunks = column.chunks
    dictionary = chunks[0].dictionary if chunks else pa.array([], pa.string())
    null = len(dictionary)
    parts = [c.indices.fill_null(null).to_numpy() for c in chunks]
    return dictionary, np.concatenate(parts).astype(np.int64, copy=False)


def _codes(column: Any, words: list[str]) -> np.ndarray:
    """The position of each row's word in `words`, -1 for another word or null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dictionary, idx = _dictionary_and_indices(column)
    lut = pc.index_in(dictionary, value_set=pa.array(words, pa.string())).fill_null(-1)
    return np.append(lut.to_numpy(), -1).astype(np.int64)[idx]


def read_direct(path: Path) -> tuple[Any, dict[str, Any]]:
    """Parquet → EventLog in a few Arrow/numpy passes, trusting the data (no row checks).

    String columns are read dictionary-encoded (no per-row strings), words become codes
    through a lookup on each small dictionary, and the (ticket, ts) sort is skipped when the
    rows are already in that order (the check is the one EventLog itself makes).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mittari.engine.errors import EngineError
    from mittari.engine.types import ACTOR_NAMES, KIND_NAMES, NO_VALUE, STATUS_NAMES, EventLog, Kind

    columns = ["ticket_id", "kind", "value", "actor"]
    table = pq.read_table(path, read_dictionary=columns).unify_dictionaries()

    ticket_names, ticket = _dictionary_and_indices(table.column("ticket_id"))
    kind = _codes(table.column("kind"), list(KIND_NAMES))
    status = _codes(table.column("value"), list(STATUS_NAMES))
    priority = _codes(table.column("value"), PRIORITY_WORDS) % 5 + 1
    value_names, value_idx = _dictionary_and_indices(table.column("value"))
    value = np.full(len(kind), NO_VALUE, dtype=np.int64)
    np.copyto(value, status, where=kind == Kind.STATUS)
    np.copyto(value, priority, where=kind == Kind.PRIORITY)
    labelled = (kind == Kind.ASSIGN) | (kind == Kind.CATEGORY)
    np.copyto(value, value_idx, where=labelled)  # strings = the value dictionary itself
    is_actor = (kind == Kind.REPLY) | (kind == Kind.NOTE)
    actor = np.where(is_actor, _codes(table.column("actor"), list(ACTOR_NAMES)), NO_VALUE)
    ts = np.concatenate([c.cast(pa.int64()).to_numpy() for c in table.column("ts").chunks])
    del table
    args = (ticket, ts, kind.astype(np.int8), value, actor.astype(np.int8))
    names = (tuple(ticket_names.to_pylist()), tuple(value_names.to_pylist()))
    try:
        return EventLog(*args, *names), {"sorted_on_read": True}  # already in order: no sort
    except EngineError:
        return EventLog.from_unsorted(*args, *names), {"sorted_on_read": False}


# --- workers (fresh processes) ------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def digest(m: Any) -> dict[str, Any]:
    """A few sums of the measurements, to see that two runs computed the same thing."""
    states = np.bincount(m.state.astype(np.int64), minlength=5)
    from mittari.engine.types import STATE_NAMES

    return {
        "rows": len(m),
        "states": dict(zip(STATE_NAMES, states.tolist(), strict=True)),
        "sum_elapsed_s": int(m.elapsed_us.sum() // US),
        "sum_due_at_mod": int((m.due_at % 1_000_003).sum()),
    }


def _usage() -> tuple[float, float, float, int]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), r.ru_utime, r.ru_stime, r.ru_minflt


def _stage(before: tuple[float, float, float, int]) -> dict[str, float]:
    """Wall, user and system CPU seconds and minor page faults since `before`."""
    after = _usage()
    wall, user, system, faults = (x - y for x, y in zip(after, before, strict=True))
    return {"wall_s": wall, "user_s": user, "sys_s": system, "minor_faults": faults}


def pipeline_worker(variant: str, path: Path) -> dict[str, Any]:
    from mittari.runtime import tune_process

    tune_process()  # as the `mittari` command does at start
    t_start = _usage()
    from mittari.engine.calendar import BusinessCalendar
    from mittari.engine.clock import measure

    if variant == "importer":  # its imports (pyarrow, and mittari.spec with pydantic) too
        import mittari.importers.canonical.parser  # noqa: F401
    else:
        import pyarrow.compute
        import pyarrow.parquet  # noqa: F401
    imports = _stage(t_start)
    reader = read_importer if variant == "importer" else read_direct
    t0 = _usage()
    log, info = reader(path)
    read = _stage(t0)
    rss_read = peak_rss_mb()
    events, tickets = len(log), log.n_tickets
    specs, ms = calendar_specs(), metrics()
    t0 = _usage()
    calendars = {name: BusinessCalendar(spec) for name, spec in specs.items()}
    m = measure(log, ms, calendars, as_of_us())
    meas = _stage(t0)
    peak = peak_rss_mb()
    result = digest(m)
    # The same again in the same process: memory pages the OS has already handed over are
    # reused, so this shows the compute without first-touch page-fault costs.
    del m
    t0 = _usage()
    calendars = {name: BusinessCalendar(spec) for name, spec in specs.items()}
    measure(log, ms, calendars, as_of_us())
    meas_warm = _stage(t0)
    del log
    t0 = _usage()
    reader(path)
    read_warm = _stage(t0)
    return {
        "variant": variant,
        "events": events,
        "tickets": tickets,
        "import_s": imports["wall_s"],
        "read_s": read["wall_s"],
        "measure_s": meas["wall_s"],
        "total_s": read["wall_s"] + meas["wall_s"],
        "read_warm_s": read_warm["wall_s"],
        "measure_warm_s": meas_warm["wall_s"],
        "stages": {
            "read": read,
            "measure": meas,
            "read_warm": read_warm,
            "measure_warm": meas_warm,
        },
        "rss_after_read_mb": rss_read,
        "peak_rss_mb": peak,
        "peak_rss_with_warm_mb": peak_rss_mb(),
        "digest": result,
        **info,
    }


def subset(log: Any, k: int) -> Any:
    """The first k tickets (by index) as a log of their own."""
    from mittari.engine.types import EventLog

    rows = log.ticket < k
    return EventLog(
        log.ticket[rows],
        log.ts[rows],
        log.kind[rows],
        log.value[rows],
        log.actor[rows],
        log.ticket_ids[:k],
        log.strings,
    )


def reference_worker(path: Path, k: int) -> dict[str, Any]:
    try:
        from mittari.engine.reference import ref_measure
    except ImportError as exc:
        return {"skipped": f"mittari.engine.reference.ref_measure is not available ({exc})"}
    from mittari.engine.calendar import BusinessCalendar
    from mittari.engine.clock import measure
    from mittari.engine.types import NULL_TS

    log = subset(read_direct(path)[0], k)
    specs, ms, as_of = calendar_specs(), metrics(), as_of_us()
    t0 = time.perf_counter()
    ref_rows = ref_measure(log, ms, specs, as_of)
    ref_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    m = measure(log, ms, {n: BusinessCalendar(s) for n, s in specs.items()}, as_of)
    engine_s = time.perf_counter() - t0
    fields = [f for f in ref_rows[0] if f != "state"] if ref_rows else []
    mismatches = 0 if len(ref_rows) == len(m) else abs(len(ref_rows) - len(m))
    for i, row in enumerate(ref_rows[: len(m)]):
        for f in fields:
            got = int(getattr(m, f)[i])
            want = row[f]
            if (NULL_TS if want is None else want) != got:
                mismatches += 1
                break
        else:
            mismatches += int(row["state"]) != int(m.state[i])
    return {
        "tickets": k,
        "events": len(log),
        "rows_reference": len(ref_rows),
        "rows_engine": len(m),
        "rows_differing": mismatches,
        "reference_s": ref_s,
        "engine_s_same_subset": engine_s,
        "reference_events_per_s": len(log) / ref_s,
    }


def spawn(args: list[str]) -> dict[str, Any]:
    load = os.getloadavg()[0]  # other work on the machine skews times: recorded
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"worker {args} failed (exit {proc.returncode})")
    report: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    report["process_wall_s"] = wall
    report["load_avg_1min_before"] = load
    return report


# --- the driver ---------------------------------------------------------------------------


def ensure_log(n: int, path: Path, regen: bool) -> dict[str, Any]:
    meta_path = path.with_suffix(".json")
    meta = {"tickets": n, "seed": SEED, "generator": 1}
    if not regen and path.exists() and meta_path.exists():
        old = json.loads(meta_path.read_text())
        if {k: old.get(k) for k in meta} == meta:
            return old
    print(f"generating {n:,} tickets → {path} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    cols = generate(n)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_parquet(cols, n, path)
    meta |= {
        "events": len(cols["ticket"]),
        "generate_s": gen_s,
        "write_s": time.perf_counter() - t0,
        "bytes": path.stat().st_size,
        "events_after_as_of": int((cols["ts"] > as_of_us()).sum()),
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def median_report(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("import_s", "read_s", "measure_s", "total_s", "process_wall_s")
    keys += ("read_warm_s", "measure_warm_s")
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    out["rss_after_read_mb"] = max(r["rss_after_read_mb"] for r in runs)
    out |= {k: runs[0][k] for k in ("variant", "events", "tickets", "digest")}
    out["runs"] = runs
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per variant")
    parser.add_argument("--ref-tickets", type=int, default=2_000)
    parser.add_argument("--log", type=Path, help="Parquet file (default bench/results/...)")
    parser.add_argument("--regen", action="store_true", help="regenerate the event log")
    parser.add_argument("--json", type=Path, default=RESULTS / "engine.json")
    args = parser.parse_args()
    path = args.log or RESULTS / f"events-{args.tickets}.parquet"
    meta = ensure_log(args.tickets, path, args.regen)
    print(
        f"event log: {meta['tickets']:,} tickets, {meta['events']:,} events, "
        f"{meta['bytes'] / 2**20:.0f} MiB Parquet ({path}); generated in "
        f"{meta['generate_s']:.1f} s + written in {meta['write_s']:.1f} s (not timed)",
        file=sys.stderr,
    )
    results: dict[str, Any] = {}
    for variant in VARIANTS:
        runs = []
        for i in range(args.repeats):
            print(
                f"  {variant} run {i + 1}/{args.repeats} ...", end="", file=sys.stderr, flush=True
            )
            runs.append(spawn(["pipeline", variant, str(path)]))
            print(f" {runs[-1]['total_s']:.2f} s", file=sys.stderr)
        results[variant] = median_report(runs)
    same = results["importer"]["digest"] == results["direct"]["digest"]
    print(f"  reference twin on {args.ref_tickets:,} tickets ...", file=sys.stderr, flush=True)
    ref = spawn(["reference", str(path), str(args.ref_tickets)])
    print_report(meta, results, same, ref)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "bench": "engine",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "log": {**meta, "path": str(path), "as_of": AS_OF.isoformat()},
        "target": {"seconds": TARGET_SECONDS, "gb": TARGET_GB},
        "pipeline": results,
        "importer_and_direct_agree": same,
        "reference": ref,
    }
    args.json.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nJSON: {args.json}")


def print_report(
    meta: dict[str, Any], results: dict[str, Any], same: bool, ref: dict[str, Any]
) -> None:
    full = meta["tickets"] >= 1_000_000 and meta["events"] >= 10_000_000
    print()
    head = f"{'read path':<10} {'read s':>8} {'measure s':>10} {'total s':>8} {'events/s':>12}"
    head += f" {'peak RSS MB':>12} {'imports s':>10}  target: 10M events in ≤ 10 s, ≤ 4 GB"
    print(head)
    print("-" * len(head))
    for variant, r in results.items():
        rate = r["events"] / r["total_s"]
        ok = r["total_s"] <= TARGET_SECONDS and r["peak_rss_mb"] <= TARGET_GB * 1024
        verdict = ("MET" if ok else "NOT MET") if full else "n/a (log smaller than 10M)"
        line = f"{variant:<10} {r['read_s']:>8.2f} {r['measure_s']:>10.2f} {r['total_s']:>8.2f}"
        line += f" {rate:>12,.0f} {r['peak_rss_mb']:>12,.0f} {r['import_s']:>10.2f}  {verdict}"
        print(line)
    print(
        "\nCPU time and page faults of the timed (fresh-process) pass, and the same stage run"
        "\nagain in the same process (a warm second pass; not part of the target):"
    )
    head = f"{'read path':<10} {'stage':<8} {'wall s':>8} {'user s':>8} {'sys s':>8}"
    head += f" {'minor faults':>13} {'2nd pass s':>11}"
    print(head)
    print("-" * len(head))
    for variant, r in results.items():
        for stage in ("read", "measure"):
            st = r["runs"][0]["stages"][stage]
            line = f"{variant:<10} {stage:<8} {r[stage + '_s']:>8.2f} {st['user_s']:>8.2f}"
            line += f" {st['sys_s']:>8.2f} {st['minor_faults']:>13,} {r[stage + '_warm_s']:>11.2f}"
            print(line)
    r = results["direct"]
    print(
        f"\n{r['events']:,} events, {r['tickets']:,} tickets, {r['digest']['rows']:,} measurement "
        f"rows {r['digest']['states']}; medians of {len(r['runs'])} fresh processes each; "
        f"measure alone: {r['events'] / r['measure_s']:,.0f} events/s (2nd pass "
        f"{r['events'] / r['measure_warm_s']:,.0f} events/s)"
    )
    print(f"importer and direct conversion give the same measurements: {same}")
    if "skipped" in ref:
        print(f"\nreference twin: skipped — {ref['skipped']}")
        return
    engine_rate = results["direct"]["events"] / results["direct"]["measure_s"]
    speedup = engine_rate / ref["reference_events_per_s"]
    full = meta["events"] / ref["reference_events_per_s"]
    print(
        f"\nreference twin ref_measure on {ref['tickets']:,} tickets ({ref['events']:,} events): "
        f"{ref['reference_s']:.2f} s = {ref['reference_events_per_s']:,.0f} events/s "
        f"(engine on the same subset: {ref['engine_s_same_subset']:.3f} s); "
        f"rows differing: {ref['rows_differing']} of {ref['rows_reference']:,}"
    )
    print(
        f"extrapolated to {meta['events']:,} events: {full / 3600:.1f} h; the engine's measure "
        f"is {speedup:,.0f}x faster per event"
    )


def environment() -> dict[str, Any]:
    import pyarrow

    import mittari.engine.calendar as mc

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "processor": cpu,
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "pyarrow": pyarrow.__version__,
        "c_kernel_built": mc._kernel is not None,
    }


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        if sys.argv[2] == "pipeline":
            report = pipeline_worker(sys.argv[3], Path(sys.argv[4]))
        else:
            report = reference_worker(Path(sys.argv[3]), int(sys.argv[4]))
        print(json.dumps(report))
    else:
        main()
