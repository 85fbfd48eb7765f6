"""The service under load, on PostgreSQL: the at-risk feed and webhook ingestion.

1. Seed: three customers (the demo contracts) with 100,000 open tickets created over the last
   three days (priorities P1–P4, some paused waiting for the customer), imported through the
   canonical importer, then every ticket's clocks computed (`live.recompute`).
2. Serve: `mittari serve --workers 2` in its own process (the notifier off).
3. Feed: an open-loop load generator in a second process sends `GET .../at-risk?limit=50`
   at a fixed 200 requests/s for 30 s (rotating customers, provider and viewer tokens) and
   measures each latency from the instant the request was *due*, so a slow server cannot
   hide its queueing (no coordinated omission). Target: p99 ≤ 50 ms.
4. Webhooks: 50 concurrent senders post signed `jira:issue_created` bodies for new tickets
   as fast as the server takes them; afterwards the receipts and events in the database are
   counted and compared with the 202s. Target: ≥ 300 events/s, none lost.

    .venv/bin/python bench/bench_api.py [--tickets 100000] [--rate 200] [--seconds 30]

PostgreSQL: 127.0.0.1:5432, database `test` (or MITTARI_BENCH_POSTGRES_URL), a schema per
run, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
POSTGRES = os.environ.get(
    "MITTARI_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CUSTOMERS = ("kalliokone", "revontuli", "saaristo")
CONTRACTS = ROOT / "src/mittari/services/demo_contracts"
SAMPLE = ROOT / "src/mittari/importers/jira/samples/test__webhook__issue_created.json"


# --- seeding ------------------------------------------------------------------------------


def write_open_log(n: int, folder: Path, seed: int = 42) -> list[tuple[str, Path, Path]]:
    """Per customer: events.csv and tickets.csv of its share of `n` open tickets."""
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    out = []
    for c, customer in enumerate(CUSTOMERS):
        count = n // len(CUSTOMERS) + (1 if c < n % len(CUSTOMERS) else 0)
        ago = rng.integers(60, 3 * 86400, count)
        priority = rng.integers(1, 5, count)
        paused = rng.random(count) < 0.15
        lines, tickets = ["ticket_id,ts,kind,value,actor"], ["ticket_id,customer,service,subject"]
        for i in range(count):
            tid = f"{customer[:3].upper()}-{i}"
            created = now - timedelta(seconds=int(ago[i]))
            ts = created.isoformat()
            lines += [f"{tid},{ts},created,,customer", f"{tid},{ts},priority,P{priority[i]},"]
            if paused[i]:
                later = (created + timedelta(seconds=int(ago[i]) // 2)).isoformat()
                lines += [
                    f"{tid},{later},reply,,agent",
                    f"{tid},{later},status,pending_customer,agent",
                ]
            tickets.append(f"{tid},{customer},Email,Bench ticket {i}")
        events, table = folder / f"{customer}-events.csv", folder / f"{customer}-tickets.csv"
        events.write_text("\n".join(lines) + "\n")
        table.write_text("\n".join(tickets) + "\n")
        out.append((customer, events, table))
    return out


def seed(url: str, n: int, folder: Path) -> dict[str, Any]:
    from mittari.db import repository as repo
    from mittari.db.connect import make_engine
    from mittari.db.migrate import upgrade
    from mittari.services.ingest import import_source
    from mittari.services.live import recompute
    from mittari.services.stored import add_contract
    from mittari.services.tokens import create_token
    from mittari.services.webhooks import configure

    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    open_clocks = 0
    now_us = int(datetime.now(UTC).timestamp() * 1_000_000)
    for customer, events, tickets in write_open_log(n, folder):
        add_contract(engine, CONTRACTS / f"{customer}.yaml")
        import_source(engine, "canonical", events, tickets=tickets, customer=customer)
        with engine.begin() as conn:
            owner = repo.customer_id(conn, customer) or -1
            pks = repo.ticket_ids(conn, "canonical", owner).column("id").to_pylist()
            open_clocks += recompute(conn, owner, pks, now_us)
    tokens = {
        "admin": create_token(engine, "bench", "provider-admin", None)[0],
        **{c: create_token(engine, c, "customer-viewer", c)[0] for c in CUSTOMERS},
    }
    secrets = {c: configure(engine, c, "jira") for c in CUSTOMERS}
    engine.dispose()
    return {
        "tickets": n,
        "open_clocks": open_clocks,
        "seed_s": time.perf_counter() - started,
        "tokens": tokens,
        "secrets": secrets,
    }


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    import httpx2

    env = os.environ | {"MITTARI_DATABASE_URL": url, "MITTARI_NOTIFIER": "false"}
    command = [
        sys.executable,
        "-m",
        "mittari",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    log = (RESULTS / "api-server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx2.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the server did not start")


# --- load generators (run in a second process) ----------------------------------------------


async def feed_load(
    base: str, tokens: dict[str, str], rate: float, seconds: float
) -> dict[str, Any]:
    """Open loop: request k is due at start + k/rate; latency counts from that instant."""
    import httpx2

    keys = list(CUSTOMERS)
    latencies: list[float] = []
    errors = 0
    limits = httpx2.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def one(k: int, due: float) -> None:
            nonlocal errors
            customer = keys[k % len(keys)]
            token = tokens["admin"] if k % 2 else tokens[customer]
            headers = {"Authorization": f"Bearer {token}"}
            response = await client.get(
                f"/api/v1/customers/{customer}/at-risk?limit=50", headers=headers
            )
            latencies.append(time.perf_counter() - due)
            if response.status_code != 200 or not response.json():
                errors += 1

        start = time.perf_counter() + 0.5
        tasks = []
        for k in range(int(rate * seconds)):
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(k, due)))
        await asyncio.gather(*tasks)
    ms = np.array(latencies) * 1000
    return {
        "requests": len(latencies),
        "rate": rate,
        "errors": errors,
        "p50_ms": float(np.percentile(ms, 50)),
        "p90_ms": float(np.percentile(ms, 90)),
        "p99_ms": float(np.percentile(ms, 99)),
        "max_ms": float(ms.max()),
        "mean_ms": float(statistics.fmean(ms)),
    }


def bodies(count: int, run: str) -> list[bytes]:
    template = json.loads(SAMPLE.read_text())
    created = datetime.now(UTC) - timedelta(minutes=5)
    out = []
    for n in range(count):
        body = json.loads(json.dumps(template))
        body["issue"]["key"] = f"HOOK-{run}-{n}"
        body["issue"]["fields"]["created"] = created.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
        body["timestamp"] = int(created.timestamp() * 1000) + n
        out.append(json.dumps(body).encode())
    return out


async def webhook_load(
    base: str, secrets: dict[str, str], count: int, senders: int
) -> dict[str, Any]:
    import httpx2

    from mittari.services.webhooks import sign_jira

    run = uuid.uuid4().hex[:6]
    work = list(enumerate(bodies(count, run)))
    accepted: list[str] = []
    statuses: dict[int, int] = {}
    events = 0
    limits = httpx2.Limits(max_connections=senders, max_keepalive_connections=senders)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def sender() -> None:
            nonlocal events
            while work:
                n, raw = work.pop()
                customer = CUSTOMERS[n % len(CUSTOMERS)]
                headers = {
                    "x-hub-signature": sign_jira(secrets[customer], raw),
                    "x-atlassian-webhook-identifier": f"{run}-{n}",
                    "content-type": "application/json",
                }
                response = await client.post(
                    f"/webhooks/jira/{customer}", content=raw, headers=headers
                )
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code == 202:
                    accepted.append(f"{run}-{n}")
                    events += response.json()["events"]

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(senders)))
        seconds = time.perf_counter() - started
    return {
        "bodies": count,
        "senders": senders,
        "seconds": seconds,
        "accepted": len(accepted),
        "statuses": statuses,
        "events": events,
        "events_per_s": events / seconds,
        "bodies_per_s": len(accepted) / seconds,
        "run": run,
    }


def count_stored(url: str, run: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from mittari.db.connect import make_engine
    from mittari.db.models import Event, Ticket, WebhookReceipt

    engine = make_engine(url)
    with engine.connect() as conn:
        receipts = conn.scalar(
            select(func.count())
            .select_from(WebhookReceipt)
            .where(WebhookReceipt.delivery_key.like(f"{run}-%"))
        )
        events = conn.scalar(
            select(func.count())
            .select_from(Event)
            .join(Ticket, Ticket.id == Event.ticket_id)
            .where(Ticket.external_id.like(f"HOOK-{run}-%"))
        )
    engine.dispose()
    return {"receipts": int(receipts or 0), "events": int(events or 0)}


# --- the driver -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hooks", type=int, default=6000, help="webhook bodies to send")
    parser.add_argument("--senders", type=int, default=50)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    url, drop = database()
    server = None
    try:
        print(f"seeding {args.tickets:,} open tickets ...", file=sys.stderr, flush=True)
        seeded = seed(url, args.tickets, RESULTS)
        port = free_port()
        server = serve(url, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        print("warm-up ...", file=sys.stderr, flush=True)  # each worker's first calls load
        worker(["feed", base, json.dumps(seeded["tokens"]), "20", "5"])  # its contracts
        print("feed load ...", file=sys.stderr, flush=True)
        feed = worker(
            ["feed", base, json.dumps(seeded["tokens"]), str(args.rate), str(args.seconds)]
        )
        print("webhook load ...", file=sys.stderr, flush=True)
        hooks = worker(
            ["hooks", base, json.dumps(seeded["secrets"]), str(args.hooks), str(args.senders)]
        )
        hooks["stored"] = count_stored(url, hooks["run"])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop()
    report = {
        "seed": {k: v for k, v in seeded.items() if k not in ("tokens", "secrets")},
        "feed": feed,
        "webhooks": hooks,
        "workers": args.workers,
    }
    (RESULTS / "api.json").write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)


def worker(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"load worker {args[0]} failed")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def database() -> tuple[str, Any]:
    from sqlalchemy import text

    from mittari.db.connect import make_engine

    schema = f"mittari_api_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return f"{POSTGRES}?options=-csearch_path%3D{schema}", drop


def print_report(report: dict[str, Any]) -> None:
    seed_, feed, hooks = report["seed"], report["feed"], report["webhooks"]
    print(
        f"\n{seed_['tickets']:,} open tickets, {seed_['open_clocks']:,} open clocks "
        f"(seeded in {seed_['seed_s']:.0f} s); {report['workers']} server workers, PostgreSQL"
    )
    print(
        f"\nat-risk feed, {feed['rate']:.0f} requests/s open loop, {feed['requests']:,} requests, "
        f"{feed['errors']} errors:\n  p50 {feed['p50_ms']:.1f} ms, p90 {feed['p90_ms']:.1f} ms, "
        f"p99 {feed['p99_ms']:.1f} ms, max {feed['max_ms']:.1f} ms (target p99 ≤ 50 ms)"
    )
    stored = hooks["stored"]
    whole = stored["receipts"] == hooks["accepted"] and stored["events"] == hooks["events"]
    print(
        f"\nwebhooks: {hooks['senders']} concurrent senders, {hooks['bodies']:,} bodies "
        f"in {hooks['seconds']:.1f} s\n  {hooks['accepted']:,} accepted "
        f"({hooks['bodies_per_s']:.0f}/s), {hooks['events']:,} events "
        f"({hooks['events_per_s']:.0f} events/s; target ≥ 300), statuses {hooks['statuses']}"
        f"\n  in the database afterwards: {stored['receipts']:,} receipts, "
        f"{stored['events']:,} events ({'none lost' if whole else 'MISMATCH'})"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "feed":
            result = asyncio.run(
                feed_load(rest[0], json.loads(rest[1]), float(rest[2]), float(rest[3]))
            )
        else:
            result = asyncio.run(
                webhook_load(rest[0], json.loads(rest[1]), int(rest[2]), int(rest[3]))
            )
        print(json.dumps(result))
    else:
        main()
