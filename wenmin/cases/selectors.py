"""The only door for permission-scoped reads of cases, and who a viewer is to a case."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case
from wenmin.cases.workflow import FINAL_STATES, TRANSITIONS, Actor, State
from wenmin.core import validators
from wenmin.core.models import User
from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.core.sql import in_subquery
from wenmin.organisation.models import (
    Cadre,
    PartyMember,
    Position,
    PositionKind,
    Region,
    Unit,
    UnitKind,
)
from wenmin.organisation.selectors import branch_area

# The roles whose accounts can hold the dispatcher's post: the centre's staff. A county leader
# sees every case but does not dispatch, whatever positions the person holds.
DISPATCHING_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF})


def is_dispatcher(user: User) -> bool:
    """The administrator, or a unit's staff member holding a current dispatcher position."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role not in DISPATCHING_ROLES or not user.person_id:
        return False
    # Asked several times per request (queues, actions, scope): remember it on the user object.
    cached: bool | None = getattr(user, "_wenmin_is_dispatcher", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    answer = Position.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        person_id=user.person_id,
        kind=PositionKind.DISPATCHER,
        start_date__lte=today,
    ).exists()
    user._wenmin_is_dispatcher = answer  # type: ignore[attr-defined]
    return answer


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases in the viewer's scope: all for county-wide roles and dispatchers; a unit's own cases
    (led, co-handled or escalated to it) and, for township staff, the cases in their township;
    a branch secretary's village and branch members; a resident's or volunteer's own reports."""
    cases = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.role in COUNTY_WIDE_ROLES or is_dispatcher(user):
        return cases
    unit = user.unit
    if user.role in (Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF) and unit is not None:
        # Each part an indexed array of ids (in_subquery): ORed joins read every case.
        units = Unit.objects.filter(path__startswith=unit.path).values("id")
        co_handled = Case.co_units.through.objects.filter(unit__path__startswith=unit.path)
        own = (
            in_subquery("lead_unit_id", units)
            | in_subquery("escalated_to_id", units)
            | in_subquery("id", co_handled.values("case_id"))
        )
        if unit.kind == UnitKind.LEADERSHIP_BODY:
            # A leader's office (县委办, 县政府办) follows the cases its leaders coordinate.
            leaders = Cadre.objects.filter(unit=unit).values("person_id")
            own |= in_subquery("coordinator_id", leaders)
        if user.role == Role.TOWNSHIP_STAFF and unit.region.township_id:
            township = Region.objects.filter(township_id=unit.region.township_id)
            own |= in_subquery("region_id", township.values("id"))
        return cases.filter(own)
    if user.role == Role.BRANCH_SECRETARY and unit is not None:
        # The branch's village and its own members' cases; an organ branch has no village.
        area = branch_area(unit)
        members = in_subquery(
            "requester_id", PartyMember.objects.filter(branch=unit).values("person_id")
        )
        if area is None:
            return cases.filter(members)
        village = Region.objects.filter(path__startswith=area.path).values("id")
        return cases.filter(members | in_subquery("region_id", village))
    return cases.filter(own_reports(user))


def own_reports(user: User) -> Q:
    """The cases a resident or volunteer raised: as the requester, or reported for a resident
    (a volunteer's door-to-door visit); staff: as the requester only."""
    mine = Q(requester_id=user.person_id) if user.person_id else Q(pk__in=[])
    if user.role in (Role.RESIDENT, Role.VOLUNTEER):
        mine |= Q(registered_by=user)
    return mine


def case_get_for(user: User, case_id: int | str) -> Case:
    """One case the viewer may see, or 404."""
    try:
        return (
            cases_visible_to(user)
            .select_related(
                "category", "region", "lead_unit", "requester", "escalated_to", "merged_into"
            )
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_actors_for(user: User | None, case: Case) -> frozenset[str]:
    """What the viewer is to this case in the workflow: dispatcher, lead unit, supervisor, callback."""
    if user is None or not user.is_authenticated:
        return frozenset()
    actors: set[str] = set()
    if is_dispatcher(user):
        actors |= {Actor.DISPATCHER, Actor.CALLBACK, Actor.SUPERVISOR}
    if user.role in COUNTY_WIDE_ROLES:
        actors.add(Actor.SUPERVISOR)
    unit = user.unit
    if unit is not None and user.role in (Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF):
        if case.lead_unit_id == unit.pk:
            actors.add(Actor.LEAD_UNIT)
        if case.escalated_to_id == unit.pk:
            actors.add(Actor.SUPERVISOR)
    if user.person_id and case.requester_id == user.person_id:
        actors.add(Actor.CALLBACK)
    return frozenset(actors)


def case_action_refusal(user: User, case: Case, action: str) -> str | None:
    """Why the viewer cannot take this action now, in the order every page and the API answer:
    "state" when the case has moved on (someone acted first), "actor" when it is not theirs."""
    transition = TRANSITIONS[action]
    if case.state not in transition.sources:
        return "state"
    if not transition.actors & case_actors_for(user, case):
        return "actor"
    return None


def case_by_tracking_code(code: str) -> Case:
    """A case by its public tracking code (for the resident portal), or 404."""
    if validators.text_problem(code or "") is not None:
        raise Http404  # no code holds a control character (nor may one reach the database)
    try:
        return Case.objects.select_related("category", "region").get(
            tracking_code=(code or "").strip().upper()
        )
    except Case.DoesNotExist:
        raise Http404 from None


def case_stats() -> dict[str, Any]:
    """Counts of cases: total, open, closed (any final state), by kind and by state, every key
    present (for `wenmin stats`; not permission-scoped)."""
    by_state = dict.fromkeys(State.values, 0)
    for state, count in Case.objects.order_by().values_list("state").annotate(n=Count("id")):
        by_state[state] = count
    by_kind = dict.fromkeys(Kind.values, 0)
    for kind, count in Case.objects.order_by().values_list("kind").annotate(n=Count("id")):
        by_kind[kind] = count
    total = sum(by_state.values())
    closed = sum(by_state[state] for state in FINAL_STATES)
    return {
        "total": total,
        "open": total - closed,
        "closed": closed,
        "by_kind": by_kind,
        "by_state": by_state,
    }
