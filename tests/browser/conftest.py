"""Playwright driving Debian's chromium against pytest-django's live server."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from wenmin.core.composition import reference_data_again
from wenmin.organisation.models import Region
from wenmin.testing import CaseDesk, SmallCounty, build_case_desk, build_small_county

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
# Where 青石村 (village_a) lies in the live desk: a phone located here reports from there.
VILLAGE_A_AT = (Decimal("28.301000"), Decimal("117.702000"))


@pytest.fixture
def live_county(transactional_db: None) -> SmallCounty:
    """The small county, committed so the live server's thread sees it; with the starting lists
    the data migrations wrote (an earlier transactional test emptied every table)."""
    reference_data_again()
    return build_small_county()


@pytest.fixture
def live_desk(live_county: SmallCounty, settings: Any, tmp_path: Path) -> CaseDesk:
    """The cases tests' `desk`, committed; 青石村 has coordinates; uploads go to tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the portal's rate limits count in the cache
    latitude, longitude = VILLAGE_A_AT
    Region.objects.filter(pk=live_county.village_a.pk).update(
        latitude=latitude, longitude=longitude
    )
    return build_case_desk(live_county)


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Debian's chromium, headless, through Playwright (skipped when it is not installed)."""
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
        try:
            yield browser
        finally:
            browser.close()


def _page(browser: Any, **options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Anything the Content-Security-Policy blocked is a page that no longer works as written.
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def phone_page(chromium: Any) -> Iterator[Any]:
    """A chromium page the size of a 375-pixel-wide phone."""
    yield from _page(
        chromium, viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )


@pytest.fixture
def office_page(chromium: Any) -> Iterator[Any]:
    """A chromium page on an office desktop screen, in its own browser context."""
    yield from _page(chromium, viewport={"width": 1280, "height": 900})
