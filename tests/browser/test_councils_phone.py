"""A council decision on a 375-pixel phone: a villager raises a proposal and supports it, the
branch secretary records the four meetings of 四议两公开 (one adjourned for want of its quorum
(流会) and held again) and publishes the decision, and the public page shows the notice period with its end date and the objection form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from wenmin.councils import services
from wenmin.councils.models import Proposal
from wenmin.councils.procedure import MEETING_STAGES, State
from wenmin.residents.testing import phone_verified
from wenmin.testing import PASSWORD, SmallCounty

pytestmark = pytest.mark.browser


def _fits(page: Any) -> None:
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def _log_in(page: Any, base: str, username: str, then: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('login')}?next={then}")
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + then)


def _fill_meeting(
    page: Any, stage: str, *, present: str, votes_for: str, votes_against: str
) -> None:
    from playwright.sync_api import expect

    meeting = page.locator("#meeting-form")
    expect(meeting.locator("select[name=stage]")).to_have_value(stage)
    meeting.locator("input[name=held_on]").fill("2026-03-02")
    meeting.locator("input[name=place]").fill("村委会会议室")
    meeting.locator("input[name=expected]").fill("9")
    meeting.locator("input[name=present]").fill(present)
    meeting.locator("input[name=votes_for]").fill(votes_for)
    meeting.locator("input[name=votes_against]").fill(votes_against)
    meeting.locator("input[name=abstentions]").fill("0")
    meeting.locator("textarea[name=minutes]").fill(f"{stage}：讨论，表决。")


def test_a_council_decision_from_proposal_to_public_notice_on_a_phone(
    live_server: Any, live_county: SmallCounty, phone_page: Any
) -> None:
    from playwright.sync_api import expect

    county = live_county
    services.council_create(
        actor=county.branch_secretary,
        region=county.village_a,
        name="青石村村民理事会",
        term_start=dt.date(2024, 1, 1),
    )
    phone_verified(county.resident)
    base, page = live_server.url, phone_page

    # A villager raises the proposal and supports it.
    _log_in(page, base, county.resident.username, reverse("councils:proposal_new"))
    form = page.locator("form.stack")
    form.locator("select[name=region]").select_option(str(county.village_a.pk))
    form.locator("input[name=title]").fill("修建村口便民桥")
    form.locator("textarea[name=description]").fill("村口木桥年久失修，雨季无法通行。")
    form.locator("input[name=location]").fill("村口小河")
    _fits(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("修建村口便民桥")
    proposal = Proposal.objects.get()
    page.locator(
        f'form[action="{reverse("councils:proposal_support", args=[proposal.pk])}"] button'
    ).click()
    expect(page.locator("#support-count")).to_have_text("1")
    _fits(page)

    # The branch secretary records the four meetings and publishes the decision.
    manage = reverse("councils:proposal_manage", args=[proposal.pk])
    _log_in(page, base, county.branch_secretary.username, manage)
    for number, stage in enumerate(MEETING_STAGES):
        if number == 1:
            # Only 4 of 9 came: the vote is refused, the keeper records it as adjourned (流会)
            # and the same meeting is held again.
            _fill_meeting(page, stage, present="4", votes_for="4", votes_against="0")
            page.locator("#meeting-form button[type=submit]:not([formaction])").click()
            expect(page.locator(".notice.error")).to_contain_text(
                "实到 4 人，未超过应到 9 人的一半"
            )
            _fits(page)
            page.locator("#meeting-adjourn").click()
            expect(page.locator("ul.messages li.warning")).to_contain_text("流会")
            expect(page.locator(".meeting .outcome.adjourned")).to_have_text("流会（未达法定人数）")
            proposal.refresh_from_db()
            assert proposal.state == State.IN_PROCEDURE
        _fill_meeting(page, stage, present="7", votes_for="6", votes_against="1")
        _fits(page)
        page.locator("#meeting-form button[type=submit]:not([formaction])").click()
        expect(page.locator("ul.messages li.success")).to_have_count(1)
        expect(page.locator(".meeting .outcome.ok")).to_have_count(number + 1)
    page.locator("#publish-decision").click()
    expect(page.locator("ul.messages li.success")).to_have_count(1)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_NOTICE and proposal.notice_until is not None
    _fits(page)

    # Anybody sees the notice, its end date and the objection form.
    page.context.clear_cookies()
    page.goto(base + reverse("councils:proposal_detail", args=[proposal.pk]))
    notice = page.locator("#notice")
    until = proposal.notice_until.astimezone(dt.timezone(dt.timedelta(hours=8)))
    expect(notice).to_contain_text(until.strftime("%Y-%m-%d %H:%M"))
    expect(notice.locator("textarea[name=text]")).to_have_count(1)
    expect(page.locator("ol.stages li.done")).to_have_count(4)
    expect(page.locator("ol.stages li.current")).to_have_text("决议公开")
    expect(page.locator(".meeting")).to_have_count(5)
    expect(page.locator(".meeting .outcome.adjourned")).to_have_count(1)
    _fits(page)
