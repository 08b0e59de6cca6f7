"""The organisers' pages: teams with their figures, publishing an activity (from a waiting need
or a help case too), the check-in code at the place, confirming and correcting hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case
from wenmin.cases.selectors import case_get_for
from wenmin.core import validators
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.organisation.pickers import PickerField
from wenmin.surveys.models import Need
from wenmin.surveys.selectors import waiting_needs_for
from wenmin.volunteers import access, checkin, rules, selectors, services
from wenmin.volunteers.forms import ActivityForm, CorrectForm, MemberRegisterForm, RevokeForm
from wenmin.volunteers.models import Participation, Team


def _staff(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.staff_user(user):
        raise PermissionDenied
    return user


def _organiser(request: HttpRequest) -> User:
    """Staff, or a volunteer (team leaders organise too); each page then asks may_organise."""
    user = cast(User, request.user)
    if not access.organiser_pages_user(user):
        raise PermissionDenied
    return user


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_GET
def teams(request: HttpRequest) -> HttpResponse:
    """The teams the viewer reads, each with its members, activities and confirmed hours."""
    user = _staff(request)
    rows = list(
        selectors.teams_visible_to(user)
        .annotate(
            members=Count("memberships", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .order_by("number")
    )
    hours = dict(
        Participation.objects.filter(
            confirmed_at__isnull=False, activity__team__in=selectors.teams_visible_to(user)
        )
        .values_list("activity__team_id")
        .annotate(h=Sum("hours"))
        .values_list("activity__team_id", "h")
    )
    for row in rows:
        row.hours = hours.get(row.pk)  # type: ignore[attr-defined]
    return render(request, "volunteers/teams.html", {"teams": rows, "total": len(rows)})


@login_required
@require_GET
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    """A team: its number, members and activities."""
    user = _staff(request)
    found = selectors.team_get_for(user, team_id)
    activities = list(selectors.team_activities(found)[:100])
    return render(
        request,
        "volunteers/team.html",
        {
            "team": found,
            "activities": activities,
            "activity_total": found.activities.count(),
            "member_total": found.memberships.count(),
            "organiser": access.may_organise(user, found),
        },
    )


@login_required
@require_GET
def team_members(request: HttpRequest, team_id: int) -> HttpResponse:
    """Every member of a team (what the team's member count counts)."""
    user = _staff(request)
    found = selectors.team_get_for(user, team_id)
    rows = list(selectors.team_members(found))
    return render(request, "volunteers/team_members.html", {"team": found, "rows": rows})


def _source(data: Any) -> tuple[int | None, int | None]:
    """The need and case ids an activity is published from (the address, then hidden fields)."""
    ids: list[int | None] = []
    for key in ("need", "case"):
        raw = str(data.get(key, "") or "").strip()
        ids.append(validators.check_id(raw) if raw else None)
    return ids[0], ids[1]


def _need_and_case(
    user: User, need_id: int | None, case_id: int | None
) -> tuple[Need | None, Case | None]:
    need = case = None
    if need_id is not None:
        need = waiting_needs_for(user).filter(pk=need_id).select_related("village").first()
        if need is None:
            raise ValidationError(_("This need does not wait for an activity in your scope."))
    if case_id is not None:
        case = case_get_for(user, case_id)
        if case.kind != Kind.HELP:
            raise ValidationError(_("Only a request for help becomes a volunteer activity."))
    return need, case


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    """Publish an activity of a team one organises; from a waiting need or a help case when
    the address names one (the link is kept)."""
    user = _organiser(request)
    organised = selectors.teams_organised_by(user)
    if not organised:
        raise PermissionDenied
    posted = request.method == "POST"
    form = ActivityForm(request.POST if posted else None)
    cast(forms.TypedChoiceField, form.fields["team"]).choices = [
        (t.pk, f"{t.number} {t.unit.name}") for t in organised
    ]
    cast(PickerField, form.fields["region"]).scope_to(user)
    context: dict[str, Any] = {"form": form}
    try:
        need, case = _need_and_case(user, *_source(request.POST if posted else request.GET))
    except ValidationError as error:
        _errors(request, error)
        return render(request, "volunteers/activity_new.html", context, status=400)
    context.update(need=need, case=case)
    if not posted:
        source = need.text if need is not None else case.title if case is not None else ""
        form.initial.update(
            title=source[:120], need=need and need.pk, case=case and case.pk, capacity=5
        )
        return render(request, "volunteers/activity_new.html", context)
    if not form.is_valid():
        return render(request, "volunteers/activity_new.html", context, status=400)
    data = form.cleaned_data
    chosen = next(t for t in organised if t.pk == data["team"])
    region = data["region"] or (need and need.village) or (case and case.region)
    try:
        created = services.activity_publish(
            actor=user,
            team=chosen,
            title=data["title"],
            place=data["place"],
            region=region or chosen.unit.region,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            skills=data["skills"] or "",
            description=data["description"] or "",
            need=need,
            case=case,
        )
    except ValidationError as error:
        _errors(request, error)
        return render(request, "volunteers/activity_new.html", context, status=400)
    messages.success(request, _("The activity is published; volunteers can sign up."))
    return redirect("volunteers:activity_manage", created.pk)


@login_required
@require_GET
def activity_manage(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The organiser's activity: the check-in code, who signed up, checked in and out, and the
    form confirming their hours (or the corrections once confirmed)."""
    user = _organiser(request)
    found = selectors.activity_get_for_organiser(user, activity_id)
    rows = list(selectors.activity_participations(found).prefetch_related("corrections"))
    for row in rows:
        row.proposed = rules.hours_served(  # type: ignore[attr-defined]
            checked_in_at=row.checked_in_at,
            checked_out_at=row.checked_out_at,
            starts_at=found.starts_at,
            ends_at=found.ends_at,
        )
    return render(
        request,
        "volunteers/activity_manage.html",
        {
            "activity": found,
            "rows": rows,
            "length": rules.activity_hours(found.starts_at, found.ends_at),
            "checked_in": sum(1 for row in rows if row.checked_in_at),
            "qr": _qr_context(request, found.pk),
            "correct_form": CorrectForm(),
            "started": timezone.now() >= found.starts_at,
        },
    )


def _qr_context(request: HttpRequest, activity_id: int) -> dict[str, str]:
    url = request.build_absolute_uri(
        reverse("volunteers:scan", args=[checkin.checkin_token(activity_id)])
    )
    return {"svg": checkin.qr_svg(url), "url": url}


@login_required
@require_GET
def activity_qr(request: HttpRequest, activity_id: int) -> HttpResponse:
    """A fresh check-in code (htmx refreshes it before the last one expires)."""
    user = _organiser(request)
    found = selectors.activity_get_for_organiser(user, activity_id)
    return render(
        request,
        "volunteers/_qr.html",
        {"qr": _qr_context(request, found.pk), "qr_path": request.path},
    )


@login_required
@require_POST
def hours_confirm(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Confirm every checked-in volunteer's hours, with the declaration."""
    user = _organiser(request)
    found = selectors.activity_get_for_organiser(user, activity_id)
    hours: dict[int, Decimal] = {}
    try:
        for row in found.participations.all():
            raw = request.POST.get(f"hours_{row.pk}", "").strip()
            if raw:
                try:
                    hours[row.pk] = validators.check_number(raw)
                except ValidationError as error:
                    raise ValidationError(
                        {f"hours_{row.pk}": [f"{row.profile.number}: {m}" for m in error.messages]}
                    ) from None
        services.hours_confirm(
            actor=user,
            activity=found,
            hours=hours,
            declaration=request.POST.get("declaration") == "yes",
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The hours are confirmed and recorded."))
    return redirect("volunteers:activity_manage", found.pk)


@login_required
@require_POST
def hours_correct(request: HttpRequest, participation_id: int) -> HttpResponse:
    """Correct one volunteer's confirmed hours, with the reason."""
    user = _organiser(request)
    row = (
        Participation.objects.select_related("activity__team__unit__region", "profile")
        .filter(pk=id_or_404(participation_id))
        .first()
    )
    if row is None or not access.may_organise(user, row.activity.team):
        raise Http404
    form = CorrectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        services.hours_correct(
            actor=user,
            participation=row,
            hours=form.cleaned_data["hours"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The hours are corrected; the old value is kept."))
    return redirect("volunteers:activity_manage", row.activity_id)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = _staff(request)
    certificate = selectors.certificate_get_for(user, certificate_id)
    if not access.may_organise(user, certificate.team):
        raise Http404
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        services.certificate_revoke(
            actor=user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The certificate is revoked; verification now fails."))
    return redirect("volunteers:certificate", certificate.pk)


@login_required
@require_http_methods(["GET", "POST"])
def team_member_register(request: HttpRequest, team_id: int) -> HttpResponse:
    """An organiser registers a person into the team on the phone: name and mobile number
    (an existing resident is found by it), the consent they gave, skills, availability, post."""
    user = _organiser(request)
    found = (
        Team.objects.select_related("unit__region", "branch").filter(pk=id_or_404(team_id)).first()
    )
    if found is None or not access.may_organise(user, found):
        raise Http404
    posted = request.method == "POST"
    form = MemberRegisterForm(request.POST if posted else None)
    context = {"team": found, "form": form}
    if not posted:
        return render(request, "volunteers/team_member_register.html", context)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        data = form.cleaned_data
        membership = services.team_member_register(
            actor=user,
            team=found,
            name=data["name"],
            phone=data["phone"],
            consent=data["consent"],
            skills=data["skills"],
            availability=data["availability"],
            post=data["post"] or "",
        )
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            messages.error(request, str(error) or _("You may not register this person."))
        else:
            _errors(request, error)
        return render(request, "volunteers/team_member_register.html", context, status=400)
    profile = membership.profile
    messages.success(
        request,
        _("%(name)s is a member of the team, volunteer number %(number)s.")
        % {"name": profile.volunteer.person.name, "number": profile.number},
    )
    if access.staff_user(user):
        return redirect("volunteers:team_members", found.pk)
    return redirect("volunteers:team_member_register", found.pk)
