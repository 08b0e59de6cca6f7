"""The only door for writes to 问政's records. Each service checks its rules, refuses with a
ValidationError keyed by field (or PermissionDenied) and saves nothing then; what it saves it
saves in one transaction with an audit event. Matters become cases only through case_intake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.forms_staff import county_leaders
from wenmin.cases.models import Case, Channel
from wenmin.cases.services import case_dispatch, case_intake
from wenmin.cases.services.intake import MAX_CONTENT, MAX_TITLE
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.inquiry import rules
from wenmin.inquiry.models import (
    Booking,
    Conversation,
    Mailbox,
    Matter,
    ReceptionDay,
    ReceptionSlot,
    Visit,
)
from wenmin.inquiry.rules import LIVE_BOOKING_STATES, BookingState, VisitKind
from wenmin.inquiry.selectors import desk_leaders, leader_office, slot_starts_at
from wenmin.organisation.models import Person, Region
from wenmin.organisation.services import resident_find_or_create
from wenmin.residents.selectors import verified_person

MAX_TOPIC = 120
MAX_PLACE = 120
MAX_NOTE = 255
MAX_MET = 255
MAX_NAME = 64


class NotVerified(PermissionDenied):
    """The account's phone was not proved by a one-time code (the view sends it to verify)."""


def _require_desk(actor: User, leader: Person) -> None:
    if not desk_leaders(actor).filter(pk=leader.pk).exists():
        raise PermissionDenied(_("You do not work for this leader."))


def _text(
    errors: dict[str, list[str]],
    field: str,
    value: Any,
    *,
    limit: int,
    required: str = "",
    multiline: bool = False,
) -> str:
    """The stripped text, or an error under `field` (required: the message when empty)."""
    text = value.strip() if isinstance(value, str) else value
    try:
        text = validators.check_text(text or "", max_length=limit, multiline=multiline)
    except ValidationError as error:
        errors[field] = error.messages
        return ""
    if required and not text:
        errors[field] = [required]
    return text


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- reception days ----------------------------------------------------------------------


def _day_errors(
    *,
    leader: Person,
    date: Any,
    starts: Any,
    ends: Any,
    slot_minutes: Any,
    capacity: Any,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not isinstance(date, dt.date) or date < today:
        errors["date"] = [_("Choose a day from today on.")]
    elif (date - today).days > rules.PUBLISH_DAYS_AHEAD:
        errors["date"] = [_("Plan reception days at most a year ahead.")]
    if not isinstance(starts, dt.time) or not isinstance(ends, dt.time) or ends <= starts:
        errors["ends"] = [_("The reception ends after it starts.")]
    if not isinstance(slot_minutes, int) or not (
        rules.SLOT_MINUTES_MIN <= slot_minutes <= rules.SLOT_MINUTES_MAX
    ):
        errors["slot_minutes"] = [
            _("A slot lasts %(low)s to %(high)s minutes.")
            % {"low": rules.SLOT_MINUTES_MIN, "high": rules.SLOT_MINUTES_MAX}
        ]
    if not isinstance(capacity, int) or not (rules.CAPACITY_MIN <= capacity <= rules.CAPACITY_MAX):
        errors["capacity"] = [
            _("A slot takes %(low)s to %(high)s residents.")
            % {"low": rules.CAPACITY_MIN, "high": rules.CAPACITY_MAX}
        ]
    if not errors:
        slots = rules.slot_times(starts, ends, slot_minutes)
        if not slots:
            errors["slot_minutes"] = [_("The reception is shorter than one slot.")]
        elif len(slots) > rules.SLOTS_MAX:
            errors["slot_minutes"] = [
                _("At most %(n)s slots a day: make the slots longer.") % {"n": rules.SLOTS_MAX}
            ]
    if isinstance(date, dt.date) and ReceptionDay.objects.filter(leader=leader, date=date).exists():
        errors["date"] = [_("This leader already has a reception day on that date.")]
    return errors


def reception_day_create(
    *,
    actor: User,
    leader: Person,
    date: dt.date,
    place: str,
    starts: dt.time,
    ends: dt.time,
    slot_minutes: int,
    capacity: int,
    note: str = "",
    publish: bool = False,
) -> ReceptionDay:
    """A leader's reception day cut into slots of `slot_minutes` for `capacity` residents each;
    published at once on the portal when `publish`."""
    _require_desk(actor, leader)
    errors = _day_errors(
        leader=leader,
        date=date,
        starts=starts,
        ends=ends,
        slot_minutes=slot_minutes,
        capacity=capacity,
    )
    place = _text(errors, "place", place, limit=MAX_PLACE, required=_("Say where residents come."))
    note = _text(errors, "note", note, limit=MAX_NOTE)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                day = ReceptionDay.objects.create(
                    leader=leader,
                    date=date,
                    place=place,
                    starts=starts,
                    ends=ends,
                    note=note,
                    is_published=publish,
                    created_by=actor,
                )
        except IntegrityError:  # the same leader's day created a moment ago
            raise _refuse(
                "date", _("This leader already has a reception day on that date.")
            ) from None
        ReceptionSlot.objects.bulk_create(
            ReceptionSlot(day=day, starts=a, ends=b, capacity=capacity)
            for a, b in rules.slot_times(starts, ends, slot_minutes)
        )
        audit_record(
            actor=actor,
            action="reception_day.create",
            target=day,
            changes={
                "leader": leader.pk,
                "date": date.isoformat(),
                "slot_minutes": slot_minutes,
                "capacity": capacity,
                "published": publish,
            },
        )
    return day


def reception_day_publish(*, actor: User, day: ReceptionDay) -> ReceptionDay:
    """Show a reception day on the portal, so residents can book its slots."""
    _require_desk(actor, day.leader)
    with transaction.atomic():
        locked = ReceptionDay.objects.select_for_update().get(pk=day.pk)
        if locked.is_published:
            raise _refuse("day", _("This reception day is already published."))
        if locked.date < timezone.localdate():
            raise _refuse("day", _("This reception day is over; it cannot be published."))
        locked.is_published = True
        locked.save(update_fields=["is_published"])
        audit_record(actor=actor, action="reception_day.publish", target=locked)
    return locked


# --- bookings ------------------------------------------------------------------------------


def booking_make(*, user: User, slot: ReceptionSlot, topic: str) -> Booking:
    """A verified resident books a place in a slot: refused when the slot is full, has begun,
    or the resident already holds a booking that day."""
    resident = verified_person(user=user)
    if resident is None:
        raise NotVerified(_("Verify your phone first."))
    errors: dict[str, list[str]] = {}
    topic = _text(
        errors, "topic", topic, limit=MAX_TOPIC, required=_("Say in a few words what it is about.")
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ReceptionSlot.objects.select_for_update().select_related("day").get(pk=slot.pk)
        day = locked.day
        if not rules.slot_bookable(
            published=day.is_published,
            slot_starts=slot_starts_at(day, locked),
            now=timezone.now(),
        ):
            raise _refuse("slot", _("This time has passed or is not open for booking."))
        if Booking.objects.filter(
            day=day, resident=resident, state__in=LIVE_BOOKING_STATES
        ).exists():
            raise _refuse(
                "slot",
                _(
                    "You already have a booking on this reception day; cancel it to choose another time."
                ),
            )
        # The conditional UPDATE is the rule on every database: two residents cannot both take
        # the last place, whichever of them the lock above let through first.
        taken = ReceptionSlot.objects.filter(pk=locked.pk, booked__lt=F("capacity")).update(
            booked=F("booked") + 1
        )
        if not taken:
            raise _refuse("slot", _("This time is fully booked; choose another time."))
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    slot=locked, day=day, resident=resident, account=user, topic=topic
                )
        except IntegrityError:
            raise _refuse(
                "slot",
                _(
                    "You already have a booking on this reception day; cancel it to choose another time."
                ),
            ) from None
        audit_record(
            actor=user,
            action="booking.create",
            target=booking,
            changes={"slot": locked.pk, "day": day.pk},
        )
    return booking


def _release(booking: Booking, state: str, actor: User, action: str) -> Booking:
    booking.state = state
    booking.save(update_fields=["state"])
    ReceptionSlot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    audit_record(actor=actor, action=action, target=booking)
    return booking


def booking_cancel(*, user: User, booking: Booking) -> Booking:
    """The resident (or the leader's office) cancels a booking before its slot begins; the place
    is free again."""
    mine = user.is_authenticated and (
        booking.account_id == user.pk or booking.resident_id == user.person_id
    )
    if not mine:
        _require_desk(user, booking.day.leader)
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update().select_related("slot", "day").get(pk=booking.pk)
        )
        if not rules.booking_cancellable(
            locked.state, slot_starts_at(locked.day, locked.slot), timezone.now()
        ):
            raise _refuse("booking", _("This booking can no longer be cancelled."))
        return _release(locked, BookingState.CANCELLED, user, "booking.cancel")


def booking_no_show(*, actor: User, booking: Booking) -> Booking:
    """The leader's office marks that a booked resident did not come (on or after the day)."""
    _require_desk(actor, booking.day.leader)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("day").get(pk=booking.pk)
        if locked.state != BookingState.BOOKED:
            raise _refuse("booking", _("Only a booking still waiting can be marked as missed."))
        if locked.day.date > timezone.localdate():
            raise _refuse("booking", _("The reception day has not come yet."))
        locked.state = BookingState.NO_SHOW
        locked.save(update_fields=["state"])
        audit_record(actor=actor, action="booking.no_show", target=locked)
    return locked


# --- matters: conversations, visits, letters ------------------------------------------------


def _matter_texts(
    errors: dict[str, list[str]], matters: Sequence[str], *, required: bool
) -> list[str]:
    texts = []
    for index, raw in enumerate(matters, start=1):
        text = _text(errors, f"matter_{index}", raw, limit=MAX_CONTENT, multiline=True)
        if text:
            texts.append(text)
    if len(texts) > rules.MATTERS_MAX:
        errors["matter_1"] = [_("At most %(n)s matters at once.") % {"n": rules.MATTERS_MAX}]
    if required and not texts and "matter_1" not in errors:
        errors["matter_1"] = [_("Write down at least one matter that was raised.")]
    return texts


def _matter_cases(
    *,
    texts: list[str],
    channel: str,
    leader: Person,
    actor: User | None,
    kind: str,
    requester: Person | None,
    region: Region | None,
    received_at: dt.datetime | None,
    **source: Any,
) -> list[Matter]:
    """One case per matter through case_intake, coordinated by the leader (inside the caller's
    transaction: a refused matter rolls every one back)."""
    made = []
    for index, text in enumerate(texts, start=1):
        try:
            case = case_intake(
                channel=channel,
                content=text,
                kind=kind,
                requester=requester,
                region=region,
                actor=actor,
                received_at=received_at,
                coordinator=leader,
            )
        except ValidationError as error:
            raise ValidationError({f"matter_{index}": error.messages}) from None
        made.append(
            Matter.objects.create(
                leader=leader,
                channel=channel,
                case=case,
                created_at=received_at or timezone.now(),
                **source,
            )
        )
    return made


def reception_record(
    *,
    actor: User,
    day: ReceptionDay,
    matters: Sequence[str],
    booking: Booking | None = None,
    visitor_name: str = "",
    visitor_phone: str = "",
    kind: str = Kind.CONSULT,
    note: str = "",
) -> Conversation:
    """What one visitor raised at a reception day — a booked resident, or a walk-in by name and
    mobile number — each matter a case (channel reception) coordinated by the day's leader."""
    _require_desk(actor, day.leader)
    errors: dict[str, list[str]] = {}
    if day.date > timezone.localdate():
        errors["day"] = [_("The reception day has not come yet.")]
    if booking is not None and (
        booking.day_id != day.pk or booking.state not in (BookingState.BOOKED, BookingState.NO_SHOW)
    ):
        errors["booking"] = [_("This booking is not waiting on this reception day.")]
    if booking is None:
        visitor_name = _text(
            errors,
            "visitor_name",
            visitor_name,
            limit=MAX_NAME,
            required=_("Write the visitor's name."),
        )
        if not (visitor_phone or "").strip():
            errors["visitor_phone"] = [_("Write the visitor's mobile number, for the reply.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    note = _text(errors, "note", note, limit=MAX_CONTENT, multiline=True)
    texts = _matter_texts(errors, matters, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if booking is not None:
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.state not in (BookingState.BOOKED, BookingState.NO_SHOW):
                raise _refuse("booking", _("This booking is not waiting on this reception day."))
            locked.state = BookingState.ATTENDED
            locked.save(update_fields=["state"])
            visitor = locked.resident
        else:
            try:
                visitor = resident_find_or_create(
                    name=visitor_name, phone=visitor_phone, actor=actor
                )
            except ValidationError as error:
                raise ValidationError(
                    {"visitor_phone": error.message_dict.get("phone", error.messages)}
                ) from None
        conversation = Conversation.objects.create(
            day=day, booking=booking, visitor=visitor, note=note, recorded_by=actor
        )
        made = _matter_cases(
            texts=texts,
            channel=Channel.RECEPTION,
            leader=day.leader,
            actor=actor,
            kind=kind,
            requester=visitor,
            region=visitor.region,
            received_at=None,
            conversation=conversation,
        )
        audit_record(
            actor=actor,
            action="reception.record",
            target=conversation,
            changes={
                "day": day.pk,
                "booking": booking.pk if booking else None,
                "cases": [m.case.number for m in made],
            },
        )
    return conversation


def visit_record(
    *,
    actor: User,
    leader: Person,
    kind: str,
    date: dt.date,
    place: str,
    met: str,
    matters: Sequence[str],
    region: Region | None = None,
    note: str = "",
) -> Visit:
    """A leader's field visit — where, whom they met — and each matter raised a case (channel
    visit) coordinated by the leader."""
    _require_desk(actor, leader)
    errors: dict[str, list[str]] = {}
    if kind not in VisitKind.values:
        errors["kind"] = [_("Choose the kind of visit.")]
    if not isinstance(date, dt.date) or date > timezone.localdate():
        errors["date"] = [_("Record a visit on or after the day it took place.")]
    place = _text(errors, "place", place, limit=MAX_PLACE, required=_("Say where the visit was."))
    met = _text(errors, "met", met, limit=MAX_MET, required=_("Say whom the leader met."))
    note = _text(errors, "note", note, limit=MAX_CONTENT, multiline=True)
    texts = _matter_texts(errors, matters, required=False)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            leader=leader,
            kind=kind,
            date=date,
            place=place,
            region=region,
            met=met,
            note=note,
            recorded_by=actor,
        )
        made = _matter_cases(
            texts=texts,
            channel=Channel.VISIT,
            leader=leader,
            actor=actor,
            kind=Kind.CONSULT,
            requester=None,
            region=region,
            received_at=None,
            visit=visit,
        )
        audit_record(
            actor=actor,
            action="visit.record",
            target=visit,
            changes={"leader": leader.pk, "kind": kind, "cases": [m.case.number for m in made]},
        )
    return visit


# --- mailboxes -------------------------------------------------------------------------------


def mailbox_set(*, actor: User, leader: Person, title: str, is_open: bool) -> Mailbox:
    """Open (or close) a leader's mailbox on the portal under its public title."""
    _require_desk(actor, leader)
    if not county_leaders().filter(pk=leader.pk).exists():
        raise _refuse("leader", _("Not a county leader."))
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, limit=64, required=_("Give the mailbox a title."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        mailbox, created = Mailbox.objects.select_for_update().get_or_create(
            leader=leader, defaults={"title": title, "is_open": is_open}
        )
        if not created:
            mailbox.title, mailbox.is_open = title, is_open
            mailbox.save(update_fields=["title", "is_open"])
        audit_record(
            actor=actor,
            action="mailbox.set",
            target=mailbox,
            changes={"title": title, "open": is_open},
        )
    return mailbox


def mailbox_send(*, user: User, mailbox: Mailbox, content: str, title: str = "") -> Matter:
    """A verified resident's letter to a leader: a case (channel mailbox) coordinated by the
    leader and passed straight to the leader's office, which sees it first.

    A verified phone is required, as leaders' mailboxes in China ask for a real name and number:
    the reply must reach the writer."""
    resident = verified_person(user=user)
    if resident is None:
        raise NotVerified(_("Verify your phone first."))
    errors: dict[str, list[str]] = {}
    if not mailbox.is_open:
        errors["mailbox"] = [_("This mailbox is closed.")]
    title = _text(errors, "title", title, limit=MAX_TITLE)
    content = _text(
        errors,
        "content",
        content,
        limit=MAX_CONTENT,
        multiline=True,
        required=_("Write your message."),
    )
    if errors:
        raise ValidationError(errors)
    office = leader_office(mailbox.leader)
    with transaction.atomic():
        if not Mailbox.objects.filter(pk=mailbox.pk, is_open=True).exists():
            raise _refuse("mailbox", _("This mailbox is closed."))
        case: Case = case_intake(
            channel=Channel.MAILBOX,
            content=content,
            title=title,
            requester=resident,
            region=resident.region,
            actor=user,
            coordinator=mailbox.leader,
        )
        matter = Matter.objects.create(
            leader=mailbox.leader, channel=Channel.MAILBOX, case=case, mailbox=mailbox
        )
        if office is not None:
            case_dispatch(
                case=case,
                actor=None,
                unit=office,
                routed_by=_("%(mailbox)s (to the leader's office)") % {"mailbox": mailbox.title},
            )
        audit_record(
            actor=user,
            action="mailbox.send",
            target=matter,
            changes={"mailbox": mailbox.pk, "case": case.number},
        )
    return matter
