"""The only door for reads: API keys, and what Open311 publishes about categories and cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import F, JSONField, Prefetch, Q, QuerySet, When

from wenmin.cases.labels import PUBLIC_ACTIONS
from wenmin.cases.models import Case, CaseEvent, Category
from wenmin.channels.models import ApiKey
from wenmin.channels.services import apikey_digest
from wenmin.organisation.models import Region

MAX_KEY_LENGTH = 200


def apikey_by_plain(*, key: str) -> ApiKey | None:
    """The active key with this plain text, or None (unknown or revoked)."""
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    return ApiKey.objects.filter(key_hash=apikey_digest(key), revoked_at__isnull=True).first()


def apikey_by_prefix(*, prefix: str) -> ApiKey | None:
    """A key, active or revoked, by the prefix shown in lists."""
    return ApiKey.objects.filter(prefix=(prefix or "").strip()).first()


def apikeys_all() -> QuerySet[ApiKey]:
    """Every key, newest first, with its unit."""
    return ApiKey.objects.select_related("owner_unit").order_by("-created_at", "-id")


def region_by_code(*, code: str) -> Region | None:
    """A region by its administrative code (Open311's address_id), or None."""
    code = (code or "").strip()
    return Region.objects.filter(code=code).first() if code else None


# --- Open311 ----------------------------------------------------------------------------------


def open311_services() -> QuerySet[Category]:
    """The categories offered as services: the active ones, in menu order."""
    return (
        Category.objects.filter(is_active=True).select_related("parent").order_by("order", "code")
    )


def open311_service(*, code: str) -> Category | None:
    """One active category by its code, or None."""
    return open311_services().filter(code=(code or "").strip()).first()


def _public_events() -> Q:
    """Events the public timeline shows: a named public step, or any with a note for the public."""
    return Q(action__in=list(PUBLIC_ACTIONS)) | ~Q(public_note="")


def open311_requests() -> QuerySet[Case]:
    """Cases with what a request document needs: category, lead unit, region and public events."""
    events = CaseEvent.objects.filter(_public_events()).order_by("at", "id")
    return (
        Case.objects.select_related("category", "lead_unit", "region")
        .prefetch_related(Prefetch("events", queryset=events, to_attr="public_events"))
        .order_by("-received_at", "-id")
    )


# What a request document reads (resources.request_document): a list loads no more.
LIST_CASE_FIELDS = (
    "id",
    "number",
    "state",
    "rejection_reason",
    "channel",
    "kind",
    "registered_by_id",
    "content",
    "address",
    "latitude",
    "longitude",
    "received_at",
    "result_due",
)


@dataclass(frozen=True, slots=True)
class PublicEvent:
    """What a request document reads of a public event (a thousand requests have five thousand
    of them: a model instance each cost more than the rest of the page)."""

    pk: int
    case_id: int
    action: str
    at: dt.datetime
    state_after: str
    public_note: str
    data: dict[str, Any]


def _open311_list() -> QuerySet[Case]:
    """The cases of GET requests with only the columns their documents show (their public
    events: open311_requests_page)."""
    return (
        Case.objects.only(*LIST_CASE_FIELDS)
        .annotate(
            category_name=F("category__name"),
            category_code=F("category__code"),
            lead_unit_name=F("lead_unit__name"),
            region_code=F("region__code"),
        )
        .order_by("-received_at", "-id")
    )


def open311_requests_page(cases: QuerySet[Case], *, offset: int, limit: int) -> list[Case]:
    """One page of GET requests, each with its public events: two queries, the events chosen by
    a subquery of the page's ids (a list of a thousand ids as parameters plans and binds slower
    than the subquery on PostgreSQL)."""
    page = list(cases[offset : offset + limit])
    if not page:
        return page
    ids = cases.values("id")[offset : offset + limit]
    # Only an intake's data is read (its media_url): the others' is not even decoded.
    rows = (
        CaseEvent.objects.filter(_public_events(), case_id__in=ids)
        .annotate(
            intake_data=DbCase(
                When(action="intake", then=F("data")), default=None, output_field=JSONField()
            )
        )
        .order_by("at", "id")
        .values_list("id", "case_id", "action", "at", "state_after", "public_note", "intake_data")
    )
    by_case: dict[int, list[PublicEvent]] = {}
    for pk, case_id, action, at, state_after, public_note, data in rows:
        event = PublicEvent(pk, case_id, action, at, state_after, public_note, data or {})
        by_case.setdefault(case_id, []).append(event)
    for case in page:
        case.public_events = by_case.get(case.pk, [])  # type: ignore[attr-defined]
    return page


def open311_requests_filtered(
    *,
    numbers: list[str] | None = None,
    service_codes: list[str] | None = None,
    states: set[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[Case]:
    """GET requests: by number (which overrides every other filter), or by code, state and date."""
    cases = _open311_list()
    if numbers:
        return cases.filter(number__in=numbers)
    if service_codes:
        cases = cases.filter(category__code__in=service_codes)
    if states is not None:
        cases = cases.filter(state__in=states)
    if start is not None:
        cases = cases.filter(received_at__gte=start)
    if end is not None:
        cases = cases.filter(received_at__lte=end)
    return cases


def open311_request(*, number: str) -> Case | None:
    """One case by its number (Open311's service_request_id), or None."""
    return open311_requests().filter(number=(number or "").strip()).first()


def open311_updates(*, start: dt.datetime, end: dt.datetime) -> QuerySet[CaseEvent]:
    """Public events after the intake, newest first, with their case (servicerequestupdates)."""
    return (
        CaseEvent.objects.filter(_public_events(), at__gte=start, at__lte=end)
        .exclude(action="intake")
        .select_related("case")
        .order_by("-at", "-id")
    )


def case_submitted_with(*, case: Case, key: ApiKey) -> bool:
    """Did this key post the case (its intake records the key's prefix)?"""
    return CaseEvent.objects.filter(case=case, action="intake", data__api_key=key.prefix).exists()


def external_update_by(*, case: Case, key: ApiKey, update_id: str) -> CaseEvent | None:
    """An update this key already sent with this id, so a retry records nothing twice."""
    if not update_id:
        return None
    return CaseEvent.objects.filter(
        case=case,
        action="external_update",
        data__api_key=key.prefix,
        data__external_update_id=update_id,
    ).first()
