"""The staff's list of needs waiting for a volunteer activity, by township, and the action that
resolves one later or makes it a case; the owner opening a round to residents' answers."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from wenmin.core import formfields
from wenmin.core.models import User
from wenmin.organisation.models import Region
from wenmin.surveys import access, rules, selectors, services
from wenmin.surveys.models import Resolution

PAGE = 50


class WaitingFilter(forms.Form):
    """0: needs of residents whose place is not known."""

    township = forms.IntegerField(required=False, min_value=0, max_value=2**62)


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=gettext_lazy("What became of it"),
        choices=[(v, label) for v, label in Resolution.choices if v in rules.LATER],
    )
    note = formfields.TextField(
        label=gettext_lazy("How it was resolved"), required=False, max_length=1000
    )


class ResidentsUntilForm(forms.Form):
    residents_until = forms.DateField(required=False)


def _staff(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.surveys_user(user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def needs_waiting(request: HttpRequest) -> HttpResponse:
    """Needs waiting for a volunteer activity in the viewer's part of the county, by township."""
    user = _staff(request)
    f = WaitingFilter(request.GET)
    if not f.is_valid():
        return render(request, "surveys/needs_waiting.html", {"bad_filter": True}, status=400)
    needs = selectors.waiting_needs_for(user)
    township_id = f.cleaned_data["township"]
    township = None
    rows = needs
    if township_id == 0:
        rows = needs.filter(village__isnull=True)
    elif township_id:
        rows = needs.filter(village__township_id=township_id)
        township = Region.objects.filter(pk=township_id).first()
    rows = rows.select_related("kind", "village", "household", "visit__plan", "case").order_by(
        "visit__visited_at", "id"
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/needs_waiting.html",
        {
            "page": page,
            "townships": selectors.waiting_by_township(needs),
            "total": needs.count(),
            "township": township,
            "unknown_place": township_id == 0,
            "filtered": township_id is not None,
            "resolve_form": ResolveForm(),
        },
    )


@login_required
@require_POST
def need_resolve(request: HttpRequest, need_id: int) -> HttpResponse:
    """Resolve a waiting need, or make it a case; back to the list with what happened."""
    user = _staff(request)
    need = selectors.need_get_for(user, need_id)
    form = ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                {field: [str(m) for m in ms] for field, ms in form.errors.items()}
            )
        resolved = services.need_resolve(
            need=need,
            actor=user,
            resolution=form.cleaned_data["resolution"],
            note=form.cleaned_data["note"] or "",
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if resolved.case is not None:
            messages.success(
                request, _("The need is now case %(n)s.") % {"n": resolved.case.number}
            )
        else:
            messages.success(request, _("The need is marked resolved."))
    return redirect("surveys:needs_waiting")


@login_required
@require_POST
def plan_residents(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Open the round to residents' answers until a day, or close it (an empty day)."""
    user = _staff(request)
    plan = selectors.plan_get_for(user, plan_id)
    if not access.may_own(user, plan.version.form.owner):
        raise PermissionDenied
    form = ResidentsUntilForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the last day as YYYY-MM-DD."))
        until = form.cleaned_data["residents_until"]
        services.plan_open_to_residents(actor=user, plan=plan, until=until)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if until:
            messages.success(request, _("Residents may answer this survey online now."))
        else:
            messages.success(request, _("Residents' answers online are closed."))
    return redirect("surveys:plan_results", plan.pk)
