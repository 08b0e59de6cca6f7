"""A person's own export (the privacy app's, for a resident's request) holds their household and
its care categories in clear — theirs to see — and nothing of another household."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client
from django.urls import reverse

from .conftest import Households


def test_the_persons_export_holds_their_household_and_its_care_categories(
    households: Households, county
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county.administrator)
    response = client.post(reverse("privacy:person_export", args=[county.resident_a.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[book.sheetnames[-1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    code, region, address, _relation, care = rows[0]
    assert (code, region, address, care) == ("QS-001", "青石村", "青石村东头12号", "低保户")


def test_a_person_in_no_household_gets_no_household_sheet(households: Households, county) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county.administrator)
    response = client.post(reverse("privacy:person_export", args=[county.cadre_department.pk]))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert len(book.sheetnames) == 5  # the privacy app's own five sheets
