"""The staff pages of 问计: councils and members, and a proposal's procedure (meetings, the
decision's publication, objections, comments' moderation, sending to the projects register)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.cases.deadlines import Kind
from wenmin.cases.selectors import cases_visible_to
from wenmin.core.formfields import search_text
from wenmin.core.models import User
from wenmin.councils import selectors, services
from wenmin.councils.forms import (
    AdjournForm,
    CouncilForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
    ModerateForm,
    ObjectionAnswerForm,
    PromoteForm,
    ResultForm,
    errors_to_form,
)
from wenmin.councils.models import Proposal, StageMeeting, VillagersCouncil
from wenmin.councils.procedure import Action, State, allowed_actions, expected_stage
from wenmin.organisation.models import Person, RegionLevel
from wenmin.organisation.views import staff_page

PER_PAGE = 30


def _viewer(request: HttpRequest) -> User:
    user = cast(User, request.user)  # staff_page has let only logged-in staff through
    if not selectors.can_view_councils(user):
        raise PermissionDenied
    return user


@staff_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Councils of the viewer's villages, proposals by state, and a council to add."""
    user = _viewer(request)
    councils = Paginator(selectors.councils_visible_to(user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    by_state = selectors.proposal_counts_by_state(user)
    manager = selectors.can_manage_councils(user)
    context = {
        "councils": councils,
        "by_state": [(s, label, by_state.get(s, 0)) for s, label in State.choices],
        "manager": manager,
        "council_form": CouncilForm(regions=selectors.council_regions_for(user))
        if manager
        else None,
    }
    return render(request, "councils/staff_home.html", context)


@staff_page
@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    """The viewer's proposals, by state."""
    user = _viewer(request)
    state = request.GET.get("state", "")
    found = selectors.proposals_visible_to(user)
    if state in State.values:
        found = found.filter(state=state)
    else:
        state = ""
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "state_label": State(state).label if state else "",
        "query": f"state={state}" if state else "",
    }
    return render(request, "councils/staff_proposals.html", context)


@staff_page
@require_POST
def council_new(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    form = CouncilForm(request.POST, regions=selectors.council_regions_for(user))
    if form.is_valid():
        try:
            council = services.council_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Council created; now add its members."))
            return redirect("councils:council_detail", council.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return redirect("councils:home")


def _people_of(council: VillagersCouncil) -> Any:
    village = (
        council.region.parent
        if council.region.level == RegionLevel.GROUP and council.region.parent
        else council.region
    )
    return Person.objects.filter(region__path__startswith=village.path)


def _council_context(
    user: User, council: VillagersCouncil, member_form: MemberForm | None = None
) -> dict[str, Any]:
    manager = selectors.may_manage_region(user, council.region)
    if manager and member_form is None:
        member_form = MemberForm(people=_people_of(council))
    return {
        "council": council,
        "members": list(selectors.council_members(council)),
        "proposals": list(selectors.proposals_visible_to(user).filter(council=council)[:100]),
        "manager": manager,
        "member_form": member_form if manager else None,
        "today": timezone.localdate(),
    }


@staff_page
@require_GET
def council_detail(request: HttpRequest, council_id: int) -> HttpResponse:
    user = _viewer(request)
    council = selectors.council_get_for(user, council_id)
    return render(request, "councils/council_detail.html", _council_context(user, council))


@staff_page
@require_POST
def member_add(request: HttpRequest, council_id: int) -> HttpResponse:
    user = _viewer(request)
    council = selectors.council_get_for(user, council_id)
    form = MemberForm(request.POST, people=_people_of(council))
    if form.is_valid():
        try:
            services.council_member_add(actor=user, council=council, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Member added."))
            return redirect("councils:council_detail", council.pk)
    context = _council_context(user, council, member_form=form)
    return render(request, "councils/council_detail.html", context, status=400)


@staff_page
@require_POST
def member_end(request: HttpRequest, council_member_id: int) -> HttpResponse:
    user = _viewer(request)
    member = selectors.member_get_for(user, council_member_id)
    form = MemberEndForm(request.POST)
    if form.is_valid():
        try:
            services.council_member_end(
                actor=user, member=member, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Membership ended."))
            return redirect("councils:council_detail", member.council_id)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return redirect("councils:council_detail", member.council_id)


def manage_context(
    user: User, proposal: Proposal, failed: tuple[str, Form] | None = None
) -> dict[str, Any]:
    rules = selectors.rules_for(proposal.region)
    meetings = list(selectors.proposal_meetings(proposal))
    next_stage = expected_stage(rules, [m.stage for m in meetings if m.passed])
    actions = set(allowed_actions(proposal.state))
    manager = selectors.may_manage_region(user, proposal.region)
    pending, upheld = selectors.objection_counts(proposal)
    forms: dict[str, Any] = {
        "meeting_form": MeetingForm(initial={"stage": next_stage}, stages=rules.stages),
        "result_form": ResultForm(),
    }
    if failed:
        forms[failed[0]] = failed[1]
    return {
        "proposal": proposal,
        "meetings": meetings,
        "rules": rules,
        "manager": manager,
        "next_stage": next_stage,
        "may_meet": manager and Action.MEETING_PASSED in actions and next_stage is not None,
        "may_publish": manager and Action.PUBLISH_DECISION in actions,
        "may_send": manager
        and proposal.state in (State.IN_NOTICE, State.NOTICE_ENDED)
        and not selectors.notice_running(proposal),
        "may_result": manager and Action.PUBLISH_RESULT in actions,
        "may_withdraw": manager and Action.WITHDRAW in actions,
        "pending_objections": pending,
        "upheld_objections": upheld,
        "objections": list(selectors.objections_of(proposal)),
        "comments": list(selectors.comments_for_moderation(proposal)),
        "notice_running": selectors.notice_running(proposal),
        "answer_form": ObjectionAnswerForm(),
        "moderate_form": ModerateForm(),
        **forms,
    }


@staff_page
@require_GET
def proposal_manage(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = _viewer(request)
    proposal = selectors.proposal_get_for(user, proposal_id)
    return render(request, "councils/proposal_manage.html", manage_context(user, proposal))


def _act(
    request: HttpRequest,
    proposal_id: int,
    *,
    name: str,
    form_class: type[Form] | None,
    run: Callable[[User, Proposal, dict[str, Any]], Any],
    done: str | Callable[[Any], tuple[int, str]],
) -> HttpResponse:
    """Parse, call one service, and show the manage page again (with the refusal on a 400)."""
    user = _viewer(request)
    proposal = selectors.proposal_get_for(user, proposal_id)
    form = form_class(request.POST) if form_class else Form(request.POST)
    if form.is_valid():
        try:
            result = run(user, proposal, form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            level, text = (messages.SUCCESS, done) if isinstance(done, str) else done(result)
            messages.add_message(request, level, text)
            return redirect("councils:proposal_manage", proposal.pk)
    context = manage_context(user, proposal, failed=(name, form))
    context["failed_form"] = form
    return render(request, "councils/proposal_manage.html", context, status=400)


@staff_page
@require_POST
def meeting_record(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _act(
        request,
        proposal_id,
        name="meeting_form",
        form_class=MeetingForm,
        run=lambda user, proposal, data: services.stage_meeting_record(
            proposal=proposal, actor=user, **data
        ),
        done=_meeting_outcome,
    )


def _meeting_outcome(meeting: StageMeeting) -> tuple[int, str]:
    """A failed meeting is recorded, and the keeper is told plainly what that means."""
    if meeting.passed:
        return messages.SUCCESS, _("Meeting recorded: adopted.")
    reason = _("no majority (%(for)s of %(present)s present in favour)") % {
        "for": meeting.votes_for,
        "present": meeting.present,
    }
    return messages.ERROR, _(
        "Meeting recorded: not adopted, %(reason)s. The proposal ends here; its decision "
        "cannot be published."
    ) % {"reason": reason}


@staff_page
@require_POST
def meeting_adjourn(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The meeting form's second button: no quorum, recorded as adjourned (流会)."""
    return _act(
        request,
        proposal_id,
        name="meeting_form",
        form_class=AdjournForm,
        run=lambda user, proposal, data: services.stage_meeting_adjourn(
            proposal=proposal,
            actor=user,
            **{k: v for k, v in data.items() if k not in AdjournForm.VOTES},
        ),
        done=_adjourned,
    )


def _adjourned(meeting: StageMeeting) -> tuple[int, str]:
    return messages.WARNING, _(
        "Recorded as adjourned (流会): %(present)s of %(expected)s members present, no quorum. "
        "The proposal stays at this stage; hold the meeting again."
    ) % {"present": meeting.present, "expected": meeting.expected}


@staff_page
@require_POST
def decision_publish(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _act(
        request,
        proposal_id,
        name="publish_form",
        form_class=None,
        run=lambda user, proposal, data: services.decision_publish(proposal=proposal, actor=user),
        done=_("The decision is public; the notice period has started."),
    )


@staff_page
@require_POST
def send_to_projects(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _act(
        request,
        proposal_id,
        name="send_form",
        form_class=None,
        run=lambda user, proposal, data: services.proposal_send_to_projects(
            proposal=proposal, actor=user
        ),
        done=_("Sent to the projects register as a project proposal."),
    )


@staff_page
@require_POST
def result_publish(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _act(
        request,
        proposal_id,
        name="result_form",
        form_class=ResultForm,
        run=lambda user, proposal, data: services.result_publish(
            proposal=proposal, actor=user, result=data["result"]
        ),
        done=_("The result is public."),
    )


@staff_page
@require_POST
def withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _act(
        request,
        proposal_id,
        name="withdraw_form",
        form_class=None,
        run=lambda user, proposal, data: services.proposal_withdraw(proposal=proposal, actor=user),
        done=_("Proposal withdrawn."),
    )


@staff_page
@require_POST
def comment_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    user = _viewer(request)
    comment = selectors.comment_get_for(user, comment_id)
    form = ModerateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.comment_moderate(
                comment=comment,
                actor=user,
                publish=data["decision"] == "publish",
                body=data["text"] or None,
                note=data["note"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Comment moderated."))
            return redirect("councils:proposal_manage", comment.proposal_id)
    context = manage_context(user, comment.proposal, failed=("moderate_form", form))
    context["failed_form"] = form
    return render(request, "councils/proposal_manage.html", context, status=400)


@staff_page
@require_POST
def objection_answer(request: HttpRequest, objection_id: int) -> HttpResponse:
    user = _viewer(request)
    objection = selectors.objection_get_for(user, objection_id)
    form = ObjectionAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_handle(
                objection=objection,
                actor=user,
                uphold=form.cleaned_data["decision"] == "uphold",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Objection answered."))
            return redirect("councils:proposal_manage", objection.proposal_id)
    context = manage_context(user, objection.proposal, failed=("answer_form", form))
    context["failed_form"] = form
    return render(request, "councils/proposal_manage.html", context, status=400)


@staff_page
@require_http_methods(["GET", "POST"])
def promote(request: HttpRequest) -> HttpResponse:
    """Make a suggestion case a proposal of its village (?number=<case number> to find it)."""
    user = _viewer(request)
    suggestions = cases_visible_to(user).filter(kind=Kind.SUGGESTION)
    number, status = search_text(request, "number", max_length=32)
    case = suggestions.filter(number=number).select_related("region").first() if number else None
    form = PromoteForm(request.POST or None, initial={"case": case.pk if case else None})
    if request.method == "POST" and form.is_valid():
        case = suggestions.filter(pk=form.cleaned_data["case"]).first()
        if case is None:
            form.add_error(None, _("No suggestion case with this number in your scope."))
        else:
            try:
                proposal = services.proposal_promote_from_case(case=case, actor=user)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The suggestion is now a proposal."))
                return redirect("councils:proposal_manage", proposal.pk)
    if request.method == "POST":
        status = 400
    context = {"form": form, "case": case, "number": number}
    return render(request, "councils/promote.html", context, status=status)
