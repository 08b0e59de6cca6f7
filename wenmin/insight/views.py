"""Insight's pages: how often suggestions were right (each figure a link to its cases), the list
behind a figure, and the two one-click actions of the case page's panel (apply, merge)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wenmin.cases import services as case_services
from wenmin.cases.selectors import case_get_for
from wenmin.cases.workflow import TransitionNotAllowed
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.insight import access, selectors
from wenmin.insight.forms import ApplyForm, ListedForm
from wenmin.insight.services import suggestion_apply
from wenmin.organisation.views import staff_page

PAGE_SIZE = 50


def _viewer(request: HttpRequest, *, dispatcher: bool = False) -> User:
    user = cast(User, request.user)
    allowed = access.dispatcher_user(user) if dispatcher else access.insight_user(user)
    if not allowed:
        raise PermissionDenied
    return user


@staff_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """How often the suggestions were right, for kind, category and unit."""
    user = _viewer(request)
    rows = selectors.accuracy_for(user)
    chart = {
        "fields": [str(selectors.FIELD_LABELS[row["field"]]) for row in rows],
        "right": [row["right"] for row in rows],
        "wrong": [row["wrong"] for row in rows],
        "labels": {"right": _("right"), "wrong": _("overridden")},
    }
    for row in rows:
        row["label"] = selectors.FIELD_LABELS[row["field"]]
    context = {"rows": rows, "chart": chart, "model": selectors.model_newest()}
    return render(request, "insight/home.html", context)


@staff_page
@require_GET
def listed(request: HttpRequest) -> HttpResponse:
    """The suggestions one figure counts, newest case first, with how many."""
    user = _viewer(request)
    form = ListedForm(request.GET)
    if not form.is_valid():
        return render(request, "insight/listed.html", {"form": form, "page": None}, status=400)
    field = form.cleaned_data["field"] or "kind"
    outcome = form.cleaned_data["outcome"] or "all"
    found = selectors.suggestions_listed(user, field=field, outcome=outcome)
    paginator = Paginator(found, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "total": paginator.count,
        "field": field,
        "field_label": selectors.FIELD_LABELS[field],
        "outcome": outcome,
    }
    return render(request, "insight/listed.html", context)


@staff_page
@require_POST
def apply(request: HttpRequest, case_id: str) -> HttpResponse:
    """Classify and dispatch as the panel says (one click)."""
    user = _viewer(request, dispatcher=True)
    case = case_get_for(user, id_or_404(case_id))
    back = reverse("cases:case_detail", args=[case.pk])
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a kind and a category to apply."))
        return redirect(back)
    try:
        suggestion_apply(
            case=case,
            actor=user,
            kind=form.cleaned_data["kind"],
            category_code=form.cleaned_data["category"],
            unit_code=form.cleaned_data["unit"] or "",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    except TransitionNotAllowed:
        messages.error(request, _("Someone acted on this case first; see its timeline."))
        return redirect(back)
    messages.success(request, _("The case was classified and dispatched as chosen."))
    return redirect(back)


@staff_page
@require_POST
def merge(request: HttpRequest, case_id: str, primary_id: str) -> HttpResponse:
    """Merge the case into a likely duplicate (the cases' own merge step)."""
    user = _viewer(request, dispatcher=True)
    case = case_get_for(user, id_or_404(case_id))
    primary = case_get_for(user, id_or_404(primary_id))
    back = reverse("cases:case_detail", args=[case.pk])
    try:
        case_services.case_merge(case=case, actor=user, primary=primary)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    except TransitionNotAllowed:
        messages.error(request, _("This case can no longer be merged; see its timeline."))
        return redirect(back)
    messages.success(request, _("Merged into case %(number)s.") % {"number": primary.number})
    return redirect(back)
