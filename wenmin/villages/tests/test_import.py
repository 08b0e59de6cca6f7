"""Monthly reports from Excel: the template, errors by row number, all rows or none; a village
outside the file's township, a wrong unit, a negative or non-numeric quantity, a duplicate row."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wenmin.core.excel import StreamedWorkbook
from wenmin.villages.excel import REPORTS
from wenmin.villages.models import MonthlyReport, ReportLine

from .conftest import Campaign


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    workbook = StreamedWorkbook()
    sheet = workbook.sheet(REPORTS.title, headers=REPORTS.headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("月报.xlsx", buffer.getvalue())


def _row(
    campaign: Campaign, village, code: str, unit: str, quantity: Any, month: int = 3
) -> list[Any]:  # type: ignore[no-untyped-def]
    indicator = campaign.i(code)
    return [
        village.code,
        village.name,
        f"{campaign.year}-{month:02d}",
        code,
        indicator.name,
        unit,
        quantity,
    ]


def _send(campaign: Campaign, rows: list[list[Any]], user=None, area=None):  # type: ignore[no-untyped-def]
    c = campaign.county
    return _client(user or c.township_clerk).post(
        reverse("villages:import"),
        {"area_code": (area or c.township_a).code, "file": _xlsx(rows)},
    )


def _errors(answer) -> list[str]:  # type: ignore[no-untyped-def]
    import re

    return re.findall(r'<li data-row="\d+">([^<]+)</li>', answer.content.decode())


def test_a_township_imports_its_villages_month(campaign: Campaign) -> None:
    c = campaign.county
    answer = _send(
        campaign,
        [
            _row(campaign, c.village_a, "demolished_buildings", "栋", 6),
            _row(campaign, c.village_a, "roads_hardened", "公里", 1.5),
            _row(campaign, campaign.village_a2, "internet_network", "户", "320"),
            _row(campaign, campaign.village_a2, "toilets_rebuilt", "户", None),  # not reported
        ],
    )
    assert answer.status_code == 302
    assert MonthlyReport.objects.filter(year=campaign.year, month=3, imported=True).count() == 2
    assert sorted(ReportLine.objects.values_list("indicator__code", "value")) == [
        ("demolished_buildings", 6),
        ("internet_network", 320),
        ("roads_hardened", 1.5),
    ]


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_saved(
    campaign: Campaign,
) -> None:
    c = campaign.county
    answer = _send(
        campaign,
        [
            _row(campaign, c.village_a, "demolished_buildings", "栋", 6),  # row 2, right
            _row(campaign, c.village_b, "demolished_buildings", "栋", 2),  # 3: 白沙乡's village
            _row(campaign, c.village_a, "roads_hardened", "米", 1500),  # 4: metres, not km
            _row(campaign, c.village_a, "leisure_spaces", "个", -1),  # 5: negative
            _row(campaign, c.village_a, "toilets_rebuilt", "户", "十二"),  # 6: not a number
            _row(campaign, c.village_a, "demolished_buildings", "栋", 7),  # 7: same as row 2
            _row(campaign, c.village_a, "ponds_rebuilt", "口", 1.5),  # 8: ponds are whole
        ],
    )
    assert answer.status_code == 400
    errors = _errors(answer)
    assert any(e.startswith("Row 3, 村代码") and "白沙村" in e and "青石镇" in e for e in errors), (
        errors
    )
    assert any(e.startswith("Row 4, 单位") and "km" in e for e in errors), errors
    assert any(e.startswith("Row 5, 数量") and "negative" in e for e in errors), errors
    assert any(e.startswith("Row 6, 数量") and "number" in e for e in errors), errors
    assert any(e.startswith("Row 7") and "Row 2" in e for e in errors), errors
    assert any(e.startswith("Row 8, 数量") and "whole" in e for e in errors), errors
    assert not any(e.startswith("Row 2") for e in errors)
    assert MonthlyReport.objects.count() == 0 and ReportLine.objects.count() == 0


def test_a_failed_file_leaves_earlier_figures_as_they_were(campaign: Campaign) -> None:
    c = campaign.county
    assert (
        _send(campaign, [_row(campaign, c.village_a, "demolished_buildings", "栋", 6)]).status_code
        == 302
    )
    answer = _send(
        campaign,
        [
            _row(campaign, c.village_a, "demolished_buildings", "栋", 9),
            _row(campaign, c.village_a, "demolished_area", "亩", 3),
        ],
    )
    assert answer.status_code == 400
    assert list(ReportLine.objects.values_list("value", flat=True)) == [6]


def test_a_village_cadre_imports_only_their_village(campaign: Campaign) -> None:
    c = campaign.county
    answer = _send(
        campaign,
        [
            _row(campaign, c.village_a, "demolished_buildings", "栋", 1),
            _row(campaign, campaign.village_a2, "demolished_buildings", "栋", 1),
        ],
        user=c.branch_secretary,
        area=c.village_a,
    )
    assert answer.status_code == 400
    assert any(e.startswith("Row 3") and "石桥村" in e for e in _errors(answer))
    # Nor may they name their township as the file's.
    answer = _send(
        campaign,
        [_row(campaign, c.village_a, "demolished_buildings", "栋", 1)],
        user=c.branch_secretary,
        area=c.township_a,
    )
    assert answer.status_code == 400
    assert MonthlyReport.objects.count() == 0


def test_a_file_that_is_not_a_workbook_or_lacks_columns_is_refused(campaign: Campaign) -> None:
    client = _client(campaign.county.township_clerk)
    answer = client.post(
        reverse("villages:import"),
        {
            "area_code": campaign.county.township_a.code,
            "file": SimpleUploadedFile("月报.xlsx", b"not a zip"),
        },
    )
    assert answer.status_code == 400
    assert "not a readable .xlsx" in answer.content.decode()
    workbook = StreamedWorkbook()
    workbook.sheet("x", headers=["村代码", "数量"]).append(["369901101201", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    answer = client.post(
        reverse("villages:import"),
        {
            "area_code": campaign.county.township_a.code,
            "file": SimpleUploadedFile("月报.xlsx", buffer.getvalue()),
        },
    )
    assert answer.status_code == 400
    assert "Missing" in answer.content.decode()
    assert MonthlyReport.objects.count() == 0


def test_the_template_lists_the_township_villages_and_imports_back(campaign: Campaign) -> None:
    c = campaign.county
    client = _client(c.township_clerk)
    answer = client.get(reverse("villages:import_template"), {"month": f"{campaign.year}-05"})
    assert answer.status_code == 200
    content = b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == REPORTS.headers
    villages = {row[0] for row in rows[1:]}
    assert villages == {c.village_a.code, campaign.village_a2.code}
    assert len(rows) - 1 == 2 * len(campaign.indicators)
    # The quantity left empty: read-only openpyxl drops the trailing cell.
    filled = [[*row, *[None] * (len(REPORTS.headers) - len(row))] for row in rows[1:]]
    for row in filled:
        if row[3] == "leisure_spaces":
            row[6] = 2
    answer = client.post(
        reverse("villages:import"), {"area_code": c.township_a.code, "file": _xlsx(filled)}
    )
    assert answer.status_code == 302
    assert ReportLine.objects.filter(indicator__code="leisure_spaces").count() == 2
