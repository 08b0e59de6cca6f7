"""A branch secretary records a practical deed with a photo on a 375-pixel phone, and the village
confirms it on its own phone (the secretary may not confirm her own deed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.deeds.models import Deed, DeedPhoto, DeedState
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


def test_a_secretary_records_a_deed_with_a_photo_and_the_village_confirms_it(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.deeds.tests.conftest import PNG, build_deed_world

    world = build_deed_world(live_desk)
    county = live_desk.county
    base = live_server.url
    page = phone_page
    _login(page, base, reverse("deeds:new"), county.branch_secretary.username)
    _fits(page)
    form = page.locator("form.deed")
    form.locator("input[name=title]").fill("帮助陈大爷修缮漏雨屋顶")
    form.locator("input[name=done_on]").fill(timezone.localdate().isoformat())
    form.locator('input[name=beneficiary_kind][value="household"]').check()
    form.locator("input[name=household]").fill(world.household.code)
    form.locator('input[name=doer_kind][value="branch"]').check()
    assert form.locator("input[name=branch]").input_value() == county.branch_a.code
    form.locator("input[name=photos]").set_input_files(
        {"name": "roof.png", "mimeType": "image/png", "buffer": PNG}
    )
    form.locator("button[type=submit]").click()
    deed_url = None
    for _ in range(50):
        deed = Deed.objects.first()
        if deed is not None:
            deed_url = base + reverse("deeds:detail", args=[deed.pk])
            break
        page.wait_for_timeout(200)
    assert deed_url is not None
    page.wait_for_url(deed_url)
    _fits(page)
    expect(page.locator("[data-state]")).to_have_attribute("data-state", DeedState.PENDING)
    expect(page.locator(".photos img")).to_be_visible()
    assert page.locator("[data-confirm]").count() == 0  # not by its own author
    assert DeedPhoto.objects.filter(deed__pk=deed.pk).count() == 1

    # The village's council confirms it on its phone.
    page.context.clear_cookies()
    _login(page, base, reverse("deeds:detail", args=[deed.pk]), world.village_clerk.username)
    _fits(page)
    page.locator("input[name=note]").fill("属实")
    page.locator('[data-confirm="village"]').click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", DeedState.CONFIRMED)
    _fits(page)
    deed.refresh_from_db()
    assert (deed.state, deed.confirmer_kind, deed.confirmed_by) == (
        DeedState.CONFIRMED,
        "village",
        world.village_clerk,
    )
