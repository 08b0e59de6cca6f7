"""Every demo login of the county `make run` loads, in a real browser: it logs in with the printed
password, lands on its own home, opens every item of its menu without a 4xx, and does one useful
thing — on a 375-pixel phone for the resident and the volunteer, an office screen for staff.

The demo county with its year of history is seeded once for the test (about 15 s)."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.workflow import State
from wenmin.core.management.commands.demo_logins import DEMO_USERNAMES
from wenmin.core.models import AuditEvent, User

pytestmark = pytest.mark.browser

PHONE_LOGINS = frozenset({"resident", "volunteer"})
LANDING = {
    "admin": "cases:workbench",
    "leader": "cases:workbench",
    "dispatcher": "cases:workbench",
    "township": "cases:workbench",
    "department": "cases:workbench",
    "secretary": "cases:workbench",
    "volunteer": "volunteer:home",
    "resident": "residents:me",
}


@pytest.fixture
def demo_county(transactional_db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed", "--scale", "county", "--no-input", stdout=StringIO())


def _context(chromium: Any, username: str) -> Any:
    if username in PHONE_LOGINS:
        options = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
    else:
        options = {"viewport": {"width": 1366, "height": 900}}
    return chromium.new_context(locale="zh-CN", **options)


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    form = page.locator("section.login form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(settings.WENMIN_DEMO_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(base + reverse(LANDING[username]))


def _menu_opens(page: Any, base: str, username: str) -> None:
    links = page.eval_on_selector_all("nav.nav a", "links => links.map(a => a.href)")
    assert links, f"{username} lands on a page without a menu"
    for href in links:
        response = page.goto(href)
        assert response is not None and response.status < 400, (username, href, response.status)
        if username in PHONE_LOGINS:
            assert page.evaluate("document.documentElement.scrollWidth <= 375"), href


def _open_queue(page: Any, queue: str) -> None:
    page.locator(f"nav.tabs a[data-queue={queue}]").click()
    page.wait_for_url(re.compile(rf"queue={queue}"))


def _first_case(page: Any) -> int:
    row = page.locator("tr[data-case]").first
    case_id = int(row.get_attribute("data-case"))
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/cases/{case_id}/$"))
    return case_id


def _act(page: Any, action: str, fields: dict[str, str] | None = None) -> None:
    from playwright.sync_api import expect

    box = page.locator(f"details#action-{action}")
    box.locator("summary").click()
    for selector, value in (fields or {}).items():
        box.locator(selector).fill(value)
    box.locator("button[type=submit]").click()
    expect(page.locator("ul.messages li.success")).to_have_count(1)


def _useful_action(page: Any, base: str, username: str) -> None:
    """One thing each login comes to do, checked in the database."""
    from playwright.sync_api import expect

    if username == "admin":
        page.goto(base + reverse("core:audit_log") + "?action=auth.")
        expect(page.locator("table.audit tbody tr").first).to_contain_text("已登录")
    elif username in ("leader", "secretary"):
        page.goto(base + reverse("cases:workbench") + "?queue=overdue")
        case_id = _first_case(page)
        expect(page.locator(".case-head")).to_be_visible()
        assert Case.objects.filter(pk=case_id).exists()
    elif username == "dispatcher":
        _open_queue(page, "to_analyse")
        case_id = _first_case(page)
        _act(page, "dispatch")
        assert Case.objects.get(pk=case_id).state == State.DISPATCHED
    elif username in ("township", "department"):
        _open_queue(page, "to_sign")
        case_id = _first_case(page)
        _act(page, "sign_for")
        case = Case.objects.get(pk=case_id)
        assert case.state == State.SIGNED
        assert CaseEvent.objects.filter(case=case, action="sign_for", actor__username=username)
    elif username == "volunteer":
        page.locator("a.button", has_text="代群众反映问题").click()
        form = page.locator(f'form[action="{reverse("portal:submit")}"]')
        form.locator("#id_content").fill("走访中独居老人反映村口路灯坏了一个月，夜里出门不便。")
        form.locator("#id_requester_name").fill("龚老伯")
        form.locator("#id_requester_phone").fill("13907031234")
        form.locator("#id_notice_read").check()
        form.locator("button[type=submit].primary").click()
        page.wait_for_url(re.compile(r"/portal/submitted/"))
        volunteer = User.objects.get(username="volunteer")
        assert Case.objects.filter(registered_by=volunteer, content__startswith="走访中").exists()
    elif username == "resident":
        expect(page.locator(".phone-state")).to_have_attribute("data-verified", "yes")
        page.locator('li[data-section="portal:mine"] a').click()
        page.wait_for_url(base + reverse("portal:mine"))
        page.locator("a", has_text="办理经过").first.click()
        page.wait_for_url(re.compile(r"/portal/track/"))
        assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_every_demo_login_lands_home_opens_its_menu_and_does_its_work(
    demo_county: None, live_server: Any, chromium: Any
) -> None:
    base = live_server.url
    for username in DEMO_USERNAMES:
        context = _context(chromium, username)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            _log_in(page, base, username)
            _menu_opens(page, base, username)
            page.goto(base + reverse(LANDING[username]))
            _useful_action(page, base, username)
        finally:
            context.close()
    assert AuditEvent.objects.filter(action="auth.login").count() >= len(DEMO_USERNAMES)
