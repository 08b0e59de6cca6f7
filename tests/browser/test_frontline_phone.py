"""The organisation department on a 375-pixel phone: from the cadres' ranking to a cadre's
front-line dossier, then to the records behind one of its figures and to the record itself; a
screenshot at each step, and the page never scrolls sideways; the yearly report as it prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.frontline.services import inspection_add
from wenmin.frontline.tests.conftest import a_case
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_the_department_walks_from_the_ranking_to_a_dossier_to_a_figures_records(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, tmp_path: Path
) -> None:
    county = live_desk.county
    zhang = county.cadre_department
    case = a_case(live_desk)
    inspection_add(
        actor=county.leader,
        cadre=zhang,
        inspected_on=timezone.localdate(),
        region=county.village_a,
        observed="深入村组协调路灯维修，群众评价较好。",
        rating="fairly_good",
    )
    base, page = live_server.url, phone_page
    ranking = f"{reverse('scoreboard:ranking')}?group=cadre"
    page.goto(base + ranking)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.leader.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + ranking)
    _fits(page)
    page.screenshot(path=str(tmp_path / "1-ranking.png"), full_page=True)
    # The ranking's dossier link leads to the front line's dossier.
    page.locator(f'tr[data-subject="{zhang.pk}"] a[href*="/dossier/"]').click()
    page.wait_for_url(f"**{reverse('frontline:cadre', args=[zhang.pk])}?year=*")
    _fits(page)
    page.screenshot(path=str(tmp_path / "2-dossier.png"), full_page=True)
    assert page.locator("h1").inner_text().startswith("张伟")
    assert page.locator('#inspections [data-figure="inspections"] .v').inner_text() == "1"
    cases = page.locator('#cases [data-figure="cases"] a')
    assert cases.locator(".v").inner_text() == "1"
    cases.click()
    page.wait_for_url("**/frontline/cadres/*/records/cases/cases/?year=*")
    _fits(page)
    page.screenshot(path=str(tmp_path / "3-records.png"), full_page=True)
    records = page.locator("table.fl-records tbody tr")
    assert records.count() == 1
    assert case.number in records.first.inner_text()
    records.first.locator("a").click()
    page.wait_for_url(base + reverse("cases:case_detail", args=[case.pk]))
    page.screenshot(path=str(tmp_path / "4-case.png"), full_page=True)
    # The yearly report, as it prints.
    page.goto(base + reverse("frontline:report_cadre", args=[zhang.pk]))
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden() and page.locator(".fl-assessment").is_visible()
    page.screenshot(path=str(tmp_path / "5-report-print.png"), full_page=True)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "1-ranking.png",
        "2-dossier.png",
        "3-records.png",
        "4-case.png",
        "5-report-print.png",
    ]


def test_a_units_place_in_the_comparison_scrolls_inside_its_box_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, tmp_path: Path
) -> None:
    from wenmin.frontline.tests.test_unit_comparison import _tree
    from wenmin.scoreboard.tests.test_pages import _handled

    county = live_desk.county
    _tree("township", ("cases.satisfaction", "quality", "1"), ("cases.response", "efficiency", "1"))
    _handled(live_desk, county.government_a, county.township_clerk, satisfaction=5)
    base, page = live_server.url, phone_page
    report = reverse("frontline:report_unit", args=[county.government_a.pk])
    page.goto(base + report)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.leader.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + report)
    _fits(page)
    section = page.locator('[data-section="comparison"]')
    assert section.locator('[data-figure="rank"] a').inner_text() == "1 / 1"  # 白沙乡: no sample
    wrap = section.locator(".table-wrap")
    assert wrap.evaluate("box => box.scrollWidth > box.clientWidth")  # it scrolls, the page not
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "unit-report.png"), full_page=True)
