"""The monthly bulletin: the county's figures, rankings, lists and escalations, as a printable
page and as an Excel workbook with Chinese sheets and headers, audited."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel
from wenmin.core.models import AuditEvent
from wenmin.scoreboard.tests.test_pages import _handled, _page, _shift_to, this_month

BULLETIN = reverse("scoreboard:bulletin")


def _escalated(desk) -> Case:  # type: ignore[no-untyped-def]
    """A case returned three times by the township: escalated for supervision."""
    c = desk.county
    case = cases.case_intake(
        channel=Channel.PHONE, kind="complaint", content="噪音扰民", region=c.village_a
    )
    for _ in range(3):
        case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
        case = cases.case_return(case=case, actor=c.township_clerk, reason="不属本单位")
    case.refresh_from_db()
    assert case.escalated_at is not None
    return case


def _month(desk):  # type: ignore[no-untyped-def]
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk, satisfaction=5)
    _handled(desk, c.government_a, c.township_clerk, satisfaction=1, resolved=False)
    _handled(desk, c.department, c.department_clerk, satisfaction=4)
    return _escalated(desk)


def test_the_bulletin_page_shows_the_county_figures_rankings_lists_and_escalations(client, desk):
    c = desk.county
    escalated = _month(desk)
    response = _page(client, c.leader, BULLETIN, period=this_month().label)
    assert response.status_code == 200
    page = response.content.decode()
    headline = re.search(r'<ul class="sb-figures">(.*?)</ul>', page, re.S)
    assert headline
    figures = dict(
        re.findall(
            r'data-figure="(\w+)"><a href="[^"]*"[^>]*><span class="v">([^<]+)<', headline[1]
        )
    )
    assert figures["received"] == "4"
    assert figures["closed"] == "2"  # the unresolved callback went back for rework
    assert figures["resolution"] == "66.7%"  # 2 of 3 callbacks resolved
    assert figures["satisfaction"] == "66.7%"  # 5 and 4 of 5 are satisfied, 1 is not
    assert figures["response"] == "50.0%"  # 3 of 6 dispatches signed for (3 were returned)
    assert figures["escalated"] == "1"
    assert f'<tr data-case="{escalated.pk}">' in page
    assert 'data-group="township"' in page and 'data-group="department"' in page
    assert "青石镇" in page and "县住房和城乡建设局" in page
    assert "format=xlsx" in page and "data-print" in page


def test_the_bulletin_is_of_last_month_unless_told(client, desk):
    c = desk.county
    earlier = _handled(desk, c.government_a, c.township_clerk)
    _shift_to([earlier.pk], this_month().previous().start)
    response = _page(client, c.leader, BULLETIN)
    assert response.context["period"] == this_month().previous()
    assert response.context["bulletin"].headline.closed == 1
    now = _page(client, c.leader, BULLETIN, period=this_month().label)
    assert now.context["bulletin"].headline.closed == 0


def test_the_bulletin_excel_has_chinese_sheets_and_headers_and_is_audited(client, desk):
    c = desk.county
    escalated = _month(desk)
    response = _page(client, c.leader, BULLETIN, period=this_month().label, format="xlsx")
    assert response.status_code == 200
    name = f"又比又看月报_{c.county.name}_{this_month().label}.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["概况", "乡镇排名", "部门排名", "红黑榜", "提级督办"]
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert summary["受理诉求"] == 4 and summary["提级督办"] == 1
    assert summary["解决率"] == pytest.approx(2 / 3)
    townships = list(book["乡镇排名"].iter_rows(values_only=True))
    assert townships[0][:5] == ("排名", "名次变化", "名称", "综合得分", "响应率")
    assert {row[2] for row in townships[1:]} == {"青石镇", "白沙乡"}
    departments = list(book["部门排名"].iter_rows(values_only=True))
    assert "县住房和城乡建设局" in {row[2] for row in departments[1:]}
    lists = list(book["红黑榜"].iter_rows(values_only=True))
    assert lists[0] == ("类别", "榜单", "名次", "名称", "综合得分", "样本量")
    escalations = list(book["提级督办"].iter_rows(values_only=True))
    assert escalations[0][0] == "编号" and escalations[1][0] == escalated.number
    audit = AuditEvent.objects.get(action="scoreboard.bulletin_export")
    assert audit.actor == c.leader and audit.changes["period"] == this_month().label


def test_a_branch_secretary_reads_the_bulletin_but_cannot_download_it(client, desk):
    c = desk.county
    assert _page(client, c.branch_secretary, BULLETIN).status_code == 200
    assert _page(client, c.branch_secretary, BULLETIN, format="xlsx").status_code == 403
    assert _page(client, c.township_clerk, BULLETIN, format="xlsx").status_code == 200
    for user in (c.volunteer, c.resident):
        assert _page(client, user, BULLETIN).status_code == 403
    assert AuditEvent.objects.filter(action="scoreboard.bulletin_export").count() == 1


def test_the_bulletin_queries_do_not_grow_with_the_cases(
    client, desk, django_assert_max_num_queries
):
    c = desk.county
    _month(desk)
    client.force_login(c.leader)
    with django_assert_max_num_queries(15) as few:
        client.get(BULLETIN, {"period": this_month().label})
    for _ in range(3):
        _month(desk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(BULLETIN, {"period": this_month().label})
    assert response.context["bulletin"].headline.escalated == 4
