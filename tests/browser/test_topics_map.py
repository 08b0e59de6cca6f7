"""The map on a 375-pixel phone with no internet: drawn from the county's own villages and the
viewer's cases, no request leaving 127.0.0.1, a tap on a case opening it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.testing import PASSWORD, CaseDesk
from wenmin.topics.tests.conftest import History

pytestmark = pytest.mark.browser


def test_the_map_works_offline_on_a_phone_and_a_tap_opens_the_case(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    county = live_desk.county
    history = History(live_desk)
    now = timezone.now()
    from wenmin.organisation.models import Region

    village = Region.objects.get(pk=county.village_a.pk)  # located by the live desk
    lat, lng = village.latitude, village.longitude
    assert lat is not None and lng is not None
    mine = history.case(
        category=live_desk.water,
        region=county.village_a,
        at=(lat, lng),
        when=now - dt.timedelta(days=1),
        text="青石村停水两天",
    )
    # Another township's case: not the clerk's, not on her map.
    history.case(category=live_desk.water, region=county.village_b, when=now - dt.timedelta(days=1))

    outside: list[str] = []

    def route(handle: Any, request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            handle.continue_()
        else:
            outside.append(request.url)
            handle.abort()

    page = phone_page
    page.route("**/*", route)
    base = live_server.url
    page.goto(base + reverse("topics:map"))
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.township_clerk.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + reverse("topics:map"))
    box = page.locator("[data-topics-map][data-ready=yes]")
    box.wait_for()
    assert box.get_attribute("data-points") == "1"  # her one case; the other township's is not
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")
    assert page.locator("[data-topics-map] canvas").count() >= 1

    # Tap the case's point: it opens the case.
    x, y = page.evaluate(
        "(function(){var el=document.querySelector('[data-topics-map]');"
        "var c=window.echarts.getInstanceByDom(el);var r=el.getBoundingClientRect();"
        f"var p=c.convertToPixel({{geoIndex:0}},[{float(lng)},{float(lat)}]);"
        "return [r.left+p[0], r.top+p[1]];})()"
    )
    page.mouse.click(x, y)
    page.wait_for_url(base + reverse("cases:case_detail", args=[mine.pk]))
    assert outside == [], f"requests left the machine: {outside}"
