"""The service records ledger (服务记录台账) in Excel: one row per walk-in of a centre's month or
span, a header block with its totals, residents masked unless the viewer's role may see them
(and then each one logged), the centre's scope, junk filters refused, formulas kept as text."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenmin.core.models import AuditEvent
from wenmin.platforms import services
from wenmin.platforms.models import Result, ServiceRecord
from wenmin.platforms.tests.conftest import Platforms, client_for
from wenmin.privacy.models import AccessLogEntry

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HEADINGS = 13  # the row of the column headings, under the header block


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def wall(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A March moment as a spreadsheet holds it: the county's wall-clock time, no zone."""
    return at(day, hour, minute).replace(tzinfo=None)


def _ticket(p: Platforms, issued: dt.datetime, called: dt.datetime) -> Any:
    services.ticket_take(actor=p.county.township_clerk, unit=p.centre, now=issued)
    return services.ticket_call_next(actor=p.county.township_clerk, unit=p.centre, now=called)


def _serve(
    p: Platforms,
    start: dt.datetime,
    end: dt.datetime,
    *,
    name: str,
    phone: str,
    result: str = Result.DONE,
    item: Any = None,
    ticket: Any = None,
    note: str = "",
    unit: Any = None,
) -> ServiceRecord:
    return services.service_record(
        actor=p.county.township_clerk if unit is None else None,
        unit=unit or p.centre,
        item=item or p.certificate,
        resident_name=name,
        resident_phone=phone,
        started_at=start,
        ended_at=end,
        result=result,
        note=note,
        ticket=ticket,
    )


@pytest.fixture
def march(platforms: Platforms) -> Platforms:
    """Four walk-ins at 青石镇's centre in March 2026, one in April, one at 白沙乡's centre.

    By hand: minutes taken 12, 30, 6, 20 (mean 17.0); waits 10 and 20 (mean 15.0, two numbers
    called); three services given (one done), one case; ratings 5 and 3 (one in two satisfied).
    """
    p = platforms
    first = _ticket(p, at(2, 8, 50), at(2, 9, 0))
    _serve(p, at(2, 9, 0), at(2, 9, 12), name="王芳", phone="13800001111", ticket=first)
    second = _serve(
        p,
        at(5, 10, 0),
        at(5, 10, 30),
        name="李强",
        phone="13800002222",
        item=p.pension,
        result=Result.NEEDS_DOCUMENTS,
    )
    third_ticket = _ticket(p, at(20, 13, 40), at(20, 14, 0))
    third = _serve(
        p,
        at(20, 14, 0),
        at(20, 14, 6),
        name="王芳",
        phone="13800001111",
        result=Result.REFERRED,
        note="县公安局户政科",
        ticket=third_ticket,
    )
    services.walkin_case_open(
        actor=p.county.township_clerk,
        unit=p.centre,
        resident_name="赵六",
        resident_phone="13800003333",
        content="村道路灯坏了三盏，晚上看不见路。",
        started_at=at(25, 15, 0),
        ended_at=at(25, 15, 20),
    )
    services.rating_submit(code=second.rating_code, score=5, now=at(5, 11, 0))
    services.rating_submit(code=third.rating_code, score=3, now=at(20, 15, 0))
    _serve(p, at(1, 9, 0, month=4), at(1, 9, 5, month=4), name="钱七", phone="13800004444")
    _serve(
        p,
        at(10, 9, 0),
        at(10, 9, 5),
        name="孙八",
        phone="13800005555",
        item=p.other_item,
        unit=p.other_centre,
    )
    return p


def _export(user: Any, p: Platforms, **params: str) -> Any:
    return client_for(user).get(reverse("platforms:records_export", args=[p.centre.pk]), params)


def _sheet(response: Any) -> Any:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.getvalue())).active


def _block(sheet: Any) -> dict[str, list[Any]]:
    rows = sheet.iter_rows(min_row=2, max_row=HEADINGS - 1, values_only=True)
    return {row[0]: list(row[1:4]) for row in rows if row and row[0]}


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=HEADINGS + 1, values_only=True))


def test_the_ledger_lists_a_centres_month_with_its_totals(march: Platforms) -> None:
    p = march
    sheet = _sheet(_export(p.county.township_clerk, p, month="2026-03"))
    assert sheet["A1"].value == "服务记录台账"
    block = _block(sheet)
    assert block["服务中心/工作站"][0] == "青石镇便民服务中心"
    assert block["统计周期"][0] == "2026-03-01 – 2026-03-31"
    assert block["办理结果"][0] == "全部结果"
    assert block["服务记录数"][0] == 4
    assert block["服务次数"][0] == 3
    assert block["已办结"][0] == 1
    assert block["平均办理用时（分钟）"][0] == 17.0
    assert block["平均等候时间（分钟）"][0:3] == [15.0, "叫号数", 2]
    assert block["满意率"][0:3] == [0.5, "评价数", 2]
    assert [cell.value for cell in sheet[HEADINGS]] == [
        "序号",
        "日期",
        "服务中心/工作站",
        "窗口/经办人",
        "办理事项",
        "群众姓名",
        "手机号",
        "开始时间",
        "结束时间",
        "办理用时（分钟）",
        "等候分钟",
        "办理结果",
        "转办去向/诉求编号",
        "评价",
    ]
    rows = _rows(sheet)
    assert len(rows) == 4
    centre = "青石镇便民服务中心"
    assert rows[0] == (
        1,
        wall(2, 0),
        centre,
        "qingshi",
        "户籍证明开具",
        "王*",
        "138****1111",
        wall(2, 9, 0),
        wall(2, 9, 12),
        12,
        10,
        "已办结",
        None,
        None,
    )
    assert rows[1][4:7] == ("城乡居民养老保险参保登记", "李*", "138****2222")
    assert rows[1][9:] == (30, None, "需补齐材料", None, 5)
    assert rows[2][9:] == (6, 20, "已转其他部门", "县公安局户政科", 3)
    case = ServiceRecord.objects.get(result=Result.CASE).case
    assert case is not None
    assert rows[3][4:6] == (None, "赵*")
    assert rows[3][9:] == (20, None, "属于问题，已转为诉求", case.number, None)
    event = AuditEvent.objects.get(action="platforms.records_export")
    assert event.actor == p.county.township_clerk
    assert event.changes == {
        "rows": 4,
        "from": "2026-03-01",
        "to": "2026-03-31",
        "result": "",
        "masked": True,
    }


def test_a_span_of_days_and_a_result_narrow_the_ledger(march: Platforms) -> None:
    p = march
    response = _export(
        p.county.township_clerk,
        p,
        date_from="2026-03-03",
        date_to="2026-04-01",
        result=Result.REFERRED,
    )
    sheet = _sheet(response)
    block = _block(sheet)
    assert block["统计周期"][0] == "2026-03-03 – 2026-04-01"
    assert block["办理结果"][0] == "已转其他部门"
    assert block["服务记录数"][0] == 1
    assert block["已办结"][0] == 0
    assert block["平均办理用时（分钟）"][0] == 6
    assert block["满意率"][0:3] == [0, "评价数", 1]
    assert [row[5] for row in _rows(sheet)] == ["王*"]
    assert "20260303-20260401" in response["Content-Disposition"]


def test_without_the_role_residents_are_masked_and_nothing_is_logged(march: Platforms) -> None:
    p = march
    sheet = _sheet(_export(p.county.leader, p, month="2026-03"))  # county-wide, no reveal
    cells = {value for row in _rows(sheet) for value in row}
    assert {"王*", "李*", "赵*", "138****1111", "138****3333"} <= cells
    assert not {"王芳", "李强", "赵六", "13800001111", "13800003333"} & cells
    assert not AccessLogEntry.objects.exists()


def test_the_administrator_sees_residents_in_full_and_each_is_logged(march: Platforms) -> None:
    p = march
    admin = p.county.administrator
    sheet = _sheet(_export(admin, p, month="2026-03"))
    rows = _rows(sheet)
    assert [(row[5], row[6]) for row in rows] == [
        ("王芳", "13800001111"),
        ("李强", "13800002222"),
        ("王芳", "13800001111"),
        ("赵六", "13800003333"),
    ]
    logged = AccessLogEntry.objects.filter(viewer=admin)
    assert sorted(logged.values_list("person__name", flat=True)) == ["李强", "王芳", "赵六"]
    assert set(logged.values_list("reason", "fields")) == {
        ("platforms.records_export", "name,phone")
    }
    event = AuditEvent.objects.get(action="platforms.records_export")
    assert event.changes["masked"] is False


def test_a_clerk_of_another_township_gets_nothing(march: Platforms) -> None:
    p = march
    assert _export(p.county.other_township_clerk, p, month="2026-03").status_code == 404
    assert _export(p.county.volunteer, p, month="2026-03").status_code == 403
    assert _export(p.county.resident, p, month="2026-03").status_code == 403
    assert not AuditEvent.objects.filter(action="platforms.records_export").exists()
    # Her own centre she may export.
    own = client_for(p.county.other_township_clerk).get(
        reverse("platforms:records_export", args=[p.other_centre.pk]), {"month": "2026-03"}
    )
    assert [row[5] for row in _rows(_sheet(own))] == ["孙*"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "2026-13"}, "2026-11"),
        ({"month": "abc"}, "2026-11"),
        ({"month": "9999-01"}, "2999-12-31"),
        ({"date_from": "2026-02-30", "date_to": "2026-03-05"}, "请输入有效日期"),
        ({"date_from": "2026-03-01"}, "请同时填写起始日期和截止日期"),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "截止日期不能早于起始日期"),
        ({"date_from": "1800-01-01", "date_to": "2026-03-01"}, "2999-12-31"),
        ({"result": "bogus"}, "bogus"),
        ({"month": "2026-03\x00"}, "控制字符"),
    ],
)
def test_junk_filters_are_refused_with_a_message(
    platforms: Platforms, params: dict[str, str], message: str
) -> None:
    response = _export(platforms.county.township_clerk, platforms, **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "筛选条件无效。" in page
    assert not AuditEvent.objects.filter(action="platforms.records_export").exists()


def test_a_name_that_looks_like_a_formula_stays_text(platforms: Platforms) -> None:
    p = platforms
    name = '=HYPERLINK("http://evil.example","点我")'
    _serve(p, at(2, 9, 0), at(2, 9, 12), name=name, phone="13800009999", note="")
    full = _rows(_sheet(_export(p.county.administrator, p, month="2026-03")))[0]
    assert full[5] == "'" + name
    masked = _sheet(_export(p.county.township_clerk, p, month="2026-03"))
    cell = masked.cell(row=HEADINGS + 1, column=6)
    assert cell.value == "'=*" and cell.data_type == "s"


def test_the_queries_do_not_grow_with_the_rows(march: Platforms) -> None:
    p = march

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _sheet(_export(p.county.administrator, p, month="2026-03"))
        return len(queries)

    before = count()
    for day in range(6, 12):
        record = _serve(p, at(day, 9, 0), at(day, 9, 9), name="周九", phone=f"1390000{day:04d}")
        services.rating_submit(code=record.rating_code, score=4, now=at(day, 10, 0))
    assert count() == before


def test_the_counter_and_the_catalogue_offer_the_export(platforms: Platforms) -> None:
    p = platforms
    desk = client_for(p.county.township_clerk).get(reverse("platforms:desk", args=[p.centre.pk]))
    url = reverse("platforms:records_export", args=[p.centre.pk])
    assert f'action="{url}"' in desk.content.decode()
    assert "导出 Excel" in desk.content.decode()
    catalogue = client_for(p.county.leader).get(reverse("platforms:catalogue", args=[p.centre.pk]))
    assert f'action="{url}"' in catalogue.content.decode()
