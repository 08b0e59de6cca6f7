"""Two residents book the last place of a slot at the same moment: one wins, one is refused."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.inquiry import services
from wenmin.inquiry.models import Booking, ReceptionSlot
from wenmin.residents.testing import phone_verified
from wenmin.testing import PASSWORD


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_residents_for_the_last_place_one_wins(office):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    c = office.desk.county
    first = phone_verified(c.resident)
    second = phone_verified(
        User.objects.create_user(
            username="zhaoli", password=PASSWORD, role=Role.RESIDENT, person=c.resident_b
        )
    )
    slot = office.day.slots.order_by("starts").first()
    assert slot is not None and slot.capacity == 1
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(user: User) -> None:
        try:
            barrier.wait()
            services.booking_make(user=user, slot=slot, topic="同一时段")
            outcomes.append("won")
        except ValidationError as error:
            outcomes.append("refused" if "slot" in error.message_dict else repr(error))
        except Exception as error:  # noqa: BLE001  (any other failure is a lost booking)
            outcomes.append(f"failed: {error!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=book, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "won"]
    assert Booking.objects.filter(slot=slot).count() == 1
    assert ReceptionSlot.objects.get(pk=slot.pk).booked == 1
