"""A volunteer's needs-survey visit on a 375-pixel phone with a connection that comes and goes:
the answers are kept on the phone, sent when the signal is back, and stored exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from wenmin.surveys.models import Need, Visit, VisitPhoto
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser


def _noisy_png(width: int, height: int) -> bytes:
    """A PNG of random pixels: big as a camera's photo, whatever the compression."""
    import os
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def _until_outbox_empty(page: Any) -> None:
    # wait_for_function evaluates a string, which the Content-Security-Policy forbids.
    for _ in range(100):
        if (
            page.evaluate(
                "Object.keys(JSON.parse(localStorage.getItem('wenmin.surveys.outbox') || '{}')).length"
            )
            == 0
        ):
            return
        page.wait_for_timeout(200)
    raise AssertionError("the outbox was never sent")


def test_a_visit_sent_offline_is_kept_then_stored_once(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(live_desk)
    county = live_desk.county
    base = live_server.url
    page = phone_page
    page.goto(base + reverse("surveys:my_visits"))  # to the login page and back
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.volunteer.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + reverse("surveys:my_visits"))
    _fits(page)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    page.locator(f'li[data-assignment="{assignment.pk}"] a').click()
    page.wait_for_url(base + reverse("surveys:visit_new", args=[assignment.pk]))
    _fits(page)

    form = page.locator("form[data-visit-form]")
    form.locator(f'input[name="q_{survey.single.pk}"][value="一般"]').check()
    form.locator(f'input[name="q_{survey.multiple.pk}"][value="看病"]').check()
    form.locator(f'input[name="q_{survey.number.pk}"]').fill("2")
    form.locator(f'input[name="q_{survey.yes_no.pk}"][value="yes"]').check()
    form.locator(f'textarea[name="q_{survey.text.pk}"]').fill("屋顶漏雨")
    form.locator("select[name=need_kind_0]").select_option("repair")
    form.locator("textarea[name=need_text_0]").fill("屋顶漏雨需修缮")
    form.locator('input[name=need_resolution_0][value="case"]').check()
    key = form.locator("input[name=idempotency_key]").input_value()

    # The answers are on the phone as they are typed: a reload keeps them and the visit's key.
    page.reload()
    expect(form.locator(f'input[name="q_{survey.single.pk}"][value="一般"]')).to_be_checked()
    assert form.locator("input[name=idempotency_key]").input_value() == key
    photo = _noisy_png(1700, 1000)  # a camera's photo: made smaller on the phone before keeping
    form.locator(f'input[name="q_{survey.photo.pk}"]').set_input_files(
        {"name": "house.png", "mimeType": "image/png", "buffer": photo}
    )

    page.context.set_offline(True)
    form.locator("button[type=submit]").click()
    status = page.locator("[data-outbox-status]")
    expect(status).to_contain_text("已保存在手机上")
    assert Visit.objects.count() == 0
    kept = page.evaluate("localStorage.getItem('wenmin.surveys.outbox')")
    assert key in kept
    _fits(page)

    page.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "sent", timeout=20_000)
    assert Visit.objects.count() == 1
    assert (
        page.evaluate("Object.keys(JSON.parse(localStorage.getItem('wenmin.surveys.outbox')))")
        == []
    )

    # The same visit sent again (a retry whose answer was lost) is not stored twice.
    page.evaluate(
        f"localStorage.setItem('wenmin.surveys.outbox', JSON.stringify({{{key!r}: {kept}[{key!r}]}}))"
    )
    page.goto(base + reverse("surveys:my_visits"))
    _until_outbox_empty(page)
    visit = Visit.objects.get()
    assert visit.idempotency_key == key
    assert visit.answers[str(survey.text.pk)] == "屋顶漏雨"
    assert Need.objects.get().case is not None
    stored = VisitPhoto.objects.get(visit=visit)
    assert (stored.original_name, stored.content_type) == ("house.jpg", "image/jpeg")
    assert stored.size < len(photo) / 4
    assert visit.answers[str(survey.photo.pk)] == [stored.pk]
    page.goto(base + reverse("surveys:visit_done", args=[visit.pk]))
    expect(page.locator("[data-visit-stored]")).to_be_visible()
    _fits(page)


def test_the_results_fit_a_phone_and_draw_a_chart_per_question(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.surveys import services
    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(live_desk)
    county = live_desk.county
    for n, code in enumerate(["H-QS-001", "H-QS-002"]):
        services.visit_submit(
            actor=county.volunteer,
            idempotency_key=f"browser-results-{n}",
            version=survey.version,
            assignment=survey.plan.assignments.get(household__code=code),
            answers=survey.answers(),
        )
    base = live_server.url
    page = phone_page
    url = base + reverse("surveys:plan_results", args=[survey.plan.pk])
    page.goto(url)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.township_clerk.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(url)
    chart = page.locator(f'[data-survey-chart="tally-{survey.single.pk}"]')
    expect(chart).to_be_visible()
    expect(chart.locator("svg")).to_have_count(1)
    expect(page.locator('[data-coverage] a[data-count="visited"]')).to_have_text("2")
    _fits(page)
    page.locator('[data-coverage] a[data-count="visited"]').click()
    expect(page.locator("[data-household]")).to_have_count(2)
    _fits(page)


def test_a_visit_kept_while_the_session_ended_is_sent_after_logging_in_again(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(live_desk)
    county = live_desk.county
    base = live_server.url
    page = phone_page
    assignment = survey.plan.assignments.get(household__code="H-QS-002")
    url = base + reverse("surveys:visit_new", args=[assignment.pk])

    def log_in() -> None:
        login = page.locator("section.login form")
        login.locator("input[name=username]").fill(county.volunteer.username)
        login.locator("input[name=password]").fill(PASSWORD)
        login.locator("button[type=submit]").click()

    page.goto(url)
    log_in()
    page.wait_for_url(url)
    form = page.locator("form[data-visit-form]")
    form.locator(f'input[name="q_{survey.single.pk}"][value="良好"]').check()
    form.locator(f'input[name="q_{survey.number.pk}"]').fill("1")
    form.locator(f'input[name="q_{survey.yes_no.pk}"][value="no"]').check()
    page.context.set_offline(True)
    form.locator("button[type=submit]").click()
    status = page.locator("[data-outbox-status]")
    expect(status).to_contain_text("已保存在手机上")

    page.context.clear_cookies()  # the session ends while the phone is offline
    page.context.set_offline(False)
    expect(status).to_contain_text("请重新登录", timeout=20_000)
    assert Visit.objects.count() == 0

    page.goto(base + reverse("surveys:my_visits"))
    log_in()  # a new session and a new CSRF token; the kept visit is sent with the new one
    page.wait_for_url(base + reverse("surveys:my_visits"))
    _until_outbox_empty(page)
    assert Visit.objects.get().household.code == "H-QS-002"


def test_a_refused_visit_shows_the_reason_at_its_question_and_is_sent_once_corrected(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(live_desk)
    county = live_desk.county
    base = live_server.url
    page = phone_page
    assignment = survey.plan.assignments.get(household__code="H-QS-003")
    url = base + reverse("surveys:visit_new", args=[assignment.pk])
    page.goto(url)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.volunteer.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(url)
    form = page.locator("form[data-visit-form]")
    form.locator(f'input[name="q_{survey.single.pk}"][value="较差"]').check()
    form.locator(f'input[name="q_{survey.yes_no.pk}"][value="yes"]').check()
    number = form.locator(f'input[name="q_{survey.number.pk}"]')
    number.evaluate("input => input.removeAttribute('max')")  # what an old form would let through
    number.fill("99")
    form.locator("button[type=submit]").click()
    status = page.locator("[data-outbox-status]")
    expect(status).to_have_attribute("data-state", "refused")
    expect(
        page.locator(f'fieldset[data-question="{survey.number.pk}"] .errorlist')
    ).to_contain_text("20")
    assert Visit.objects.count() == 0
    number.fill("3")
    form.locator("button[type=submit]").click()
    expect(status).to_have_attribute("data-state", "sent")
    assert Visit.objects.get().answers[str(survey.number.pk)] == 3
    _fits(page)


def test_the_visit_records_where_it_happened_when_the_volunteer_allows_it(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(live_desk)
    county = live_desk.county
    base = live_server.url
    page = phone_page
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 36.123456, "longitude": 117.654321})
    assignment = survey.plan.assignments.get(household__code="H-QS-003")
    url = base + reverse("surveys:visit_new", args=[assignment.pk])
    page.goto(url)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.volunteer.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(url)
    expect(page.locator("[data-location]")).to_have_attribute("data-state", "found")
    form = page.locator("form[data-visit-form]")
    form.locator(f'input[name="q_{survey.single.pk}"][value="良好"]').check()
    form.locator(f'input[name="q_{survey.number.pk}"]').fill("1")
    form.locator(f'input[name="q_{survey.yes_no.pk}"][value="no"]').check()
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-outbox-status]")).to_have_attribute(
        "data-state", "sent", timeout=20_000
    )
    visit = Visit.objects.get()
    assert (str(visit.latitude), str(visit.longitude)) == ("36.123456", "117.654321")
    _fits(page)


def test_a_resident_answers_a_survey_opened_to_residents_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    import datetime as dt

    from django.conf import settings
    from django.shortcuts import resolve_url
    from django.utils import timezone
    from playwright.sync_api import expect

    from wenmin.residents.testing import phone_verified
    from wenmin.surveys import services
    from wenmin.surveys.models import VisitPlan, VisitSource
    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(live_desk)
    county = live_desk.county
    today = timezone.localdate()
    VisitPlan.objects.filter(pk=survey.plan.pk).update(ends_on=today + dt.timedelta(days=60))
    survey.plan.refresh_from_db()
    services.plan_open_to_residents(
        actor=None, plan=survey.plan, until=today + dt.timedelta(days=30)
    )
    phone_verified(county.resident)
    base = live_server.url
    page = phone_page
    url = base + reverse("surveys:answer", args=[survey.plan.pk])
    # A verified resident signs in (an unverified one is sent to verify their phone first).
    page.goto(base + resolve_url(settings.LOGIN_URL) + "?next=" + url.removeprefix(base))
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.resident.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(url)
    _fits(page)
    form = page.locator("form[data-answer-form]")
    form.locator(f'input[name="q_{survey.single.pk}"][value="一般"]').check()
    form.locator(f'input[name="q_{survey.number.pk}"]').fill("2")
    form.locator(f'input[name="q_{survey.yes_no.pk}"][value="yes"]').check()
    form.locator("select[name=need_kind_0]").select_option("medical")
    form.locator("textarea[name=need_text_0]").fill("需要定期量血压")
    form.locator("button[type=submit]").click()
    page.wait_for_url(base + reverse("surveys:my_answers"))
    answer = Visit.objects.get(source=VisitSource.RESIDENT)
    expect(page.locator(f'[data-answer="{answer.pk}"]')).to_contain_text("需要定期量血压")
    _fits(page)


def test_a_waiting_need_is_resolved_from_the_townships_list_on_a_phone(
    live_server: Any, live_desk: CaseDesk, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    from wenmin.surveys import services
    from wenmin.surveys.models import Resolution
    from wenmin.surveys.services import NeedInput
    from wenmin.surveys.tests.conftest import build_survey

    survey = build_survey(live_desk)
    county = live_desk.county
    visit = services.visit_submit(
        actor=county.volunteer,
        idempotency_key="browser-waiting-1",
        version=survey.version,
        assignment=survey.plan.assignments.get(household__code="H-QS-001"),
        answers=survey.answers(),
        needs=[NeedInput("care", "需要志愿者帮忙打扫卫生", Resolution.WAITING)],
    ).visit
    need = visit.needs.get()
    base = live_server.url
    page = phone_page
    url = base + reverse("surveys:needs_waiting")
    page.goto(url)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(county.township_clerk.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(url)
    _fits(page)
    page.locator(f'[data-townships] a[data-count="{county.township_a.pk}"]').click()
    row = page.locator(f'li[data-need="{need.pk}"]')
    expect(row).to_be_visible()
    _fits(page)
    row.locator("select[name=resolution]").select_option(Resolution.ACTIVITY)
    row.locator("input[name=note]").fill("党员义工队上门打扫")
    row.locator("button[type=submit]").click()
    page.wait_for_url(url)
    expect(page.locator(f'li[data-need="{need.pk}"]')).to_have_count(0)
    need.refresh_from_db()
    assert need.resolution == Resolution.ACTIVITY and need.resolution_note == "党员义工队上门打扫"
    _fits(page)
