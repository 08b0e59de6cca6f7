"""A member's pages on the phone: my meetings, attendance and leave; signing in by the code;
asking for leave in advance."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.branchlife import selectors, services
from wenmin.branchlife.forms import LeaveForm
from wenmin.branchlife.models import ATTENDED, Meeting, MeetingState
from wenmin.core.models import User


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """My branch's coming meetings, my attendance and my leave requests."""
    user = cast(User, request.user)
    member = selectors.member_of(user)
    if member is None:
        raise PermissionDenied(_("This page is for party members."))
    today = timezone.localdate()
    attendance = list(selectors.my_attendance(member)[:100])
    counted = [a for a in attendance if a.status != "leave"]
    came = sum(1 for a in counted if a.status in ATTENDED)
    coming = list(
        Meeting.objects.filter(
            branch_id=member.branch_id,
            held_on__gte=today,
            state__in=[MeetingState.PLANNED, MeetingState.HELD],
        )
        .select_related("type")
        .order_by("held_on", "id")[:20]
    )
    return render(
        request,
        "branchlife/mine.html",
        {
            "member": member,
            "attendance": attendance,
            "came": came,
            "counted": len(counted),
            "rate": f"{round(100 * came / len(counted))}%" if counted else "",
            "leave": list(selectors.my_leave(member)[:50]),
            "coming": coming,
            "leave_form": LeaveForm(),
            "away": selectors.away_current(member=member, today=today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, code: str) -> HttpResponse:
    """The page the QR code opens: the member confirms, and is signed in once."""
    user = cast(User, request.user)
    if len(code) > 400:
        return render(
            request,
            "branchlife/signin.html",
            {"error": _("This is not a sign-in code of a branch meeting.")},
            status=400,
        )
    if request.method == "GET":
        try:
            payload = services.attendance.signin_read(code)
        except ValidationError as error:
            return render(
                request, "branchlife/signin.html", {"error": " ".join(error.messages)}, status=400
            )
        found = Meeting.objects.filter(pk=payload["m"]).select_related("type", "branch").first()
        return render(
            request,
            "branchlife/signin.html",
            {"meeting": found, "code": code, "online": bool(payload["o"])},
        )
    try:
        row = services.member_sign_in(actor=user, code=code)
    except ValidationError as error:
        return render(
            request, "branchlife/signin.html", {"error": " ".join(error.messages)}, status=400
        )
    except PermissionDenied as error:
        return render(request, "branchlife/signin.html", {"error": str(error)}, status=403)
    messages.success(request, _("Signed in. Welcome."))
    return redirect("branchlife:meeting", row.meeting_id)


@login_required
@require_POST
def leave_request(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    found = selectors.meeting_get_for(user, meeting_id)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        for texts in form.errors.values():
            for message in texts:
                messages.error(request, str(message))
        return redirect("branchlife:meeting", found.pk)
    try:
        services.leave_request(actor=user, meeting=found, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Leave asked for: the secretary decides."))
    return redirect("branchlife:meeting", found.pk)
