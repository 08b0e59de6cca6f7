"""The only door for reads of 问政's records: the public reception days and mailboxes, the
resident's own bookings, and what the leaders' offices may see.

Who works the inquiry desk: the administrator and county leaders' accounts (every leader), and
the staff of a leadership body (四套班子: 县委办, 县政府办, 人大办, 政协办 — "the leader's office"),
who work for the leaders whose cadre post is in their body. Everybody else sees nothing of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from wenmin.cases.forms_staff import county_leaders
from wenmin.cases.models import Case, Channel
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.workflow import State
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.core.workdays import SHANGHAI
from wenmin.inquiry.models import (
    Booking,
    Conversation,
    Mailbox,
    Matter,
    ReceptionDay,
    ReceptionSlot,
    Visit,
)
from wenmin.inquiry.rules import BookingState
from wenmin.organisation.models import Person, Unit, UnitKind

INQUIRY_CHANNELS = (Channel.RECEPTION, Channel.VISIT, Channel.MAILBOX)
DESK_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF})


def slot_starts_at(day: ReceptionDay, slot: ReceptionSlot) -> dt.datetime:
    """When a slot begins, as an aware moment (reception days keep Beijing time)."""
    return dt.datetime.combine(day.date, slot.starts, tzinfo=SHANGHAI)


def leader_office(leader: Person) -> Unit | None:
    """The leader's office: the leadership body their cadre post is in (县委, 县政府…), or None
    for a leader without one (a 包联 leader from a department)."""
    unit = Unit.objects.filter(cadres__person=leader, kind=UnitKind.LEADERSHIP_BODY).first()
    return unit


# --- the desk (leaders' offices) ----------------------------------------------------------


def works_inquiry_desk(user: Any) -> bool:
    """The administrator, a county leader's account, or staff of a leadership body."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.role in (Role.ADMINISTRATOR, Role.COUNTY_LEADER):
        return True
    unit = user.unit if user.role in DESK_ROLES else None
    return unit is not None and unit.kind == UnitKind.LEADERSHIP_BODY


def desk_leaders(user: User) -> QuerySet[Person]:
    """The county leaders whose reception days, visits and letters the viewer works on."""
    if not works_inquiry_desk(user):
        return Person.objects.none()
    leaders = county_leaders()
    if user.role in (Role.ADMINISTRATOR, Role.COUNTY_LEADER):
        return leaders
    return leaders.filter(cadre__unit=user.unit)


def desk_leader_get(user: User, leader_id: Any) -> Person:
    """One leader the viewer works for, or 404."""
    leader = desk_leaders(user).filter(pk=id_or_404(leader_id)).first()
    if leader is None:
        raise Http404
    return leader


def _slot_total(field: str) -> Coalesce:
    """A day's slots' total of `field`, as a subquery (a join would multiply it by the day's
    conversations)."""
    totals = (
        ReceptionSlot.objects.filter(day=OuterRef("pk"))
        .order_by()
        .values("day")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(totals), 0)


def day_period(when: str, today: dt.date) -> Q:
    """Which published days a leader's page counts: "held" (the day has come) or "coming"."""
    if when == "held":
        return Q(is_published=True, date__lte=today)
    if when == "coming":
        return Q(is_published=True, date__gt=today)
    return Q()


def desk_days(
    user: User, *, leader: Person | None = None, when: str = ""
) -> QuerySet[ReceptionDay]:
    """Reception days of the viewer's leaders (or of one, held or coming), with their slot totals
    and how many visitors were recorded."""
    days = ReceptionDay.objects.filter(leader__in=desk_leaders(user).values("pk"))
    if leader is not None:
        days = days.filter(leader=leader)
    talks = (
        Conversation.objects.filter(day=OuterRef("pk"))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .values("n")
    )
    today = timezone.localdate()
    coming = Q(date__gte=today)
    return (
        days.filter(day_period(when, today))
        .select_related("leader")
        .annotate(
            places=_slot_total("capacity"),
            taken=_slot_total("booked"),
            talks=Coalesce(Subquery(talks), 0),
        )
        # The next days first, soonest first; then the days held, the latest first.
        .order_by(
            SqlCase(When(coming, then=Value(0)), default=Value(1)),
            SqlCase(When(coming, then=F("date"))).asc(),
            F("date").desc(),
            "id",
        )
    )


def desk_day_get(user: User, day_id: Any) -> ReceptionDay:
    """One reception day of the viewer's leaders, with its slots and bookings, or 404."""
    day = (
        ReceptionDay.objects.filter(
            pk=id_or_404(day_id), leader__in=desk_leaders(user).values("pk")
        )
        .select_related("leader")
        .prefetch_related(
            Prefetch(
                "slots",
                ReceptionSlot.objects.prefetch_related(
                    Prefetch(
                        "bookings",
                        Booking.objects.select_related("resident", "conversation").order_by("id"),
                    )
                ),
            ),
            Prefetch(
                "conversations",
                Conversation.objects.select_related("visitor", "booking").prefetch_related(
                    Prefetch("matters", Matter.objects.select_related("case"))
                ),
            ),
        )
        .first()
    )
    if day is None:
        raise Http404
    return day


def desk_booking_get(user: User, booking_id: Any) -> Booking:
    """One booking on a reception day of the viewer's leaders, or 404."""
    booking = (
        Booking.objects.filter(
            pk=id_or_404(booking_id), day__leader__in=desk_leaders(user).values("pk")
        )
        .select_related("slot", "day", "resident")
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def desk_visits(user: User, *, leader: Person | None = None) -> QuerySet[Visit]:
    """Field visits of the viewer's leaders (or of one), newest first, with their matters' cases."""
    visits = Visit.objects.filter(leader__in=desk_leaders(user).values("pk"))
    if leader is not None:
        visits = visits.filter(leader=leader)
    return (
        visits.select_related("leader", "region")
        .prefetch_related(Prefetch("matters", Matter.objects.select_related("case")))
        .order_by("-date", "-id")
    )


def mailbox_inbox(user: User) -> QuerySet[Case]:
    """Letters to the viewer's leaders' mailboxes, as the cases they became (newest first)."""
    return (
        cases_visible_to(user)
        .filter(
            channel=Channel.MAILBOX,
            inquiry_matter__leader__in=desk_leaders(user).values("pk"),
        )
        .select_related("coordinator", "lead_unit")
        .order_by("-received_at", "-id")
    )


def desk_mailboxes(user: User) -> QuerySet[Mailbox]:
    """The mailboxes of the viewer's leaders."""
    return Mailbox.objects.filter(leader__in=desk_leaders(user).values("pk")).select_related(
        "leader"
    )


# --- a leader's page --------------------------------------------------------------------------


def leader_cases(
    user: User, leader: Person, *, channel: str = "", state: str = ""
) -> QuerySet[Case]:
    """The cases of the matters raised with a leader that the viewer may see, narrowed by channel
    and state (one of the leader page's counts)."""
    cases = cases_visible_to(user).filter(inquiry_matter__leader=leader)
    if channel:
        cases = cases.filter(channel=channel)
    if state:
        cases = cases.filter(state=state)
    return cases


def leader_figures(user: User, leader: Person) -> dict[str, Any]:
    """A leader's record: reception days held, visits, letters, and their matters' cases by
    channel × state (each count is leader_cases with the same channel and state)."""
    today = timezone.localdate()
    days = ReceptionDay.objects.filter(leader=leader)
    counts: dict[tuple[str, str], int] = {}
    rows = (
        leader_cases(user, leader)
        .order_by()
        .values_list("channel", "state")
        .annotate(n=Count("id"))
    )
    for channel, state, n in rows:
        counts[(channel, state)] = n
    by_channel = {
        channel: {state: counts.get((channel, state), 0) for state in State.values}
        for channel in INQUIRY_CHANNELS
    }
    by_state = {
        state: sum(by_channel[c][state] for c in INQUIRY_CHANNELS) for state in State.values
    }
    return {
        "days_held": days.filter(day_period("held", today)).count(),
        "days_coming": days.filter(day_period("coming", today)).count(),
        "visits": Visit.objects.filter(leader=leader).count(),
        "by_channel": by_channel,
        "by_state": by_state,
        "total": sum(by_state.values()),
    }


# --- the public portal -----------------------------------------------------------------------


def public_days() -> QuerySet[ReceptionDay]:
    """Published reception days from today on, with free places."""
    return (
        ReceptionDay.objects.filter(is_published=True, date__gte=timezone.localdate())
        .select_related("leader", "leader__cadre")
        .annotate(places=_slot_total("capacity"), taken=_slot_total("booked"))
        .order_by("date", "starts", "id")
    )


def public_mailboxes() -> QuerySet[Mailbox]:
    """The open mailboxes, for the portal's list of leaders."""
    return (
        Mailbox.objects.filter(is_open=True)
        .select_related("leader", "leader__cadre")
        .order_by("leader__cadre__unit__code", "id")
    )


def public_day_get(day_id: Any) -> ReceptionDay:
    """A published reception day with its slots, or 404."""
    day = (
        ReceptionDay.objects.filter(pk=id_or_404(day_id), is_published=True)
        .select_related("leader", "leader__cadre")
        .prefetch_related("slots")
        .first()
    )
    if day is None:
        raise Http404
    return day


def public_slot_get(slot_id: Any) -> ReceptionSlot:
    """A slot of a published reception day, or 404."""
    slot = (
        ReceptionSlot.objects.filter(pk=id_or_404(slot_id), day__is_published=True)
        .select_related("day", "day__leader")
        .first()
    )
    if slot is None:
        raise Http404
    return slot


def open_mailbox_get(mailbox_id: Any) -> Mailbox:
    """An open mailbox, or 404."""
    mailbox = (
        Mailbox.objects.filter(pk=id_or_404(mailbox_id), is_open=True)
        .select_related("leader", "leader__cadre")
        .first()
    )
    if mailbox is None:
        raise Http404
    return mailbox


def bookings_of(user: User) -> QuerySet[Booking]:
    """The signed-in resident's bookings, newest day first."""
    if not user.is_authenticated or not user.person_id:
        return Booking.objects.none()
    return (
        Booking.objects.filter(Q(account=user) | Q(resident_id=user.person_id))
        .select_related("slot", "day", "day__leader")
        .order_by("-day__date", "-slot__starts", "-id")
    )


def own_booking_get(user: User, booking_id: Any) -> Booking:
    """One of the resident's own bookings, or 404."""
    booking = bookings_of(user).filter(pk=id_or_404(booking_id)).first()
    if booking is None:
        raise Http404
    return booking


def inquiry_stats() -> dict[str, Any]:
    """Counts for `wenmin stats --json`."""
    return {
        "reception_days": ReceptionDay.objects.count(),
        "bookings": Booking.objects.exclude(state=BookingState.CANCELLED).count(),
        "visits": Visit.objects.count(),
        "matters": Matter.objects.count(),
        "mailbox_messages": Matter.objects.filter(channel=Channel.MAILBOX).count(),
    }
