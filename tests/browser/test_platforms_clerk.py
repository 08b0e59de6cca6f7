"""A township clerk at a service centre's counter, on a 375-pixel phone: takes a number for a
walk-in, calls it, records the service given, and shows the resident the rating QR code."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wenmin.platforms.models import QueueTicket, Result, ServiceRecord
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def test_a_clerk_records_a_walk_in_service_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from wenmin.platforms.tests.conftest import build_platforms

    platforms = build_platforms(live_desk.county)
    clerk = live_desk.county.township_clerk
    base = live_server.url
    page = phone_page
    desk = base + reverse("platforms:desk", args=[platforms.centre.pk])
    page.goto(desk)  # to the login page and back
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(clerk.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(desk)
    _fits(page)

    page.locator("button[data-take]").click()
    page.wait_for_url(desk)
    assert "001" in page.locator("[data-queue]").inner_text()
    page.locator("button[data-call]").click()
    page.wait_for_url(desk)
    assert "正在叫号 001" in page.content()
    _fits(page)

    form = page.locator("form[data-walkin]")
    form.locator("input[name=resident_name]").fill("陈明")
    form.locator("input[name=resident_phone]").fill("18600003333")
    form.locator("select[name=item]").select_option(label=platforms.certificate.name)
    ticket = QueueTicket.objects.get()
    form.locator("select[name=ticket]").select_option(value=str(ticket.pk))
    form.locator("select[name=result]").select_option(value=Result.DONE)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/platforms/records/*/")
    _fits(page)

    record = ServiceRecord.objects.get()
    assert record.item == platforms.certificate
    assert record.ticket == ticket
    assert record.resident == live_desk.county.resident_a
    assert record.clerk == clerk
    text = page.locator("[data-record]").inner_text()
    assert "186****3333" in text and "18600003333" not in page.content()
    assert page.locator("[data-rating-code]").inner_text() == record.rating_code
    assert page.locator("img[data-rating-qr]").is_visible()


def test_a_clerk_exports_the_service_records_ledger_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    import io
    import os

    import openpyxl

    from wenmin.platforms.tests.conftest import build_platforms

    platforms = build_platforms(live_desk.county)
    clerk = live_desk.county.township_clerk
    base = live_server.url
    page = phone_page
    desk = base + reverse("platforms:desk", args=[platforms.centre.pk])
    page.goto(desk)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(clerk.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(desk)
    export = page.locator("[data-records-export]")
    export.scroll_into_view_if_needed()
    assert export.locator("button[data-export]").is_visible()
    _fits(page)
    if os.environ.get("WENMIN_SCREENSHOTS"):
        export.screenshot(path=os.path.join(os.environ["WENMIN_SCREENSHOTS"], "export-375.png"))

    # Half a span: the form comes back with its message, still fitting the phone.
    export.locator("input[name=date_from]").fill("2026-03-01")
    export.locator("button[data-export]").click()
    page.wait_for_load_state()
    assert "请同时填写起始日期和截止日期" in page.content()
    _fits(page)

    export = page.locator("[data-records-export]")
    export.locator("input[name=date_from]").fill("")
    with page.expect_download() as download:
        export.locator("button[data-export]").click()
    with open(download.value.path(), "rb") as handle:
        sheet: Any = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    assert sheet["A1"].value == "服务记录台账"
