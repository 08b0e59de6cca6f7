"""Every view of personal data in clear is in the access log, and the administrator reads it."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.tests.api_client import Api, intake
from wenmin.core.models import AuditEvent
from wenmin.organisation.models import Person
from wenmin.privacy.models import AccessLogEntry
from wenmin.privacy.services.access import access_log_prune


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _entries(**filters) -> list[tuple[str, int | None, str, str]]:  # type: ignore[no-untyped-def]
    return list(
        AccessLogEntry.objects.filter(**filters)
        .order_by("id")
        .values_list("viewer_label", "person_id", "fields", "reason")
    )


def test_a_reveal_on_a_person_page_is_logged_with_where_and_the_audit_event_stays(county):
    person = county.cadre_department
    url = reverse("organisation:person_reveal", args=[person.pk, "id_number"])
    response = _as(county.administrator).post(url, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200 and "369901198001010019" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.person, entry.fields, entry.reason) == (
        county.administrator,
        person,
        "id_number",
        "person.reveal",
    )
    assert (entry.path, entry.ip_address) == (url, "10.1.2.3")
    assert AuditEvent.objects.filter(action="person.reveal", target_id=str(person.pk)).exists()


def test_the_admin_s_person_form_is_logged_for_each_field_it_shows(county):
    person = county.cadre_department
    url = f"/admin/organisation/person/{person.pk}/change/"
    assert _as(county.administrator).get(url).status_code == 200
    assert _entries() == [
        ("admin", person.pk, "phone", "person.reveal"),
        ("admin", person.pk, "id_number", "person.reveal"),
    ]
    assert set(AccessLogEntry.objects.values_list("path", flat=True)) == {url}


def test_an_unmasked_export_logs_every_person_in_it_and_a_masked_one_none(county):
    url = reverse("organisation:excel_export", args=["people"])
    response = _as(county.leader).get(url)  # a leader's export is masked
    assert response.status_code == 200
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert not AccessLogEntry.objects.exists()
    response = _as(county.administrator).get(url)
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    people = set(Person.objects.values_list("pk", flat=True))
    logged = set(AccessLogEntry.objects.values_list("person_id", flat=True))
    assert logged == people and len(people) > 5
    assert set(AccessLogEntry.objects.values_list("reason", "fields")) == {
        ("person.export_unmasked", "phone,id_number")
    }


def test_the_export_command_logs_its_unmasked_rows_as_the_command(county, tmp_path: Path):
    call_command(
        "export_excel", "people", str(tmp_path / "p.xlsx"), "--unmasked", stdout=StringIO()
    )
    assert AccessLogEntry.objects.count() == Person.objects.count()
    assert AccessLogEntry.objects.filter(viewer__isnull=True).count() == Person.objects.count()


def test_the_lead_unit_seeing_the_requester_s_phone_is_logged_and_a_supervisor_is_not(desk):
    from wenmin.cases import services as cases

    c = desk.county
    case = intake(desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    page = _as(c.township_clerk).get(reverse("cases:case_detail", args=[case.pk]))
    assert "18600003333" in page.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.person_id, entry.fields, entry.reason, entry.case_id) == (
        c.township_clerk,
        case.requester_id,
        "phone",
        "case.requester_phone",
        case.pk,
    )
    assert AuditEvent.objects.filter(action="case.requester_viewed").count() == 1
    _as(c.leader).get(reverse("cases:case_detail", args=[case.pk]))  # masked for a supervisor
    assert AccessLogEntry.objects.count() == 1


def test_the_api_s_case_detail_for_the_lead_unit_is_logged(client, desk):
    from wenmin.cases import services as cases

    c = desk.county
    case = intake(desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    response = Api(client, c.township_clerk).get(f"/cases/{case.number}")
    assert response.status_code == 200 and response.json()["requester"]["phone_clear"]
    entry = AccessLogEntry.objects.get()
    assert (entry.reason, entry.path) == ("case.requester_phone", f"/api/v1/cases/{case.number}")


def test_the_administrator_filters_the_log_by_person_and_by_viewer_page_by_page(desk):
    c = desk.county
    for person in (c.member_a, c.member_b):
        for _ in range(30):
            _as(c.administrator).post(
                reverse("organisation:person_reveal", args=[person.pk, "phone"])
            )
    admin = _as(c.administrator)
    page = admin.get(reverse("privacy:access_log"), {"person": c.member_a.pk})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 30
    assert {e.person_id for e in page.context["page"].object_list} == {c.member_a.pk}
    everything = admin.get(reverse("privacy:access_log"))
    assert everything.context["page"].paginator.num_pages == 2
    second = admin.get(reverse("privacy:access_log"), {"page": 2})
    assert len(second.context["page"].object_list) == 10
    by_viewer = admin.get(reverse("privacy:access_log"), {"viewer": "admin"})
    assert by_viewer.context["page"].paginator.count == 60
    nobody = admin.get(reverse("privacy:access_log"), {"viewer": "qingshi"})
    assert nobody.context["page"].paginator.count == 0


@pytest.mark.parametrize("who", ["leader", "township_clerk", "resident"])
def test_only_the_administrator_reads_the_access_log(county, who):
    assert _as(getattr(county, who)).get(reverse("privacy:access_log")).status_code == 403
    assert Client().get(reverse("privacy:access_log")).status_code == 302


def test_the_sweep_prunes_the_log_after_the_kept_days_and_no_sooner(county, settings):
    settings.WENMIN_ACCESS_LOG_DAYS = 200
    now = timezone.now()
    for days in (199, 201):
        AccessLogEntry.objects.create(
            at=now - dt.timedelta(days=days),
            viewer_label="admin",
            person=county.member_a,
            fields="phone",
            reason="person.reveal",
        )
    assert access_log_prune(now=now) == 1
    assert list(AccessLogEntry.objects.values_list("at", flat=True)) == [
        now - dt.timedelta(days=199)
    ]
    assert AuditEvent.objects.get(action="privacy.access_log_prune").changes["deleted"] == 1
    AccessLogEntry.objects.update(at=now - dt.timedelta(days=100))
    settings.WENMIN_ACCESS_LOG_DAYS = 30  # below six months: the minimum still holds
    assert access_log_prune(now=now) == 0 and AccessLogEntry.objects.count() == 1
