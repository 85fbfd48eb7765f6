"""The dashboard in a real browser: Debian's chromium (no browser is downloaded) driven by
Playwright, on the demo's store, served by uvicorn in a subprocess.

One demo build and one server per session. Each test opens its own browser context (its
own cookies), logs in through the form, and watches the page: a console error, an uncaught
script error, a failed request or an HTTP error the test did not expect fails the test.
Screenshots go to `build/screenshots/<name>.png` (repository root) for people to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
)
from sqlalchemy import select

from mittari.db.connect import make_engine
from mittari.db.models import Customer, Ticket
from mittari.services.demo import DemoReport, run_demo
from mittari.services.demo_data import DEMO_CUSTOMERS
from mittari.services.demo_findings import Story

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "build" / "screenshots"
SEED = 7  # the demo's default: its stories are the ones `mittari demo` prints
NAMES = {c.slug: c.name for c in DEMO_CUSTOMERS}


@dataclass
class Demo:
    """The served demo: its address, tokens, stories and a ticket of each customer."""

    base: str
    report: DemoReport
    tickets: dict[str, str]  # customer → the external id of one of its tickets

    @property
    def tokens(self) -> dict[str, str]:
        return self.report.tokens

    def story(self, kind: str) -> Story:
        found = [s for s in self.report.findings.stories if s.kind == kind]
        assert found, f"the demo found no {kind!r} story: {self.report.findings.stories}"
        return found[0]

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def full_month(self) -> str:
        """The last whole month of the demo's year (its last one may be hours old)."""
        end = self.report.end
        year, month = (end.year, end.month - 1) if end.month > 1 else (end.year - 1, 12)
        return f"{year:04d}-{month:02d}"


def search(pattern: str, text: str) -> re.Match[str]:
    """The first match of `pattern` in `text`, which must be there."""
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_ticket_each(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Customer.key, Ticket.external_id)
                .join(Customer, Customer.id == Ticket.customer_id)
                .order_by(Ticket.id)
            ).all()
    finally:
        engine.dispose()
    found: dict[str, str] = {}
    for key, ticket in rows:
        found.setdefault(key, ticket)
    return found


def wait_for_health(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer /health within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`mittari demo --no-serve` into a temporary folder, then the site over its store."""
    workdir = tmp_path_factory.mktemp("demo")
    report = run_demo(SEED, workdir)  # ends now (to the hour): the at-risk clocks are live
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "MITTARI_DATABASE_URL": report.database_url,
        "MITTARI_NOTIFIER": "false",
        "MITTARI_SSE_INTERVAL_S": "1",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "mittari.web.site:create_site",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    log = workdir / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_health(base, server, log)
        yield Demo(base, report, one_ticket_each(report.database_url))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Watch:
    """What went wrong on a page that the test did not expect: console errors, uncaught
    script errors, failed requests and HTTP errors (an expected status is `allow`ed)."""

    problems: list[str] = field(default_factory=list)
    allowed: set[int] = field(default_factory=set)
    downloads: set[str] = field(default_factory=set)  # URLs that end as a download

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def allow(self, status: int) -> None:
        """From now on until the test ends: console messages arrive late, so an allowance
        is never taken back (the test asserts the statuses it expects itself)."""
        self.allowed.add(status)

    def download(self, url: str) -> None:
        """`url` is a file to save: chromium ends its navigation as aborted, rightly."""
        self.downloads.add(url)

    def check(self) -> None:
        assert not self.problems, "\n".join(self.problems)

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        text = str(message.text)
        status = re.search(r"status of (\d{3})", text)
        if status and int(status.group(1)) in self.allowed:
            return
        self.problems.append(f"console error: {text} at {message.location.get('url')}")

    def _failed(self, request: Any) -> None:
        if request.url in self.downloads and request.failure == "net::ERR_ABORTED":
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.allowed:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@dataclass
class Visit:
    """One browser context (its own cookies) with one watched page."""

    demo: Demo
    context: BrowserContext
    page: Page
    watch: Watch

    def go(self, path: str) -> Any:
        answer = self.page.goto(self.demo.url(path), wait_until="load")
        assert answer is not None
        return answer

    def login(self, token: str, then: str = "/ui/") -> None:
        """Log in through the form, going on to `then` (the form's `next`)."""
        self.go(f"/ui/login?next={quote(then, safe='/')}")
        self.page.get_by_label("Token").fill(token)
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_role("button", name="Log in").click()

    def shot(self, name: str, full_page: bool = True) -> Path:
        return screenshot(self.page, name, full_page)


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """`build/screenshots/<name>.png`, for the people reviewing the dashboard."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 1000, f"{path} is almost empty"
    return path


@pytest.fixture
def visit(browser: Browser, demo: Demo) -> Iterator[Callable[..., Visit]]:
    """`visit(token=None, viewport=…)`: a fresh context, logged in with `token` if given."""
    opened: list[BrowserContext] = []

    def open_visit(
        token: str | None = None,
        then: str = "/ui/",
        viewport: ViewportSize | None = None,
        init_script: str | None = None,
        locale: str = "en-GB",
    ) -> Visit:
        context = browser.new_context(
            viewport=viewport or ViewportSize(width=1280, height=900),
            locale=locale,
            accept_downloads=True,
        )
        opened.append(context)
        if init_script:
            context.add_init_script(init_script)
        context.set_default_timeout(30_000)
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        found = Visit(demo, context, page, watch)
        if token is not None:
            found.login(token, then)
        return found

    yield open_visit
    for context in opened:
        context.close()
