"""Playwright driving Debian's chromium against pytest-django's live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wenmin.testing import SmallCounty, build_small_county

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_county(transactional_db: None) -> SmallCounty:
    """The small county, committed so the live server's thread sees it."""
    return build_small_county()


@pytest.fixture
def phone_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A chromium page the size of a 375-pixel-wide phone."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian chromium not installed (apt-get install chromium): browser tests skipped"
        )
    # Playwright's sync API runs an event loop in this thread; Django's database teardown
    # would otherwise refuse to run beside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
