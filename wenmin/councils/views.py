"""The public pages of 问计: proposals by village, a proposal's page, support, comments and
objections. Phone-first; no personal data beyond a commenter's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core import validators
from wenmin.core.ratelimit import rate_count
from wenmin.councils import selectors, services
from wenmin.councils.forms import CommentForm, ObjectionForm, ProposalForm, errors_to_form
from wenmin.councils.models import Proposal, Support
from wenmin.councils.procedure import (
    PUBLISHED_STATES,
    SUPPORT_STATES,
    Stage,
    State,
)
from wenmin.organisation.models import Region
from wenmin.residents.links import verify_url
from wenmin.residents.selectors import verified_person

PER_PAGE = 20
POSTS_PER_HOUR = 20  # comments, or objections, of one account


def _village_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("village", "")
    if not raw:
        return None
    try:
        return validators.check_id(raw)
    except ValidationError:
        return None


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    """Proposals of the county, newest first, by village (its groups included)."""
    village = _village_id(request)
    proposals = selectors.proposals_public()
    if village is not None:
        proposals = proposals.filter(Q(region_id=village) | Q(region__parent_id=village))
    page = Paginator(proposals, PER_PAGE).get_page(request.GET.get("page"))
    villages = selectors.villages_with_proposals()
    context = {
        "page": page,
        "village": village,
        "villages": villages,
        "query": f"village={village}" if village else "",
    }
    return render(request, "councils/proposal_list.html", context)


@require_GET
def my_supports(request: HttpRequest) -> HttpResponse:
    """The proposals the signed-in, verified resident supports, with their states."""
    person = verified_person(user=request.user)
    if person is None:
        return redirect(verify_url(reverse("councils:my_supports")))
    page = Paginator(selectors.proposals_supported_by(person.pk), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "councils/my_supports.html", {"page": page, "query": ""})


@dataclass(frozen=True)
class StageMark:
    label: Any  # a lazy translation
    status: str  # "done", "failed", "current" or "todo"


def stage_marks(
    proposal: Proposal, stages: tuple[str, ...], held: dict[str, bool]
) -> list[StageMark]:
    """The procedure's stages as the public reads them: held, failed, next, or to come."""
    marks: list[StageMark] = []
    current_given = proposal.state in (State.FAILED, State.WITHDRAWN, State.SET_ASIDE)
    for stage in stages:
        if stage in held:
            marks.append(StageMark(Stage(stage).label, "done" if held[stage] else "failed"))
        elif not current_given:
            marks.append(StageMark(Stage(stage).label, "current"))
            current_given = True
        else:
            marks.append(StageMark(Stage(stage).label, "todo"))
    state = proposal.state
    decision = (
        "failed"
        if state == State.SET_ASIDE
        else "current"
        if state in (State.DECIDED, State.IN_NOTICE)
        else "done"
        if state in PUBLISHED_STATES
        else "todo"
    )
    result = (
        "done"
        if state == State.RESULT_PUBLISHED
        else "current"
        if state in (State.NOTICE_ENDED, State.SENT_TO_PROJECTS)
        else "todo"
    )
    marks.append(StageMark(Stage.DECISION_NOTICE.label, decision))
    marks.append(StageMark(Stage.RESULT_NOTICE.label, result))
    return marks


def detail_context(
    request: HttpRequest, proposal: Proposal, failed: tuple[str, Form] | None = None
) -> dict[str, Any]:
    person = verified_person(user=request.user)
    meetings = list(selectors.proposal_meetings(proposal))
    rules = selectors.rules_for(proposal.region)
    forms: dict[str, Form] = {"comment_form": CommentForm(), "objection_form": ObjectionForm()}
    if failed:
        forms[failed[0]] = failed[1]
    return {
        "proposal": proposal,
        "photos": list(proposal.photos.all()),
        "meetings": meetings,
        # An adjourned meeting (流会) decided nothing: its stage is still the current one.
        "marks": stage_marks(
            proposal, rules.stages, {m.stage: m.passed for m in meetings if m.quorum}
        ),
        "comments": list(selectors.comments_published(proposal)),
        "verified": person is not None,
        "supported": person is not None
        and Support.objects.filter(proposal=proposal, person=person).exists(),
        "may_support": proposal.state in SUPPORT_STATES,
        "notice_running": selectors.notice_running(proposal),
        "published": proposal.state in PUBLISHED_STATES,
        "rules": rules,
        "quorum_percent": round(float(rules.quorum) * 100),
        "majority_percent": round(float(rules.majority) * 100),
        "may_manage": selectors.may_manage_region(request.user, proposal.region)  # type: ignore[arg-type]
        if request.user.is_authenticated
        else False,
        **forms,
    }


@require_GET
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A proposal's public page: where, photos, support, the meetings, the notice, comments."""
    proposal = selectors.proposal_get_public(proposal_id)
    return render(request, "councils/proposal_detail.html", detail_context(request, proposal))


def _detail_url(proposal: Proposal) -> str:
    return reverse("councils:proposal_detail", args=[proposal.pk])


def _needs_verification(request: HttpRequest, proposal: Proposal) -> HttpResponse | None:
    if verified_person(user=request.user) is None:
        return redirect(verify_url(_detail_url(proposal)))
    return None


@require_POST
def proposal_support(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_public(proposal_id)
    unverified = _needs_verification(request, proposal)
    if unverified:
        return unverified
    try:
        services.proposal_support(proposal=proposal, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: your support is counted."))
    return redirect(_detail_url(proposal))


def _text_post(
    request: HttpRequest, proposal_id: int, *, name: str, form_class: type[Form]
) -> HttpResponse:
    proposal = selectors.proposal_get_public(proposal_id)
    unverified = _needs_verification(request, proposal)
    if unverified:
        return unverified
    form = form_class(request.POST)
    allowed = rate_count(
        scope=f"councils-{name}", key=str(request.user.pk), limit=POSTS_PER_HOUR, window=3600
    ).allowed
    if not allowed:
        form.is_valid()
        form.add_error(None, _("Too many messages in an hour; please try again later."))
        context = detail_context(request, proposal, failed=(name, form))
        return render(request, "councils/proposal_detail.html", context, status=429)
    if form.is_valid():
        try:
            if name == "comment_form":
                services.comment_post(
                    proposal=proposal,
                    actor=request.user,  # type: ignore[arg-type]
                    body=form.cleaned_data["text"],
                )
                messages.success(
                    request, _("Thank you: your comment shows once a moderator has read it.")
                )
            else:
                services.objection_file(
                    proposal=proposal,
                    actor=request.user,  # type: ignore[arg-type]
                    body=form.cleaned_data["text"],
                )
                messages.success(
                    request, _("Your objection is recorded; the village will answer it.")
                )
            return redirect(_detail_url(proposal))
        except ValidationError as error:
            errors_to_form(form, error)
    context = detail_context(request, proposal, failed=(name, form))
    return render(request, "councils/proposal_detail.html", context, status=400)


@require_POST
def comment_post(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _text_post(request, proposal_id, name="comment_form", form_class=CommentForm)


@require_POST
def objection_file(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _text_post(request, proposal_id, name="objection_form", form_class=ObjectionForm)


@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    """Raise a proposal: a verified resident for any village, a village's keeper for theirs."""
    user: Any = request.user
    keeper = selectors.can_manage_councils(user)
    if keeper:
        regions = selectors.council_regions_for(user)
    elif verified_person(user=user) is not None:
        regions = Region.objects.filter(level__in=selectors.COUNCIL_LEVELS)
    else:
        return redirect(verify_url(reverse("councils:proposal_new")))
    form = ProposalForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_raise(
                actor=user,
                region=data["region"],
                title=data["title"],
                description=data["description"],
                location=data["location"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                photos=request.FILES.getlist("photos"),
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your proposal is published; neighbours can support it."))
            return redirect(_detail_url(proposal))
    status = 400 if request.method == "POST" else 200
    return render(request, "councils/proposal_new.html", {"form": form}, status=status)


@require_GET
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A proposal's photo (public, as the proposal is)."""
    found = selectors.photo_get_public(photo_id)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, filename=found.original_name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
