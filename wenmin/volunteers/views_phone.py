"""The volunteer's phone: my activities, my hours and stars, nearby activities to join, my
certificates; signing up; checking in and out with the organiser's code."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core.models import User
from wenmin.organisation.selectors import volunteer_of
from wenmin.volunteers import access, checkin, rules, selectors, services
from wenmin.volunteers.forms import LocationForm, RegisterForm
from wenmin.volunteers.models import Profile


def _volunteer(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.volunteer_user(user):
        raise PermissionDenied
    return user


def _profile(request: HttpRequest) -> tuple[User, Profile]:
    user = _volunteer(request)
    profile = selectors.profile_of(user)
    if profile is None:
        raise PermissionDenied
    return user, profile


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """The volunteer's own page (registration first, for one not yet registered)."""
    user = _volunteer(request)
    profile = selectors.profile_of(user)
    if profile is None:
        return render(
            request,
            "volunteers/register.html",
            {"volunteer": volunteer_of(user), "form": RegisterForm()},
        )
    hours = selectors.confirmed_hours(profile)
    thresholds = selectors.star_thresholds()
    participations = list(selectors.my_participations(profile)[:30])
    return render(
        request,
        "volunteers/me.html",
        {
            "profile": profile,
            "person": profile.volunteer.person,
            "hours": hours,
            "stars": rules.stars_for(hours, thresholds),
            "star_range": range(len(thresholds)),
            "next_star": rules.next_star(hours, thresholds),
            "participations": participations,
            "nearby": selectors.nearby_activities(profile),
            "teams": selectors.hours_by_team(profile),
            "memberships": profile.memberships.select_related("team__unit"),
            "certificates": profile.certificates.select_related("team__unit")[:10],
        },
    )


@login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    """Register oneself, with consent, skills and availability."""
    user = _volunteer(request)
    volunteer = volunteer_of(user)
    if volunteer is None:
        messages.error(
            request, _("Your account is not linked to a volunteer record yet; ask your team.")
        )
        return redirect("volunteers:me")
    form = RegisterForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose skills and availability from the lists."))
        services.profile_register(
            actor=user,
            volunteer=volunteer,
            consent=form.cleaned_data["consent"],
            skills=form.cleaned_data["skills"],
            availability=form.cleaned_data["availability"],
        )
    except ValidationError as error:
        _errors(request, error)
        return render(
            request,
            "volunteers/register.html",
            {"volunteer": volunteer, "form": form},
            status=400,
        )
    messages.success(request, _("You are registered as a volunteer."))
    return redirect("volunteers:me")


@login_required
@require_GET
def hours(request: HttpRequest) -> HttpResponse:
    """Every record whose confirmed hours add up to the volunteer's total."""
    user, profile = _profile(request)
    rows = list(selectors.confirmed_participations(profile))
    return render(
        request,
        "volunteers/hours.html",
        {"profile": profile, "rows": rows, "hours": selectors.confirmed_hours(profile)},
    )


@login_required
@require_GET
def activity(request: HttpRequest, activity_id: int) -> HttpResponse:
    """An activity as a volunteer sees it, with their place in it."""
    user, profile = _profile(request)
    found = selectors.activity_get(activity_id)
    return render(
        request,
        "volunteers/activity.html",
        {
            "activity": found,
            "participation": selectors.participation_of(profile, found),
            "signed_up": found.participations.count(),
            "length": rules.activity_hours(found.starts_at, found.ends_at),
        },
    )


@login_required
@require_POST
def sign_up(request: HttpRequest, activity_id: int) -> HttpResponse:
    user, profile = _profile(request)
    found = selectors.activity_get(activity_id)
    try:
        services.sign_up(actor=user, activity=found, profile=profile)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("You are signed up. Check in at the place with its code."))
    return redirect("volunteers:activity", found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest, checkin_token: str) -> HttpResponse:
    """The page the organiser's code opens: check in, or out, here with one's location."""
    user, profile = _profile(request)
    try:
        activity_id = checkin.checkin_activity_id(checkin_token)
    except ValidationError as error:
        return render(request, "volunteers/scan.html", {"refusal": error.messages}, status=400)
    found = selectors.activity_get(activity_id)
    participation = selectors.participation_of(profile, found)
    context: dict[str, Any] = {
        "activity": found,
        "participation": participation,
        "token": checkin_token,
    }
    if participation is None:
        context["refusal"] = [_("You have not signed up for this activity.")]
        return render(request, "volunteers/scan.html", context, status=400)
    if request.method == "GET":
        return render(request, "volunteers/scan.html", context)
    form = LocationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        act = services.check_in if form.cleaned_data["action"] == "in" else services.check_out
        participation, already = act(
            actor=user,
            participation=participation,
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect("volunteers:scan", checkin_token)
    said = {
        ("in", True): _("You had checked in already; nothing changed."),
        ("in", False): _("Checked in. Thank you for coming!"),
        ("out", True): _("You had checked out already; nothing changed."),
        ("out", False): _("Checked out. The organiser will confirm your hours."),
    }[(form.cleaned_data["action"], already)]
    (messages.info if already else messages.success)(request, said)
    return redirect("volunteers:activity", found.pk)
