"""The lists for personnel decisions (先进, 推进不力) with their evidence and criteria, the pure
criteria themselves, and the yearly evaluation report as a page and as Excel."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
from django.urls import reverse
from django.utils import translation

from wenmin.cases.dossier import _LABELS as CASES
from wenmin.core.models import AuditEvent
from wenmin.frontline import criteria
from wenmin.frontline.services import inspection_add

from .conftest import Front, client_for

LISTS = reverse("frontline:lists")
T = criteria.Thresholds()


def test_the_criteria_put_a_cadre_behind_on_any_sign_and_ahead_only_on_all() -> None:
    ahead = criteria.Facts(projects=2, on_time=9, late=1, faster=1)  # 90 % on time
    assert criteria.judge(ahead, T).verdict == criteria.EXCELLED
    assert criteria.judge(criteria.Facts(projects=1, mean_lead=Decimal(5)), T).verdict == (
        criteria.EXCELLED
    )
    # Not fast enough, or too many milestones late for 90 %, or a supervision order: no list.
    assert criteria.judge(criteria.Facts(projects=1, mean_lead=Decimal("4.9")), T).verdict is None
    assert (
        criteria.judge(criteria.Facts(projects=2, on_time=8, late=1, faster=1), T).verdict is None
    )
    assert criteria.judge(criteria.Facts(projects=1, faster=1, orders=1), T).verdict is None
    for sign in (
        criteria.Facts(projects=1, faster=3, running=1, behind=1),
        criteria.Facts(projects=1, faster=3, on_time=1, late=2),
        criteria.Facts(projects=1, faster=3, escalations=1),
        criteria.Facts(projects=1, faster=3, poor=1),
    ):
        assert criteria.judge(sign, T).verdict == criteria.BEHIND, sign
    assert criteria.judge(criteria.Facts(projects=0, behind=1), T).verdict is None
    # One of four under construction behind is not more than a quarter: on no list.
    assert (
        criteria.judge(criteria.Facts(projects=4, running=4, behind=1, faster=2), T).verdict is None
    )
    # Two late of four due is not more than half: late, but not behind.
    assert criteria.judge(criteria.Facts(projects=3, on_time=2, late=2), T).verdict is None


def test_the_lists_name_the_cadre_ahead_and_the_one_behind_with_their_evidence(
    front: Front,
) -> None:
    c = front.desk.county
    inspection_add(
        actor=c.leader,
        cadre=front.li,
        inspected_on=front.today,
        project=front.fast,
        observed="主管铺设提前完工，质量达标。",
        rating="good",
    )
    response = client_for(c.leader).get(LISTS, {"year": front.today.year})
    assert response.status_code == 200
    excelled = response.context["excelled"]
    behind = response.context["behind"]
    assert [s.person for s in excelled] == [front.li]
    assert [s.person for s in behind] == [front.zhang]
    zhang = behind[0]
    assert (zhang.facts.running, zhang.facts.behind, zhang.facts.late) == (1, 1, 1)
    assert zhang.projects[0].expected == Decimal("70.0")  # 40 + 60 × (路基 100 %) / 2
    assert zhang.projects[0].project.progress == Decimal("40.0")
    assert zhang.ratings == {"fair": 1}
    li = excelled[0]
    assert li.facts.faster == 1 and li.projects[0].tasks[0].speed.actual_days == 21
    page = response.content.decode()
    behind_part = re.search(r'id="behind">(.*?)</section>', page, re.S)
    excelled_part = re.search(r'id="excelled">(.*?)</section>', page, re.S)
    assert behind_part and excelled_part
    assert front.road.project.name in behind_part.group(1)
    assert front.fast.name in excelled_part.group(1) and "21 / 60" in excelled_part.group(1)
    # The criteria and thresholds are on the page; and that people decide.
    with translation.override("zh-hans"):
        rules = criteria.Thresholds(margin=Decimal(10)).rules()
    for rule in rules[criteria.EXCELLED] + rules[criteria.BEHIND]:
        assert rule in page
    assert 'class="fl-evidence-note"' in page
    assert client_for(c.township_clerk).get(LISTS).status_code == 403
    assert client_for(c.resident).get(LISTS).status_code == 403


def _cells(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [[*row, *[None] * 20] for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_cadre_report_prints_and_its_excel_holds_the_numbers(front: Front) -> None:
    c = front.desk.county
    url = reverse("frontline:report_cadre", args=[front.zhang.pk])
    client = client_for(c.leader)
    page = client.get(url, {"year": front.today.year})
    assert page.status_code == 200
    text = page.content.decode()
    assert "data-print" in text and "fl-assessment" in text and "称职" in text
    workbook = client.get(url, {"year": str(front.today.year), "format": "xlsx"})
    assert workbook.status_code == 200
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _cells(workbook)
    with translation.override("zh-hans"):
        cases, closed = str(CASES["cases"]), str(CASES["closed"])
        hours = str(translation.gettext("hours confirmed"))
    by_label = {row[0]: row[1] for row in rows if row and row[0] is not None}
    assert [row[1] for row in rows if row[0] == "姓名"] == ["张伟"]
    assert by_label[cases] == 1 and by_label[closed] == 1
    assert isinstance(by_label[cases], int)
    assert by_label[hours] == 1.5
    assert any(row[0] == front.road.project.name for row in rows)
    assert AuditEvent.objects.filter(action="frontline.report_export").count() == 1
    assert client_for(c.township_clerk).get(url).status_code == 403


def test_the_unit_report_lists_its_cadres_section_by_section(front: Front) -> None:
    c = front.desk.county
    url = reverse("frontline:report_unit", args=[c.department.pk])
    client = client_for(c.administrator)
    page = client.get(url, {"year": front.today.year})
    assert page.status_code == 200
    report = page.context["report"]
    assert report.cadres == [front.zhang]
    inspections = report.inspections
    assert inspections is not None
    value, link = inspections.rows[0][1][0]  # 张伟's inspections: one, and where they are listed
    assert value == 1 and client.get(link).context["rows"][0].label == "青石村道路硬化工程 · 青石村"
    rows = _cells(client.get(url, {"year": str(front.today.year), "format": "xlsx"}))
    zhang_rows = [row for row in rows if row[0] == "张伟"]
    # one row per section, plus the grades table
    assert len(zhang_rows) == len(report.tables) + 1
    cases_row = zhang_rows[0]
    assert cases_row[2] == 1  # cases led
    assert client_for(c.department_clerk).get(url).status_code == 403
