"""问政 on the resident portal: the leaders' reception days and free slots, booking a slot,
the resident's bookings, and writing to a leader's mailbox. Phone first."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core.middleware import client_ip
from wenmin.core.models import User
from wenmin.core.ratelimit import rate_count
from wenmin.inquiry import selectors, services
from wenmin.inquiry.forms import BookForm, LetterForm, errors_to_form
from wenmin.inquiry.rules import booking_cancellable, slot_bookable
from wenmin.residents.links import verify_url
from wenmin.residents.selectors import verified_person


def _to_verify(request: HttpRequest) -> HttpResponseRedirect:
    return redirect(verify_url(request.get_full_path()))


@require_GET
def leaders(request: HttpRequest) -> HttpResponse:
    """Every leader with published reception days from today on, and the open mailboxes."""
    by_leader: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for day in selectors.public_days()[:200]:
        entry = by_leader.setdefault(day.leader_id, {"leader": day.leader, "days": []})
        day.free = max(0, (day.places or 0) - (day.taken or 0))  # type: ignore[attr-defined]
        entry["days"].append(day)
    return render(
        request,
        "inquiry/portal_leaders.html",
        {"leaders": list(by_leader.values()), "mailboxes": list(selectors.public_mailboxes())},
    )


@require_GET
def day_page(request: HttpRequest, day_id: int) -> HttpResponse:
    """A published reception day: place, time, and each slot's free places."""
    day = selectors.public_day_get(day_id)
    now = timezone.now()
    slots = [
        {
            "slot": slot,
            "open": slot_bookable(
                published=True, slot_starts=selectors.slot_starts_at(day, slot), now=now
            ),
        }
        for slot in day.slots.all()
    ]
    return render(request, "inquiry/portal_day.html", {"day": day, "slots": slots})


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Book a place in a slot; a verified phone first."""
    slot = selectors.public_slot_get(slot_id)
    if verified_person(user=request.user) is None:
        return _to_verify(request)
    user = cast(User, request.user)
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_make(user=user, slot=slot, topic=form.cleaned_data["topic"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Booked: %(leader)s, %(date)s %(time)s at %(place)s.")
                % {
                    "leader": slot.day.leader.name,
                    "date": slot.day.date.isoformat(),
                    "time": f"{slot.starts:%H:%M}",
                    "place": slot.day.place,
                },
            )
            return redirect("inquiry:mine")
    status = 400 if form.errors else 200
    return render(
        request,
        "inquiry/portal_book.html",
        {"slot": slot, "day": slot.day, "form": form},
        status=status,
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in resident's bookings, with a cancel button until the slot begins."""
    user = cast(User, request.user)
    now = timezone.now()
    rows = [
        {
            "booking": booking,
            "cancellable": booking_cancellable(
                booking.state, selectors.slot_starts_at(booking.day, booking.slot), now
            ),
        }
        for booking in selectors.bookings_of(user)[:100]
    ]
    return render(request, "inquiry/portal_mine.html", {"rows": rows})


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Cancel one of the resident's own bookings."""
    user = cast(User, request.user)
    booking = selectors.own_booking_get(user, booking_id)
    try:
        services.booking_cancel(user=user, booking=booking)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Booking cancelled; the place is free for someone else."))
    return redirect("inquiry:mine")


@require_http_methods(["GET", "POST"])
def mailbox(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """Write to a leader's mailbox (a verified phone first, so the reply reaches you)."""
    box = selectors.open_mailbox_get(mailbox_id)
    verified = verified_person(user=request.user) is not None
    if request.method == "POST" and not verified:
        return _to_verify(request)
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = settings.WENMIN_MAILBOX_LETTERS_PER_HOUR
        key = str(request.user.pk or client_ip(request) or "unknown")
        if not rate_count(scope="inquiry-letter", key=key, limit=limit, window=3600).allowed:
            response = render(request, "cases/portal_limited.html", status=429)
            response["Retry-After"] = "3600"
            return response
        try:
            matter = services.mailbox_send(
                user=cast(User, request.user),
                mailbox=box,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Your letter to %(mailbox)s is received as case %(number)s.")
                % {"mailbox": box.title, "number": matter.case.number},
            )
            return redirect("portal:mine")
    return render(
        request,
        "inquiry/portal_mailbox.html",
        {
            "mailbox": box,
            "form": form,
            "verified": verified,
            "verify_url": verify_url(request.get_full_path()),
        },
        status=400 if form.errors else 200,
    )
