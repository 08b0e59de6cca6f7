"""On a phone: a township clerk registers a household, adds its head, marks it for visits; the
volunteer then finds it on the visit list without learning why."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from wenmin.households.models import Household
from wenmin.testing import PASSWORD, SmallCounty

pytestmark = pytest.mark.browser


def _fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _log_in(page: Any, live_server: Any, username: str, next_url: str) -> None:
    page.goto(live_server.url + reverse("login") + "?next=" + next_url)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()


def test_a_clerk_registers_a_household_and_the_volunteer_finds_it_to_visit(
    live_server: Any, live_county: SmallCounty, chromium: Any
) -> None:
    from playwright.sync_api import expect

    c = live_county
    listing = reverse("households:list")
    for username in (c.township_clerk.username, c.volunteer.username):
        context = chromium.new_context(
            locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        _log_in(page, live_server, username, listing)
        expect(page).to_have_url(live_server.url + listing)
        if username == c.township_clerk.username:
            expect(page.locator("main")).to_contain_text("这里还没有住户")
            page.get_by_role("link", name="登记住户").first.click()
            page.fill("#household-code", "QS-900")
            page.fill("#household-region", c.group_a.code)
            page.fill("#household-address", "青石村一组18号")
            assert _fits_the_screen(page)
            page.get_by_role("button", name="保存").click()
            household = Household.objects.get(code="QS-900")
            expect(page).to_have_url(
                live_server.url + reverse("households:detail", args=[household.pk])
            )
            expect(page.locator("dl.facts")).not_to_contain_text("青石村一组18号")
            page.fill("#member-person", str(c.resident_a.pk))
            page.select_option("#member-relation", "head")
            page.get_by_role("button", name="添加", exact=True).click()
            expect(page.locator("main")).to_contain_text("186****3333")
            page.get_by_label("留守老人").check()
            page.get_by_role("button", name="保存关爱对象类别").click()
            expect(page.locator("dl.facts")).to_contain_text("留守老人")
            assert _fits_the_screen(page)
        else:
            visit = page.locator("a[data-count-link]", has_text="在走访名单上")
            expect(visit).to_contain_text("1")
            visit.click()
            expect(page).to_have_url(re.compile(r"care=visit"))
            expect(page.locator("table")).to_contain_text("QS-900")
            expect(page.locator("main")).not_to_contain_text("留守老人")
            assert _fits_the_screen(page)
        context.close()
