"""Signing up (never to a full activity, never to two at once) and checking in and out with the
organiser's code: idempotent check-in, no check-out before check-in, the location recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import AuditEvent
from wenmin.volunteers import checkin
from wenmin.volunteers.models import Participation

from .conftest import Corps


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_volunteer_signs_up_through_the_activity_page(corps: Corps) -> None:
    client = _client(corps.county.volunteer)
    url = reverse("volunteers:sign_up", args=[corps.now_activity.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Participation.objects.filter(activity=corps.now_activity, profile=corps.profile).exists()
    again = client.post(url, follow=True)
    assert "已经报名" in again.content.decode() or "already" in again.content.decode()
    assert Participation.objects.filter(profile=corps.profile).count() == 1


def test_signing_up_to_a_full_activity_is_refused_and_saves_nothing(corps: Corps) -> None:
    full = corps.activity(start_in=dt.timedelta(days=2), capacity=1)
    assert _client(corps.other_user).post(reverse("volunteers:sign_up", args=[full.pk]))
    response = _client(corps.county.volunteer).post(
        reverse("volunteers:sign_up", args=[full.pk]), follow=True
    )
    page = response.content.decode()
    assert "名额已满" in page or "full" in page
    assert list(full.participations.values_list("profile_id", flat=True)) == [corps.other.pk]


def test_overlapping_activities_for_one_volunteer_are_refused(corps: Corps) -> None:
    first = corps.activity(start_in=dt.timedelta(days=3), hours=3, title="义诊")
    clash = corps.activity(start_in=dt.timedelta(days=3, hours=2), hours=2, title="送药")
    after = corps.activity(start_in=dt.timedelta(days=3, hours=3), hours=1, title="座谈")
    client = _client(corps.county.volunteer)
    client.post(reverse("volunteers:sign_up", args=[first.pk]))
    response = client.post(reverse("volunteers:sign_up", args=[clash.pk]), follow=True)
    assert "义诊" in response.content.decode()  # the refusal names the activity it overlaps
    assert not clash.participations.exists()
    client.post(reverse("volunteers:sign_up", args=[after.pk]))  # touching is not overlapping
    assert after.participations.filter(profile=corps.profile).exists()


def _signed_up(corps: Corps) -> Participation:
    return Participation.objects.create(
        activity=corps.now_activity, profile=corps.profile, signed_up_at=timezone.now()
    )


def test_check_in_is_idempotent_a_second_scan_changes_nothing_and_says_so(corps: Corps) -> None:
    row = _signed_up(corps)
    client = _client(corps.county.volunteer)
    url = reverse("volunteers:scan", args=[checkin.checkin_token(corps.now_activity.pk)])
    assert client.get(url).status_code == 200
    first = client.post(
        url, {"action": "in", "latitude": "28.4123", "longitude": "117.6051"}, follow=True
    )
    row.refresh_from_db()
    when = row.checked_in_at
    assert when is not None
    assert row.check_in_latitude == Decimal("28.412300")
    assert any("签到成功" in m or "Checked in" in m for m in _messages(first))
    second = client.post(url, {"action": "in"}, follow=True)
    row.refresh_from_db()
    assert row.checked_in_at == when and row.check_in_latitude == Decimal("28.412300")
    assert any("已经签到" in m or "already" in m for m in _messages(second))
    assert AuditEvent.objects.filter(action="volunteers.check_in").count() == 1


def test_check_out_before_check_in_is_refused(corps: Corps) -> None:
    row = _signed_up(corps)
    client = _client(corps.county.volunteer)
    url = reverse("volunteers:scan", args=[checkin.checkin_token(corps.now_activity.pk)])
    response = client.post(url, {"action": "out"}, follow=True)
    row.refresh_from_db()
    assert row.checked_out_at is None
    assert any("先签到" in m or "Check in first" in m for m in _messages(response))
    client.post(url, {"action": "in"})
    client.post(url, {"action": "out"})
    row.refresh_from_db()
    assert row.checked_out_at is not None and row.checked_out_at >= row.checked_in_at


def test_a_bad_location_is_refused_with_nothing_saved(corps: Corps) -> None:
    row = _signed_up(corps)
    client = _client(corps.county.volunteer)
    url = reverse("volunteers:scan", args=[checkin.checkin_token(corps.now_activity.pk)])
    for junk in (
        {"latitude": "91", "longitude": "117"},
        {"latitude": "NaN", "longitude": "1"},
        {"latitude": "28.1"},
    ):
        client.post(url, {"action": "in", **junk})
        row.refresh_from_db()
        assert row.checked_in_at is None


def test_a_forged_or_expired_code_is_refused(corps: Corps, settings) -> None:  # type: ignore[no-untyped-def]
    _signed_up(corps)
    client = _client(corps.county.volunteer)
    token = checkin.checkin_token(corps.now_activity.pk)
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(reverse("volunteers:scan", args=[forged])).status_code == 400
    settings.WENMIN_VOLUNTEER_QR_SECONDS = -1  # every code is already too old
    response = client.post(reverse("volunteers:scan", args=[token]), {"action": "in"})
    assert response.status_code == 400
    assert not Participation.objects.filter(checked_in_at__isnull=False).exists()


def test_check_in_opens_an_hour_before_the_start(corps: Corps) -> None:
    later = corps.activity(start_in=dt.timedelta(hours=5))
    row = Participation.objects.create(
        activity=later, profile=corps.profile, signed_up_at=timezone.now()
    )
    client = _client(corps.county.volunteer)
    client.post(
        reverse("volunteers:scan", args=[checkin.checkin_token(later.pk)]), {"action": "in"}
    )
    row.refresh_from_db()
    assert row.checked_in_at is None


@pytest.mark.parametrize("who", ["resident", "township_clerk"])
def test_only_volunteers_open_the_phone_pages(corps: Corps, who: str) -> None:
    client = _client(getattr(corps.county, who))
    assert client.get(reverse("volunteers:me")).status_code == 403
