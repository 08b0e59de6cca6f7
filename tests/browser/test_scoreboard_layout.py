"""The ranking table on an office screen and on a phone, in Chinese with Chinese fonts: at
1366 × 900 every column shows, the last one unclipped; at 375 px the table scrolls inside its own
box and the page never scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Channel
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const wraps = [...document.querySelectorAll('.table-wrap')].filter(w => w.querySelector('table.sb-ranking'));
  return {
    page: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
    tables: wraps.map(w => {
      const box = w.getBoundingClientRect();
      const last = w.querySelector('thead th:last-child').getBoundingClientRect();
      return {scroll: w.scrollWidth, client: w.clientWidth, right: box.right, lastRight: last.right};
    }),
  };
}"""


def _month(desk: CaseDesk) -> None:
    """Two departments (one with a long name) and two townships, a dozen cases each: two-digit
    samples in every column, as in a real month."""
    c = desk.county
    long_name = org.unit_create(
        actor=None,
        code="D-RS",
        name="枫岭县人力资源和社会保障局",
        kind="department",
        region=c.county,
    )
    clerk = User.objects.create_user(username="renshe", role=Role.DEPARTMENT_STAFF, unit=long_name)
    handlers = (
        (c.department, c.department_clerk, c.village_a),
        (long_name, clerk, c.village_b),
        (c.government_a, c.township_clerk, c.village_a),
        (c.government_b, c.other_township_clerk, c.village_b),
    )
    for unit, handler, village in handlers:
        for n in range(12):
            case = cases.case_intake(
                channel=Channel.PHONE, kind="help", content="路灯不亮", region=village
            )
            case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=unit)
            case = cases.case_sign_for(case=case, actor=handler)
            if n == 0:
                cases.case_return(case=case, actor=handler, reason="不属本单位")
                continue
            case = cases.case_plan(case=case, actor=handler, plan="维修")
            case = cases.case_reply(case=case, actor=handler, reply="已修好")
            cases.case_callback(
                case=case, actor=desk.dispatcher, resolved=True, satisfaction=5 - n % 3
            )


def _login(page: Any, url: str, username: str) -> None:
    page.goto(url + reverse("login"))
    form = page.locator("section.login form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("group", ["township", "department"])
def test_the_ranking_fits_an_office_screen_and_scrolls_in_its_box_on_a_phone(
    live_server: Any, live_desk: CaseDesk, chromium: Any, tmp_path: Path, group: str
) -> None:
    _month(live_desk)
    ranking = f"{live_server.url}{reverse('scoreboard:ranking')}?group={group}"
    for width, height in ((1366, 900), (375, 812)):
        context = chromium.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            _login(page, live_server.url, live_desk.county.leader.username)
            page.goto(ranking)
            page.screenshot(path=str(tmp_path / f"ranking-{group}-{width}.png"), full_page=True)
            measured = page.evaluate(MEASURE)
        finally:
            context.close()
        assert measured["tables"], measured
        assert measured["page"] <= measured["viewport"], measured  # the page never scrolls
        for table in measured["tables"]:
            if width == 1366:
                assert table["scroll"] <= table["client"], measured  # nothing hidden
                assert table["lastRight"] <= table["right"] + 0.5, measured
            else:
                assert table["scroll"] > table["client"], measured  # it scrolls in its box
