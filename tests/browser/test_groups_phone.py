"""A village cadre on her phone brings her 民情微群's conversation in and opens cases from it."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from wenmin.cases.models import Case
from wenmin.groups.models import GroupMessage
from wenmin.groups.testing import build_groups
from wenmin.testing import PASSWORD, CaseDesk

CHAT = (
    "张阿姨 2024/5/3 14:22\n"
    "村口那盏路灯坏了一个多星期了，希望尽快修一下\n"
    "老王 2024/5/3 14:25\n"
    "收到\n"
    "刘师傅 2024/5/3 14:30\n"
    "三组那边的水管漏水，路面都是积水，没人管\n"
    "小陈邀请王大爷加入了群聊\n"
)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_a_cadre_pastes_the_group_chat_and_opens_two_cases_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    groups = build_groups(live_desk)
    page = phone_page
    page.goto(live_server.url + reverse("groups:list"))  # to the login page and back
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(live_desk.county.branch_secretary.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.get_by_role("link", name="青石村民情微群").click()
    page.wait_for_selector("[data-count=messages]")  # the group's page, not the list still
    _fits(page)
    assert page.locator("[data-count=messages] .n").inner_text() == "0"

    page.locator("form.paste textarea").fill(CHAT)
    page.locator("form.paste button[type=submit]").click()
    page.wait_for_selector("ul.messages")
    assert "新增 3 条" in page.locator("ul.messages").inner_text()
    rows = page.locator("tr[data-message]")
    assert rows.count() == 2  # the two that look like requests; 收到 is only a reply
    assert "坏了" in page.locator("tr[data-message] .why").nth(1).inner_text()
    _fits(page)

    for index in range(2):
        rows.nth(index).locator("input[type=checkbox]").check()
    page.get_by_role("button", name="为选中的消息立案").click()
    page.wait_for_selector("ul.messages")
    assert "已立案" in page.locator("ul.messages").inner_text()
    assert page.locator("[data-count=cases] .n").inner_text() == "2"
    assert page.locator("[data-count=state-collected] .n").inner_text() == "2"
    _fits(page)
    opened = Case.objects.filter(channel="sentiment_group")
    assert opened.count() == 2
    for case in opened:
        assert page.get_by_role("link", name=case.number).count() == 1
    assert GroupMessage.objects.filter(group=groups.village_group, case__isnull=False).count() == 2

    page.locator("[data-count=cases]").click()
    page.wait_for_url(re.compile(r"show=cases"))
    assert page.locator("tr[data-message]").count() == 2
    _fits(page)
