"""The leaders' offices' pages: reception days and their bookings, recording what visitors
raised, field visits, the mailbox inbox and each leader's record."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.cases.models import Channel
from wenmin.cases.workflow import State
from wenmin.core import validators
from wenmin.core.models import User
from wenmin.inquiry import selectors, services
from wenmin.inquiry.forms import DayForm, MailboxForm, ReceptionForm, VisitForm, errors_to_form
from wenmin.inquiry.models import Mailbox
from wenmin.inquiry.rules import CHANNEL_SHORT, BookingState

View = Callable[..., HttpResponse]
PER_PAGE = 30


def desk_page(view: View) -> View:
    """Log in first, then only those who work the inquiry desk (403 for the others)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.works_inquiry_desk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(request: HttpRequest, items: Any) -> Any:
    try:
        number = validators.check_page(request.GET.get("page") or 1)
    except ValidationError:
        raise Http404 from None
    return Paginator(items, PER_PAGE).get_page(number)


@desk_page
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """The reception days of the viewer's leaders, newest first, and the leaders themselves."""
    user = _viewer(request)
    person, when = _leader_filter(request, user), request.GET.get("when", "")
    if when not in ("", "held", "coming"):
        raise Http404
    page = _page(request, selectors.desk_days(user, leader=person, when=when))
    return render(
        request,
        "inquiry/desk.html",
        {
            "page": page,
            "leaders": list(selectors.desk_leaders(user)),
            "leader": person,
            "when": when,
            "query": urlencode({k: v for k, v in request.GET.items() if k in ("leader", "when")}),
        },
    )


def _leader_filter(request: HttpRequest, user: User) -> Any:
    """The leader of ?leader=…, one the viewer works for (404 otherwise), or None."""
    raw = request.GET.get("leader", "")
    return selectors.desk_leader_get(user, raw) if raw else None


@desk_page
@require_http_methods(["GET", "POST"])
def day_new(request: HttpRequest) -> HttpResponse:
    """Create a reception day cut into slots."""
    user = _viewer(request)
    form = DayForm(request.POST or None, leaders=selectors.desk_leaders(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            day = services.reception_day_create(
                actor=user,
                leader=data["leader"],
                date=data["date"],
                place=data["place"],
                starts=data["starts"],
                ends=data["ends"],
                slot_minutes=data["slot_minutes"],
                capacity=data["capacity"],
                note=data["note"],
                publish=data["publish"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Reception day created."))
            return redirect("inquiry:desk_day", day_id=day.pk)
    return render(
        request, "inquiry/desk_day_new.html", {"form": form}, status=400 if form.errors else 200
    )


@desk_page
@require_GET
def day_detail(request: HttpRequest, day_id: int) -> HttpResponse:
    """A reception day: its slots and bookings, and what each visitor raised."""
    day = selectors.desk_day_get(_viewer(request), day_id)
    return render(
        request,
        "inquiry/desk_day.html",
        {"day": day, "today": timezone.localdate(), "waiting": BookingState.BOOKED},
    )


@desk_page
@require_POST
def day_publish(request: HttpRequest, day_id: int) -> HttpResponse:
    """Publish a reception day on the portal."""
    user = _viewer(request)
    day = selectors.desk_day_get(user, day_id)
    try:
        services.reception_day_publish(actor=user, day=day)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Published: residents can book its slots on the portal."))
    return redirect("inquiry:desk_day", day_id=day.pk)


@desk_page
@require_POST
def booking_no_show(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Mark that a booked resident did not come."""
    user = _viewer(request)
    booking = selectors.desk_booking_get(user, booking_id)
    try:
        services.booking_no_show(actor=user, booking=booking)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("inquiry:desk_day", day_id=booking.day_id)


@desk_page
@require_http_methods(["GET", "POST"])
def reception_new(request: HttpRequest, day_id: int) -> HttpResponse:
    """Record one visitor (booked or walk-in) and the matters they raised: one case each."""
    user = _viewer(request)
    day = selectors.desk_day_get(user, day_id)
    waiting = [
        b
        for slot in day.slots.all()
        for b in slot.bookings.all()
        if b.state in (BookingState.BOOKED, BookingState.NO_SHOW)
    ]
    initial = {"booking": request.GET.get("booking", "")}
    form = ReceptionForm(request.POST or None, bookings=waiting, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        booking = next((b for b in waiting if b.pk == data["booking"]), None)
        try:
            conversation = services.reception_record(
                actor=user,
                day=day,
                booking=booking,
                visitor_name=data["visitor_name"],
                visitor_phone=data["visitor_phone"],
                kind=data["kind"],
                note=data["note"],
                matters=form.matters(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(n)s matter(s), each now a case.")
                % {"n": conversation.matters.count()},
            )
            return redirect("inquiry:desk_day", day_id=day.pk)
    return render(
        request,
        "inquiry/desk_reception_new.html",
        {"day": day, "form": form},
        status=400 if form.errors else 200,
    )


@desk_page
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    """The field visits of the viewer's leaders, newest first."""
    user = _viewer(request)
    person = _leader_filter(request, user)
    page = _page(request, selectors.desk_visits(user, leader=person))
    query = urlencode({"leader": person.pk}) if person else ""
    return render(
        request, "inquiry/desk_visits.html", {"page": page, "leader": person, "query": query}
    )


@desk_page
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    """Record a field visit and the matters raised: one case each."""
    user = _viewer(request)
    form = VisitForm(request.POST or None, leaders=selectors.desk_leaders(user), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(
                actor=user,
                leader=data["leader"],
                kind=data["kind"],
                date=data["date"],
                place=data["place"],
                met=data["met"],
                region=data["region"],
                note=data["note"],
                matters=form.matters(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Field visit recorded."))
            return redirect("inquiry:visits")
    return render(
        request, "inquiry/desk_visit_new.html", {"form": form}, status=400 if form.errors else 200
    )


@desk_page
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Letters to the viewer's leaders' mailboxes, as the cases they became."""
    user = _viewer(request)
    page = _page(request, selectors.mailbox_inbox(user))
    return render(
        request,
        "inquiry/desk_inbox.html",
        {"page": page, "mailboxes": list(selectors.desk_mailboxes(user))},
    )


@desk_page
@require_GET
def leader(request: HttpRequest, leader_id: int) -> HttpResponse:
    """A leader's record: reception days held, visits, matters raised and how their cases ended."""
    user = _viewer(request)
    person = selectors.desk_leader_get(user, leader_id)
    figures = selectors.leader_figures(user, person)
    channels = [(c, CHANNEL_SHORT[c]) for c in selectors.INQUIRY_CHANNELS]
    rows = [
        {
            "state": state,
            "label": label,
            "cells": [(c, figures["by_channel"][c][state]) for c, _label in channels],
            "total": figures["by_state"][state],
        }
        for state, label in State.choices
    ]
    mailbox = Mailbox.objects.filter(leader=person).first()
    form = MailboxForm(
        initial={
            "title": mailbox.title if mailbox else "",
            "is_open": mailbox.is_open if mailbox else True,
        }
    )
    return render(
        request,
        "inquiry/desk_leader.html",
        {
            "leader": person,
            "figures": figures,
            "channels": channels,
            "rows": rows,
            "mailbox": mailbox,
            "mailbox_form": form,
        },
    )


@desk_page
@require_POST
def leader_mailbox(request: HttpRequest, leader_id: int) -> HttpResponse:
    """Open, rename or close a leader's mailbox."""
    user = _viewer(request)
    person = selectors.desk_leader_get(user, leader_id)
    form = MailboxForm(request.POST)
    if form.is_valid():
        try:
            services.mailbox_set(
                actor=user,
                leader=person,
                title=form.cleaned_data["title"],
                is_open=form.cleaned_data["is_open"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Mailbox saved."))
    else:
        for problem in form.errors.values():
            for text in problem:
                messages.error(request, str(text))
    return redirect("inquiry:leader", leader_id=person.pk)


@desk_page
@require_GET
def leader_cases(request: HttpRequest, leader_id: int) -> HttpResponse:
    """The cases behind one of a leader's counts (?channel=…&state=…), with how many."""
    user = _viewer(request)
    person = selectors.desk_leader_get(user, leader_id)
    channel = request.GET.get("channel", "")
    state = request.GET.get("state", "")
    if channel and channel not in selectors.INQUIRY_CHANNELS:
        raise Http404
    if state and state not in State.values:
        raise Http404
    cases = (
        selectors.leader_cases(user, person, channel=channel, state=state)
        .select_related("lead_unit")
        .order_by("-received_at", "-id")
    )
    page = _page(request, cases)
    query = urlencode({k: v for k, v in (("channel", channel), ("state", state)) if v})
    return render(
        request,
        "inquiry/desk_leader_cases.html",
        {
            "leader": person,
            "page": page,
            "query": query,
            "channel_label": Channel(channel).label if channel else "",
            "state_label": State(state).label if state else "",
        },
    )
