"""The portal's privacy notice on a 375-pixel phone: read, acknowledged, then the report goes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from wenmin.cases.models import Case
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_the_notice_fits_a_phone_and_must_be_ticked_before_sending(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    page = phone_page
    page.goto(live_server.url + reverse("portal:submit"))
    notice = page.locator("#privacy-notice")
    expect(notice).to_be_visible()
    notice.locator("summary").click()  # the whole notice opens in place
    for heading in ("收集哪些信息", "用途", "谁能看到", "保存期限", "您的权利"):
        expect(notice.locator("dt", has_text=heading)).to_be_visible()
    expect(notice).to_contain_text("结案后保存 3 年")
    _fits(page)

    form = page.locator(f'form[action="{reverse("portal:submit")}"]')
    form.locator("#id_content").fill("村口路灯坏了一个月，夜里出门不便。")
    form.locator("#id_requester_phone").fill("13907031234")
    form.locator("button[type=submit].primary").click()
    # The browser holds the form back: the notice is not acknowledged yet.
    assert page.evaluate("document.querySelector('#id_notice_read').validity.valueMissing")
    assert Case.objects.count() == 0
    checkbox = form.locator("#id_notice_read")
    checkbox.scroll_into_view_if_needed()
    checkbox.check()
    _fits(page)
    form.locator("button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/portal/submitted/"))
    assert Case.objects.get().purposes == ["handling", "callback", "statistics"]
