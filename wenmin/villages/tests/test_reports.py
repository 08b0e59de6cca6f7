"""A village's monthly report through its page: figures, a note and photos; the rules that refuse
a report (nothing saved), who may report, read and set targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import AuditEvent
from wenmin.villages import demo
from wenmin.villages.models import MonthlyReport, ReportLine, ReportPhoto, VillageTarget

from .conftest import Campaign

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _post(campaign: Campaign, user=None, **extra) -> Any:  # type: ignore[no-untyped-def]
    c = campaign.county
    data = {
        "village": c.village_a.code,
        "month": f"{campaign.year}-04",
        "q_demolished_buildings": "3",
        "q_demolished_area": "420.5",
        "q_roads_hardened": "1.2",
        "note": "村口危房拆除",
        **extra,
    }
    return _client(user or c.branch_secretary).post(reverse("villages:report_new"), data)


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_a_village_cadre_reports_a_month_with_a_photo(campaign: Campaign, media) -> None:  # type: ignore[no-untyped-def]
    photo = SimpleUploadedFile("拆危.png", PNG, content_type="image/png")
    answer = _post(campaign, photos=[photo])
    assert answer.status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.village, report.month, report.note) == (
        campaign.county.village_a,
        4,
        "村口危房拆除",
    )
    assert sorted(report.lines.values_list("indicator__code", "value")) == [
        ("demolished_area", Decimal("420.5")),
        ("demolished_buildings", 3),
        ("roads_hardened", Decimal("1.2")),
    ]
    stored = ReportPhoto.objects.get()
    assert stored.content_type == "image/png"
    assert AuditEvent.objects.filter(action="villages.report_submit").count() == 1
    client = _client(campaign.county.township_clerk)
    page = client.get(reverse("villages:report_detail", args=[report.pk])).content.decode()
    assert f'data-photo="{stored.pk}"' in page
    assert client.get(reverse("villages:photo", args=[stored.pk])).status_code == 200
    # Another township's clerk sees neither the report nor its photo.
    other = _client(campaign.county.other_township_clerk)
    assert other.get(reverse("villages:report_detail", args=[report.pk])).status_code == 404
    assert other.get(reverse("villages:photo", args=[stored.pk])).status_code == 404


def test_a_month_reported_again_is_corrected(campaign: Campaign) -> None:
    assert _post(campaign).status_code == 302
    assert _post(campaign, q_demolished_buildings="5", q_roads_hardened="").status_code == 302
    assert sorted(ReportLine.objects.values_list("indicator__code", "value")) == [
        ("demolished_area", Decimal("420.5")),
        ("demolished_buildings", 5),
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("q_demolished_buildings", "-3", "cannot be negative"),
        ("q_demolished_buildings", "2.5", "whole"),
        ("q_roads_hardened", "abc", "Enter a number"),
        ("q_roads_hardened", "1.234", "two decimal places"),
        ("month", "2026-13", "month such as"),
        ("village", "369901102201", "not among your choices"),  # 白沙村: not theirs
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_saved(
    campaign: Campaign,
    field: str,
    value: str,
    message: str,
    media,  # type: ignore[no-untyped-def]
) -> None:
    photo = SimpleUploadedFile("拆危.png", PNG, content_type="image/png")
    answer = _post(campaign, photos=[photo], **{field: value})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert MonthlyReport.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_a_month_not_yet_begun_is_refused(campaign: Campaign) -> None:
    today = timezone.localdate()
    later = today.replace(day=1) + dt.timedelta(days=40)
    answer = _post(campaign, month=f"{later.year}-{later.month:02d}")
    assert answer.status_code == 400
    assert "has not begun" in answer.content.decode()
    assert MonthlyReport.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"%PDF-1.4 ...", "is not a photo"),
        ("photo.png", b"MZ\x90\x00 not a png", "is not really a .png file"),
        ("photo.exe", b"MZ", "only photos"),
    ],
)
def test_only_real_photos_are_taken(
    campaign: Campaign,
    name: str,
    content: bytes,
    message: str,
    media,  # type: ignore[no-untyped-def]
) -> None:
    answer = _post(campaign, photos=[SimpleUploadedFile(name, content)])
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert MonthlyReport.objects.count() == 0


def test_who_may_open_report_and_set_targets(campaign: Campaign) -> None:
    c = campaign.county
    assert _client(c.leader).get(reverse("villages:home")).status_code == 200
    assert _client(c.leader).get(reverse("villages:report_new")).status_code == 403
    assert _post(campaign, user=c.leader).status_code == 403
    assert _client(c.department_clerk).get(reverse("villages:home")).status_code == 403
    assert _client(c.resident).get(reverse("villages:home")).status_code == 403
    assert _client(c.branch_secretary).get(reverse("villages:targets_edit")).status_code == 403
    # The other township's clerk cannot report for 青石村.
    answer = _post(campaign, user=c.other_township_clerk)
    assert answer.status_code == 400
    assert MonthlyReport.objects.count() == 0
    # Township staff set their villages' targets, not another township's.
    client = _client(c.township_clerk)
    answer = client.post(
        reverse("villages:targets_edit"),
        {"village": c.village_a.code, "year": campaign.year, "q_roads_hardened": "8.5"},
    )
    assert answer.status_code == 302
    assert VillageTarget.objects.get().target == Decimal("8.5")
    answer = client.post(
        reverse("villages:targets_edit"),
        {"village": c.village_b.code, "year": campaign.year, "q_roads_hardened": "8.5"},
    )
    assert answer.status_code == 400
    answer = client.post(
        reverse("villages:targets_edit"),
        {"village": c.village_a.code, "year": campaign.year, "q_leisure_spaces": "-1"},
    )
    assert answer.status_code == 400
    assert VillageTarget.objects.count() == 1


def test_the_demo_reaches_the_seed_totals_exactly(campaign: Campaign) -> None:
    now = timezone.now()
    demo.demo_villages(seed=3, now=now)
    totals = demo.villages_stats()["totals"]
    assert totals["demolished_buildings"] == 1168
    assert totals["demolished_area"] == 175200
    assert totals["roads_hardened"] == pytest.approx(125.7)
    assert totals["leisure_spaces"] == 87
    assert MonthlyReport.objects.filter(year=demo.demo_year(now)).count() == 3 * 12
    # Once is enough.
    demo.demo_villages(seed=3, now=now)
    assert MonthlyReport.objects.count() == 3 * 12


def test_allocate_shares_add_up() -> None:
    assert demo.allocate(1168, [1.0, 2.5, 0.3, 0.0]) == [
        307,
        769,
        92,
        0,
    ]  # 307.37, 768.42, 92.21: the largest remainder gets the 1
    assert sum(demo.allocate(1257, [0.7] * 151)) == 1257
