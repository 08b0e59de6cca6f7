"""Work stations: the duty roster of cadres and the visitor log; a visitor's matter becomes a
case with channel "work station"."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from wenmin.cases.models import Case, Channel
from wenmin.platforms.models import DutyShift, StationVisit
from wenmin.platforms.tests.conftest import Platforms, client_for, minutes_ago


def test_a_cadre_on_duty_today_is_on_the_public_page(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    today = timezone.localdate().isoformat()
    url = reverse("platforms:roster", args=[platforms.station.pk])
    assert client.post(url, {"day": today, "cadre": platforms.cadre.pk}).status_code == 302
    again = client.post(url, {"day": today, "cadre": platforms.cadre.pk})
    assert again.status_code == 400 and "已在值班表上" in again.content.decode()
    assert DutyShift.objects.count() == 1
    public = (
        client_for(platforms.county.resident)
        .get(reverse("platforms:public", args=[platforms.station.pk]))
        .content.decode()
    )
    assert "孙磊" in public


def test_a_cadre_of_another_township_cannot_be_put_on_duty(platforms: Platforms) -> None:
    client = client_for(platforms.county.administrator)
    url = reverse("platforms:roster", args=[platforms.station.pk])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"day": tomorrow, "cadre": 999999})
    assert response.status_code == 400
    assert DutyShift.objects.count() == 0


def test_a_shift_is_taken_off_the_roster(platforms: Platforms) -> None:
    client = client_for(platforms.county.branch_secretary)  # her village's station
    url = reverse("platforms:roster", args=[platforms.station.pk])
    client.post(url, {"day": timezone.localdate().isoformat(), "cadre": platforms.cadre.pk})
    shift = DutyShift.objects.get()
    assert client.post(reverse("platforms:duty_remove", args=[shift.pk])).status_code == 302
    assert DutyShift.objects.count() == 0


def test_a_visitors_matter_becomes_a_work_station_case(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    response = client.post(
        reverse("platforms:visitors", args=[platforms.station.pk]),
        {
            "visitor_name": "陈明",
            "visitor_phone": "18600003333",
            "arrived_at": minutes_ago(15),
            "matter": "组里的灌溉水渠漏水，请帮忙修理",
            "outcome": "case",
            "kind": "help",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.WORK_STATION
    assert case.requester == platforms.county.resident_a
    visit = StationVisit.objects.get()
    assert visit.case == case
    page = client.get(reverse("platforms:visitors", args=[platforms.station.pk])).content.decode()
    assert case.number in page and "186****3333" in page and "18600003333" not in page


def test_an_answered_visit_needs_its_answer(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    url = reverse("platforms:visitors", args=[platforms.station.pk])
    data = {
        "visitor_name": "陈明",
        "visitor_phone": "18600003333",
        "arrived_at": minutes_ago(15),
        "matter": "咨询医保缴费",
        "outcome": "answered",
        "kind": "consult",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "请说明" in refused.content.decode()
    assert StationVisit.objects.count() == 0 and Case.objects.count() == 0
    assert client.post(url, {**data, "answer": "每年9月至12月在村里缴费"}).status_code == 302
    assert StationVisit.objects.get().case is None


def test_a_clerk_of_another_township_sees_no_station(platforms: Platforms) -> None:
    client = client_for(platforms.county.other_township_clerk)
    assert client.get(reverse("platforms:roster", args=[platforms.station.pk])).status_code == 404
    assert client.get(reverse("platforms:visitors", args=[platforms.station.pk])).status_code == 404
