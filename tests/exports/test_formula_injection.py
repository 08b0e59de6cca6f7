"""Formula injection: text that a spreadsheet would run (= + - @ …) reaches every Excel file
Wenmin hands out as plain, quoted text — the people, regions and units exports, the case
export, the monthly bulletin and the import's error report — while numbers stay numbers."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl.cell import Cell

from wenmin.cases import services as cases
from wenmin.cases.export import HEADERS as CASE_HEADERS
from wenmin.cases.models import Case, Channel
from wenmin.organisation import services as org
from wenmin.organisation.excel import PEOPLE, REGIONS, UNITS
from wenmin.organisation.models import Person
from wenmin.scoreboard.periods import Period

LINK = '=HYPERLINK("http://x","y")'
HOSTILE = [LINK, "+1+1", "-2", "@SUM(A1)"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _book(response: Any) -> openpyxl.Workbook:
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


def _row_of(sheet: Any, column: int, value: str) -> tuple[Cell, ...]:
    for row in sheet.iter_rows(min_row=2):
        if row[column].value == value:
            return tuple(row)
    raise AssertionError(f"no row with {value!r} in column {column}")


def _quoted(text: str) -> str:
    return "'" + text


def _is_text(cell: Cell, text: str) -> None:
    """A plain string cell holding the text behind the apostrophe, never a formula."""
    assert cell.data_type == "s", (cell.coordinate, cell.data_type, cell.value)
    assert cell.value == _quoted(text)


def _report_through_the_portal(desk: Any, name: str, phone: str) -> Case:
    cache.clear()  # the portal's limit per address
    response = Client().post(
        reverse("portal:submit"),
        {
            "content": LINK + " 路口水管漏水三天了",
            "kind": "help",
            "category": str(desk.leaking_pipe.pk),
            "extra.where": "street",
            "address": "@青石村村口",
            "requester_name": name,
            "requester_phone": phone,
            "notice_read": "on",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    return Case.objects.latest("id")


@pytest.fixture
def hostile(desk: Any) -> dict[str, Any]:
    """Hostile names from the portal (residents) and the services (the administrator)."""
    c = desk.county
    case = _report_through_the_portal(desk, LINK, "13511112222")
    for number, name in enumerate(HOSTILE[1:]):
        org.person_create(
            actor=None, name=name, birth_year=1980 + number, region=c.village_a, phone=""
        )
    region = org.region_create(
        actor=None,
        code="369901101202",
        name="+1+1",
        level="village",
        kind="village",
        parent=c.township_a,
        population=800,
        latitude="28.412345",
        longitude="117.598765",
    )
    unit = org.unit_create(
        actor=None, code="=U1", name="@SUM(A1)", kind="department", region=c.county, member_count=7
    )
    return {"case": case, "region": region, "unit": unit}


def test_the_administrators_people_export_holds_names_as_text(desk, hostile):
    sheet = _book(_client(desk.county.administrator).get(_export_url("people"))).active
    name = PEOPLE.headers.index("姓名")
    for text in HOSTILE:
        row = _row_of(sheet, name, _quoted(text))
        _is_text(row[name], text)
    resident = _row_of(sheet, name, _quoted(LINK))
    assert resident[PEOPLE.headers.index("手机号")].value == "13511112222"  # unmasked, as text
    year = _row_of(sheet, name, _quoted("-2"))[PEOPLE.headers.index("出生年份")]
    assert year.value == 1981 and year.data_type == "n"


def test_the_regions_and_units_exports_hold_names_and_codes_as_text(desk, hostile):
    admin = _client(desk.county.administrator)
    regions = _book(admin.get(_export_url("regions"))).active
    row = _row_of(regions, 0, "369901101202")
    _is_text(row[REGIONS.headers.index("名称")], "+1+1")
    population = row[REGIONS.headers.index("人口")]
    latitude = row[REGIONS.headers.index("纬度")]
    assert (population.value, population.data_type) == (800, "n")
    assert latitude.value == pytest.approx(28.412345) and latitude.data_type == "n"

    units = _book(admin.get(_export_url("units"))).active
    row = _row_of(units, 0, _quoted("=U1"))
    _is_text(row[0], "=U1")
    _is_text(row[UNITS.headers.index("名称")], "@SUM(A1)")
    members = row[UNITS.headers.index("成员数")]
    assert (members.value, members.data_type) == (7, "n")


def test_an_exported_file_imports_back_to_the_same_names(desk, hostile):
    admin = _client(desk.county.administrator)
    sheet = _book(admin.get(_export_url("people"))).active
    name = PEOPLE.headers.index("姓名")
    rows = [[cell.value for cell in _row_of(sheet, name, _quoted(text))] for text in HOSTILE[1:]]
    Person.objects.filter(name__in=HOSTILE[1:]).delete()
    response = _upload(admin, "people", [PEOPLE.headers, *rows])
    assert response.status_code == 302
    assert sorted(Person.objects.filter(name__in=HOSTILE).values_list("name", flat=True)) == sorted(
        HOSTILE
    )


def test_the_case_export_holds_a_residents_text_as_text(desk, hostile):
    client = _client(desk.dispatcher)
    sheet = _book(client.get(reverse("cases:export"), {"queue": "all"})).active
    case = hostile["case"]
    row = _row_of(sheet, CASE_HEADERS.index("编号"), case.number)
    _is_text(row[CASE_HEADERS.index("诉求人")], LINK)
    _is_text(row[CASE_HEADERS.index("内容")], case.content)
    _is_text(row[CASE_HEADERS.index("标题")], case.title)
    _is_text(row[CASE_HEADERS.index("地址")], "@青石村村口")
    returns = row[CASE_HEADERS.index("退单次数")]
    assert (returns.value, returns.data_type) == (0, "n")
    received = row[CASE_HEADERS.index("受理时间")]
    assert isinstance(received.value, dt.datetime) and received.is_date


def test_the_bulletin_holds_an_escalated_cases_title_as_text(desk):
    c = desk.county
    case = cases.case_intake(
        channel=Channel.PHONE, kind="complaint", title=LINK, content="噪音扰民", region=c.village_a
    )
    for _ in range(3):  # three returns escalate it
        case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
        case = cases.case_return(case=case, actor=c.township_clerk, reason="不属本单位")
    today = dt.date.today()  # noqa: DTZ011  (the month, as the page picks it)
    period = Period.month(today.year, today.month).label
    client = _client(c.leader)
    book = _book(client.get(reverse("scoreboard:bulletin"), {"period": period, "format": "xlsx"}))
    row = _row_of(book["提级督办"], 0, case.number)
    _is_text(row[1], LINK)
    assert isinstance(row[5].value, dt.datetime)
    summary = {row[0].value: row[1] for row in book["概况"].iter_rows(min_row=3)}
    assert (summary["提级督办"].value, summary["提级督办"].data_type) == (1, "n")
    assert summary["受理诉求"].data_type == "n"


def test_the_import_error_report_holds_the_uploaded_text_as_text(desk):
    rows = [
        PEOPLE.headers,
        [LINK, "女", 1988, "1234", None, None, "否"],  # a bad phone
        ["\t=1+1", "男", 1990, None, None, None, "否"],
    ]
    response = _upload(_client(desk.county.administrator), "people", rows)
    href = response.context["report"]["href"]
    report = openpyxl.load_workbook(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))).active
    _is_text(report.cell(row=2, column=1), LINK)
    _is_text(report.cell(row=3, column=1), "\t=1+1")
    year = report.cell(row=2, column=3)
    assert (year.value, year.data_type) == (1988, "n")


# Helpers ---------------------------------------------------------------------------------------


def _export_url(sheet: str) -> str:
    return reverse("organisation:excel_export", args=[sheet])


def _upload(client: Client, sheet: str, rows: list[list[Any]]) -> Any:
    book = openpyxl.Workbook()
    worksheet = book.active
    assert worksheet is not None
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = worksheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # as typed, never as a formula
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("people.xlsx", buffer.getvalue())
    return client.post(reverse("organisation:excel_import", args=[sheet]), {"file": upload})
