"""Queue tickets: take a number, call the next, waiting time measured; calling on an empty queue
is refused; numbers never repeat (a property over any sequence of takes and calls)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.core.models import AuditEvent
from wenmin.platforms import services
from wenmin.platforms.models import QueueCounter, QueueTicket
from wenmin.platforms.tests.conftest import Platforms, client_for


def test_numbers_are_issued_in_order_and_called_lowest_first(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    for _ in range(3):
        assert (
            client.post(reverse("platforms:ticket_take", args=[platforms.centre.pk])).status_code
            == 302
        )
    assert list(QueueTicket.objects.values_list("number", flat=True)) == [1, 2, 3]
    response = client.post(
        reverse("platforms:ticket_call", args=[platforms.centre.pk]), follow=True
    )
    assert "正在叫号 001" in response.content.decode()
    called = QueueTicket.objects.get(number=1)
    assert called.called_at is not None and called.called_by == platforms.county.township_clerk
    assert called.waiting_seconds is not None and called.waiting_seconds >= 0
    assert QueueTicket.objects.filter(called_at__isnull=True).count() == 2


def test_calling_an_empty_queue_is_refused_and_nothing_saved(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    response = client.post(reverse("platforms:ticket_call", args=[platforms.centre.pk]))
    assert response.status_code == 400
    assert "没有人在等候" in response.content.decode()
    assert not AuditEvent.objects.filter(action="platforms.ticket_call").exists()
    assert QueueTicket.objects.count() == 0


def test_the_waiting_time_is_the_time_from_issue_to_call(platforms: Platforms) -> None:
    issued = timezone.now() - dt.timedelta(minutes=30)
    ticket = services.ticket_take(actor=None, unit=platforms.centre, now=issued)
    called = services.ticket_call_next(
        actor=None, unit=platforms.centre, now=issued + dt.timedelta(minutes=12)
    )
    assert called.pk == ticket.pk and called.waiting_seconds == 12 * 60


def test_each_day_starts_again_at_one(platforms: Platforms) -> None:
    yesterday = timezone.now() - dt.timedelta(days=1)
    services.ticket_take(actor=None, unit=platforms.centre, now=yesterday)
    services.ticket_take(actor=None, unit=platforms.centre, now=yesterday)
    today = services.ticket_take(actor=None, unit=platforms.centre)
    assert today.number == 1
    # Yesterday's number left waiting is not called today.
    services.ticket_call_next(actor=None, unit=platforms.centre)
    with pytest.raises(ValidationError):
        services.ticket_call_next(actor=None, unit=platforms.centre)


def test_a_clerk_of_another_township_cannot_take_or_call(platforms: Platforms) -> None:
    client = client_for(platforms.county.other_township_clerk)
    assert (
        client.post(reverse("platforms:ticket_take", args=[platforms.centre.pk])).status_code == 404
    )
    assert QueueTicket.objects.count() == 0


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["take", "call"]), max_size=12))
def test_no_number_is_issued_twice_and_calls_follow_the_numbers(
    platforms: Platforms, operations: list[str]
) -> None:
    QueueTicket.objects.all().delete()
    QueueCounter.objects.all().delete()
    waiting: list[int] = []
    issued = called = 0
    for operation in operations:
        if operation == "take":
            ticket = services.ticket_take(actor=None, unit=platforms.centre)
            issued += 1
            assert ticket.number == issued
            waiting.append(ticket.number)
        elif waiting:
            ticket = services.ticket_call_next(actor=None, unit=platforms.centre)
            assert ticket.number == waiting.pop(0)
            called += 1
        else:
            with pytest.raises(ValidationError):
                services.ticket_call_next(actor=None, unit=platforms.centre)
    numbers = list(QueueTicket.objects.values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, issued + 1))
    assert QueueTicket.objects.filter(called_at__isnull=False).count() == called
