"""The staff's pages: survey forms and their versions, visit plans; each view calls one service
or selector and renders."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core.models import User
from wenmin.surveys import access, selectors, services
from wenmin.surveys.forms import PlanForm, QuestionForm, SurveyFormForm, owners_for
from wenmin.surveys.models import SurveyForm


def _staff(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.surveys_user(user):
        raise PermissionDenied
    return user


def _errors_to_form(form: object, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        target = field if field in getattr(form, "fields", {}) else None
        for text in messages_:
            form.add_error(target, text)  # type: ignore[attr-defined]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The forms the viewer may read, with their rounds; a new form for those who build them."""
    user = _staff(request)
    forms = list(
        selectors.forms_visible_to(user).prefetch_related("versions__plans").order_by("-created_at")
    )
    return render(
        request,
        "surveys/home.html",
        {"forms": forms, "can_build": owners_for(user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = SurveyFormForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.form_create(
                actor=user, title=form.cleaned_data["title"], owner=form.cleaned_data["owner"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Survey created: add its questions, then publish it."))
            return redirect("surveys:form_detail", survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/form_new.html", {"form": form}, status=status)


def _form_page(
    request: HttpRequest,
    survey: SurveyForm,
    question_form: QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "surveys/form_detail.html",
        {
            "survey": survey,
            "versions": selectors.form_versions(survey),
            "can_change": access.may_own(user, survey.owner),
            "question_form": question_form or QuestionForm(),
        },
        status=status,
    )


@login_required
@require_GET
def form_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A form's versions and questions, its rounds; building tools for the owner's staff."""
    user = _staff(request)
    return _form_page(request, selectors.form_get_for(user, survey_id))


@login_required
@require_POST
def question_add(request: HttpRequest, version_id: int) -> HttpResponse:
    user = _staff(request)
    version = selectors.version_get_for(user, version_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                actor=user,
                version=version,
                kind=data["kind"],
                text=data["text"],
                required=data["required"],
                choices=[line.strip() for line in (data["choices"] or "").splitlines()],
                min_value=data["min_value"],
                max_value=data["max_value"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect("surveys:form_detail", version.form_id)
    return _form_page(request, version.form, form, status=400)


def _version_step(request: HttpRequest, version_id: int, step: str) -> HttpResponse:
    user = _staff(request)
    version = selectors.version_get_for(user, version_id)
    try:
        if step == "publish":
            services.version_publish(actor=user, version=version)
            messages.success(request, _("Version published: volunteers can answer it now."))
        else:
            services.version_retire(actor=user, version=version)
            messages.success(request, _("Version retired: answers to it are refused from now on."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("surveys:form_detail", version.form_id)


@login_required
@require_POST
def version_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    return _version_step(request, version_id, "publish")


@login_required
@require_POST
def version_retire(request: HttpRequest, version_id: int) -> HttpResponse:
    return _version_step(request, version_id, "retire")


@login_required
@require_POST
def version_draft(request: HttpRequest, survey_id: int) -> HttpResponse:
    user = _staff(request)
    survey = selectors.form_get_for(user, survey_id)
    try:
        services.version_draft(actor=user, form=survey)
        messages.success(request, _("New draft version: change its questions, then publish it."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("surveys:form_detail", survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A survey round: the households in care of the chosen places, each to the nearest team."""
    user = _staff(request)
    survey = selectors.form_get_for(user, survey_id)
    if not access.may_own(user, survey.owner):
        raise PermissionDenied
    form = PlanForm(request.POST or None, user=user, form=survey)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=user,
                version=data["version"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                regions=list(data["regions"]),
                teams=list(data["teams"]),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Round planned: the teams see their households now."))
            return redirect("surveys:plan_results", plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/plan_new.html", {"survey": survey, "form": form}, status=status)
