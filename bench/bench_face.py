"""The face: `mittari demo` end to end, the dashboard's pages, and the report's PDF.

1. Demo: `mittari demo --no-serve` in a fresh process (generate, import, measure, find the
   stories); wall time and peak RSS. Target: under a minute.
2. Pages: the demo served by uvicorn (`create_site`) in its own process; each page of the
   largest customer requested `--repeat` times in sequence after one warm-up request;
   median, p90 and max latency.
3. Report PDF: one month's review rendered to HTML once, then to PDF by WeasyPrint (what
   mittari ships) and, side by side, by the peer a user would otherwise pick: headless
   Chromium printing the same HTML (Playwright's `page.pdf`, Debian's chromium).

    .venv/bin/python bench/bench_face.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def build_demo(workdir: Path) -> dict[str, float]:
    started = time.perf_counter()
    command = [str(BIN / "mittari"), "demo", "--workdir", str(workdir), "--no-serve"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    admin = re.search(r"provider admin[^:]*: (\S+)", done.stdout)
    assert admin, done.stdout
    os.environ["BENCH_TOKEN"] = admin.group(1)
    return {"wall_s": wall, "peak_rss_mb": peak}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(database: Path, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"MITTARI_DATABASE_URL": f"sqlite:///{database}", "MITTARI_NOTIFIER": "0"}
    command = [str(BIN / "python"), "-m", "uvicorn", "--factory", "mittari.web.site:create_site"]
    command += ["--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def time_pages(port: int, customer: str, month: str, repeat: int) -> list[dict[str, object]]:
    pages = [
        f"/ui/{customer}/?month={month}",
        f"/ui/{customer}/at-risk",
        f"/ui/{customer}/tickets?metric=resolution&month={month}&state=breached",
        f"/ui/{customer}/honest?month={month}",
        f"/ui/{customer}/recurring?month={month}",
        f"/ui/{customer}/comments?month={month}",
        f"/ui/{customer}/contracts",
        f"/ui/{customer}/report?month={month}&format=html",
        f"/ui/{customer}/report?month={month}&format=pdf",
    ]
    headers = {"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"}
    rows: list[dict[str, object]] = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=120) as c:
        for path in pages:
            first = time.perf_counter()
            response = c.get(path)
            first_s = time.perf_counter() - first
            assert response.status_code == 200, (path, response.status_code)
            times = []
            for _ in range(repeat if "pdf" not in path else max(2, repeat // 4)):
                t0 = time.perf_counter()
                assert c.get(path).status_code == 200
                times.append(time.perf_counter() - t0)
            times.sort()
            rows.append(
                {
                    "page": path.split("?")[0].replace(f"/ui/{customer}", "") or "/",
                    "query": path.partition("?")[2],
                    "first_ms": first_s * 1000,
                    "median_ms": statistics.median(times) * 1000,
                    "p90_ms": times[math.ceil(0.9 * len(times)) - 1] * 1000,  # nearest rank
                    "max_ms": times[-1] * 1000,
                    "bytes": len(response.content),
                }
            )
    return rows


def pdf_side_by_side(port: int, customer: str, month: str) -> dict[str, float]:
    """The same HTML to PDF: WeasyPrint (in this process) and headless chromium."""
    import weasyprint
    from playwright.sync_api import sync_playwright

    headers = {"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"}
    url = f"http://127.0.0.1:{port}/ui/{customer}/report?month={month}&format=html"
    html = httpx.get(url, headers=headers, timeout=120).text
    weasyprint.HTML(string=html).write_pdf()  # warm: fonts, CSS parser
    t0 = time.perf_counter()
    ours = weasyprint.HTML(string=html).write_pdf()
    weasy_s = time.perf_counter() - t0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content(html)
        page.pdf(format="A4")  # warm
        t0 = time.perf_counter()
        page.set_content(html)
        theirs = page.pdf(format="A4")
        chromium_s = time.perf_counter() - t0
        browser.close()
    return {
        "weasyprint_s": weasy_s,
        "weasyprint_kb": len(ours) / 1024,
        "chromium_s": chromium_s,
        "chromium_kb": len(theirs) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder) / "demo"
        demo = build_demo(workdir)
        wall, peak = demo["wall_s"], demo["peak_rss_mb"]
        print(f"mittari demo --no-serve: {wall:.1f} s, peak RSS {peak:.0f} MB")
        port = free_port()
        server = serve(workdir / "mittari.db", port)
        try:
            month = _last_whole_month(port)
            pages = time_pages(port, "kalliokone", month, args.repeat)
            print(f"\nPages of kalliokone ({month}), {args.repeat} requests each after a first:")
            print(f"{'page (ms)':<22}{'first':>9}{'median':>9}{'p90':>9}{'max':>9}{'KiB':>8}")
            for row in pages:
                label = str(row["page"]) + (" pdf" if "pdf" in str(row["query"]) else "")
                print(
                    f"{label:<22}{row['first_ms']:>9.0f}{row['median_ms']:>9.0f}"
                    f"{row['p90_ms']:>9.0f}{row['max_ms']:>9.0f}{int(row['bytes']) / 1024:>8.0f}"
                )
            pdf = pdf_side_by_side(port, "kalliokone", month)
            print(
                f"\nReport PDF from the same HTML: WeasyPrint {pdf['weasyprint_s']:.2f} s "
                f"({pdf['weasyprint_kb']:.0f} KiB), headless chromium {pdf['chromium_s']:.2f} s "
                f"({pdf['chromium_kb']:.0f} KiB)"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "face.json"
    load = os.getloadavg()[0]
    out.write_text(json.dumps({"demo": demo, "pages": pages, "pdf": pdf, "load": load}, indent=2))
    print(f"(ms; written to {out.relative_to(ROOT)}; load average {load:.2f})")


def _last_whole_month(port: int) -> str:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{year}-{month:02d}"


if __name__ == "__main__":
    main()
