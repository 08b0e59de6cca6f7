"""A branch secretary opens the month's life day on a 375-pixel phone and shows the sign-in
code; a member, signed in on her own phone, opens the code's link and is counted present."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.branchlife.models import Attendance, AttendanceStatus, Meeting, MeetingState
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def _login(page: Any, base: str, target: str, username: str) -> None:
    page.goto(base + target)  # to the login page and back
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + target)


def test_a_secretary_opens_a_life_day_and_a_member_signs_in(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, chromium: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.branchlife.tests.conftest import build_branches

    b = build_branches(live_desk)
    branch = live_desk.county.branch_a
    base = live_server.url
    page = phone_page
    _login(page, base, reverse("branchlife:branch", args=[branch.pk]), b.secretary.username)
    _fits(page)
    page.locator("a[data-new-meeting]").click()
    page.wait_for_url(base + reverse("branchlife:meeting_new", args=[branch.pk]))
    _fits(page)
    form = page.locator("form[data-meeting-form]")
    form.locator("select[name=mode]").select_option("hold")
    form.locator("select[name=meeting_type]").select_option(str(b.life_day.pk))
    form.locator(f'input[name=also_counts_as][value="{b.course.pk}"]').check()
    form.locator("input[name=held_on]").fill(timezone.localdate().isoformat())
    form.locator("input[name=place]").fill("青石村党群服务中心")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/branchlife/meetings/\d+/$"), timeout=60_000)
    meeting = Meeting.objects.get()
    assert meeting.state == MeetingState.HELD
    _fits(page)
    page.locator("a[data-show-qr]").click()
    page.wait_for_url(base + reverse("branchlife:qr", args=[meeting.pk]))
    expect(page.locator("div[data-qr] svg")).to_be_visible()
    _fits(page)
    link = page.locator("a[data-signin-link]").get_attribute("href")
    assert link and "/branchlife/signin/" in link

    # The member, on her own phone.
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    try:
        member_page = context.new_page()
        member_page.set_default_timeout(15_000)
        path = link.split(base, 1)[-1] if link.startswith("http") else link
        _login(member_page, base, path, b.accounts[0].username)
        _fits(member_page)
        member_page.locator("button[data-signin]").click()
        member_page.wait_for_url(base + reverse("branchlife:meeting", args=[meeting.pk]))
        expect(member_page.locator("strong[data-my-status]")).to_have_text("出席")
        _fits(member_page)
    finally:
        context.close()
    row = Attendance.objects.get(meeting=meeting, member=b.members[1])
    assert row.status == AttendanceStatus.PRESENT
    page.goto(base + reverse("branchlife:meeting", args=[meeting.pk]))
    expect(page.locator("b[data-present]")).to_have_text("1")


def test_a_secretary_keeps_the_register_of_members_working_away_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, chromium: Any
) -> None:
    from wenmin.branchlife.models import AwayPeriod
    from wenmin.branchlife.tests.conftest import build_branches

    b = build_branches(live_desk)
    branch = live_desk.county.branch_a
    base = live_server.url
    page = phone_page
    register = reverse("branchlife:branch_away", args=[branch.pk])
    _login(page, base, reverse("branchlife:branch", args=[branch.pk]), b.secretary.username)
    page.locator("a[data-away-link]").click()
    page.wait_for_url(base + register)
    assert page.locator("[data-away-empty]").count() == 1
    _fits(page)
    today = timezone.localdate()
    form = page.locator("form[data-away-form]")
    form.locator("select[name=member]").select_option(str(b.members[1].pk))
    form.locator("input[name=whereabouts]").fill("广东省东莞市")
    form.locator("input[name=work_note]").fill("电子厂流水线，微信联系")
    form.locator("input[name=left_on]").fill(today.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url(base + register)
    period = AwayPeriod.objects.get()
    assert page.locator(f'[data-away-period="{period.pk}"]').count() == 1
    _fits(page)
    page.locator(f'[data-away-period="{period.pk}"] button[type=submit]').click()
    page.wait_for_url(base + register)
    period.refresh_from_db()
    assert period.returned_on == today
    _fits(page)
