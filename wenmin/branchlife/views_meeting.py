"""A meeting's pages for its secretary: open or plan one, the record, attendance and the QR
code, leave decisions, photos, outcomes, closing. Each view calls one service."""

from __future__ import annotations

from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.branchlife import access, selectors, services
from wenmin.branchlife.forms import (
    DecideForm,
    MeetingForm,
    Mode,
    OutcomeForm,
    RecordForm,
    TickForm,
)
from wenmin.branchlife.models import LeaveRequest, MeetingState
from wenmin.branchlife.outcomes import outcome_kind
from wenmin.branchlife.services.attendance import code_seconds
from wenmin.core.models import User


def _errors_to_form(form: Any, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        target = field if field in form.fields else None
        for message in texts:
            form.add_error(target, message)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, branch_id: int) -> HttpResponse:
    """Open a life day now, plan a meeting, or record one held earlier."""
    user = cast(User, request.user)
    branch = selectors.branch_get_for(user, branch_id)
    if not access.keeps(user, branch):
        return render(request, "403.html", status=403)
    today = timezone.localdate()
    theme = selectors.theme_for_month(today)
    initial = {"held_on": today, "agenda": theme.title if theme else ""}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        counts = None
        if data["mode"] == Mode.RECORD:
            if data["expected"] is None or data["present"] is None:
                form.add_error("expected", _("Give the numbers expected and present."))
            else:
                counts = services.Counts(
                    expected=data["expected"],
                    present=data["present"],
                    online=data["online"] or 0,
                    on_leave=data["on_leave"] or 0,
                )
        if not form.errors:
            try:
                meeting = services.meeting_create(
                    actor=user,
                    branch=branch,
                    meeting_type=data["meeting_type"],
                    held_on=data["held_on"],
                    hold=data["mode"] != Mode.PLAN,
                    place=data["place"],
                    host=data["host"],
                    recorder=data["recorder"],
                    agenda=data["agenda"],
                    also_counts_as=list(data["also_counts_as"]),
                    counts=counts,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Meeting saved."))
                return redirect("branchlife:meeting", meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "branchlife/meeting_new.html",
        {
            "form": form,
            "branch": branch,
            "theme": theme,
            "away_now": len(selectors.away_member_ids(branch_id=branch.pk, day=today)),
        },
        status=status,
    )


def _attendance(meeting: Any) -> list[Any]:
    """The meeting's attendance rows, each marked `away` when the member was recorded as working
    away on the meeting's day (the page offers "online" first for them, without ticking it)."""
    rows = list(selectors.meeting_attendance(meeting))
    if rows:
        away = selectors.away_member_ids(branch_id=meeting.branch_id, day=meeting.held_on)
        for row in rows:
            row.away = row.member_id in away  # type: ignore[attr-defined]
    return rows


def _meeting_page(request: HttpRequest, meeting_id: int, **extra: Any) -> HttpResponse:
    user = cast(User, request.user)
    status = extra.pop("status", 200)
    meeting = selectors.meeting_get_for(user, meeting_id)
    keeps = access.keeps(user, meeting.branch)
    member = selectors.member_of(user)
    mine = None
    if member is not None and member.branch_id == meeting.branch_id:
        mine = meeting.attendance.filter(member=member).first()
    my_leave = meeting.leave_requests.filter(member=member).first() if member is not None else None
    outcomes = [(o, outcome_kind(o.kind)) for o in meeting.outcomes.order_by("created_at", "id")]
    context = {
        "meeting": meeting,
        "keeps": keeps,
        "attendance": _attendance(meeting) if keeps else [],
        "pending": list(selectors.leave_pending(meeting)) if keeps else [],
        "photos": list(meeting.photos.all()),
        "outcomes": [
            (o, kind.label if kind else o.kind, kind.url(o.target_id) if kind else "")
            for o, kind in outcomes
        ],
        "also": list(meeting.also_counts_as.all()),
        "record_form": RecordForm(
            initial={name: getattr(meeting, name) for name in services.meetings.RECORD_FIELDS}
        ),
        "outcome_form": OutcomeForm(),
        "mine": mine,
        "my_leave": my_leave,
        "is_member": member is not None and member.branch_id == meeting.branch_id,
        "today": timezone.localdate(),
        **extra,
    }
    return render(request, "branchlife/meeting.html", context, status=status)


@login_required
@require_GET
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_id)


@login_required
@require_POST
def meeting_start(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    found = selectors.meeting_keep_for(user, meeting_id)
    try:
        services.meeting_start(actor=user, meeting=found)
    except ValidationError as error:
        _refused(request, error)
    return redirect("branchlife:meeting", found.pk)


@login_required
@require_POST
def meeting_record(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Save the record's texts (with a reason once closed)."""
    user = cast(User, request.user)
    found = selectors.meeting_keep_for(user, meeting_id)
    form = RecordForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.meeting_record_update(actor=user, meeting=found, values=data, reason=reason)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Record saved."))
            return redirect("branchlife:meeting", found.pk)
    return _meeting_page(request, found.pk, record_form=form, status=400)


@login_required
@require_POST
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    found = selectors.meeting_keep_for(user, meeting_id)
    try:
        services.meeting_close(actor=user, meeting=found)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Record closed."))
    return redirect("branchlife:meeting", found.pk)


@login_required
@require_POST
def attendance_tick(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    found = selectors.meeting_keep_for(user, meeting_id)
    form = TickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a member and a status."))
        return redirect("branchlife:meeting", found.pk)
    try:
        services.attendance_tick(
            actor=user,
            meeting=found,
            member_id=form.cleaned_data["member"],
            status=form.cleaned_data["status"],
        )
    except ValidationError as error:
        _refused(request, error)
    return redirect(reverse("branchlife:meeting", args=[found.pk]) + "#attendance")


@login_required
@require_POST
def leave_decide(request: HttpRequest, leave_id: int) -> HttpResponse:
    user = cast(User, request.user)
    leave = get_object_or_404(LeaveRequest, pk=leave_id)
    found = selectors.meeting_keep_for(user, leave.meeting_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.leave_decide(
                actor=user, leave=leave, approve=form.cleaned_data["decision"] == "approve"
            )
        except ValidationError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Approve or refuse."))
    return redirect("branchlife:meeting", found.pk)


@login_required
@require_POST
def photos_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    found = selectors.meeting_keep_for(user, meeting_id)
    try:
        services.photos_add(actor=user, meeting=found, files=request.FILES.getlist("photos"))
    except ValidationError as error:
        _refused(request, error)
    return redirect("branchlife:meeting", found.pk)


@login_required
@require_POST
def outcome_open(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    found = selectors.meeting_keep_for(user, meeting_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_open(
                actor=user,
                meeting=found,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["text"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Opened and linked to the meeting."))
            return redirect("branchlife:meeting", found.pk)
    return _meeting_page(request, found.pk, outcome_form=form, status=400)


@login_required
@require_GET
def meeting_qr(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The sign-in QR code for the room (a fresh one every load, htmx reloads it) and the
    online link for members working away."""
    user = cast(User, request.user)
    found = selectors.meeting_keep_for(user, meeting_id)
    if found.state != MeetingState.HELD:
        messages.error(request, _("Sign-in is open while the meeting is held."))
        return redirect("branchlife:meeting", found.pk)
    code = services.signin_code(meeting=found)
    url = request.build_absolute_uri(reverse("branchlife:signin", args=[code]))
    online = request.build_absolute_uri(
        reverse("branchlife:signin", args=[services.signin_code(meeting=found, online=True)])
    )
    svg = segno.make(url, error="m").svg_inline(scale=6, title=_("Sign-in code"))
    template = "branchlife/_qr.html" if request.headers.get("HX-Request") else "branchlife/qr.html"
    return render(
        request,
        template,
        {
            "meeting": found,
            "svg": svg,
            "url": url,
            "online": online,
            "seconds": code_seconds(online=False),
            "refresh": max(code_seconds(online=False) // 2, 10),
        },
    )
