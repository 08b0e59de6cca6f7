"""A volunteer on a 375-pixel phone: signs up for an activity near them, checks in at the place by
the organiser's code (twice: the second scan changes nothing), checks out; the organiser confirms
the hours; the volunteer gets their certificate and downloads its PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wenmin.testing import PASSWORD, CaseDesk
from wenmin.volunteers.models import Certificate, Participation

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def _login(page: Any, base: str, url: str, username: str) -> None:
    page.goto(base + url)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()


def test_a_volunteer_signs_up_checks_in_and_out_and_downloads_the_certificate(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, office_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.volunteers.tests.conftest import build_corps

    corps = build_corps(live_desk.county)
    base = live_server.url
    page = phone_page
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 28.301, "longitude": 117.702})

    # The volunteer's home leads to the phone page; an activity near them is open.
    _login(page, base, reverse("volunteer:home"), live_desk.county.volunteer.username)
    page.locator("a[data-volunteer-link]").click()
    expect(page.locator("[data-volunteer-number]")).to_have_text(corps.profile.number)
    _fits(page)
    page.locator("[data-nearby] a", has_text="村道清扫").click()
    page.locator("[data-sign-up]").click()
    expect(page.locator("[data-state]")).to_contain_text("扫描")
    _fits(page)

    # The organiser shows the code at the place; the phone opens it.
    _login(
        office_page,
        base,
        reverse("volunteers:activity_manage", args=[corps.now_activity.pk]),
        live_desk.county.township_clerk.username,
    )
    expect(office_page.locator("[data-qr] img")).to_be_visible()
    scan_url = office_page.locator("[data-scan-url]").get_attribute("href")
    page.goto(scan_url)
    expect(page.locator("[data-location-status]")).to_contain_text("记录")
    page.locator("[data-check-in]").click()
    expect(page.locator("ul.messages")).to_contain_text("签到成功")
    row = Participation.objects.get(profile=corps.profile)
    assert row.checked_in_at is not None and row.check_in_latitude is not None
    first_check_in = row.checked_in_at

    page.goto(scan_url)  # a second scan changes nothing, and says so
    page.locator("[data-check-in]").click()
    expect(page.locator("ul.messages")).to_contain_text("已经签到")
    row.refresh_from_db()
    assert row.checked_in_at == first_check_in
    page.goto(scan_url)
    _fits(page)
    page.locator("[data-check-out]").click()
    expect(page.locator("ul.messages")).to_contain_text("签退成功")

    # The organiser confirms the hours, declaring them true, complete and unpaid.
    office_page.reload()
    office_page.locator(f'input[name="hours_{row.pk}"]').fill("0.5")
    office_page.locator("input[name=declaration]").check()
    office_page.locator("[data-confirm]").click()
    expect(office_page.locator("[data-state]")).to_have_text("时长已确认")

    # The volunteer sees the hours and gets the certificate, then downloads its PDF.
    page.goto(base + reverse("volunteers:me"))
    expect(page.locator("[data-hours]")).to_have_text("0.50")
    page.get_by_role("button", name="出具这些时长的证明").click()
    expect(page.locator("[data-certificate]")).to_contain_text("3699**********0026")
    _fits(page)
    with page.expect_download() as download:
        page.locator("[data-pdf]").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    certificate = Certificate.objects.get()
    assert download.value.suggested_filename == f"{certificate.number}.pdf"
    page.goto(page.locator("[data-verify-url]").get_attribute("href"))
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "valid")
