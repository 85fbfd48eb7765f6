"""Fixtures every test folder may use: one Playwright and one Debian chromium per session.

Playwright's sync API runs its own event loop; two of them cannot be open at once in one
thread, so every browser test (tests/browser, the live at-risk page, the pulse form on a
phone) shares this one. `make test` installs chromium from Debian when it is missing;
Playwright never downloads a browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine's closed network refuses these calls
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield launched
    finally:
        launched.close()
