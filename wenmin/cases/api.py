"""The cases API: list, detail, intake, timeline and attachments. Reads go through the scoping
selectors, writes through the services, exactly as the staff pages do; the workflow steps are
in api_actions.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from wenmin.cases import services
from wenmin.cases.labels import EVENT_LABELS, PUBLIC_ACTIONS, RESIDENT_STATES
from wenmin.cases.models import Attachment, Case, CaseEvent, Category
from wenmin.cases.queues import LIST_RELATED, CaseFilter, case_find_by_number, cases_filtered
from wenmin.cases.schemas import (
    AttachmentOut,
    CaseAnswer,
    CaseFilters,
    CaseIn,
    CaseOut,
    CasePage,
    EventOut,
)
from wenmin.cases.selectors import (
    case_action_refusal,
    case_actors_for,
    case_get_for,
    cases_visible_to,
)
from wenmin.cases.services.access import requester_contact_for
from wenmin.cases.workflow import Action, State, Step, allowed_actions, step_of
from wenmin.core import roles
from wenmin.core.api_auth import auth_for
from wenmin.core.api_support import (
    ApiError,
    aware_datetime,
    errors,
    invalid,
    keyset_page,
    require_staff,
    strict_int,
    viewer,
)
from wenmin.core.models import ApiScope, User
from wenmin.organisation.models import Region, RegionLevel, Unit
from wenmin.organisation.selectors import regions_visible_to

router = Router(tags=["cases"])
READ = auth_for(ApiScope.CASES_READ)
WRITE = auth_for(ApiScope.CASES_WRITE)
LIST_ORDER = (("received_at", aware_datetime), ("id", strict_int))
API_ACTION: dict[str, str] = {
    Action.CLASSIFY: "classify",
    Action.MERGE: "merge",
    Action.REJECT: "reject",
    Action.DISPATCH: "dispatch",
    Action.SIGN_FOR: "sign-for",
    Action.RETURN: "return",
    Action.PLAN: "plan",
    Action.NOTE: "notes",
    Action.SUPERVISE: "supervise",
    Action.REPLY: "reply",
    Action.CALLBACK_RESOLVED: "callback",
    Action.CALLBACK_REWORK: "callback",
}


# Looking things up by their public codes ------------------------------------------------------


def case_for(user: User, number: str) -> Case:
    """The case with this number in the viewer's scope, or 404."""
    found = case_find_by_number(user=user, number=number)
    if found is None:
        raise ApiError(404, "not_found")
    return case_get_for(user, found.pk)


def category_by_code(code: str | None, *, field: str = "category") -> Category | None:
    """An active category by its code (None for none), or a 400 naming the field."""
    if not code:
        return None
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise invalid(field, _("No active category has this code."))
    return category


def _unit_by_code(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise invalid("lead_unit", _("No unit has this code."))
    return unit


def _region_by_code(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise invalid("region", _("No region has this code."))
    return region


def act_check(user: User, case: Case, action: str) -> None:
    """The case page's order: the state first (409), then whether the viewer may act (403)."""
    refusal = case_action_refusal(user, case, action)
    if refusal == "state":
        raise ApiError(409, "transition_not_allowed", params={"state": State(case.state).label})
    if refusal == "actor":
        raise ApiError(403, "forbidden")


# What the answers hold ---------------------------------------------------------------------


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def case_row(case: Case) -> dict[str, Any]:
    """One case as a list row."""
    return {
        "number": case.number,
        "title": case.title,
        "kind": case.kind,
        "category": case.category.code if case.category else None,
        "channel": case.channel,
        "urgency": case.urgency,
        "state": case.state,
        "step": Step(step_of(case.state)).value,
        "received_at": _local(case.received_at),
        "region": case.region.code if case.region else None,
        "lead_unit": case.lead_unit.code if case.lead_unit else None,
        "result_due": _local(case.result_due),
        "escalated": case.escalated_at is not None,
    }


def _requester(user: User, case: Case) -> dict[str, Any] | None:
    if case.requester is None:
        return None
    phone, clear = requester_contact_for(case=case, viewer=user)
    return {"name": case.requester.name, "phone": phone, "phone_clear": clear}


def _allowed(user: User, case: Case) -> list[str]:
    actors = case_actors_for(user, case)
    return list(dict.fromkeys(API_ACTION[a] for a in allowed_actions(case.state, actors)))


def case_for_requester(user: User, case: Case) -> dict[str, Any]:
    """A case as its requester sees it on the portal: no plan, notes, staff or requester data."""
    merged = case.merged_into if case.state == State.MERGED else None
    return {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "title": case.title,
        "kind": case.kind,
        "category": case.category.code if case.category else None,
        "category_name": case.category.name if case.category else None,
        "urgency": case.urgency,
        "state": case.state,
        "state_label": str(RESIDENT_STATES[case.state]),
        "step": Step(step_of(case.state)).value,
        "received_at": _local(case.received_at),
        "result_due": _local(case.result_due),
        "lead_unit_name": case.lead_unit.name if case.lead_unit else None,
        "replied_at": _local(case.replied_at),
        "reply": case.reply if case.state in (State.REPLIED, State.CLOSED) else "",
        "closed_at": _local(case.closed_at),
        "rejection_reason": case.rejection_reason,
        "merged_into": merged.number if merged is not None else None,
        "resolved": case.resolved,
        "satisfaction": case.satisfaction,
        "allowed_actions": _allowed(user, case),
    }


def case_detail(user: User, case: Case, *, with_requester: bool = True) -> dict[str, Any]:
    """Everything the case page shows, with only the steps the viewer may take now; for anyone
    but staff (a requester reading her own case), only what the portal shows."""
    if not roles.can_use_staff_pages(user.role):
        return case_for_requester(user, case)
    dates = (
        "dispatched_at",
        "sign_for_due",
        "signed_at",
        "planned_due",
        "replied_at",
        "callback_due",
        "closed_at",
        "escalated_at",
    )
    return {
        **case_row(case),
        **{name: _local(getattr(case, name)) for name in dates},
        "content": case.content,
        "extra": case.extra or {},
        "address": case.address,
        "latitude": float(case.latitude) if case.latitude is not None else None,
        "longitude": float(case.longitude) if case.longitude is not None else None,
        "requester": _requester(user, case) if with_requester else None,
        "co_units": sorted(unit.code for unit in case.co_units.all()),
        "plan": case.plan,
        "reply": case.reply,
        "escalated_to": case.escalated_to.code if case.escalated_to else None,
        "return_count": case.return_count,
        "rework_count": case.rework_count,
        "rejection_reason": case.rejection_reason,
        "merged_into": case.merged_into.number if case.merged_into else None,
        "resolved": case.resolved,
        "satisfaction": case.satisfaction,
        "allowed_actions": _allowed(user, case),
    }


def _event(event: CaseEvent, *, public: bool) -> dict[str, Any]:
    labels = PUBLIC_ACTIONS if public else EVENT_LABELS
    return {
        "id": event.pk,
        "action": event.action,
        "label": str(labels.get(event.action, event.action)),
        "at": _local(event.at),
        "actor": None if public else (event.actor_label or None),
        "unit": event.unit.code if event.unit else None,
        "state_before": event.state_before,
        "state_after": event.state_after,
        "note": "" if public else event.note,
        "public_note": event.public_note,
        "data": {} if public else (event.data or {}),
        "attachments": [] if public else [a.pk for a in event.attachments.all()],
    }


def _attachment(request: HttpRequest, attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_at": _local(attachment.uploaded_at),
        "event": attachment.event_id,
        "url": request.build_absolute_uri(reverse("cases:attachment", args=[attachment.pk])),
    }


# Endpoints ---------------------------------------------------------------------------------


@router.get("", response={200: CasePage, **errors(400, 401, 403)}, auth=READ, summary="List cases")
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """The cases in your scope, newest first, a page at a time (follow `next_cursor`)."""
    user = viewer(request)
    category = category_by_code(filters.category) if filters.category else None
    cases = cases_filtered(
        cases=cases_visible_to(user),
        filters=CaseFilter(
            text=filters.q or "",
            kind=filters.kind or "",
            category_id=category.pk if category else None,
            state=filters.state or "",
            channel=filters.channel or "",
            urgency=filters.urgency or "",
            received_from=filters.received_from,
            received_to=filters.received_to,
        ),
    )
    if filters.lead_unit:
        cases = cases.filter(lead_unit=_unit_by_code(filters.lead_unit))
    if filters.region:
        cases = cases.filter(region__path__startswith=_region_by_code(filters.region).path)
    rows, next_cursor = keyset_page(
        cases.select_related(*LIST_RELATED),
        order=LIST_ORDER,
        descending=True,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [case_row(case) for case in rows], "next_cursor": next_cursor}


@router.get(
    "/{number}",
    response={200: CaseAnswer, **errors(400, 401, 403, 404)},
    auth=READ,
    summary="One case",
)
def case_get(request: HttpRequest, number: str) -> dict[str, Any]:
    """A case in your scope. The requester's phone is in clear only for its dispatcher and lead
    unit, and each such view is audited."""
    user = viewer(request)
    return case_detail(user, case_for(user, number))


@router.post(
    "",
    response={201: CaseOut, **errors(400, 401, 403)},
    auth=WRITE,
    summary="Register a case (step 1, collect)",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    """Staff register a case heard at a counter, a station, a meeting, by phone or through the
    three asks; an integration uses channel `api`."""
    user = viewer(request)
    require_staff(user)
    region = None
    if payload.region:
        region = (
            regions_visible_to(user).filter(code=payload.region, level=RegionLevel.VILLAGE).first()
        )
        if region is None:
            raise invalid("region", _("No village or community in your scope has this code."))
    token = getattr(request, "api_token", None)
    case = services.case_intake(
        actor=user,
        channel=payload.channel,
        content=payload.content,
        kind=payload.kind,
        urgency=payload.urgency,
        title=payload.title,
        category=category_by_code(payload.category),
        extra=payload.extra,
        requester_name=payload.requester_name,
        requester_phone=payload.requester_phone,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        region=region,
        data={"api_token": token.prefix} if token is not None else None,
        purposes=payload.purposes,
    )
    # Like the staff page: someone who registers a case outside their scope sees it once, but
    # not who the phone number belongs to.
    visible = cases_visible_to(user).filter(pk=case.pk).exists()
    return Status(201, case_detail(user, case, with_requester=visible))


@router.get(
    "/{number}/events",
    response={200: list[EventOut], **errors(400, 401, 403, 404)},
    auth=READ,
    summary="A case's timeline",
)
def case_events(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """Every step taken, oldest first. A resident sees the public timeline of her own case."""
    user = viewer(request)
    case = case_for(user, number)
    public = not roles.can_use_staff_pages(user.role)
    events = case.events.select_related("unit").prefetch_related("attachments").order_by("at", "id")
    return [
        _event(event, public=public)
        for event in events
        if not public or event.action in PUBLIC_ACTIONS or event.public_note
    ]


@router.get(
    "/{number}/attachments",
    response={200: list[AttachmentOut], **errors(400, 401, 403, 404)},
    auth=READ,
    summary="A case's photos and documents",
)
def case_attachments(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """The files attached to a case, oldest first. Staff only: the portal shows a requester no
    photos (they may show other people)."""
    user = viewer(request)
    case = case_for(user, number)
    if not roles.can_use_staff_pages(user.role):
        raise ApiError(403, "forbidden")
    return [_attachment(request, a) for a in case.attachments.order_by("uploaded_at", "id")]


@router.post(
    "/{number}/attachments",
    response={201: list[AttachmentOut], **errors(400, 401, 403, 404, 409)},
    auth=WRITE,
    summary="Attach photos or documents (a progress note)",
)
def case_attach(
    request: HttpRequest,
    number: str,
    files: File[list[UploadedFile]],
    note: Form[str] = "",
) -> Status[list[dict[str, Any]]]:
    """Multipart: `files` (JPG, PNG, GIF, WebP, PDF, Word, Excel; checked by content) and an
    optional `note`. Recorded as a progress note, so only while the case is being handled."""
    user = viewer(request)
    case = case_for(user, number)
    act_check(user, case, Action.NOTE)
    if len(note) > 4000:
        raise invalid("note", _("At most %(n)s characters.") % {"n": 4000})
    before = set(case.attachments.values_list("pk", flat=True))
    try:
        services.case_note(case=case, actor=user, note=note, files=files)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"files": error.messages}) from None
    added = case.attachments.exclude(pk__in=before).order_by("id")
    return Status(201, [_attachment(request, a) for a in added])
