"""The Django admin: administrator only, every write through the services, personal data guarded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.organisation.models import PartyMember, Person, Position, Region, Unit
from wenmin.organisation.services import position_start
from wenmin.testing import SmallCounty


@pytest.fixture
def admin_client_(county: SmallCounty) -> Client:
    client = Client()
    client.force_login(county.administrator)
    return client


def _region_form(parent: Region, **overrides: Any) -> dict[str, Any]:
    data = {
        "code": "369901101202",
        "name": "青石新村",
        "level": "village",
        "kind": "village",
        "parent": parent.pk,
        "population": "900",
        "latitude": "",
        "longitude": "",
        "_save": "1",
    }
    return {**data, **overrides}


def _errors(response: Any) -> str:
    return str(response.context["adminform"].form.errors) + str(response.context["errors"])


def test_administrator_reaches_the_admin_index(county, admin_client_):
    response = admin_client_.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "organisation" in {app["app_label"] for app in response.context["app_list"]}


@pytest.mark.parametrize("actor", ["leader", "township_clerk", "branch_secretary", "resident"])
def test_other_roles_are_refused_by_the_admin_even_with_is_staff(county, actor):
    user: User = getattr(county, actor)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(reverse("admin:organisation_person_changelist")).status_code == 403
    assert client.get(reverse("admin:login")).status_code == 403


def test_anonymous_is_sent_to_the_admin_login(county):
    response = Client().get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_adding_a_region_goes_through_the_service_and_is_audited(county, admin_client_):
    response = admin_client_.post(
        reverse("admin:organisation_region_add"), _region_form(county.township_a)
    )
    assert response.status_code == 302, _errors(response)
    region = Region.objects.get(code="369901101202")
    assert region.path == county.township_a.path + "369901101202/"
    assert region.township_id == county.township_a.pk
    event = AuditEvent.objects.get(action="region.create", target_id=str(region.pk))
    assert event.actor == county.administrator
    assert event.ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "369901201202"}, "code"),  # does not extend the parent's code
        ({"code": "36990110120"}, "code"),  # 11 digits
        ({"code": "369901101201"}, "code"),  # taken by 青石村
        ({"level": "group", "kind": "group"}, "parent"),  # a group's parent is a village
        ({"kind": "town"}, "kind"),  # a town is not a village
    ],
)
def test_a_region_the_service_refuses_shows_a_form_error(county, admin_client_, overrides, field):
    before = Region.objects.count()
    data = _region_form(county.township_a, **overrides)
    response = admin_client_.post(reverse("admin:organisation_region_add"), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Region.objects.count() == before


def test_changing_a_region_keeps_its_code_and_audits_the_change(county, admin_client_):
    url = reverse("admin:organisation_region_change", args=[county.village_a.pk])
    data = {
        "name": "青石社区",
        "kind": "community",
        "population": "2100",
        "latitude": "",
        "longitude": "",
        "_save": "1",
    }
    response = admin_client_.post(url, {**data, "code": "999999999999"})
    assert response.status_code == 302, _errors(response)
    county.village_a.refresh_from_db()
    assert (county.village_a.name, county.village_a.code) == ("青石社区", "369901101201")
    event = AuditEvent.objects.get(action="region.update", target_id=str(county.village_a.pk))
    assert event.changes["name"] == ["青石村", "青石社区"]


def test_a_region_kind_that_does_not_fit_its_level_is_a_form_error(county, admin_client_):
    url = reverse("admin:organisation_region_change", args=[county.village_a.pk])
    data = {
        "name": "青石村",
        "kind": "town",
        "population": "2000",
        "latitude": "",
        "longitude": "",
        "_save": "1",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    county.village_a.refresh_from_db()
    assert county.village_a.kind == "village"
    assert not AuditEvent.objects.filter(action="region.update").exists()


def test_moving_a_unit_moves_its_subtree(county, admin_client_):
    url = reverse("admin:organisation_unit_change", args=[county.committee_a.pk])
    data = {
        "name": county.committee_a.name,
        "region": county.township_a.pk,
        "parent": county.organs_committee.pk,
        "member_count": "",
        "_save": "1",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, _errors(response)
    county.branch_a.refresh_from_db()
    assert county.branch_a.path == "C-PC/C-JG/T1-PC/T1-B1/"


def test_a_unit_under_its_own_sub_unit_is_a_form_error(county, admin_client_):
    url = reverse("admin:organisation_unit_change", args=[county.committee_a.pk])
    data = {
        "name": county.committee_a.name,
        "region": county.township_a.pk,
        "parent": county.branch_a.pk,
        "member_count": "",
        "_save": "1",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert Unit.objects.get(pk=county.committee_a.pk).path == "C-PC/T1-PC/"


def test_a_branch_under_a_non_committee_is_a_form_error_on_add(county, admin_client_):
    data = {
        "code": "T1-B2",
        "name": "新支部",
        "kind": "party_branch",
        "region": county.village_a.pk,
        "parent": county.government_a.pk,
        "member_count": "",
        "_save": "1",
    }
    response = admin_client_.post(reverse("admin:organisation_unit_add"), data)
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Unit.objects.filter(code="T1-B2").exists()


def test_the_person_list_shows_phone_and_id_masked(county, admin_client_):
    response = admin_client_.get(reverse("admin:organisation_person_changelist"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in content and "13812345678" not in content
    assert "3699**********0019" in content and "369901198001010019" not in content


def test_a_person_can_be_found_by_full_phone_number(county, admin_client_):
    response = admin_client_.get(
        reverse("admin:organisation_person_changelist"), {"q": "138 1234 5678"}
    )
    assert list(response.context["cl"].result_list) == [county.member_a]


def test_the_person_form_shows_clear_values_and_logs_the_reveal(county, admin_client_):
    url = reverse("admin:organisation_person_change", args=[county.cadre_department.pk])
    response = admin_client_.get(url)
    assert response.status_code == 200
    assert "13700001111" in response.content.decode()
    revealed = AuditEvent.objects.filter(
        action="person.reveal", target_id=str(county.cadre_department.pk)
    )
    assert sorted(event.changes["field"] for event in revealed) == ["id_number", "phone"]
    assert {event.actor for event in revealed} == {county.administrator}


def test_a_person_with_a_bad_phone_is_a_form_error(county, admin_client_):
    url = reverse("admin:organisation_person_change", args=[county.member_a.pk])
    data = {
        "name": "李秀英",
        "gender": "female",
        "birth_year": "1975",
        "phone": "12345",
        "id_number": "",
        "region": county.village_a.pk,
        "_save": "1",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "phone" in response.context["adminform"].form.errors
    assert Person.objects.get(pk=county.member_a.pk).phone == "13812345678"


def test_adding_a_person_normalises_and_encrypts_through_the_service(county, admin_client_):
    data = {
        "name": "孙强",
        "gender": "male",
        "birth_year": "1979",
        "phone": "+86 139-0000-1234",
        "id_number": "",
        "region": county.village_b.pk,
        "is_resident": "on",
        "_save": "1",
    }
    response = admin_client_.post(reverse("admin:organisation_person_add"), data)
    assert response.status_code == 302, _errors(response)
    person = Person.objects.get(name="孙强")
    assert person.phone == "13900001234" and person.phone_digest
    assert AuditEvent.objects.filter(action="person.create", target_id=str(person.pk)).exists()


def test_moving_a_party_member_goes_through_the_service(county, admin_client_):
    membership = PartyMember.objects.get(person=county.member_a)
    url = reverse("admin:organisation_partymember_change", args=[membership.pk])
    data = {
        "branch": county.branch_b.pk,
        "joined_on": "2001-07-01",
        "status": "probationary",
        "_save": "1",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, _errors(response)
    membership.refresh_from_db()
    assert (membership.branch, membership.status) == (county.branch_b, "probationary")
    assert AuditEvent.objects.filter(action="party_member.set", actor=county.administrator).exists()


def test_ending_a_position_before_it_starts_is_a_form_error(county, admin_client_):
    position = Position.objects.get(person=county.member_a, kind="branch_secretary")
    url = reverse("admin:organisation_position_change", args=[position.pk])
    response = admin_client_.post(url, {"end_date": "2020-12-31", "_save": "1"})
    assert response.status_code == 200
    assert "end_date" in response.context["adminform"].form.errors
    response = admin_client_.post(url, {"end_date": "2024-06-30", "_save": "1"})
    assert response.status_code == 302, _errors(response)
    position.refresh_from_db()
    assert position.end_date == dt.date(2024, 6, 30)
    assert AuditEvent.objects.filter(action="position.end", target_id=str(position.pk)).exists()


def test_starting_a_position_through_the_admin(county, admin_client_):
    data = {
        "person": county.resident_a.pk,
        "kind": "county_leader_liaison",
        "unit": "",
        "region": county.township_a.pk,
        "subject": "",
        "start_date": "2025-01-01",
        "end_date": "",
        "_save": "1",
    }
    response = admin_client_.post(reverse("admin:organisation_position_add"), data)
    assert response.status_code == 302, _errors(response)
    assert Position.objects.filter(person=county.resident_a, region=county.township_a).exists()


def test_an_ended_position_is_view_only(county, admin_client_):
    position = position_start(
        actor=None,
        person=county.resident_b,
        kind="dispatcher",
        unit=county.government_b,
        start_date=dt.date(2022, 1, 1),
    )
    url = reverse("admin:organisation_position_change", args=[position.pk])
    admin_client_.post(url, {"end_date": "2023-01-01", "_save": "1"})
    response = admin_client_.post(url, {"end_date": "2024-01-01", "_save": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "model", ["region", "unit", "person", "partymember", "cadre", "volunteer", "position"]
)
def test_reference_data_cannot_be_deleted_in_the_admin(county, admin_client_, model):
    changelist = admin_client_.get(reverse(f"admin:organisation_{model}_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    first = changelist.context["cl"].result_list[0]
    response = admin_client_.post(
        reverse(f"admin:organisation_{model}_delete", args=[first.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert type(first).objects.filter(pk=first.pk).exists()


def test_the_audit_log_admin_is_read_only(county, admin_client_):
    event = AuditEvent.objects.first()
    assert event is not None
    assert (
        admin_client_.get(
            reverse("admin:core_auditevent_changelist"), {"action": "region.create"}
        ).status_code
        == 200
    )
    assert (
        admin_client_.get(reverse("admin:core_auditevent_changelist"), {"q": "admin"}).status_code
        == 200
    )
    assert admin_client_.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert (
        admin_client_.post(
            reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    response = admin_client_.post(
        reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "x"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


def test_an_account_made_in_the_admin_has_staff_status_only_as_administrator(county, admin_client_):
    data = {
        "username": "clerk2",
        "usable_password": "true",
        "password1": "a-long-pass-phrase-42",
        "password2": "a-long-pass-phrase-42",
        "role": Role.TOWNSHIP_STAFF,
        "unit": county.government_a.pk,
        "person": "",
        "_save": "1",
    }
    response = admin_client_.post(reverse("admin:core_user_add"), data)
    assert response.status_code == 302, _errors(response)
    clerk = User.objects.get(username="clerk2")
    assert (clerk.role, clerk.unit, clerk.is_staff) == (
        Role.TOWNSHIP_STAFF,
        county.government_a,
        False,
    )
    event = AuditEvent.objects.get(action="account.create", target_id=str(clerk.pk))
    assert "password1" not in event.changes["fields"] and event.ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    "model",
    [
        "organisation.region",
        "organisation.unit",
        "organisation.person",
        "organisation.partymember",
        "organisation.cadre",
        "organisation.volunteer",
        "organisation.position",
        "core.user",
    ],
)
def test_every_admin_page_renders_in_chinese(county, admin_client_, model):
    app_label, name = model.split(".")
    changelist = admin_client_.get(reverse(f"admin:{app_label}_{name}_changelist"))
    assert changelist.status_code == 200
    assert admin_client_.get(reverse(f"admin:{app_label}_{name}_add")).status_code == 200
    first = changelist.context["cl"].result_list[0]
    change = admin_client_.get(reverse(f"admin:{app_label}_{name}_change", args=[first.pk]))
    assert change.status_code == 200
    assert "保存" in change.content.decode()


def test_the_branch_autocomplete_offers_only_party_branches(county, admin_client_):
    params = {
        "app_label": "organisation",
        "model_name": "partymember",
        "field_name": "branch",
        "term": "",
    }
    response = admin_client_.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    offered = {int(item["id"]) for item in response.json()["results"]}
    assert offered == {county.branch_a.pk, county.branch_b.pk, county.department_branch.pk}
