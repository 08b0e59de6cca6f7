"""Only the leader's office, county leaders and the administrator see the inquiry desk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.inquiry import services
from wenmin.inquiry.models import ReceptionDay
from wenmin.inquiry.testing import Office
from wenmin.organisation import services as org
from wenmin.residents.testing import phone_verified
from wenmin.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _pages(office: Office, booking_id: int) -> list[str]:
    day, leader = office.day.pk, office.leader.pk
    return [
        reverse("inquiry:desk"),
        reverse("inquiry:day_new"),
        reverse("inquiry:desk_day", args=[day]),
        reverse("inquiry:reception_new", args=[day]),
        reverse("inquiry:visits"),
        reverse("inquiry:visit_new"),
        reverse("inquiry:inbox"),
        reverse("inquiry:leader", args=[leader]),
        reverse("inquiry:leader_cases", args=[leader]),
    ]


def _letter_and_booking(office: Office) -> int:
    resident = phone_verified(office.desk.county.resident)
    services.mailbox_send(user=resident, mailbox=office.mailbox, content="村道坑洼多年未修")
    return services.booking_make(user=resident, slot=office.day.slots.all()[0], topic="路灯").pk


def test_another_township_s_clerk_and_residents_see_nothing_of_the_desk(client, office):
    booking = _letter_and_booking(office)
    c = office.desk.county
    for user in (
        c.other_township_clerk,
        c.township_clerk,
        c.branch_secretary,
        c.resident,
        c.volunteer,
    ):
        client.force_login(user)
        for url in _pages(office, booking):
            assert client.get(url).status_code == 403, (user, url)
        response = client.post(reverse("inquiry:day_publish", args=[office.day.pk]))
        assert response.status_code == 403


def test_the_office_the_leader_and_the_administrator_see_the_day_and_the_letters(client, office):
    _letter_and_booking(office)
    c = office.desk.county
    for user in (office.clerk, c.leader, c.administrator):
        client.force_login(user)
        for url in _pages(office, 0):
            assert client.get(url).status_code == 200, (user, url)
        assert "村道坑洼" in client.get(reverse("inquiry:inbox")).content.decode()


def test_another_body_s_office_sees_neither_the_leader_nor_the_letters(client, office):
    c = office.desk.county
    _letter_and_booking(office)
    government = org.unit_create(
        actor=None, code="C-GOV", name="枫岭县人民政府", kind="leadership_body", region=c.county
    )
    other_clerk = User.objects.create_user(
        username="zhengfuban", password=PASSWORD, role=Role.DEPARTMENT_STAFF, unit=government
    )
    client.force_login(other_clerk)
    assert client.get(reverse("inquiry:desk")).status_code == 200  # its own (empty) desk
    for url in (
        reverse("inquiry:desk_day", args=[office.day.pk]),
        reverse("inquiry:leader", args=[office.leader.pk]),
        reverse("inquiry:leader_cases", args=[office.leader.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "村道坑洼" not in client.get(reverse("inquiry:inbox")).content.decode()
    assert "林书记" not in client.get(reverse("inquiry:desk")).content.decode()
    response = client.post(
        reverse("inquiry:day_new"),
        {
            "leader": office.leader.pk,
            "date": timezone.localdate().isoformat(),
            "place": "x",
            "starts": "09:00",
            "ends": "10:00",
            "slot_minutes": 30,
            "capacity": 1,
        },
    )
    assert response.status_code == 400  # not a leader it may choose
    assert ReceptionDay.objects.count() == 1


def test_the_portal_lists_published_days_and_open_mailboxes_only(client, office):
    hidden = services.reception_day_create(
        actor=office.clerk,
        leader=office.leader,
        date=timezone.localdate() + dt.timedelta(days=5),
        place="不公开的地方",
        starts=office.day.starts,
        ends=office.day.ends,
        slot_minutes=30,
        capacity=1,
    )
    page = client.get(reverse("inquiry:leaders")).content.decode()
    assert f'data-day="{office.day.pk}"' in page and "不公开的地方" not in page
    assert reverse("inquiry:mailbox", args=[office.mailbox.pk]) in page
    assert client.get(reverse("inquiry:day", args=[hidden.pk])).status_code == 404
    services.reception_day_publish(actor=office.clerk, day=hidden)
    assert client.get(reverse("inquiry:day", args=[hidden.pk])).status_code == 200


def test_the_portal_list_takes_a_fixed_number_of_queries(client, office, django_assert_num_queries):
    for days in range(2, 6):
        services.reception_day_create(
            actor=office.clerk,
            leader=office.leader,
            date=timezone.localdate() + dt.timedelta(days=days),
            place="县委大院",
            starts=office.day.starts,
            ends=office.day.ends,
            slot_minutes=30,
            capacity=1,
            publish=True,
        )
    client.get(reverse("inquiry:leaders"))
    with django_assert_num_queries(2):  # the days with their free places, the mailboxes
        client.get(reverse("inquiry:leaders"))
