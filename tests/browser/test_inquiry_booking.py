"""A verified resident books a leader's reception slot on a 375-pixel phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wenmin.inquiry.models import Booking
from wenmin.inquiry.rules import BookingState
from wenmin.inquiry.testing import build_office
from wenmin.residents.testing import phone_verified
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_a_verified_resident_books_a_slot_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    office = build_office(live_desk)
    resident = phone_verified(live_desk.county.resident)
    base, page = live_server.url, phone_page
    leaders = reverse("inquiry:leaders")
    page.goto(f"{base}{reverse('login')}?next={leaders}")
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(resident.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + leaders)
    _fits(page)
    page.locator(f'[data-day="{office.day.pk}"] a').click()
    page.wait_for_url(base + reverse("inquiry:day", args=[office.day.pk]))
    _fits(page)
    first = office.day.slots.order_by("starts")[0]
    page.locator(f'[data-slot="{first.pk}"] a[data-book]').click()
    page.wait_for_url(base + reverse("inquiry:book", args=[first.pk]))
    _fits(page)
    page.locator("input[name=topic]").fill("村口道路坑洼")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(base + reverse("inquiry:mine"))
    booking = Booking.objects.get()
    card = page.locator(f'[data-booking="{booking.pk}"]')
    expect(card).to_contain_text("村口道路坑洼")
    expect(card).to_have_attribute("data-state", BookingState.BOOKED)
    _fits(page)
    assert (booking.resident, booking.slot) == (resident.person, first)
    # the slot's one place is taken: the day's page shows it full
    page.goto(base + reverse("inquiry:day", args=[office.day.pk]))
    expect(page.locator(f'[data-slot="{first.pk}"] a[data-book]')).to_have_count(0)


def test_the_leader_s_office_pages_fit_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    office = build_office(live_desk)
    base, page = live_server.url, phone_page
    desk = reverse("inquiry:desk")
    page.goto(f"{base}{reverse('login')}?next={desk}")
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(office.clerk.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + desk)
    for url in (
        desk,
        reverse("inquiry:day_new"),
        reverse("inquiry:desk_day", args=[office.day.pk]),
        reverse("inquiry:visit_new"),
        reverse("inquiry:inbox"),
        reverse("inquiry:leader", args=[office.leader.pk]),
    ):
        page.goto(base + url)
        assert page.evaluate("document.documentElement.scrollWidth <= 375"), url
