"""Hotspots, 每月一题 candidates and topics: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wenmin.cases.models import Case
from wenmin.cases.selectors import cases_visible_to
from wenmin.core.models import User
from wenmin.topics import access, selectors, services
from wenmin.topics.forms import (
    CaseStateFilter,
    LinkForm,
    MonthForm,
    PickForm,
    ProjectForm,
    UnlinkForm,
)
from wenmin.topics.services.candidates import month_add, month_start

PAGE = 50


def _viewer(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.hotspots_user(user):
        raise PermissionDenied
    return user


def _cases_page(request: HttpRequest, cases: QuerySet[Case]) -> Any:
    return Paginator(cases, PAGE).get_page(request.GET.get("page"))


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The latest hotspots and the monthly topics, for leaders and supervisors."""
    user = _viewer(request)
    hotspots = selectors.hotspots_latest(user)
    return render(
        request,
        "topics/home.html",
        {
            "hotspots": hotspots,
            "period_end": hotspots[0].period_end if hotspots else None,
            "topics": selectors.topics_for(user)[:24],
            "last_month": month_add(month_start(timezone.localdate()), -1),
        },
    )


@login_required
@require_GET
def hotspot(request: HttpRequest, hotspot_id: int) -> HttpResponse:
    """A hotspot and exactly its cases (those the viewer may open)."""
    user = _viewer(request)
    spot = selectors.hotspot_get_for(user, hotspot_id)
    page = _cases_page(request, selectors.hotspot_cases_for(user, spot))
    return render(request, "topics/hotspot.html", {"hotspot": spot, "page": page})


@login_required
@require_GET
def candidates(request: HttpRequest) -> HttpResponse:
    """A month's 每月一题 candidates, ranked; a county leader picks from them."""
    user = _viewer(request)
    form = MonthForm(request.GET)
    if not form.is_valid():
        return render(request, "topics/bad_filter.html", {"form": form}, status=400)
    month = form.cleaned_data["month"] or month_add(month_start(timezone.localdate()), -1)
    rows = selectors.candidates_for(user, month)
    picked = {t.category_id: t for t in selectors.topics_for(user).filter(month=month)}
    return render(
        request,
        "topics/candidates.html",
        {
            "month": month,
            "rows": [(c, picked.get(c.category_id)) for c in rows],
            "months": selectors.candidate_months(user),
            "may_pick": access.may_pick(user),
        },
    )


@login_required
@require_GET
def candidate_cases(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """The cases a candidate counts."""
    user = _viewer(request)
    candidate = selectors.candidate_get_for(user, candidate_id)
    page = _cases_page(request, selectors.candidate_cases_for(user, candidate))
    return render(request, "topics/candidate_cases.html", {"candidate": candidate, "page": page})


@login_required
@require_POST
def pick(request: HttpRequest) -> HttpResponse:
    """A county leader makes a candidate the month's topic."""
    user = _viewer(request)
    if not access.may_pick(user):
        raise PermissionDenied
    form = PickForm(request.POST)
    if not form.is_valid():
        return render(request, "topics/bad_filter.html", {"form": form}, status=400)
    candidate = selectors.candidate_get_for(user, form.cleaned_data["candidate"])
    try:
        topic = services.topic_pick(
            actor=user,
            candidate=candidate,
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect(f"{reverse('topics:candidates')}?month={candidate.month:%Y-%m}")
    messages.success(request, _("The month's topic is picked."))
    return redirect("topics:topic", topic.pk)


@login_required
@require_GET
def topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    """A monthly topic and every case linked to it."""
    user = _viewer(request)
    the_topic = selectors.topic_get_for(user, topic_id)
    form = CaseStateFilter(request.GET)
    if not form.is_valid():
        return render(request, "topics/bad_filter.html", {"form": form}, status=400)
    state = form.cleaned_data["state"]
    cases = selectors.topic_cases_for(user, the_topic, state=state)
    counts = {
        "all": selectors.topic_cases_for(user, the_topic).count(),
        "open": selectors.topic_cases_for(user, the_topic, state="open").count(),
        "closed": selectors.topic_cases_for(user, the_topic, state="closed").count(),
    }
    return render(
        request,
        "topics/topic.html",
        {
            "topic": the_topic,
            "page": _cases_page(request, cases),
            "state": state,
            "counts": counts,
            "may_pick": access.may_pick(user),
            "link_form": LinkForm(),
            "project_form": ProjectForm(initial={"project": the_topic.project_id}),
        },
    )


@login_required
@require_POST
def topic_link(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Link a case to the topic by its number."""
    user = _viewer(request)
    the_topic = selectors.topic_get_for(user, topic_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return render(request, "topics/bad_filter.html", {"form": form}, status=400)
    number = form.cleaned_data["number"].strip()
    case = cases_visible_to(user).filter(number=number).first()
    if case is None:
        messages.error(
            request, _("No case of yours has the number %(number)s.") % {"number": number}
        )
        return redirect("topics:topic", the_topic.pk)
    try:
        services.topic_case_link(actor=user, topic=the_topic, case=case)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Case %(number)s is linked.") % {"number": case.number})
    return redirect("topics:topic", the_topic.pk)


@login_required
@require_POST
def topic_unlink(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Take a case off the topic."""
    user = _viewer(request)
    the_topic = selectors.topic_get_for(user, topic_id)
    form = UnlinkForm(request.POST)
    if not form.is_valid():
        return render(request, "topics/bad_filter.html", {"form": form}, status=400)
    case = selectors.topic_cases_for(user, the_topic).filter(pk=form.cleaned_data["case"]).first()
    if case is None:
        messages.error(request, _("This case is not linked to the topic."))
        return redirect("topics:topic", the_topic.pk)
    services.topic_case_unlink(actor=user, topic=the_topic, case=case)
    messages.success(request, _("Case %(number)s is unlinked.") % {"number": case.number})
    return redirect("topics:topic", the_topic.pk)


@login_required
@require_POST
def topic_project(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Name the project that solves the topic (a project's number), or clear it."""
    user = _viewer(request)
    the_topic = selectors.topic_get_for(user, topic_id)
    form = ProjectForm(request.POST)
    if not form.is_valid():
        return render(request, "topics/bad_filter.html", {"form": form}, status=400)
    services.topic_project_set(actor=user, topic=the_topic, project_id=form.cleaned_data["project"])
    messages.success(request, _("Saved."))
    return redirect("topics:topic", the_topic.pk)
