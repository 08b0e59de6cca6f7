"""The county's settings pages: the meeting types' rules and the monthly themes."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.branchlife import access, selectors, services
from wenmin.branchlife.forms import LifeDayForm, ThemeForm, TypeForm
from wenmin.branchlife.models import BranchLifeDay, MeetingType, MonthlyTheme, ThemeMaterial
from wenmin.core.models import User


@login_required
@require_GET
def types(request: HttpRequest) -> HttpResponse:
    if not access.branchlife_user(request.user):
        raise PermissionDenied
    return render(
        request,
        "branchlife/types.html",
        {"types": MeetingType.objects.all(), "configures": access.configures(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, type_id: int) -> HttpResponse:
    user = cast(User, request.user)
    if not access.configures(user):
        raise PermissionDenied
    meeting_type = get_object_or_404(MeetingType, pk=type_id)
    form = TypeForm(
        request.POST or None,
        initial={
            "frequency": meeting_type.frequency,
            "due_working_day": meeting_type.due_working_day,
            "required": meeting_type.required,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.type_update(
                actor=user,
                meeting_type=meeting_type,
                frequency=form.cleaned_data["frequency"],
                due_working_day=form.cleaned_data["due_working_day"],
                required=form.cleaned_data["required"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("branchlife:types")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "branchlife/type_edit.html", {"form": form, "type": meeting_type}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest) -> HttpResponse:
    """The monthly themes (every branch reads them); the administrator publishes one."""
    user = cast(User, request.user)
    if not access.signed_in(user):
        raise PermissionDenied
    configures = access.configures(user)
    form = ThemeForm(request.POST or None, request.FILES or None) if configures else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.theme_publish(
                    actor=user,
                    month=form.cleaned_data["month"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["text"],
                    files=request.FILES.getlist("materials"),
                )
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    for message in texts:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Theme published."))
                return redirect("branchlife:themes")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "branchlife/themes.html",
        {"themes": MonthlyTheme.objects.prefetch_related("materials")[:24], "form": form},
        status=status,
    )


@login_required
@require_GET
def material(request: HttpRequest, material_id: int) -> FileResponse:
    if not access.signed_in(request.user):
        raise PermissionDenied
    item = get_object_or_404(ThemeMaterial, pk=material_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def life_day(request: HttpRequest, branch_id: int) -> HttpResponse:
    """A branch's fixed life day, set by its secretary or its township (other townships: 404)."""
    user = cast(User, request.user)
    branch = selectors.branch_get_for(user, branch_id)
    if not access.fixes_life_day(user, branch):
        raise PermissionDenied
    fixed = BranchLifeDay.objects.filter(branch=branch).first()
    form = LifeDayForm(request.POST or None, initial={"day": fixed.day if fixed else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.life_day_set(actor=user, branch=branch, day=form.cleaned_data["day"])
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                for message in texts:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Life day saved."))
            return redirect("branchlife:branch", branch_id=branch.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "branchlife/life_day.html", {"form": form, "branch": branch}, status=status
    )
