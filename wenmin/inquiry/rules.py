"""问政's rules, pure: booking states, visit kinds, how a reception day is cut into slots."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Came")
    NO_SHOW = "no_show", _("Did not come")


# A booking that holds its place in the slot (and the resident's one booking of the day).
LIVE_BOOKING_STATES = frozenset({BookingState.BOOKED, BookingState.ATTENDED})


class VisitKind(models.TextChoices):
    DOWN = "down", _("Reception in the field (下访)")
    CALL = "call", _("Home visit (走访)")
    RESEARCH = "research", _("Research visit (调研)")


# The three doors of 问政, short, for a leader's table on a phone (cases.Channel has the long names).
CHANNEL_SHORT = {
    "reception": _("Reception"),
    "visit": _("Field visit"),
    "mailbox": _("Mailbox"),
}

SLOT_MINUTES_MIN, SLOT_MINUTES_MAX = 10, 240
CAPACITY_MIN, CAPACITY_MAX = 1, 50
SLOTS_MAX = 48  # a day of ten-minute slots from 8 to 16 h
PUBLISH_DAYS_AHEAD = 366  # a reception day is published at most a year ahead
MATTERS_MAX = 5  # matters recorded for one visitor or one visit in one go


def slot_times(starts: dt.time, ends: dt.time, minutes: int) -> list[tuple[dt.time, dt.time]]:
    """The slots from `starts` to `ends`, `minutes` long; a last piece shorter than a slot is
    dropped."""
    base = dt.date(2000, 1, 1)
    moment, end = dt.datetime.combine(base, starts), dt.datetime.combine(base, ends)
    step = dt.timedelta(minutes=minutes)
    slots = []
    while moment + step <= end:
        slots.append((moment.time(), (moment + step).time()))
        moment += step
    return slots


def booking_cancellable(state: str, slot_starts: dt.datetime, now: dt.datetime) -> bool:
    """A live booking can be cancelled until its slot begins."""
    return state == BookingState.BOOKED and now < slot_starts


def slot_bookable(*, published: bool, slot_starts: dt.datetime, now: dt.datetime) -> bool:
    """A slot of a published day that has not begun yet."""
    return published and now < slot_starts
