"""Large imports: checked whole before one short bulk write, so other writers are not starved;
a limit on the rows of one file; a clash that appears between the check and the write."""

from __future__ import annotations

import dataclasses
import io
import threading
from typing import Any

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wenmin.cases.models import Case
from wenmin.core.models import AuditEvent
from wenmin.organisation import excel_import, services
from wenmin.organisation.excel import PEOPLE
from wenmin.organisation.models import PartyMember, Person
from wenmin.organisation.services import imports

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(i: int) -> str:
    body = f"36990219900101{i:03d}"[:17]
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def _people(n: int) -> bytes:
    """A workbook of n people with phones and ID numbers, every other one a party member."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(PEOPLE.headers)
    for i in range(n):
        values = {
            "姓名": f"导入{i}",
            "性别": "女",
            "出生年份": 1990,
            "手机号": f"1390000{i:04d}",
            "身份证号": _id_number(i),
            "居住地区划代码": "369901101201",
            "是否群众": "否",
            "党支部代码": "T1-B1" if i % 2 else None,
            "入党日期": "2010-07-01" if i % 2 else None,
        }
        sheet.append([values.get(header) for header in PEOPLE.headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(user: Any, content: bytes) -> Any:
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile("people.xlsx", content)
    return client.post(reverse("organisation:excel_import", args=["people"]), {"file": upload})


def test_a_large_file_is_written_with_a_few_bulk_inserts(county):
    with CaptureQueriesContext(connection) as queries:
        response = _upload(county.administrator, _people(300))
    assert response.status_code == 302
    inserts = [q["sql"] for q in queries if "INSERT INTO" in q["sql"]]
    people = [sql for sql in inserts if 'INSERT INTO "organisation_person"' in sql]
    # One INSERT per batch of rows (SQLite's 999 variables hold 90 people), not one per row;
    # the party members in one go.
    assert 1 <= len(people) <= 4, len(people)
    assert len(inserts) <= 10, len(inserts)
    assert Person.objects.filter(name__startswith="导入").count() == 300
    assert PartyMember.objects.filter(person__name__startswith="导入").count() == 150
    person = Person.objects.get(name="导入7")
    assert (person.phone, person.id_number) == ("13900000007", _id_number(7))
    assert services.person_build(name="x", id_number=_id_number(7)).id_digest == person.id_digest
    assert AuditEvent.objects.get(action="excel.import").changes == {"sheet": "people", "rows": 300}


def test_a_file_above_the_row_limit_is_refused_whole(county, settings):
    settings.WENMIN_IMPORT_MAX_ROWS = 2
    response = _upload(county.administrator, _people(3))
    assert response.status_code == 200
    errors = " ".join(response.context["cards"][2]["form"].errors["file"])
    with translation.override("zh-hans"):
        expected = gettext(
            "The sheet has more than %(limit)s rows; at most %(limit)s rows can be imported at "
            "once. Split it into several files."
        ) % {"limit": "2"}
    assert errors == expected
    assert not Person.objects.filter(name__startswith="导入").exists()


def test_the_page_states_the_largest_file(county, settings):
    settings.WENMIN_IMPORT_MAX_ROWS = 1234
    client = Client()
    client.force_login(county.administrator)
    with translation.override("en"):
        page = client.get(reverse("organisation:excel_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "1,234" in page.content.decode()


def test_an_id_number_recorded_between_the_check_and_the_write_refuses_the_file(
    county, monkeypatch
):
    def prepare_then_someone_adds(rows: list[services.ImportRow]) -> Any:
        services.person_create(actor=None, name="抢先登记", id_number=_id_number(1))
        return imports._people_prepare(rows)

    monkeypatch.setattr(
        imports, "_PEOPLE", dataclasses.replace(imports._PEOPLE, prepare=prepare_then_someone_adds)
    )
    response = _upload(county.administrator, _people(3))
    assert response.status_code == 200
    with translation.override("zh-hans"):
        message = gettext("A person with this ID number is already recorded.")
    assert {
        (line.row, line.column, line.message) for line in response.context["report"]["lines"]
    } == {(3, "身份证号", message)}
    assert not Person.objects.filter(name__startswith="导入").exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_resident_can_report_while_a_large_file_is_being_imported(county, monkeypatch):
    """Half-way through reading the file, a resident sends a report through the portal: it is
    saved at once instead of waiting for the import and failing with "database is locked"."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    from wenmin.testing import build_case_desk

    desk = build_case_desk(county)
    outcomes: list[str] = []

    def report() -> None:
        try:
            connection.ensure_connection()
            if connection.vendor == "sqlite":
                # Fail after 2 s rather than the site's 20 s if the import holds the lock.
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA busy_timeout = 2000")
            cache.clear()
            response = Client().post(
                reverse("portal:submit"),
                {
                    "content": "青石村路口水管漏水三天了，请尽快修理。",
                    "kind": "help",
                    "category": str(desk.leaking_pipe.pk),
                    "extra.where": "street",
                    "requester_name": "新居民",
                    "requester_phone": "13511112222",
                    "notice_read": "on",
                },
            )
            outcomes.append(str(response.status_code))
        except Exception as error:  # noqa: BLE001  (a refused write is the failure we look for)
            outcomes.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    parse = excel_import._parse_row

    def parse_and_meanwhile_report(number: int, *args: Any) -> Any:
        if number == 100:
            resident = threading.Thread(target=report)
            resident.start()
            resident.join(timeout=60)
        return parse(number, *args)

    monkeypatch.setattr(excel_import, "_parse_row", parse_and_meanwhile_report)
    response = _upload(county.administrator, _people(200))
    assert outcomes == ["302"]
    assert Case.objects.filter(requester__name="新居民").count() == 1
    assert response.status_code == 302
    assert Person.objects.filter(name__startswith="导入").count() == 200


def test_a_file_the_database_refuses_at_the_write_is_refused_whole(county, monkeypatch):
    def write_then_fail(rows: list[services.ImportRow], prepared: Any) -> None:
        imports._people_write(rows, prepared)
        raise IntegrityError("FOREIGN KEY constraint failed")  # a unit deleted meanwhile

    monkeypatch.setattr(
        imports, "_PEOPLE", dataclasses.replace(imports._PEOPLE, write=write_then_fail)
    )
    response = _upload(county.administrator, _people(3))
    assert response.status_code == 200
    [error] = response.context["cards"][2]["form"].errors["file"]
    assert "FOREIGN KEY constraint failed" in error
    assert not Person.objects.filter(name__startswith="导入").exists()
    assert not AuditEvent.objects.filter(action="excel.import").exists()
