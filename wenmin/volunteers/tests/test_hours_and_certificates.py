"""Hours per 民政部令第67号: the organiser records them (true, complete, unpaid), never beyond the
activity's length; corrections keep the old value with a reason; the completion hook runs after
the commit. Certificates: only of confirmed hours; forged and revoked numbers fail verification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import AuditEvent
from wenmin.volunteers import services
from wenmin.volunteers.models import Activity, Certificate, HoursCorrection, Participation

from .conftest import Corps


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _checked_in(corps: Corps, *, out: bool = True) -> Participation:
    now = timezone.now()
    return Participation.objects.create(
        activity=corps.now_activity,
        profile=corps.profile,
        signed_up_at=now - dt.timedelta(hours=1),
        checked_in_at=now - dt.timedelta(minutes=25),
        checked_out_at=now if out else None,
    )


def _confirm(corps: Corps, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return _client(corps.county.township_clerk).post(
        reverse("volunteers:hours_confirm", args=[corps.now_activity.pk]), data, follow=True
    )


def test_the_organiser_confirms_hours_with_the_declaration(corps: Corps) -> None:
    row = _checked_in(corps)
    manage = _client(corps.county.township_clerk).get(
        reverse("volunteers:activity_manage", args=[corps.now_activity.pk])
    )
    assert manage.status_code == 200 and 'name="hours_' in manage.content.decode()
    _confirm(corps, {f"hours_{row.pk}": "1.5", "declaration": "yes"})
    row.refresh_from_db()
    corps.now_activity.refresh_from_db()
    assert row.hours == Decimal("1.50") and row.confirmed_at is not None
    assert corps.now_activity.state == "confirmed"
    assert AuditEvent.objects.filter(action="volunteers.hours_confirm").exists()


def test_hours_beyond_the_activitys_length_are_refused_and_nothing_saved(corps: Corps) -> None:
    row = _checked_in(corps)
    other = Participation.objects.create(
        activity=corps.now_activity,
        profile=corps.other,
        signed_up_at=timezone.now(),
        checked_in_at=timezone.now(),
    )
    response = _confirm(
        corps, {f"hours_{row.pk}": "1", f"hours_{other.pk}": "2.01", "declaration": "yes"}
    )
    assert "2.00" in response.content.decode()  # the refusal says the activity's length
    assert not Participation.objects.filter(confirmed_at__isnull=False).exists()
    assert Activity.objects.get(pk=corps.now_activity.pk).state == "published"


def test_hours_without_the_declaration_or_for_one_who_never_checked_in_are_refused(
    corps: Corps,
) -> None:
    row = _checked_in(corps)
    _confirm(corps, {f"hours_{row.pk}": "1"})
    absent = Participation.objects.create(
        activity=corps.now_activity, profile=corps.other, signed_up_at=timezone.now()
    )
    _confirm(corps, {f"hours_{row.pk}": "1", f"hours_{absent.pk}": "1", "declaration": "yes"})
    assert not Participation.objects.filter(confirmed_at__isnull=False).exists()


def test_only_the_organiser_records_hours(corps: Corps) -> None:
    row = _checked_in(corps)
    for user in (corps.county.other_township_clerk, corps.county.volunteer):
        response = _client(user).post(
            reverse("volunteers:hours_confirm", args=[corps.now_activity.pk]),
            {f"hours_{row.pk}": "1", "declaration": "yes"},
        )
        assert response.status_code in (403, 404)
    row.refresh_from_db()
    assert row.confirmed_at is None


def test_the_completion_hook_runs_after_the_commit(
    corps: Corps, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    row = _checked_in(corps)
    seen: list[int] = []
    services.ACTIVITY_COMPLETED.append(lambda activity: seen.append(activity.pk))
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.hours_confirm(
                actor=corps.county.township_clerk,
                activity=corps.now_activity,
                hours={row.pk: Decimal("1")},
                declaration=True,
            )
        assert seen == []  # not before the commit
        for callback in callbacks:
            callback()
        assert seen == [corps.now_activity.pk]
    finally:
        services.ACTIVITY_COMPLETED.pop()


def test_a_correction_keeps_the_old_value_and_needs_a_reason(corps: Corps) -> None:
    row = _checked_in(corps)
    services.hours_confirm(
        actor=corps.county.township_clerk,
        activity=corps.now_activity,
        hours={row.pk: Decimal("1.5")},
        declaration=True,
    )
    client = _client(corps.county.township_clerk)
    url = reverse("volunteers:hours_correct", args=[row.pk])
    client.post(url, {"hours": "1", "reason": ""})
    client.post(url, {"hours": "3", "reason": "多算了"})  # beyond the length
    row.refresh_from_db()
    assert row.hours == Decimal("1.50") and not HoursCorrection.objects.exists()
    client.post(url, {"hours": "1", "reason": "提前离开半小时"})
    row.refresh_from_db()
    correction = HoursCorrection.objects.get()
    assert (correction.old_hours, correction.new_hours, row.hours) == (
        Decimal("1.50"), Decimal("1.00"), Decimal("1.00")
    )  # fmt: skip
    event = AuditEvent.objects.get(action="volunteers.hours_correct")
    assert event.changes["hours"] == ["1.50", "1"] and event.changes["reason"] == "提前离开半小时"
    page = client.get(reverse("volunteers:activity_manage", args=[corps.now_activity.pk]))
    assert "提前离开半小时" in page.content.decode()  # never silent: shown beside the hours


def test_a_certificate_for_unconfirmed_hours_is_refused(corps: Corps) -> None:
    _checked_in(corps)
    client = _client(corps.county.volunteer)
    client.post(reverse("volunteers:certificate_issue"), {"team": corps.team.pk})
    assert not Certificate.objects.exists()


def _certified(corps: Corps) -> Certificate:
    row = _checked_in(corps)
    services.hours_confirm(
        actor=corps.county.township_clerk,
        activity=corps.now_activity,
        hours={row.pk: Decimal("1.5")},
        declaration=True,
    )
    response = _client(corps.county.volunteer).post(
        reverse("volunteers:certificate_issue"), {"team": corps.team.pk}
    )
    certificate = Certificate.objects.get()
    assert response["Location"] == reverse("volunteers:certificate", args=[certificate.pk])
    return certificate


def test_a_certificate_shows_the_masked_id_and_verifies_without_personal_data(
    corps: Corps,
) -> None:
    certificate = _certified(corps)
    client = _client(corps.county.volunteer)
    page = client.get(reverse("volunteers:certificate", args=[certificate.pk])).content.decode()
    assert "3699**********0026" in page and "369901199001010026" not in page
    assert corps.profile.number in page and certificate.number in page and "1.50" in page
    pdf = client.get(reverse("volunteers:certificate_pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    public = Client().get(reverse("volunteers:verify", args=[certificate.number]))
    text = public.content.decode()
    assert public.status_code == 200 and 'data-verdict="valid"' in text
    assert "刘芳" not in text and "0026" not in text and corps.profile.number not in text


def test_a_forged_number_fails_verification(corps: Corps) -> None:
    certificate = _certified(corps)
    forged = certificate.number[:-1] + ("0" if certificate.number[-1] != "0" else "1")
    next_serial = certificate.number.replace(f"{certificate.pk:06d}", f"{certificate.pk + 1:06d}")
    for number in (forged, next_serial, "ZYZM-2026-000001-ABCDEF"):
        response = Client().get(reverse("volunteers:verify", args=[number]))
        assert response.status_code == 404 and 'data-verdict="unknown"' in response.content.decode()


def test_a_revoked_certificate_fails_verification(corps: Corps) -> None:
    certificate = _certified(corps)
    client = _client(corps.county.township_clerk)
    url = reverse("volunteers:certificate_revoke", args=[certificate.pk])
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert _client(corps.county.volunteer).post(url, {"reason": "x"}).status_code == 403
    client.post(url, {"reason": "时长记录有误，已重新出具"})
    response = Client().get(reverse("volunteers:verify", args=[certificate.number]))
    assert response.status_code == 404 and 'data-verdict="revoked"' in response.content.decode()


def test_another_volunteer_cannot_open_a_certificate(corps: Corps) -> None:
    certificate = _certified(corps)
    assert (
        _client(corps.other_user)
        .get(reverse("volunteers:certificate", args=[certificate.pk]))
        .status_code
        == 404
    )
