"""Business time, forward and inverse, on one realistic calendar: mittari against its peers.

Calendar: office hours Mon-Fri 08:00-16:00 Europe/Helsinki, closed on Finnish public
holidays (the `holidays` package, FI). Data (fixed seed): start instants in whole seconds
spread over 2025-2026, durations 0-20 days (forward: business time in [a, a + d)),
budgets 0-80 business hours (inverse: the instant the budget runs out).

Every implementation runs in a fresh subprocess of this script (`--worker`), so that its
peak RSS is its own. Inputs are built before the timed region; each timed region is one
call over the whole batch (mittari, workclock) or a loop over the pairs (businesstimedelta,
which has no batch API). Times are medians over repeats after one untimed warm-up call.

    .venv/bin/python bench/bench_calendar.py            # the full run (a few minutes)
    .venv/bin/python bench/bench_calendar.py --quick    # small sizes, a smoke test
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
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

US = 1_000_000
SEED = 20250101
ZONE = "Europe/Helsinki"
OPEN_MIN, CLOSE_MIN = 8 * 60, 16 * 60
FIRST_START = datetime(2025, 1, 1, tzinfo=UTC)
LAST_START = datetime(2027, 1, 1, tzinfo=UTC)  # exclusive
MAX_DURATION_S = 20 * 86_400
MAX_BUDGET_S = 80 * 3_600
HOLIDAY_YEARS = range(2024, 2029)  # covers every start, end and due instant with a margin
RESULTS = Path(__file__).resolve().parent / "results" / "calendar.json"

IMPLS = ("mittari-c", "mittari-numpy", "workclock", "workclock-core", "businesstimedelta")
LABELS = {
    "mittari-c": "mittari (C kernel)",
    "mittari-numpy": "mittari (numpy path)",
    "workclock": "workclock (numpy API)",
    "workclock-core": "workclock (Rust core, lists prebuilt)",
    "businesstimedelta": "businesstimedelta (per pair)",
}
OPS = ("forward", "inverse")


# --- the data (identical prefixes for every n) ------------------------------------------


def make_inputs(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts a, ends b = a + duration, budgets; int64 µs. One generator per column, so
    the first k values are the same whatever n is (every worker sees the same prefix)."""
    lo = int(FIRST_START.timestamp())
    hi = int(LAST_START.timestamp())
    a = np.random.default_rng([SEED, 0]).integers(lo, hi, n, dtype=np.int64)
    b = np.random.default_rng([SEED, 1]).integers(0, MAX_DURATION_S + 1, n, dtype=np.int64)
    budget = np.random.default_rng([SEED, 2]).integers(0, MAX_BUDGET_S + 1, n, dtype=np.int64)
    a *= US  # in place, so that no temporaries inflate the worker's peak RSS
    b *= US
    b += a
    budget *= US
    return a, b, budget


@cache
def fi_holidays() -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("FI", years=HOLIDAY_YEARS))


def _to_dt(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def _to_us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


# --- one implementation per factory: setup (untimed) returns the timed callable ----------


Runner = Callable[[], np.ndarray]


def mittari_runner(op: str, a: np.ndarray, b: np.ndarray, budget: np.ndarray, c: bool) -> Runner:
    import mittari.engine.calendar as mc
    from mittari.engine.types import CalendarSpec

    if not c:
        mc._kernel = None
    elif mc._kernel is None:
        raise SystemExit("the C kernel _calkernel is not built: build it (pip install -e .)")
    days = fi_holidays()
    spec = CalendarSpec(
        name="fi-office",
        timezone=ZONE,
        weekly=(((OPEN_MIN, CLOSE_MIN),),) * 5 + ((), ()),
        holidays=lambda year: frozenset(d for d in days if d.year == year),
    )
    cal = mc.BusinessCalendar(spec)
    if op == "forward":
        return lambda: cal.business(a, b)
    return lambda: cal.due(a, budget)


def workclock_schedule() -> Any:
    from workclock import Holidays, Schedule, WorkDay

    return Schedule(
        [WorkDay(dtime(8), dtime(16), days=range(5)), Holidays(fi_holidays())], time_zone=ZONE
    )


def workclock_runner(op: str, a: np.ndarray, b: np.ndarray, budget: np.ndarray) -> Runner:
    schedule = workclock_schedule()
    a64, b64 = a.view("datetime64[us]"), b.view("datetime64[us]")  # zero-copy views
    if op == "forward":
        return lambda: schedule.between_many(a64, b64).view(np.int64)
    bud64 = budget.view("timedelta64[us]")
    return lambda: schedule.add_many(a64, bud64).view(np.int64)


def workclock_core_runner(op: str, a: np.ndarray, b: np.ndarray, budget: np.ndarray) -> Runner:
    """The Rust extension called directly with Python int lists built before timing: what
    workclock costs without its numpy boundary (a private attribute; for the record only)."""
    core = workclock_schedule()._schedule
    la = a.tolist()
    other = b.tolist() if op == "forward" else budget.tolist()
    call = core.between_many if op == "forward" else core.add_many
    return lambda: call(la, other)


def btd_runner(op: str, a: np.ndarray, b: np.ndarray, budget: np.ndarray) -> Runner:
    import businesstimedelta as btd
    import pytz

    tz = pytz.timezone(ZONE)
    rule = btd.Rules(
        [
            btd.WorkDayRule(dtime(8), dtime(16), [0, 1, 2, 3, 4], tz=tz),
            btd.HolidayRule(fi_holidays(), tz=tz),
        ]
    )
    starts = [_to_dt(x) for x in a.tolist()]
    if op == "forward":
        ends = [_to_dt(x) for x in b.tolist()]
        return lambda: [rule.difference(s, e).timedelta for s, e in zip(starts, ends, strict=True)]
    deltas = [btd.BusinessTimeDelta(rule, seconds=x // US) for x in budget.tolist()]
    return lambda: [s + d for s, d in zip(starts, deltas, strict=True)]


def as_us_array(out: Any) -> np.ndarray:
    """Any implementation's answer as int64 µs (outside the timed region)."""
    if isinstance(out, np.ndarray):
        return out.astype(np.int64, copy=False)
    if out and isinstance(out[0], timedelta):
        return np.array([x // timedelta(microseconds=1) for x in out], dtype=np.int64)
    if out and isinstance(out[0], datetime):
        return np.array([_to_us(x) for x in out], dtype=np.int64)
    return np.asarray(out, dtype=np.int64)


def build_runner(impl: str, op: str, n: int) -> Runner:
    a, b, budget = make_inputs(n)
    if impl in ("mittari-c", "mittari-numpy"):
        return mittari_runner(op, a, b, budget, c=impl == "mittari-c")
    if impl == "workclock":
        return workclock_runner(op, a, b, budget)
    if impl == "workclock-core":
        return workclock_core_runner(op, a, b, budget)
    if impl == "businesstimedelta":
        return btd_runner(op, a, b, budget)
    raise SystemExit(f"unknown implementation {impl!r}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def worker(impl: str, op: str, n: int, repeats: int, keep: int, out_file: str) -> None:
    """Runs in its own process: setup, one warm-up, `repeats` timed calls; JSON on stdout."""
    t0 = time.perf_counter()
    run = build_runner(impl, op, n)
    setup_s = time.perf_counter() - t0
    rss_inputs = peak_rss_mb()
    warmup_s = None
    if impl != "businesstimedelta":  # pure Python: nothing to compile or fault in; no warm-up
        t0 = time.perf_counter()
        run()  # warm-up: compiles calendars, faults pages in; not counted
        warmup_s = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        out = None  # free the previous answer before the next call
        t0 = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - t0)
    peak = peak_rss_mb()
    np.save(out_file, as_us_array(out[:keep]))
    report = {
        "impl": impl,
        "op": op,
        "n": n,
        "repeats": repeats,
        "times_s": times,
        "median_s": statistics.median(times),
        "warmup_s": warmup_s,
        "setup_s": setup_s,
        "rss_after_setup_mb": rss_inputs,
        "peak_rss_mb": peak,
    }
    print(json.dumps(report))


# --- the driver ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    impl: str
    n: int
    repeats: int


def run_worker(plan: Plan, op: str, keep: int, tmp: Path) -> tuple[dict[str, Any], np.ndarray]:
    out_file = tmp / f"{plan.impl}-{op}.npy"
    args = [sys.executable, __file__, "--worker", plan.impl, op, str(plan.n)]
    args += [str(plan.repeats), str(keep), str(out_file)]
    label = f"  {LABELS[plan.impl]:<38} {op:<8} n={plan.n:>11,} ..."
    print(label, end="", flush=True, file=sys.stderr)
    load = os.getloadavg()[0]  # other work on the machine skews times: recorded
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"worker {plan.impl} {op} failed (exit {proc.returncode})")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["load_avg_1min_before"] = load
    print(f" median {report['median_s']:.3f} s", file=sys.stderr)
    return report, np.load(out_file)


def explain(op: str, ref: np.ndarray, got: np.ndarray, keep: int) -> list[str]:
    """A few mismatching pairs in local time, to see whose semantics differ."""
    from zoneinfo import ZoneInfo

    a, b, budget = make_inputs(keep)
    zone = ZoneInfo(ZONE)
    lines = []
    for i in np.flatnonzero(ref != got)[:5]:
        start = _to_dt(int(a[i])).astimezone(zone).isoformat()
        arg = (
            _to_dt(int(b[i])).astimezone(zone).isoformat()
            if op == "forward"
            else f"budget {int(budget[i]) / US / 3600:.4f} h"
        )
        if op == "forward":
            lines.append(f"#{i}: {start} → {arg}: mittari {ref[i] / US} s, peer {got[i] / US} s")
        else:
            r, g = (_to_dt(int(x)).astimezone(zone).isoformat() for x in (ref[i], got[i]))
            lines.append(f"#{i}: {start} + {arg}: mittari {r}, peer {g}")
    return lines


def print_table(rows: list[dict[str, Any]]) -> None:
    head = f"{'implementation':<38} {'operation':<9} {'n':>11} {'median s':>10}"
    head += f" {'M intervals/s':>14} {'peak RSS MB':>12} {'before calls':>13} {'vs C kernel':>12}"
    print(head)
    print("-" * len(head))
    for r in rows:
        line = f"{LABELS[r['impl']]:<38} {r['op']:<9} {r['n']:>11,} {r['median_s']:>10.4f}"
        line += f" {r['m_per_s']:>14.3f} {r['peak_rss_mb']:>12.0f} {r['rss_after_setup_mb']:>13.0f}"
        line += f" {r['slowdown']:>11.0f}x"
        print(line)


def environment() -> dict[str, Any]:
    import holidays
    import workclock

    import mittari.engine.calendar as mc

    versions = {"numpy": np.__version__, "workclock": workclock.__version__}
    versions["holidays"] = holidays.__version__
    try:
        from importlib.metadata import version

        versions["businesstimedelta"] = version("businesstimedelta")
    except Exception:  # pragma: no cover - metadata missing
        versions["businesstimedelta"] = "?"
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": _cpu_name(),
        "cpus": os.cpu_count(),
        "c_kernel_built": mc._kernel is not None,
        "versions": versions,
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000_000, help="pairs for mittari")
    parser.add_argument("--workclock-pairs", type=int, default=1_000_000)
    parser.add_argument("--btd-pairs", type=int, default=20_000)
    parser.add_argument("--check", type=int, default=20_000, help="pairs cross-checked")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats (mittari)")
    parser.add_argument("--peer-repeats", type=int, default=3, help="timed repeats (peers)")
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke test")
    parser.add_argument("--no-btd", action="store_true", help="skip businesstimedelta")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.pairs, args.workclock_pairs, args.btd_pairs, args.check = 200_000, 50_000, 1_000, 1_000
        args.repeats, args.peer_repeats = 3, 2
    plans = [
        Plan("mittari-c", args.pairs, args.repeats),
        Plan("mittari-numpy", args.pairs, args.repeats),
        Plan("workclock", args.workclock_pairs, args.peer_repeats),
        Plan("workclock-core", args.workclock_pairs, args.peer_repeats),
    ]
    if not args.no_btd:
        plans.append(Plan("businesstimedelta", args.btd_pairs, args.peer_repeats))
    keep = min(args.check, *(p.n for p in plans))
    env = environment()
    print(
        f"Calendar: Mon-Fri 08:00-16:00 {ZONE}, {len(fi_holidays())} FI holidays "
        f"{HOLIDAY_YEARS.start}-{HOLIDAY_YEARS.stop - 1}; starts 2025-2026, durations 0-20 d, "
        f"budgets 0-80 h; seed {SEED}; {env['processor']}, {env['cpus']} CPUs",
        file=sys.stderr,
    )
    rows: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="mittari-bench-") as tmp:
        for op in OPS:
            outputs: dict[str, np.ndarray] = {}
            for plan in plans:
                report, outputs[plan.impl] = run_worker(plan, op, keep, Path(tmp))
                rows.append(report)
            ref = outputs["mittari-c"][:keep]
            for impl, got in outputs.items():
                if impl == "mittari-c":
                    continue
                bad = int((got[:keep] != ref).sum())
                check = {"impl": impl, "op": op, "compared": keep, "mismatches": bad}
                if bad:
                    check["examples"] = explain(op, ref, got[:keep], keep)
                checks.append(check)
    base = {r["op"]: r["n"] / r["median_s"] for r in rows if r["impl"] == "mittari-c"}
    for r in rows:
        r["m_per_s"] = r["n"] / r["median_s"] / 1e6
        r["slowdown"] = base[r["op"]] / (r["n"] / r["median_s"])
    rows.sort(key=lambda r: (OPS.index(r["op"]), IMPLS.index(r["impl"])))
    print()
    print_table(rows)
    print()
    print(f"Cross-check against mittari (C kernel) on the first {keep:,} pairs of each op:")
    for c in checks:
        status = "identical" if c["mismatches"] == 0 else f"{c['mismatches']:,} MISMATCHES"
        print(f"  {LABELS[c['impl']]:<38} {c['op']:<8} {status}")
        for line in c.get("examples", []):
            print(f"      {line}")
    result = {
        "bench": "calendar",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "calendar": {
            "timezone": ZONE,
            "hours": "Mon-Fri 08:00-16:00",
            "holidays": "holidays.country_holidays('FI')",
            "holiday_years": [HOLIDAY_YEARS.start, HOLIDAY_YEARS.stop - 1],
        },
        "data": {
            "seed": SEED,
            "starts": "uniform whole seconds in [2025-01-01, 2027-01-01) UTC",
            "durations": "uniform whole seconds in [0, 20 days]",
            "budgets": "uniform whole seconds in [0, 80 h]",
        },
        "environment": env,
        "results": rows,
        "cross_check": checks,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        impl, op, n, repeats, keep, out_file = sys.argv[2:8]
        worker(impl, op, int(n), int(repeats), int(keep), out_file)
    else:
        main()
