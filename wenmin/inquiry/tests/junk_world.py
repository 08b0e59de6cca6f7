"""问政's objects for the junk walk (tests/robustness): a leader's office, a reception day with a
booking by the verified resident, a field visit and a mailbox."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wenmin.inquiry import services
from wenmin.inquiry.rules import VisitKind
from wenmin.inquiry.testing import build_office
from wenmin.residents.testing import phone_verified
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, Any]:
    office = build_office(desk)
    resident = phone_verified(desk.county.resident)
    slot = office.day.slots.order_by("starts").first()
    assert slot is not None
    booking = services.booking_make(user=resident, slot=slot, topic="村道")
    services.visit_record(
        actor=office.clerk,
        leader=office.leader,
        kind=VisitKind.DOWN,
        date=timezone.localdate(),
        place="青石村",
        met="村民",
        matters=["水渠失修"],
    )
    return {
        "paths": {
            "day_id": office.day.pk,
            "slot_id": slot.pk,
            "booking_id": booking.pk,
            "mailbox_id": office.mailbox.pk,
            "leader_id": office.leader.pk,
        },
        "form": {
            "topic": "村道硬化",
            "visitor_name": "孙大爷",
            "visitor_phone": "13511112222",
            "matter_1": "村道坑洼",
            "met": "村民代表",
            "slot_minutes": "30",
            "capacity": "2",
            "starts": "09:00",
            "ends": "11:00",
        },
    }
