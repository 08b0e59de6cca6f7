"""A township clerk on a 375-pixel phone: the header's count of unread notifications opens the
list, a notification opens its case, "mark read" and "mark all read" empty the count; the page
never scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Channel
from wenmin.core.models import InAppNotification
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser

WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def _login(page: Any, url: str, username: str) -> None:
    page.goto(url + reverse("login"))
    form = page.locator("section.login form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_clerk_reads_her_notifications_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    clerk = live_desk.county.township_clerk
    case = cases.case_intake(
        channel=Channel.PHONE, kind="help", content="路灯不亮", region=live_desk.county.village_a
    )
    for n in range(3):
        InAppNotification.objects.create(
            user=clerk,
            subject=f"新诉求 {case.number} 待签收（{n}）",
            text="青石村村口路灯不亮已经一周，晚上出行很不安全，请按时签收或退回。" * 2,
            case_id=case.pk,
        )
    page = phone_page
    _login(page, live_server.url, clerk.username)
    page.get_by_role("link", name="3 条未读通知").click()
    page.wait_for_url(f"**{reverse('messaging:notifications')}")
    scroll, client = page.evaluate(WIDTH)
    assert scroll <= client, "the notifications page scrolls sideways on a phone"
    assert page.locator("li.unread").count() == 3

    page.locator("li.unread").first.get_by_role("button", name="标为已读").click()
    page.wait_for_load_state()
    assert page.locator("li.unread").count() == 2
    assert page.get_by_role("link", name="2 条未读通知").is_visible()

    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state()
    assert page.locator("li.unread").count() == 0
    assert page.get_by_role("link", name="0 条未读通知").is_visible()

    page.locator("a.subject").first.click()
    page.wait_for_url(f"**{reverse('cases:case_detail', args=[case.pk])}")
