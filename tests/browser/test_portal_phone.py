"""The resident portal on a 375-pixel phone: "my reports" and the location buttons."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Channel
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_my_reports_fit_a_phone_and_lead_to_the_rating(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    county = live_desk.county
    base = live_server.url
    long_title = "青石村三组的自来水管爆了路面一直在冒水已经两天了" * 3
    waiting = cases.case_intake(
        channel=Channel.WEB, content="路灯坏了", requester=county.resident_a, actor=county.resident
    )
    answered = cases.case_intake(
        channel=Channel.WEB, content=long_title, requester=county.resident_a, actor=county.resident
    )
    answered = cases.case_dispatch(
        case=answered, actor=live_desk.dispatcher, unit=county.government_a
    )
    answered = cases.case_sign_for(case=answered, actor=county.township_clerk)
    answered = cases.case_plan(case=answered, actor=county.township_clerk, plan="抢修")
    answered = cases.case_reply(case=answered, actor=county.township_clerk, reply="已修好。")

    page = phone_page
    page.goto(base + reverse("portal:mine"))  # to the login page and back
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.resident.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + reverse("portal:mine"))
    cards = page.locator("ul.my-cases > li")
    expect(cards).to_have_count(2)
    expect(cards.nth(1)).to_contain_text("承办单位应于")
    expect(cards.nth(1)).to_have_attribute("data-case", waiting.number)
    _fits(page)
    page.locator(f'li[data-case="{answered.number}"] a[data-rate]').click()
    page.wait_for_url(f"{base}{reverse('portal:track', args=[answered.tracking_code])}#rate")
    rating = page.locator(f'form[action="{reverse("portal:rate", args=[answered.tracking_code])}"]')
    expect(rating.locator("input[name=phone_last4]")).to_have_count(0)  # she is logged in
    rating.locator("input[name=resolved][value=yes]").check()
    rating.locator("input[name=satisfaction][value='4']").check()
    rating.locator("button[type=submit]").click()
    expect(page.locator("ul.messages li.success")).to_have_count(1)
    _fits(page)


def test_the_location_buttons_show_only_when_they_can_act(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page = phone_page
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 28.301, "longitude": 117.702})
    page.goto(base + reverse("portal:submit"))
    locate, remove = page.locator("[data-locate]"), page.locator("[data-locate-clear]")
    expect(locate).to_be_visible()
    expect(remove).to_be_hidden()  # nothing to remove before a location is taken
    locate.click()
    expect(remove).to_be_visible()
    expect(page.locator("input[name=latitude]")).to_have_value("28.301000")
    remove.click()
    expect(remove).to_be_hidden()
    expect(page.locator("input[name=latitude]")).to_have_value("")
    _fits(page)
