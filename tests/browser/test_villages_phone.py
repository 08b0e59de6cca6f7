"""秀美乡村 on a 375-pixel phone: a village cadre reports the month's figures with a photo of the
work; the township's clerk reads the roll-up of the township's villages, its chart, and opens the
records behind a figure."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.testing import PASSWORD, CaseDesk
from wenmin.villages import services
from wenmin.villages.models import MonthlyReport, ReportPhoto

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 256


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def _log_in(page: Any, username: str) -> None:
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()


def test_a_village_cadre_reports_a_month_with_a_photo_and_the_township_sees_the_roll_up(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, chromium: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.villages.tests.conftest import build_campaign

    campaign = build_campaign(live_desk.county)
    county = live_desk.county
    today = timezone.localdate()
    # 石桥村, the township's other village, reported already this month.
    services.report_submit(
        actor=None,
        village=campaign.village_a2,
        year=today.year,
        month=today.month,
        values={campaign.i("demolished_buildings"): "4"},
    )
    services.targets_set(
        actor=None,
        village=county.village_a,
        year=today.year,
        targets={campaign.i("demolished_buildings"): "10"},
    )
    base = live_server.url
    page = phone_page
    url = base + reverse("villages:report_new")
    page.goto(url)
    _log_in(page, county.branch_secretary.username)
    page.wait_for_url(url)
    _fits(page)
    form = page.locator("form[data-report-form]")
    # Their only village and this month are filled in already.
    assert form.locator("input[name=village]").input_value() == county.village_a.code
    assert form.locator("input[name=month]").input_value() == f"{today.year}-{today.month:02d}"
    form.locator("input[name=q_demolished_buildings]").fill("3")
    form.locator("input[name=q_demolished_area]").fill("450")
    form.locator("input[name=q_roads_hardened]").fill("1.5")
    form.locator("textarea[name=note]").fill("村口两栋危房拆除，道路硬化1.5公里")
    form.locator("input[name=photos]").set_input_files(
        {"name": "拆危.png", "mimeType": "image/png", "buffer": PNG}
    )
    form.locator("button[type=submit]").click()
    report = None
    for _ in range(50):
        report = MonthlyReport.objects.filter(village=county.village_a).first()
        if report is not None:
            break
        page.wait_for_timeout(100)
    assert report is not None
    page.wait_for_url(base + reverse("villages:report_detail", args=[report.pk]))
    photo = ReportPhoto.objects.get(report=report)
    expect(page.locator(f'img[data-photo="{photo.pk}"]')).to_be_visible()
    expect(page.locator('[data-lines] tr[data-indicator="roads_hardened"]')).to_contain_text("1.5")
    _fits(page)

    # The township's clerk, on another phone, reads the township's roll-up.
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    try:
        leader = context.new_page()
        leader.set_default_timeout(15_000)
        home = base + reverse("villages:home")
        leader.goto(home)
        _log_in(leader, county.township_clerk.username)
        leader.wait_for_url(home)
        row = leader.locator('[data-figures] tr[data-indicator="demolished_buildings"]')
        expect(row.locator("a[data-done]")).to_have_text("7")
        expect(row.locator("a[data-target]")).to_have_text("10")
        expect(row).to_contain_text("70%")
        chart = leader.locator('[data-villages-chart="progress"]')
        expect(chart).to_be_visible()
        expect(chart.locator("svg")).to_have_count(1)
        _fits(leader)
        row.locator("a[data-done]").click()
        expect(leader.locator("[data-records] tbody tr")).to_have_count(2)
        expect(leader.locator("[data-records-count]")).to_have_attribute("data-records-count", "2")
        _fits(leader)
    finally:
        context.close()
