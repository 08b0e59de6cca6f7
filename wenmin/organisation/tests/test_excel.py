"""Excel import and export of regions, units and people: all-or-nothing imports, scoped exports."""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wenmin.core.models import AuditEvent, User
from wenmin.organisation import services
from wenmin.organisation.excel import PEOPLE, REGIONS, UNITS
from wenmin.organisation.models import Cadre, PartyMember, Person, Position, Region, Unit, Volunteer
from wenmin.testing import SmallCounty

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Rows = list[tuple[Any, ...]]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _xlsx(headers: list[str], *rows: list[Any]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(content: bytes) -> Rows:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def _export(client: Client, sheet: str) -> bytes:
    response = client.get(reverse("organisation:excel_export", args=[sheet]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return content


def _upload(client: Client, sheet: str, content: bytes, name: str = "data.xlsx") -> Any:
    upload = SimpleUploadedFile(name, content, content_type=XLSX)
    return client.post(reverse("organisation:excel_import", args=[sheet]), {"file": upload})


def _zh(message: str, **params: Any) -> str:
    """A message as the page shows it in Chinese (the msgid until the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(message) % params if params else gettext(message)


def _lines(response: Any) -> set[tuple[int, str, str]]:
    return {(line.row, line.column, line.message) for line in response.context["report"]["lines"]}


def _counts() -> tuple[int, ...]:
    models = (Region, Unit, Person, PartyMember, Cadre, Volunteer)
    return tuple(model.objects.count() for model in models)


def _empty_the_county() -> None:
    Position.objects.all().delete()
    for model in (Cadre, PartyMember, Volunteer):
        model.objects.all().delete()
    User.objects.update(unit=None, person=None)
    Person.objects.all().delete()
    for unit in sorted(Unit.objects.all(), key=lambda u: u.path.count("/"), reverse=True):
        unit.delete()
    Region.objects.update(township=None)
    for region in sorted(Region.objects.all(), key=lambda r: r.path.count("/"), reverse=True):
        region.delete()


# Round trip ----------------------------------------------------------------------------------


def test_export_reimports_into_an_empty_database_unchanged(county: SmallCounty):
    services.region_update(
        actor=None, region=county.village_a, latitude="28.412345", longitude="117.598765"
    )
    admin = _client(county.administrator)
    before = {sheet: _export(admin, sheet) for sheet in ("regions", "units", "people")}
    counts = _counts()

    _empty_the_county()
    assert _counts() == (0, 0, 0, 0, 0, 0)
    for sheet in ("regions", "units", "people"):
        response = _upload(admin, sheet, before[sheet])
        assert response.status_code == 302, response.context and response.context.get("report")

    assert _counts() == counts
    for sheet in ("regions", "units", "people"):
        assert _cells(_export(admin, sheet)) == _cells(before[sheet])
    assert _cells(before["people"])[0] == tuple(PEOPLE.headers)
    imports = AuditEvent.objects.filter(action="excel.import").order_by("id")
    assert [event.changes for event in imports] == [
        {"sheet": "regions", "rows": 6},
        {"sheet": "units", "rows": 13},
        {"sheet": "people", "rows": 6},
    ]
    member = Person.objects.get(name="李秀英")
    assert member.phone == "13812345678" and member.party_membership.branch.code == "T1-B1"
    village = Region.objects.get(code="369901101201")
    assert village.township == Region.objects.get(code="369901101000")
    assert (village.latitude, village.longitude) == (Decimal("28.412345"), Decimal("117.598765"))


def test_english_headers_and_values_are_accepted(county: SmallCounty):
    content = _xlsx(
        ["code", "name", "level", "kind", "parent_code", "population", "latitude", "longitude"],
        ["369901101202", "青石新村", "village", "village", "369901101000", 800, None, None],
    )
    response = _upload(_client(county.administrator), "regions", content)
    assert response.status_code == 302
    assert Region.objects.get(code="369901101202").parent == county.township_a


# Errors: every row checked, nothing saved --------------------------------------------------------


def test_bad_region_rows_are_each_reported_and_nothing_is_saved(county: SmallCounty):
    counts = _counts()
    content = _xlsx(
        REGIONS.headers,
        ["369901101202", "青石新村", "村社区", "村", "369901101000", 800],  # 2: fine
        ["36990110120X", "坏代码村", "村社区", "村", "369901101000", 10],  # 3: bad code
        ["369901109201", "无上级村", "村社区", "村", "369901109000", 10],  # 4: unknown parent
        ["369901101202", "重复村", "村社区", "村", "369901101000", 10],  # 5: duplicate code
        ["369901101203", "", "村社区", "村", "369901101000", 10],  # 6: missing name
        [None, None, None, None, None, None],  # 7: empty, skipped
        ["369901101202001", "第一组", "村民小组", "村民小组", "369901101202", 90],  # 8: fine
        ["369901101204", "人口错村", "村社区", "村", "369901101000", "很多"],  # 9: not a number
    )
    response = _upload(_client(county.administrator), "regions", content)

    assert response.status_code == 200
    assert _lines(response) == {
        (3, "区划代码", _zh("An administrative code has exactly 12 digits.")),
        (
            4,
            "上级区划代码",
            _zh(
                "No region has the code %(code)s, neither in an earlier row nor in the database.",
                code="369901109000",
            ),
        ),
        (5, "区划代码", _zh("Already used in row %(row)s of this file.", row=2)),
        (6, "名称", _zh("A name is required.")),
        (9, "人口", _zh("Enter a whole number.")),
    }
    assert response.context["report"]["rows"] == 7
    assert _counts() == counts
    assert not Region.objects.filter(code__in=["369901101202", "369901101202001"]).exists()
    assert not AuditEvent.objects.filter(action="excel.import").exists()
    assert _zh("A name is required.") in response.content.decode()


def test_the_error_report_downloads_with_an_error_column(county: SmallCounty):
    content = _xlsx(
        REGIONS.headers,
        ["369901101202", "青石新村", "村社区", "村", "369901101000", 800],
        ["369901101203", "", "村社区", "村", "369901101000", 10],
    )
    response = _upload(_client(county.administrator), "regions", content)

    href = response.context["report"]["href"]
    assert href.startswith(f"data:{XLSX};base64,")
    rows = _cells(base64.b64decode(href.split(",", 1)[1]))
    assert rows[0] == (*REGIONS.headers, "错误")
    assert rows[1][0] == "369901101202" and rows[1][-1] in ("", None)
    assert rows[2][-1] == "名称：" + _zh("A name is required.")


def test_a_unit_under_a_failed_row_points_at_that_row(county: SmallCounty):
    content = _xlsx(
        UNITS.headers,
        ["T1-PC2", "", "党委", "369901101000", "C-PC", None],  # 2: missing name
        ["T1-B9", "新支部", "党支部", "369901101201", "T1-PC2", 12],  # 3: its parent failed
        ["T1-X", "无区划单位", "政府部门", "369901999000", "", None],  # 4: unknown region
    )
    response = _upload(_client(county.administrator), "units", content)

    assert _lines(response) == {
        (2, "名称", _zh("A name is required.")),
        (
            3,
            "上级单位代码",
            _zh("%(code)s is in row %(row)s, which has errors.", code="T1-PC2", row=2),
        ),
        (
            4,
            "所在区划代码",
            _zh(
                "No region has the code %(code)s, neither in an earlier row nor in the database.",
                code="369901999000",
            ),
        ),
    }
    assert not Unit.objects.filter(code__in=["T1-PC2", "T1-B9", "T1-X"]).exists()


def _person(name: str, **columns: Any) -> list[Any]:
    values = {"姓名": name, "性别": "女", "出生年份": 1988, "是否群众": "否", **columns}
    return [values.get(header) for header in PEOPLE.headers]


def test_bad_people_rows_are_each_reported_and_nothing_is_saved(county: SmallCounty):
    counts = _counts()
    content = _xlsx(
        PEOPLE.headers,
        _person(
            "周敏",
            手机号="13600001234",
            身份证号="369901198801010025",
            居住地区划代码="369901101201",
            党支部代码="T1-B1",
            入党日期="2010-07-01",
            党员状态="预备",
        ),  # 2: fine
        _person("吴刚", 手机号="1234"),  # 3: bad phone
        _person("郑洁", 身份证号="369901198801010021"),  # 4: bad check digit
        _person("孙磊", 党支部代码="T9-B9", 入党日期="2010-07-01"),  # 5: unknown branch
        _person("钱红", 党支部代码="T1-GOV", 入党日期="2010-07-01"),  # 6: not a branch
        _person("冯军", 身份证号="369901198801010025"),  # 7: same ID as row 2
        _person("", 手机号="13600005678"),  # 8: missing name
        _person("陈静", 任职单位代码="D-ZJ"),  # 9: a cadre without a position
    )
    response = _upload(_client(county.administrator), "people", content)

    assert _lines(response) == {
        (
            3,
            "手机号",
            _zh(
                "“%(value)s” is not a mainland mobile number (11 digits starting with 1).",
                value="1234",
            ),
        ),
        (4, "身份证号", _zh("The ID number's check digit is wrong.")),
        (
            5,
            "党支部代码",
            _zh(
                "No unit has the code %(code)s, neither in an earlier row nor in the database.",
                code="T9-B9",
            ),
        ),
        (6, "党支部代码", _zh("Party members belong to a party branch.")),
        (7, "身份证号", _zh("Already used in row %(row)s of this file.", row=2)),
        (8, "姓名", _zh("A name is required.")),
        (9, "职务", _zh("A cadre's position is required.")),
    }
    assert _counts() == counts
    assert not Person.objects.filter(name__in=["周敏", "吴刚"]).exists()


def test_an_id_number_already_recorded_is_refused(county: SmallCounty):
    content = _xlsx(PEOPLE.headers, _person("张伟二", 身份证号="369901198001010019"))
    response = _upload(_client(county.administrator), "people", content)
    assert _lines(response) == {
        (2, "身份证号", _zh("A person with this ID number is already recorded."))
    }


def test_wrong_headers_are_refused_with_the_expected_headers(county: SmallCounty):
    content = _xlsx(["代码", "名称"], ["369901101202", "青石新村"])
    response = _upload(_client(county.administrator), "regions", content)

    assert response.status_code == 200
    errors = " ".join(response.context["cards"][0]["form"].errors["file"])
    assert "区划代码、名称、层级、类型、上级区划代码、人口、纬度、经度" in errors
    assert "代码" in errors
    assert not Region.objects.filter(code="369901101202").exists()


_BIG = b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024)


@pytest.mark.parametrize(
    ("name", "content", "message", "params"),
    [
        (
            "regions.csv",
            b"code,name\n",
            "Only .xlsx files (Excel 2007 or later) can be imported; save the file as .xlsx and try again.",
            {},
        ),
        ("regions.xlsx", b"not a zip at all", "This file is not a readable .xlsx workbook.", {}),
        (
            "regions.xlsx",
            _BIG,
            "The file has %(size).1f MB; at most %(limit)s MB can be imported.",
            {"size": len(_BIG) / 1024 / 1024, "limit": 10},
        ),
    ],
)
def test_files_that_are_not_small_xlsx_are_refused(
    county: SmallCounty, name, content, message, params
):
    response = _upload(_client(county.administrator), "regions", content, name=name)
    assert response.context["cards"][0]["form"].errors["file"] == [_zh(message, **params)]
    assert _zh(message, **params) in response.content.decode()


def test_an_empty_sheet_lists_the_expected_headers(county: SmallCounty):
    admin = _client(county.administrator)
    empty = _upload(admin, "units", _xlsx([]))
    assert "单位代码、名称、类型、所在区划代码、上级单位代码、成员数" in empty.content.decode()
    headers_only = _upload(admin, "units", _xlsx(UNITS.headers))
    assert _zh("The sheet has headers but no rows to import.") in headers_only.content.decode()


# Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["leader", "township_clerk", "department_clerk", "volunteer"])
def test_only_the_administrator_may_import(county: SmallCounty, actor):
    client = _client(getattr(county, actor))
    content = _xlsx(
        REGIONS.headers, ["369901101202", "青石新村", "村社区", "村", "369901101000", 800]
    )
    assert _upload(client, "regions", content).status_code == 403
    assert client.get(reverse("organisation:excel_import", args=["regions"])).status_code == 403
    assert not Region.objects.filter(code="369901101202").exists()


def test_the_import_service_rechecks_the_administrator(county: SmallCounty):
    with pytest.raises(PermissionDenied):
        services.regions_import(actor=county.leader, rows=[])


@pytest.mark.parametrize("actor", ["volunteer", "resident", "branch_secretary"])
def test_roles_without_exports_are_refused(county: SmallCounty, actor):
    client = _client(getattr(county, actor))
    assert client.get(reverse("organisation:excel_home")).status_code == 403
    assert client.get(reverse("organisation:excel_export", args=["people"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(county: SmallCounty):
    for url in (
        reverse("organisation:excel_home"),
        reverse("organisation:excel_export", args=["people"]),
        reverse("organisation:excel_import", args=["people"]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))  # type: ignore[attr-defined]


def test_the_page_offers_uploads_and_templates_to_the_administrator_only(county: SmallCounty):
    def page(user: User) -> str:
        response = _client(user).get(reverse("organisation:excel_home"))
        assert response.status_code == 200
        return response.content.decode()

    admin_page = page(county.administrator)
    others = [
        page(user) for user in (county.leader, county.township_clerk, county.department_clerk)
    ]
    for sheet in ("regions", "units", "people"):
        export = reverse("organisation:excel_export", args=[sheet])
        upload = reverse("organisation:excel_import", args=[sheet])
        assert export in admin_page and upload in admin_page
        assert all(export in other and upload not in other for other in others)
    assert 'enctype="multipart/form-data"' in admin_page


def test_the_template_has_the_headers_only(county: SmallCounty):
    response = _client(county.administrator).get(
        reverse("organisation:excel_import", args=["people"])
    )
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert _cells(content) == [tuple(PEOPLE.headers)]


# Exports -------------------------------------------------------------------------------------


def test_township_clerk_exports_only_her_township(county: SmallCounty):
    clerk = _client(county.township_clerk)
    names = {row[0] for row in _cells(_export(clerk, "people"))[1:]}
    assert {"李秀英", "刘芳", "陈明"} <= names
    assert not names & {"王建国", "赵丽"}
    regions = {row[0] for row in _cells(_export(clerk, "regions"))[1:]}
    assert county.township_a.code in regions and county.township_b.code not in regions
    units = {row[0] for row in _cells(_export(clerk, "units"))[1:]}
    assert "T1-B1" in units and "T2-B1" not in units


def test_leader_export_masks_phones_and_id_numbers(county: SmallCounty):
    rows = {row[0]: row for row in _cells(_export(_client(county.leader), "people"))}
    assert rows["李秀英"][3] == "138****5678"
    assert rows["张伟"][4] == "3699**********0019"
    event = AuditEvent.objects.get(action="excel.export", actor=county.leader)
    assert event.changes == {"sheet": "people", "rows": 6, "masked": True}
    assert not AuditEvent.objects.filter(action="person.export_unmasked").exists()


def test_administrator_export_is_clear_and_audited(county: SmallCounty):
    rows = {row[0]: row for row in _cells(_export(_client(county.administrator), "people"))}
    assert rows["李秀英"][3] == "13812345678"
    assert rows["张伟"][4] == "369901198001010019"
    assert rows["张伟"][10:13] == ("D-ZJ", "科员", "科员")
    assert rows["刘芳"][13:] == ("政策宣讲", "T1-VT1")
    event = AuditEvent.objects.get(action="person.export_unmasked")
    assert event.actor == county.administrator
    assert event.changes == {"sheet": "people", "rows": 6, "masked": False}


def test_export_has_a_chinese_file_name(county: SmallCounty):
    response = _client(county.leader).get(reverse("organisation:excel_export", args=["people"]))
    assert "attachment; filename*=utf-8''%E4%BA%BA%E5%91%98_" in response["Content-Disposition"]


def test_people_export_queries_do_not_grow_with_rows(county: SmallCounty):
    admin = _client(county.administrator)
    _export(admin, "people")  # warm the session
    with CaptureQueriesContext(connection) as few:
        _export(admin, "people")
    for n in range(5):
        person = services.person_create(actor=None, name=f"新人{n}", region=county.village_b)
        services.party_member_set(
            actor=None,
            person=person,
            branch=county.branch_b,
            joined_on=county.member_b.party_membership.joined_on,
        )
        services.volunteer_set(actor=None, person=person, post="巡河", team=county.team_a)
    with CaptureQueriesContext(connection) as many:
        rows = _cells(_export(admin, "people"))
    assert len(rows) == 12
    assert len(many) == len(few)


# Commands ------------------------------------------------------------------------------------


def test_import_command_exits_1_with_the_report_and_0_when_clean(
    county: SmallCounty, tmp_path: Path
):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        _xlsx(REGIONS.headers, ["369901101203", "", "村社区", "村", "369901101000", 10])
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_excel", "regions", str(bad), stdout=out, verbosity=0)
    assert failure.value.returncode == 1
    assert "名称" in out.getvalue() and _zh("A name is required.") in out.getvalue()
    assert not Region.objects.filter(code="369901101203").exists()

    good = tmp_path / "good.xlsx"
    good.write_bytes(
        _xlsx(REGIONS.headers, ["369901101203", "青石三村", "村社区", "村", "369901101000", 10])
    )
    call_command("import_excel", "regions", str(good), stdout=io.StringIO(), verbosity=0)
    assert Region.objects.get(code="369901101203").name == "青石三村"
    event = AuditEvent.objects.get(action="excel.import")
    assert event.actor is None and event.changes == {"sheet": "regions", "rows": 1}


def test_import_command_refuses_a_missing_or_wrong_file(county: SmallCounty, tmp_path: Path):
    with pytest.raises(CommandError):
        call_command("import_excel", "people", str(tmp_path / "none.xlsx"), verbosity=0)
    wrong = tmp_path / "people.txt"
    wrong.write_text("姓名\n")
    with pytest.raises(CommandError):
        call_command("import_excel", "people", str(wrong), verbosity=0)


def test_export_command_masks_unless_unmasked(county: SmallCounty, tmp_path: Path):
    masked, clear = tmp_path / "masked.xlsx", tmp_path / "clear.xlsx"
    call_command("export_excel", "people", str(masked), stdout=io.StringIO())
    call_command("export_excel", "people", str(clear), "--unmasked", stdout=io.StringIO())
    assert {row[3] for row in _cells(masked.read_bytes())} >= {"138****5678"}
    assert {row[3] for row in _cells(clear.read_bytes())} >= {"13812345678"}
    assert "13812345678" not in {row[3] for row in _cells(masked.read_bytes())}
    event = AuditEvent.objects.get(action="person.export_unmasked")
    assert event.actor is None and event.changes["rows"] == 6
