"""The audit log: every write leaves who, what and from where; nothing in it changes or goes away."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from wenmin.core.audit import audit_record
from wenmin.core.middleware import current_ip
from wenmin.core.models import AuditEvent, User
from wenmin.organisation import services as org
from wenmin.organisation.models import Position
from wenmin.testing import SmallCounty

ADDRESS = "10.20.30.40"

# Each service write, called by the administrator: (expected action, call returning the target).
WRITES: dict[str, tuple[str, Callable[[SmallCounty, User], Any]]] = {
    "region_create": (
        "region.create",
        lambda c, a: org.region_create(
            actor=a,
            code="369901101202",
            name="新村",
            level="village",
            kind="village",
            parent=c.township_a,
        ),
    ),
    "region_update": (
        "region.update",
        lambda c, a: org.region_update(actor=a, region=c.village_a, population=2100),
    ),
    "unit_create": (
        "unit.create",
        lambda c, a: org.unit_create(
            actor=a,
            code="T1-B2",
            name="新支部",
            kind="party_branch",
            region=c.village_a,
            parent=c.committee_a,
        ),
    ),
    "unit_update": (
        "unit.update",
        lambda c, a: org.unit_update(actor=a, unit=c.team_a, name="青石义工队"),
    ),
    "person_create": (
        "person.create",
        lambda c, a: org.person_create(actor=a, name="孙强", phone="13900001234"),
    ),
    "person_update": (
        "person.update",
        lambda c, a: org.person_update(actor=a, person=c.resident_a, birth_year=1986),
    ),
    "party_member_set": (
        "party_member.set",
        lambda c, a: org.party_member_set(
            actor=a, person=c.resident_a, branch=c.branch_a, joined_on=dt.date(2020, 7, 1)
        ),
    ),
    "cadre_set": (
        "cadre.set",
        lambda c, a: org.cadre_set(
            actor=a, person=c.resident_b, unit=c.government_b, position="干事"
        ),
    ),
    "volunteer_set": (
        "volunteer.set",
        lambda c, a: org.volunteer_set(actor=a, person=c.resident_a, post="巡河"),
    ),
    "position_start": (
        "position.start",
        lambda c, a: org.position_start(
            actor=a,
            person=c.member_b,
            kind="branch_secretary",
            unit=c.branch_b,
            start_date=dt.date(2022, 1, 1),
        ),
    ),
    "position_end": (
        "position.end",
        lambda c, a: org.position_end(
            actor=a, position=Position.objects.get(person=c.member_a), end_date=dt.date(2024, 1, 1)
        ),
    ),
    "personal_data_reveal": (
        "person.reveal",
        lambda c, a: (
            org.personal_data_reveal(actor=a, person=c.member_a, field="phone"),
            c.member_a,
        )[1],
    ),
}


@pytest.fixture
def from_address() -> Iterator[str]:
    """Writes made as if inside a request from ADDRESS (the middleware sets this per request)."""
    token = current_ip.set(ADDRESS)
    yield ADDRESS
    current_ip.reset(token)


@pytest.mark.parametrize("service", list(WRITES))
def test_every_service_write_is_audited_with_actor_action_and_address(
    county, from_address, service
):
    action, write = WRITES[service]
    before = AuditEvent.objects.count()
    target = write(county, county.administrator)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    assert (event.actor, event.actor_label, event.action) == (county.administrator, "admin", action)
    assert event.ip_address == from_address
    assert (event.target_type, event.target_id) == (target._meta.label_lower, str(target.pk))
    assert event.created_at.tzinfo is not None


@pytest.mark.parametrize("service", [name for name in WRITES if name != "personal_data_reveal"])
def test_a_write_refused_to_a_non_administrator_leaves_no_trace(county, from_address, service):
    _action, write = WRITES[service]
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        write(county, county.township_clerk)
    assert AuditEvent.objects.count() == before


def test_a_system_command_is_audited_without_an_actor(county, from_address):
    org.region_update(actor=None, region=county.village_b, population=1600)
    event = AuditEvent.objects.get(action="region.update")
    assert (event.actor, event.actor_label, event.ip_address) == (None, "", ADDRESS)
    assert event.changes == {"population": [1500, 1600]}


def test_a_rejected_write_leaves_no_event(county):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        org.person_update(actor=county.administrator, person=county.member_a, phone="12345")
    assert AuditEvent.objects.count() == before


def test_personal_data_is_not_copied_into_the_audit_log(county):
    org.person_update(
        actor=county.administrator,
        person=county.member_a,
        phone="13999998888",
        id_number="369901198001010019",
    )
    event = AuditEvent.objects.get(action="person.update")
    assert set(event.changes) == {"phone", "id_number"}
    text = json.dumps(event.changes, ensure_ascii=False)
    assert (
        "13999998888" not in text and "13812345678" not in text and "369901198001010019" not in text
    )


def test_a_write_through_the_admin_records_the_client_address(county):
    client = Client(REMOTE_ADDR="192.0.2.17")
    client.force_login(county.administrator)
    data = {
        "code": "T1-B2",
        "name": "新支部",
        "kind": "party_branch",
        "region": county.village_a.pk,
        "parent": county.committee_a.pk,
        "member_count": "",
        "_save": "1",
    }
    response = client.post(reverse("admin:organisation_unit_add"), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="unit.create", target_label="新支部")
    assert (event.actor, event.ip_address) == (county.administrator, "192.0.2.17")


def test_a_reveal_through_the_page_records_the_client_address(county):
    client = Client(REMOTE_ADDR="192.0.2.18")
    client.force_login(county.administrator)
    response = client.post(
        reverse("organisation:person_reveal", args=[county.member_a.pk, "phone"])
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="person.reveal")
    assert (event.actor, event.ip_address, event.target_id) == (
        county.administrator,
        "192.0.2.18",
        str(county.member_a.pk),
    )
    assert event.changes == {"field": "phone"}


def test_the_address_is_forgotten_after_the_request(county):
    client = Client(REMOTE_ADDR="192.0.2.19")
    client.force_login(county.administrator)
    client.get(reverse("core:audit_log"))
    assert current_ip.get() is None
    assert audit_record(actor=None, action="test.outside").ip_address is None


# Append-only ---------------------------------------------------------------------------------


@pytest.fixture
def event(county) -> AuditEvent:
    return audit_record(actor=county.administrator, action="test.event", ip_address="10.0.0.1")


def test_an_event_cannot_be_saved_again(event):
    event.action = "test.rewritten"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda events: events.update(action="test.rewritten"),
        lambda events: events.delete(),
        lambda events: AuditEvent.objects.update(ip_address=None),
        lambda events: AuditEvent.objects.all().delete(),
        lambda events: AuditEvent.objects.bulk_update(
            [AuditEvent(pk=e.pk, action="test.rewritten") for e in events], ["action"]
        ),
    ],
    ids=["filter-update", "filter-delete", "manager-update", "all-delete", "bulk-update"],
)
def test_the_log_cannot_be_changed_or_pruned_in_bulk(event, attempt):
    count = AuditEvent.objects.count()
    # bulk_update joins the caller's transaction: a savepoint keeps the test's usable after the refusal.
    with pytest.raises(PermissionError), transaction.atomic():
        attempt(AuditEvent.objects.filter(pk=event.pk))
    assert AuditEvent.objects.count() == count
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


# The audit log page --------------------------------------------------------------------------


def test_the_administrator_reads_the_audit_log(county, event):
    client = Client()
    client.force_login(county.administrator)
    response = client.get(reverse("core:audit_log"), {"action": "test."})
    assert response.status_code == 200
    assert "test.event" in response.content.decode()
    assert "region.create" not in response.content.decode()


@pytest.mark.parametrize(
    "actor",
    ["leader", "township_clerk", "department_clerk", "branch_secretary", "volunteer", "resident"],
)
def test_the_audit_log_page_is_refused_to_everyone_else(county, actor):
    client = Client()
    client.force_login(getattr(county, actor))
    assert client.get(reverse("core:audit_log")).status_code == 403


def test_the_audit_log_page_sends_anonymous_visitors_to_log_in(county):
    response = Client().get(reverse("core:audit_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_audit_log_says_in_words_who_did_what_to_which_object(desk):
    from django.utils import translation

    from wenmin.cases import services as cases
    from wenmin.cases.models import Channel
    from wenmin.cases.workflow import Action

    case = cases.case_intake(
        channel=Channel.PHONE,
        content="青石村路口水管漏水三天了，请尽快修理。",
        kind="help",
        category=desk.water,
        requester_name="陈明",
        requester_phone="18600003333",
        region=desk.county.village_a,
    )
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=desk.county.government_a)
    client = Client()
    client.force_login(desk.county.administrator)
    page = client.get(reverse("core:audit_log"), {"action": "case.dispatch"}).content.decode()
    with translation.override("zh-hans"):
        dispatched = str(Action.DISPATCH.label)
    assert f"{dispatched} <code" in page  # the words, then the code for filtering
    assert f"诉求 {case.number}" in page and "cases.case #" not in page
    assert "周敏" in page  # the dispatcher's name, not only the username
    logins = client.get(reverse("core:audit_log"), {"action": "auth."}).content.decode()
    assert "已登录 <code" in logins and "auth.login</code>" in logins
