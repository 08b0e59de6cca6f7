"""On a phone: log in, find the county and a township in the tree, open it, visit a village."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from wenmin.testing import PASSWORD, SmallCounty

pytestmark = pytest.mark.browser


def _fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_administrator_logs_in_on_a_phone_and_opens_a_village_from_the_tree(
    live_server: Any, live_county: SmallCounty, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    page = phone_page
    page.goto(live_server.url + reverse("organisation:home"))
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))

    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(live_county.administrator.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    expect(page).to_have_url(live_server.url + reverse("organisation:home"))

    county = page.locator(f'section.county[data-region="{live_county.county.code}"]')
    expect(county.locator("h2")).to_contain_text("枫岭县")
    township = county.locator(f'li[data-region="{live_county.township_a.code}"]')
    expect(township.locator(".tree-name")).to_contain_text("青石镇")
    assert _fits_the_screen(page)

    village = township.locator(f'li[data-region="{live_county.village_a.code}"]')
    expect(village).to_have_count(0)
    township.locator("summary .counts").first.click()
    expect(village.locator(".tree-name")).to_contain_text("青石村")  # loaded by htmx

    village.locator(".tree-name a").first.click()
    expect(page).to_have_url(
        live_server.url + reverse("organisation:region_detail", args=[live_county.village_a.pk])
    )
    expect(page.locator("h1")).to_have_text("青石村")
    expect(page.locator("main")).to_contain_text(live_county.village_a.code)
    assert _fits_the_screen(page)
