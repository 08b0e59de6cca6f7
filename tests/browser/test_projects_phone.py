"""The responsible cadre reports a project's progress with a photo on a 375-pixel phone; a county
leader reads the dashboard on the phone and opens what a figure counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.projects.models import Project, Report, ReportPhoto
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
    b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def _login(page: Any, base: str, user: Any, target: str) -> None:
    page.goto(base + target)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(user.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + target)


def test_a_cadre_reports_progress_with_a_photo_and_a_leader_reads_the_dashboard(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, chromium: Any
) -> None:
    from wenmin.projects.tests.conftest import build_world

    world = build_world(live_desk)
    county = live_desk.county
    base = live_server.url
    page = phone_page
    detail = reverse("projects:detail", args=[world.project.pk])
    _login(page, base, county.department_clerk, detail)
    _fits(page)
    page.locator("a[data-report-link]").click()
    page.wait_for_url(base + reverse("projects:report", args=[world.project.pk]))
    _fits(page)
    form = page.locator("form.report-form")
    form.locator("select[name=item]").select_option(str(world.demolition.pk))
    form.locator("input[name=reported_on]").fill(timezone.localdate().isoformat())
    form.locator("input[name=quantity_done]").fill("48.5")
    form.locator("select[name=unit]").select_option("buildings")
    form.locator("textarea[name=problems]").fill("两户对补偿标准有异议")
    form.locator("input[name=raise_case]").check()
    form.locator("input[name=photos]").set_input_files(
        {"name": "site.png", "mimeType": "image/png", "buffer": PNG}
    )
    form.locator("button[type=submit]").click()
    page.wait_for_url(base + detail)
    _fits(page)
    assert page.locator("[data-progress]").get_attribute("data-progress") == "20.0"
    assert page.locator("[data-report] .photos img").count() == 1
    assert page.locator("[data-cases] li").count() == 1
    report = Report.objects.get()
    assert (report.percent, ReportPhoto.objects.filter(report=report).count()) == (50, 1)
    # The Gantt chart is drawn (ECharts, no tiles, nothing from outside).
    page.wait_for_selector("#gantt svg")
    _fits(page)

    # A county leader on their phone: the dashboard, then what "under construction" counts.
    Project.objects.filter(pk=world.project.pk).update(status="under_construction")
    leader_context = chromium.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    try:
        leader = leader_context.new_page()
        leader.set_default_timeout(15_000)
        _login(leader, base, county.leader, reverse("projects:dashboard"))
        _fits(leader)
        leader.wait_for_selector("#status-chart svg")
        figure = leader.locator('[data-by-status] a[data-count="under_construction"]')
        assert figure.inner_text() == "1"
        figure.click()
        leader.wait_for_url(base + reverse("projects:home") + "?status=under_construction")
        _fits(leader)
        assert leader.locator("[data-count-total]").get_attribute("data-count-total") == "1"
        assert leader.locator(f'tr[data-project="{world.project.pk}"]').count() == 1
    finally:
        leader_context.close()
