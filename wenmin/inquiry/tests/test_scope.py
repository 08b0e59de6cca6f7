"""Only the leader's office, county leaders and the administrator see the inquiry desk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.selectors import cases_visible_to
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.inquiry import services
from wenmin.inquiry.models import ReceptionDay
from wenmin.inquiry.rules import BookingState
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


def test_the_office_follows_its_leaders_cases_and_no_other_body_does(office):
    office.day.date = timezone.localdate()
    office.day.save(update_fields=["date"])
    talk = services.reception_record(
        actor=office.clerk,
        day=office.day,
        visitor_name="孙大爷",
        visitor_phone="13511112222",
        matters=["村道坑洼"],
    )
    case = talk.matters.get().case  # waiting for the dispatcher: no lead unit yet
    assert case.lead_unit is None
    assert cases_visible_to(office.clerk).filter(pk=case.pk).exists()
    c = office.desk.county
    government = org.unit_create(
        actor=None, code="C-GOV", name="枫岭县人民政府", kind="leadership_body", region=c.county
    )
    other_clerk = User.objects.create_user(
        username="zhengfuban", password=PASSWORD, role=Role.DEPARTMENT_STAFF, unit=government
    )
    for user in (other_clerk, c.other_township_clerk, c.department_clerk):
        assert not cases_visible_to(user).filter(pk=case.pk).exists(), user


def test_the_office_creates_and_publishes_a_day_through_its_pages(client, office):
    client.force_login(office.clerk)
    date = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        reverse("inquiry:day_new"),
        {
            "leader": office.leader.pk,
            "date": date.isoformat(),
            "place": "县群众工作中心",
            "starts": "14:30",
            "ends": "16:30",
            "slot_minutes": "40",
            "capacity": "3",
        },
    )
    day = ReceptionDay.objects.get(date=date)
    assert response.status_code == 302 and response["Location"] == reverse(
        "inquiry:desk_day", args=[day.pk]
    )
    assert [(s.starts.isoformat(), s.capacity) for s in day.slots.order_by("starts")] == [
        ("14:30:00", 3),
        ("15:10:00", 3),
        ("15:50:00", 3),
    ]
    assert not day.is_published
    assert client.get(reverse("inquiry:day", args=[day.pk])).status_code == 404
    client.post(reverse("inquiry:day_publish", args=[day.pk]))
    day.refresh_from_db()
    assert day.is_published
    client.post(reverse("inquiry:day_publish", args=[day.pk]))  # twice: refused, still one
    assert ReceptionDay.objects.filter(date=date).count() == 1


def test_the_office_marks_a_no_show_only_on_or_after_the_day(client, office):
    booking = services.booking_make(
        user=phone_verified(office.desk.county.resident),
        slot=office.day.slots.all()[0],
        topic="路灯",
    )
    client.force_login(office.clerk)
    client.post(reverse("inquiry:booking_no_show", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.state == BookingState.BOOKED  # tomorrow's booking
    office.day.date = timezone.localdate()
    office.day.save(update_fields=["date"])
    client.post(reverse("inquiry:booking_no_show", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.state == BookingState.NO_SHOW


def test_the_pages_speak_english_too(client, office):
    page = client.get(reverse("inquiry:leaders")).content.decode()
    assert "约见领导" in page  # zh-hans by default
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("inquiry:leaders")).content.decode()
    assert "Meet a leader" in page and "约见领导" not in page


def test_the_desk_pages_take_a_fixed_number_of_queries(client, office, django_assert_num_queries):
    resident = phone_verified(office.desk.county.resident)
    services.booking_make(user=resident, slot=office.day.slots.all()[0], topic="路灯")
    services.mailbox_send(user=resident, mailbox=office.mailbox, content="一")
    for n in range(3):
        services.visit_record(
            actor=office.clerk,
            leader=office.leader,
            kind="call",
            date=timezone.localdate(),
            place=f"村{n}",
            met="村民",
            matters=["一", "二"],
        )
    client.force_login(office.clerk)
    counts = {}
    for url in (
        reverse("inquiry:desk"),
        reverse("inquiry:visits"),
        reverse("inquiry:desk_day", args=[office.day.pk]),
        reverse("inquiry:leader_cases", args=[office.leader.pk]),
        reverse("inquiry:leader", args=[office.leader.pk]),
        reverse("inquiry:inbox"),
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    services.visit_record(
        actor=office.clerk,
        leader=office.leader,
        kind="call",
        date=timezone.localdate(),
        place="村9",
        met="村民",
        matters=["三", "四"],
    )
    services.mailbox_send(user=resident, mailbox=office.mailbox, content="二")
    for url, n in counts.items():
        with django_assert_num_queries(n):
            client.get(url)


def test_junk_leader_ids_are_refused_as_a_form_error(client, office):
    client.force_login(office.clerk)
    for junk in ("99999999999999999999999", "１２", "-1", "1e3", "\x00"):
        response = client.post(
            reverse("inquiry:visit_new"),
            {"leader": junk, "kind": "call", "date": "2026-01-01", "place": "x", "met": "y"},
        )
        assert response.status_code == 400, junk
