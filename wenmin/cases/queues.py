"""The workbench's queues and filters and the supervisor's lists.

Every list here starts from `selectors.cases_visible_to(user)`, so a queue or a filter can only
narrow the viewer's scope, never widen it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import due_soon_condition, overdue_condition
from wenmin.cases.models import Attachment, Case, CaseEvent
from wenmin.cases.selectors import case_get_for, cases_visible_to, is_dispatcher
from wenmin.cases.workflow import OPEN_STATES, Action, State
from wenmin.core import validators
from wenmin.core.crypto import digest
from wenmin.core.models import User
from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import Region, Unit
from wenmin.organisation.validation import phone_or_empty

LIST_RELATED = ("category", "region", "lead_unit")


class Queue(models.TextChoices):
    TO_ANALYSE = "to_analyse", _("To analyse")
    TO_SIGN = "to_sign", _("To sign for")
    IN_PROGRESS = "in_progress", _("In progress")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    RETURNED = "returned", _("Returned")
    REPLIED = "replied", _("Awaiting callback")
    ALL = "all", _("All")


class Sort(models.TextChoices):
    RECEIVED_NEWEST = "received", _("Received, newest first")
    RECEIVED_OLDEST = "received_asc", _("Received, oldest first")
    DUE_FIRST = "due", _("Due, soonest first")
    DUE_LAST = "due_desc", _("Due, latest first")


ORDERINGS: dict[str, tuple[Any, ...]] = {
    Sort.RECEIVED_NEWEST: ("-received_at", "-id"),
    Sort.RECEIVED_OLDEST: ("received_at", "id"),
    Sort.DUE_FIRST: (F("result_due").asc(nulls_last=True), "id"),
    Sort.DUE_LAST: (F("result_due").desc(nulls_last=True), "-id"),
}


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the workbench: a dispatcher, a lead unit's staff, or an onlooker."""

    user: User
    dispatcher: bool
    unit: Unit | None  # the unit whose own work the queues show; None: the whole scope

    @property
    def queues(self) -> list[str]:
        if self.dispatcher:
            return list(Queue.values)
        if self.unit is not None:
            return [q for q in Queue.values if q != Queue.TO_ANALYSE]
        return [q for q in Queue.values if q not in (Queue.TO_ANALYSE, Queue.TO_SIGN)]


def viewer_for(user: User) -> Viewer:
    """The workbench's view of a user: dispatchers see every queue over their whole scope."""
    dispatcher = is_dispatcher(user)
    unit = None
    if not dispatcher and user.role in (Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF):
        unit = user.unit
    return Viewer(user=user, dispatcher=dispatcher, unit=unit)


def queue_condition(*, viewer: Viewer, queue: str, now: dt.datetime) -> Q:
    """The condition a case meets to be in a queue, for this viewer."""
    mine = Q(lead_unit=viewer.unit) if viewer.unit is not None else Q()
    if queue == Queue.TO_ANALYSE:
        return Q(state=State.COLLECTED)
    if queue == Queue.TO_SIGN:
        return Q(state=State.DISPATCHED) & mine
    if queue == Queue.IN_PROGRESS:
        return Q(state__in=(State.SIGNED, State.IN_PROGRESS)) & mine
    if queue == Queue.DUE_SOON:
        return due_soon_condition(now) & mine
    if queue == Queue.OVERDUE:
        return overdue_condition(now) & mine
    if queue == Queue.RETURNED:
        if viewer.unit is None:
            return Q(state__in=OPEN_STATES, return_count__gt=0)
        returned_by_unit = CaseEvent.objects.filter(
            case=OuterRef("pk"), action=Action.RETURN, unit=viewer.unit
        )
        return Q(Exists(returned_by_unit), state__in=OPEN_STATES)
    if queue == Queue.REPLIED:
        return Q(state=State.REPLIED) & mine
    return Q()


def queue_counts(*, viewer: Viewer, cases: QuerySet[Case], now: dt.datetime) -> dict[str, int]:
    """How many of these cases are in each of the viewer's queues, in one query."""
    totals = cases.order_by().aggregate(
        **{
            queue: Count("id", filter=queue_condition(viewer=viewer, queue=queue, now=now))
            if queue != Queue.ALL
            else Count("id")
            for queue in viewer.queues
        }
    )
    return {queue: int(totals[queue] or 0) for queue in viewer.queues}


@dataclass(frozen=True)
class CaseFilter:
    """The workbench's filters; empty values filter nothing."""

    text: str = ""
    kind: str = ""
    category_id: int | None = None
    state: str = ""
    channel: str = ""
    urgency: str = ""
    township: Region | None = None
    lead_unit_id: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    sort: str = Sort.RECEIVED_NEWEST


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI)


def cases_filtered(*, cases: QuerySet[Case], filters: CaseFilter) -> QuerySet[Case]:
    """Narrow a list of cases by the filters: a search in the number, tracking code, title,
    content and the requester's name, or by the requester's mobile number."""
    text = filters.text.strip()
    if text:
        phone = phone_or_empty(text)
        if phone:
            # The caller's phone, found through its keyed digest: no row is decrypted.
            cases = cases.filter(requester__phone_digest=digest(phone))
        else:
            cases = cases.filter(
                Q(number__icontains=text)
                | Q(tracking_code__iexact=text)
                | Q(title__icontains=text)
                | Q(content__icontains=text)
                | Q(requester__name__icontains=text)
            )
    exact = {
        "kind": filters.kind,
        "category_id": filters.category_id,
        "state": filters.state,
        "channel": filters.channel,
        "urgency": filters.urgency,
        "lead_unit_id": filters.lead_unit_id,
    }
    cases = cases.filter(**{field: value for field, value in exact.items() if value})
    if filters.township is not None:
        cases = cases.filter(Q(region=filters.township) | Q(region__township=filters.township))
    if filters.received_from is not None:
        cases = cases.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to is not None:
        cases = cases.filter(received_at__lt=_day_start(filters.received_to + dt.timedelta(days=1)))
    return cases


def with_due_flag(cases: QuerySet[Case], *, now: dt.datetime) -> QuerySet[Case]:
    """Each case with `due_flag`: "overdue", "due_soon" or "" (its result deadline)."""
    return cases.annotate(
        due_flag=SqlCase(
            When(overdue_condition(now), then=Value("overdue")),
            When(due_soon_condition(now), then=Value("due_soon")),
            default=Value(""),
            output_field=CharField(),
        )
    )


def workbench_cases(
    *, viewer: Viewer, queue: str, filters: CaseFilter, now: dt.datetime
) -> QuerySet[Case]:
    """The cases of one queue, filtered, sorted, with what each row shows."""
    cases = cases_filtered(cases=cases_visible_to(viewer.user), filters=filters)
    cases = cases.filter(queue_condition(viewer=viewer, queue=queue, now=now))
    ordering = ORDERINGS.get(filters.sort, ORDERINGS[Sort.RECEIVED_NEWEST])
    return with_due_flag(cases, now=now).select_related(*LIST_RELATED).order_by(*ordering)


def case_find_by_number(*, user: User, number: str) -> Case | None:
    """A case in the viewer's scope by its exact number, or None."""
    number = (number or "").strip()
    if not number or validators.text_problem(number) is not None:
        return None  # no number holds a control character (nor may one reach the database)
    return cases_visible_to(user).filter(number=number).first()


def attachment_get_for(user: User, attachment_id: int) -> Attachment:
    """An attachment of a case the viewer may see, or 404."""
    case_id = Attachment.objects.filter(pk=attachment_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = case_get_for(user, case_id)
    return Attachment.objects.get(pk=attachment_id, case=case)


# The supervisor's view -------------------------------------------------------------------------


def can_supervise(user: User) -> bool:
    """County leaders, the administrator, dispatchers and the supervising unit's staff."""
    if not user.is_authenticated:
        return False
    if user.role in COUNTY_WIDE_ROLES:
        return True
    code = getattr(settings, "WENMIN_SUPERVISING_UNIT", "")
    if code and user.unit is not None and user.unit.code == code:
        return user.role in (Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF)
    return is_dispatcher(user)


class SupervisionSort(models.TextChoices):
    DUE = "due", _("Due, most overdue first")
    ESCALATED = "escalated", _("Escalated, latest first")
    RECEIVED = "received", _("Received, oldest first")
    UNIT = "unit", _("Lead unit")


SUPERVISION_ORDERINGS: dict[str, tuple[Any, ...]] = {
    SupervisionSort.DUE: (F("result_due").asc(nulls_last=True), "id"),
    SupervisionSort.ESCALATED: (F("escalated_at").desc(nulls_last=True), "id"),
    SupervisionSort.RECEIVED: ("received_at", "id"),
    SupervisionSort.UNIT: (F("lead_unit__name").asc(nulls_first=True), "result_due", "id"),
}


def _supervised(user: User, now: dt.datetime) -> tuple[QuerySet[Case], Q, Q]:
    overdue = overdue_condition(now)
    escalated = Q(state__in=OPEN_STATES, escalated_at__isnull=False)
    return cases_visible_to(user).filter(overdue | escalated), overdue, escalated


def supervision_cases(
    *, user: User, now: dt.datetime, sort: str = SupervisionSort.DUE, unit_id: int | None = None
) -> QuerySet[Case]:
    """Overdue and escalated open cases in the viewer's scope, optionally of one lead unit."""
    cases, _overdue, _escalated = _supervised(user, now)
    if unit_id is not None:
        cases = cases.filter(lead_unit_id=unit_id)
    ordering = SUPERVISION_ORDERINGS.get(sort, SUPERVISION_ORDERINGS[SupervisionSort.DUE])
    return (
        with_due_flag(cases, now=now)
        .select_related(*LIST_RELATED, "escalated_to")
        .order_by(*ordering)
    )


class UnitSort(models.TextChoices):
    OVERDUE = "overdue", _("Most overdue")
    ESCALATED = "escalated", _("Most escalated")
    TOTAL = "total", _("Most cases")
    NAME = "name", _("Unit name")


UNIT_ORDERINGS: dict[str, tuple[Any, ...]] = {
    UnitSort.OVERDUE: ("-overdue", "-escalated", "lead_unit__name"),
    UnitSort.ESCALATED: ("-escalated", "-overdue", "lead_unit__name"),
    UnitSort.TOTAL: ("-total", "lead_unit__name"),
    UnitSort.NAME: (F("lead_unit__name").asc(nulls_first=True),),
}


def supervision_by_unit(
    *, user: User, now: dt.datetime, order: str = UnitSort.OVERDUE
) -> list[dict[str, Any]]:
    """Overdue and escalated counts per lead unit, in one GROUP BY query."""
    cases, overdue, escalated = _supervised(user, now)
    rows = (
        cases.order_by()
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=overdue),
            escalated=Count("id", filter=escalated),
        )
        .order_by(*UNIT_ORDERINGS.get(order, UNIT_ORDERINGS[UnitSort.OVERDUE]))
    )
    return list(rows)
