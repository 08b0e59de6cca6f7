"""My reports: a logged-in resident's own cases, in her words, with what to do next."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel

MINE = reverse("portal:mine")


def _report(desk: Any, content: str, **overrides: Any) -> Case:
    """陈明 (the resident login's person) reports from the portal, logged in."""
    c = desk.county
    fields = {
        "channel": Channel.WEB,
        "content": content,
        "kind": "help",
        "requester": c.resident_a,
        "region": c.village_a,
        "actor": c.resident,
    }
    return cases.case_intake(**{**fields, **overrides})


def _replied(desk: Any, case: Case) -> Case:
    c = desk.county
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    case = cases.case_plan(case=case, actor=c.township_clerk, plan="安排维修")
    return cases.case_reply(case=case, actor=c.township_clerk, reply="已修好。")


def _resident(desk: Any) -> Client:
    client = Client()
    client.force_login(desk.county.resident)
    return client


def _cards(html: str) -> list[str]:
    return re.findall(r'<li data-case="([^"]+)">', html)


def test_my_reports_needs_a_login(client, desk):
    response = client.get(MINE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_resident_sees_her_own_cases_with_state_deadline_and_what_to_do(desk):
    c = desk.county
    waiting = _report(desk, "路灯坏了，晚上很黑。")
    answered = _replied(desk, _report(desk, "青石村路口水管漏水。"))
    others = cases.case_intake(
        channel=Channel.WEB, content="白沙村的事", requester=c.resident_b, region=c.village_b
    )
    anonymous = cases.case_intake(channel=Channel.WEB, content="没有留名的事")
    response = _resident(desk).get(MINE)
    html = response.content.decode()
    assert response.status_code == 200
    assert _cards(html) == [answered.number, waiting.number]  # newest first
    assert others.number not in html and anonymous.number not in html
    assert "已受理，正在转交承办单位" in html  # the state in her words, not "待分析"
    assert "已答复，等待您评价" in html
    due = timezone.localtime(waiting.result_due).strftime("%Y-%m-%d %H:%M")
    assert f"承办单位应于 {due} 前给出办理结果" in html  # the unit's obligation, not an order
    assert "请于" not in html
    track = reverse("portal:track", args=[waiting.tracking_code])
    assert f'href="{track}"' in html
    rate = reverse("portal:track", args=[answered.tracking_code]) + "#rate"
    assert html.count("data-rate") == 1 and f'href="{rate}" data-rate' in html


def test_the_rate_link_opens_a_form_that_needs_no_more_proof(desk):
    case = _replied(desk, _report(desk, "青石村路口水管漏水。"))
    page = _resident(desk).get(reverse("portal:track", args=[case.tracking_code]))
    html = page.content.decode()
    assert 'id="rate"' in html and 'name="phone_last4"' not in html
    assert f'href="{MINE}"' in html  # and back to her reports


def test_with_nothing_reported_the_page_says_what_to_do_next(desk):
    response = _resident(desk).get(MINE)
    html = response.content.decode()
    assert response.status_code == 200 and "data-empty" in html
    assert "您还没有用这个账号反映过问题" in html
    assert f'href="{reverse("portal:submit")}"' in html
    assert f'href="{reverse("portal:track_lookup")}"' in html


def test_staff_see_only_what_they_reported_themselves_here(desk):
    c = desk.county
    _report(desk, "路灯坏了，晚上很黑。")
    client = Client()
    client.force_login(desk.dispatcher)  # sees every case at work, none of them is his own
    html = client.get(MINE).content.decode()
    assert _cards(html) == [] and "data-empty" in html
    mine = _report(desk, "我家门口的路灯也坏了。", requester=c.member_a, actor=None)
    secretary = Client()
    secretary.force_login(c.branch_secretary)  # 李秀英 reported one herself
    assert _cards(secretary.get(MINE).content.decode()) == [mine.number]


def test_the_list_takes_the_same_queries_for_two_cases_or_ten(desk, django_assert_num_queries):
    for n in range(2):
        _replied(desk, _report(desk, f"第{n}件事"))
    client = _resident(desk)
    client.get(MINE)  # the session and the user, warmed
    with django_assert_num_queries(4) as few:  # session, user, count, page
        client.get(MINE)
    for n in range(8):
        _report(desk, f"又一件事{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(MINE).content.decode()
    assert len(_cards(html)) == 10
