"""A resident proves a phone on a 375-pixel phone: number, code from the text message, and on to
the page that asked for it, signed in."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from wenmin.core import crypto
from wenmin.core.models import User
from wenmin.residents.selectors import verified_person
from wenmin.residents.testing import codes_sent
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_a_resident_verifies_a_phone_and_lands_where_they_were_going(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    base, page = live_server.url, phone_page
    going_to = reverse("portal:mine")
    page.goto(f"{base}{reverse('residents:verify')}?next={quote(going_to)}")
    expect(page.locator("h1")).to_have_text("验证手机号")
    _fits(page)
    step = page.locator("section.verify form")
    step.locator("input[name=phone]").fill("139 0000 1234")
    with codes_sent() as codes:
        step.locator("button[value=send]").click()
        expect(page.locator("section.verify")).to_have_attribute("data-step", "code")
    assert len(codes) == 1
    expect(page.locator("ul.messages")).to_contain_text("验证码已发送到 139****1234")
    _fits(page)

    code = page.locator("input[name=code]")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    code.fill("000000" if codes[0] != "000000" else "111111")
    page.locator("button[value=verify]").click()
    expect(page.locator(".notice.error")).to_contain_text("验证码不正确，还可以再试 4 次。")
    _fits(page)

    page.locator("input[name=code]").fill(codes[0])
    page.locator("button[value=verify]").click()
    page.wait_for_url(base + going_to)
    expect(page.locator("ul.messages")).to_contain_text("手机号已验证，您已登录。")
    _fits(page)
    user = User.objects.get(person__phone_digest=crypto.digest("13900001234"))
    assert verified_person(user=user) is not None

    page.locator("nav.nav a", has_text="我的").first.click()
    page.wait_for_url(base + reverse("residents:me"))
    expect(page.locator(".phone-state")).to_have_attribute("data-verified", "yes")
    expect(page.locator(".phone-state")).to_contain_text("139****1234")
    _fits(page)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.reload()
    expect(page.locator("h1")).to_have_text("Mine")
    expect(page.locator(".phone-state")).to_contain_text("is verified")
    _fits(page)
    page.locator("main button", has_text="Sign out").click()
    page.wait_for_url(base + reverse("portal:submit"))


def test_a_secretary_is_sent_to_her_own_login_and_then_proves_her_phone_in_english(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.testing import PASSWORD

    base, page = live_server.url, phone_page
    county = live_desk.county
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    going_to = reverse("portal:submit")
    page.goto(f"{base}{reverse('residents:verify')}?next={quote(going_to)}")
    expect(page.locator("h1")).to_have_text("Verify your phone")
    _fits(page)
    page.locator("input[name=phone]").fill("13812345678")  # the branch secretary's phone
    with codes_sent() as codes:
        page.locator("button[value=send]").click()
        expect(page.locator("section.verify")).to_have_attribute("data-step", "code")
    page.locator("input[name=code]").fill(codes[0])
    page.locator("button[value=verify]").click()
    expect(page.locator(".notice.error")).to_contain_text("staff or volunteer account")
    _fits(page)

    page.locator("section.verify a", has_text="log in with your password").click()
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.branch_secretary.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}{reverse('residents:verify')}?next={quote(going_to, safe='')}")
    expect(page.locator("section.verify")).to_contain_text("You are logged in as secretary")
    page.locator("input[name=phone]").fill("13812345678")
    with codes_sent() as again:
        page.locator("button[value=send]").click()
        # A minute has not passed: no new code, but the one she has can still be entered.
        expect(page.locator(".notice.error")).to_contain_text("Please wait")
        expect(page.locator("section.verify")).to_have_attribute("data-step", "code")
    assert again == []
    _fits(page)
    page.locator("input[name=code]").fill(codes[0])
    page.locator("button[value=verify]").click()
    page.wait_for_url(base + going_to)
    expect(page.locator("ul.messages")).to_contain_text("Your phone is verified.")
    secretary = User.objects.get(pk=county.branch_secretary.pk)
    assert verified_person(user=secretary) == county.member_a
