"""Residents book a leader's reception slot: verified phone, free place, one booking a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.inquiry import services
from wenmin.inquiry.models import Booking, ReceptionSlot
from wenmin.inquiry.rules import BookingState
from wenmin.inquiry.testing import Office
from wenmin.residents.testing import phone_verified
from wenmin.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _second_resident(office: Office) -> User:
    return phone_verified(
        User.objects.create_user(
            username="zhaoli",
            password=PASSWORD,
            role=Role.RESIDENT,
            person=office.desk.county.resident_b,
        )
    )


def _slots(office: Office) -> list[ReceptionSlot]:
    return list(office.day.slots.order_by("starts"))


def test_a_verified_resident_books_a_slot_on_the_portal(client, office):
    resident = phone_verified(office.desk.county.resident)
    first = _slots(office)[0]
    client.force_login(resident)
    page = client.get(reverse("inquiry:day", args=[office.day.pk])).content.decode()
    assert reverse("inquiry:book", args=[first.pk]) in page
    response = client.post(reverse("inquiry:book", args=[first.pk]), {"topic": "村道硬化"})
    assert response.status_code == 302 and response["Location"] == reverse("inquiry:mine")
    booking = Booking.objects.get()
    assert (booking.resident, booking.account, booking.state, booking.topic) == (
        resident.person,
        resident,
        BookingState.BOOKED,
        "村道硬化",
    )
    first.refresh_from_db()
    assert first.booked == 1
    mine = client.get(reverse("inquiry:mine")).content.decode()
    assert f'data-booking="{booking.pk}"' in mine and "村道硬化" in mine


def test_an_unverified_resident_is_sent_to_verify_the_phone_and_back(client, office):
    slot = _slots(office)[0]
    client.force_login(office.desk.county.resident)  # never entered a code
    book = reverse("inquiry:book", args=[slot.pk])
    for response in (client.get(book), client.post(book, {"topic": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/residents/verify/?next=")
        assert "next=%2Finquiry%2Fslots%2F" in response["Location"]
    client.logout()
    assert client.get(book)["Location"].startswith("/residents/verify/?next=")
    assert not Booking.objects.exists()


def test_the_service_refuses_an_unverified_account_too(office):
    slot = _slots(office)[0]
    with pytest.raises(services.NotVerified):
        services.booking_make(user=office.desk.county.resident, slot=slot, topic="x")
    assert not Booking.objects.exists()


def test_a_full_slot_is_refused_and_nothing_is_saved(client, office):
    slot = _slots(office)[0]  # one place
    services.booking_make(user=_second_resident(office), slot=slot, topic="路灯")
    resident = phone_verified(office.desk.county.resident)
    with pytest.raises(ValidationError) as refused:
        services.booking_make(user=resident, slot=slot, topic="水费")
    assert refused.value.message_dict["slot"] == ["这个时段已约满，请选择其他时段。"]
    client.force_login(resident)
    response = client.post(reverse("inquiry:book", args=[slot.pk]), {"topic": "水费"})
    assert response.status_code == 400
    assert Booking.objects.filter(resident=resident.person).count() == 0
    slot.refresh_from_db()
    assert slot.booked == 1


def test_a_second_booking_the_same_day_is_refused(office):
    first, second = _slots(office)
    resident = phone_verified(office.desk.county.resident)
    services.booking_make(user=resident, slot=first, topic="路灯")
    with pytest.raises(ValidationError) as refused:
        services.booking_make(user=resident, slot=second, topic="又一件事")
    assert "slot" in refused.value.message_dict
    second.refresh_from_db()
    assert (second.booked, Booking.objects.count()) == (0, 1)


def test_a_cancelled_booking_frees_its_place_and_the_day(client, office):
    first, second = _slots(office)
    resident = phone_verified(office.desk.county.resident)
    booking = services.booking_make(user=resident, slot=first, topic="路灯")
    client.force_login(resident)
    response = client.post(reverse("inquiry:cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    first.refresh_from_db()
    assert (booking.state, first.booked) == (BookingState.CANCELLED, 0)
    services.booking_make(user=resident, slot=second, topic="路灯")  # the day is free again
    with pytest.raises(ValidationError):  # a cancelled booking cannot be cancelled twice
        services.booking_cancel(user=resident, booking=booking)


def test_another_resident_cannot_cancel_my_booking(client, office):
    booking = services.booking_make(
        user=phone_verified(office.desk.county.resident), slot=_slots(office)[0], topic="路灯"
    )
    other = _second_resident(office)
    client.force_login(other)
    assert client.post(reverse("inquiry:cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.state == BookingState.BOOKED


def test_a_past_or_unpublished_slot_cannot_be_booked(office):
    resident = phone_verified(office.desk.county.resident)
    hidden = services.reception_day_create(
        actor=office.clerk,
        leader=office.leader,
        date=timezone.localdate() + dt.timedelta(days=3),
        place="县委大院",
        starts=dt.time(9, 0),
        ends=dt.time(9, 30),
        slot_minutes=30,
        capacity=3,
    )
    with pytest.raises(ValidationError):
        services.booking_make(user=resident, slot=hidden.slots.get(), topic="x")
    office.day.date = timezone.localdate() - dt.timedelta(days=1)
    office.day.save(update_fields=["date"])
    with pytest.raises(ValidationError):
        services.booking_make(user=resident, slot=_slots(office)[0], topic="x")
    assert not Booking.objects.exists()


def test_a_reception_day_is_refused_with_bad_times_and_nothing_is_saved(office):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"date": timezone.localdate() - dt.timedelta(days=1)}, "date"),
        ({"date": tomorrow}, "date"),  # the leader already has that day
        ({"ends": dt.time(8, 0)}, "ends"),
        ({"slot_minutes": 5}, "slot_minutes"),
        ({"capacity": 0}, "capacity"),
        ({"place": "  "}, "place"),
    ]
    for change, field in cases:
        args: dict[str, Any] = {
            "date": tomorrow + dt.timedelta(days=7),
            "place": "县委大院",
            "starts": dt.time(9, 0),
            "ends": dt.time(11, 0),
            "slot_minutes": 30,
            "capacity": 2,
            **change,
        }
        with pytest.raises(ValidationError) as refused:
            services.reception_day_create(actor=office.clerk, leader=office.leader, **args)
        assert field in refused.value.message_dict, change
    assert office.leader.reception_days.count() == 1
