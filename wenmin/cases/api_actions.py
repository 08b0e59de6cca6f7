"""One POST per workflow step, each calling the one service of that step.

Like the case page: 404 for a case outside the viewer's scope, 409 when the case is no longer in
a state for the step, 403 when the viewer is not who takes it, 400 for bad input; each answers
the case as it is after the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from wenmin.cases import services
from wenmin.cases.api import WRITE, act_check, case_detail, case_for, category_by_code
from wenmin.cases.forms_staff import OFFICE_CLOSING, county_leaders, handling_units
from wenmin.cases.models import Case
from wenmin.cases.queues import case_find_by_number
from wenmin.cases.schemas import (
    CallbackIn,
    CaseAnswer,
    ClassifyIn,
    DispatchIn,
    MergeIn,
    NoteIn,
    PlanIn,
    RejectIn,
    ReplyIn,
    ReturnIn,
    SignForIn,
    SuperviseIn,
)
from wenmin.cases.workflow import Action
from wenmin.core.api_support import errors, invalid, viewer
from wenmin.core.models import User
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import Person, Unit

router = Router(tags=["case workflow"])
ANSWERS = {200: CaseAnswer, **errors(400, 401, 403, 404, 409)}


def _start(request: HttpRequest, number: str, action: str) -> tuple[User, Case]:
    user = viewer(request)
    case = case_for(user, number)
    act_check(user, case, action)
    return user, case


def _done(user: User, case: Case) -> dict[str, Any]:
    return case_detail(user, case)


def _units(codes: Sequence[str], field: str) -> list[Unit]:
    wanted = list(dict.fromkeys(codes))
    found = {unit.code: unit for unit in handling_units().filter(code__in=wanted)}
    if missing := [code for code in wanted if code not in found]:
        raise invalid(
            field,
            _("No handling unit has the code %(codes)s.") % {"codes": ", ".join(missing)},
        )
    return [found[code] for code in wanted]


@router.post("/{number}/classify", response=ANSWERS, auth=WRITE, summary="Analyse: classify")
def case_classify(request: HttpRequest, number: str, payload: ClassifyIn) -> dict[str, Any]:
    """Set kind, category and urgency (the result deadline follows). Dispatcher."""
    user, case = _start(request, number, Action.CLASSIFY)
    category = category_by_code(payload.category)
    case = services.case_classify(
        case=case,
        actor=user,
        kind=payload.kind,
        category=category,
        urgency=payload.urgency,
        note=payload.note,
    )
    return _done(user, case)


@router.post("/{number}/merge", response=ANSWERS, auth=WRITE, summary="Analyse: merge")
def case_merge(request: HttpRequest, number: str, payload: MergeIn) -> dict[str, Any]:
    """Merge a duplicate into its primary case (by number, in your scope). Dispatcher."""
    user, case = _start(request, number, Action.MERGE)
    primary = case_find_by_number(user=user, number=payload.primary)
    if primary is None:
        raise invalid("primary", _("No case with this number in your scope."))
    return _done(
        user, services.case_merge(case=case, actor=user, primary=primary, note=payload.note)
    )


@router.post("/{number}/reject", response=ANSWERS, auth=WRITE, summary="Analyse: reject")
def case_reject(request: HttpRequest, number: str, payload: RejectIn) -> dict[str, Any]:
    """Refuse a case with a reason and an explanation for the requester. Dispatcher."""
    user, case = _start(request, number, Action.REJECT)
    return _done(
        user,
        services.case_reject(case=case, actor=user, reason=payload.reason, note=payload.note),
    )


@router.post("/{number}/dispatch", response=ANSWERS, auth=WRITE, summary="Analyse: dispatch")
def case_dispatch(request: HttpRequest, number: str, payload: DispatchIn) -> dict[str, Any]:
    """Send the case to a lead unit (and co-handling units), by their codes. Dispatcher."""
    user, case = _start(request, number, Action.DISPATCH)
    unit = _units([payload.unit], "unit")[0]
    co_units = _units(payload.co_units, "co_units")
    case = services.case_dispatch(
        case=case, actor=user, unit=unit, co_units=co_units, note=payload.note
    )
    return _done(user, case)


@router.post("/{number}/sign-for", response=ANSWERS, auth=WRITE, summary="Analyse: sign for")
def case_sign_for(request: HttpRequest, number: str, payload: SignForIn) -> dict[str, Any]:
    """Accept a dispatched case. Lead unit."""
    user, case = _start(request, number, Action.SIGN_FOR)
    return _done(user, services.case_sign_for(case=case, actor=user, note=payload.note))


@router.post("/{number}/return", response=ANSWERS, auth=WRITE, summary="Analyse: return")
def case_return(request: HttpRequest, number: str, payload: ReturnIn) -> dict[str, Any]:
    """Send the case back to the dispatcher with a reason. Lead unit."""
    user, case = _start(request, number, Action.RETURN)
    return _done(user, services.case_return(case=case, actor=user, reason=payload.reason))


@router.post("/{number}/plan", response=ANSWERS, auth=WRITE, summary="Plan: record the solution")
def case_plan(request: HttpRequest, number: str, payload: PlanIn) -> dict[str, Any]:
    """The intended solution, the unit's own due day, co-handling units, a coordinating county
    leader (a person id). Lead unit."""
    user, case = _start(request, number, Action.PLAN)
    coordinator: Person | None = None
    if payload.coordinator is not None:
        coordinator = county_leaders().filter(pk=payload.coordinator).first()
        if coordinator is None:
            raise invalid("coordinator", _("Not a county leader."))
    due = payload.planned_due
    case = services.case_plan(
        case=case,
        actor=user,
        plan=payload.plan,
        # A due day means the close of office that day, county time (as on the case page).
        planned_due=dt.datetime.combine(due, OFFICE_CLOSING, tzinfo=SHANGHAI) if due else None,
        co_units=_units(payload.co_units, "co_units"),
        coordinator=coordinator,
    )
    return _done(user, case)


@router.post("/{number}/notes", response=ANSWERS, auth=WRITE, summary="Supervise: progress note")
def case_notes(request: HttpRequest, number: str, payload: NoteIn) -> dict[str, Any]:
    """A progress note (photos: POST …/attachments). Lead unit or supervisor."""
    user, case = _start(request, number, Action.NOTE)
    return _done(user, services.case_note(case=case, actor=user, note=payload.note))


@router.post(
    "/{number}/supervise", response=ANSWERS, auth=WRITE, summary="Supervise: supervision order"
)
def case_supervise(request: HttpRequest, number: str, payload: SuperviseIn) -> dict[str, Any]:
    """A supervision order (督办) with a new deadline, which has a time zone. Supervisor."""
    user, case = _start(request, number, Action.SUPERVISE)
    if payload.new_due.tzinfo is None:
        raise invalid("new_due", _("Give the time zone, e.g. +08:00."))
    case = services.case_supervise(
        case=case, actor=user, new_due=payload.new_due, note=payload.note
    )
    return _done(user, case)


@router.post("/{number}/reply", response=ANSWERS, auth=WRITE, summary="Feed back: reply")
def case_reply(request: HttpRequest, number: str, payload: ReplyIn) -> dict[str, Any]:
    """The unit's answer to the requester; a callback is due next. Lead unit."""
    user, case = _start(request, number, Action.REPLY)
    return _done(user, services.case_reply(case=case, actor=user, reply=payload.reply))


@router.post("/{number}/callback", response=ANSWERS, auth=WRITE, summary="Feed back: callback")
def case_callback(request: HttpRequest, number: str, payload: CallbackIn) -> dict[str, Any]:
    """Resolved and satisfied (3–5) closes the case; otherwise it goes back for rework.
    Callback staff, or the requester herself."""
    user, case = _start(request, number, Action.CALLBACK_RESOLVED)
    case = services.case_callback(
        case=case,
        actor=user,
        resolved=payload.resolved,
        satisfaction=payload.satisfaction,
        note=payload.note,
    )
    return _done(user, case)
