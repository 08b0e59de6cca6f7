"""A person's own export (privacy, for a resident's request) holds the official accounts they
follow with their openid in clear — theirs to see, while units never see it."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.wechat.models import Follower, OfficialAccount
from wenmin.wechat.selectors import openid_digest

OPENID = "oSubject_export_openid_0001"


def test_the_persons_export_holds_their_wechat_followings(desk, account: OfficialAccount) -> None:  # type: ignore[no-untyped-def]
    person = desk.county.resident_a
    Follower.objects.create(
        account=account,
        openid=OPENID,
        openid_digest=openid_digest(openid=OPENID),
        person=person,
        linked_at=timezone.now(),
    )
    client = Client()
    client.force_login(desk.county.administrator)
    response = client.post(reverse("privacy:person_export", args=[person.pk]))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[book.sheetnames[-1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[:3] for row in rows] == [(account.name, account.app_id, OPENID)]
