"""The only door for permission-scoped reads of groups and their messages.

Who sees a group: the cadre who runs it, the township staff of the township it lies in, and the
administrator. Everyone else gets a 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from wenmin.cases.workflow import State
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.groups.models import GroupImport, GroupMessage
from wenmin.organisation.models import Unit, UnitKind

GROUP_KINDS = (UnitKind.WORK_GROUP, UnitKind.SENTIMENT_GROUP)


class Show:
    """The message lists of a group page (each figure links to one of them)."""

    REQUESTS = "requests"
    ALL = "all"
    CASES = "cases"
    VALUES = (REQUESTS, ALL, CASES)


def groups_visible_to(user: User) -> QuerySet[Unit]:
    """The registered groups the viewer may open."""
    groups = Unit.objects.filter(kind__in=GROUP_KINDS)
    if not user.is_authenticated or not user.is_active:
        return groups.none()
    if user.role == Role.ADMINISTRATOR:
        return groups
    mine = Q(group_profile__cadre_id=user.person_id) if user.person_id else Q(pk__in=[])
    unit = user.unit
    if user.role == Role.TOWNSHIP_STAFF and unit is not None and unit.region.township_id:
        mine |= Q(region__township_id=unit.region.township_id)
    return groups.filter(mine)


# The roles that run or oversee groups: a village's 民情微群 is run by its branch secretary.
GROUP_ROLES = frozenset({Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY})


def can_open_groups(user: Any) -> bool:
    """For the menu and the pages (no query): the roles that run or oversee groups; the list then
    holds only the groups in the viewer's scope."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in GROUP_ROLES


def groups_listed(user: User, *, search: str = "", kind: str = "") -> QuerySet[Unit]:
    """The viewer's groups with their figures, in one query; by name and kind when asked."""
    groups = groups_visible_to(user)
    if search:
        groups = groups.filter(name__icontains=search)
    if kind in GROUP_KINDS:
        groups = groups.filter(kind=kind)
    return (
        groups.select_related("region", "group_profile__cadre")
        .annotate(
            messages=Count("group_messages"),
            marked=Count("group_messages", filter=Q(group_messages__looks_like_request=True)),
            cases=Count("group_messages__case", distinct=True),
        )
        .order_by("-messages", "code")
    )


def group_get_for(user: User, group_id: int | str) -> Unit:
    """One group the viewer may open, or 404."""
    try:
        return (
            groups_visible_to(user)
            .select_related("region", "group_profile__cadre", "group_profile__region")
            .get(pk=group_id)
        )
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class GroupFigures:
    messages: int
    marked: int
    cases: int
    imports: int
    outcomes: list[tuple[str, str, int]]  # (state, its label, cases)


def group_figures(*, group: Unit) -> GroupFigures:
    """What the group's conversation brought: messages, marked requests, cases and outcomes."""
    messages = GroupMessage.objects.filter(group=group)
    totals = messages.aggregate(
        messages=Count("id"),
        marked=Count("id", filter=Q(looks_like_request=True)),
        cases=Count("case", distinct=True),
    )
    by_state = dict(
        messages.filter(case__isnull=False)
        .values_list("case__state")
        .annotate(n=Count("case", distinct=True))
        .values_list("case__state", "n")
    )
    outcomes = [
        (value, str(label), by_state[value]) for value, label in State.choices if value in by_state
    ]
    return GroupFigures(
        messages=totals["messages"],
        marked=totals["marked"],
        cases=totals["cases"],
        imports=GroupImport.objects.filter(group=group).count(),
        outcomes=outcomes,
    )


def group_messages(
    *, group: Unit, show: str = Show.REQUESTS, state: str = "", imported: int | None = None
) -> QuerySet[GroupMessage]:
    """One of the group's message lists, newest first."""
    messages = GroupMessage.objects.filter(group=group).select_related("case")
    if imported is not None:
        messages = messages.filter(imported_id=imported)
    if show == Show.REQUESTS:
        messages = messages.filter(looks_like_request=True)
    elif show == Show.CASES:
        messages = messages.filter(case__isnull=False)
        if state:
            messages = messages.filter(case__state=state)
    return messages.order_by("-sent_at", "-id")


def group_imports(*, group: Unit) -> QuerySet[GroupImport]:
    """The group's imports, newest first, with who brought each in."""
    return GroupImport.objects.filter(group=group).select_related("uploaded_by")


def groups_stats() -> dict[str, Any]:
    """The figures for `wenmin stats --json`."""
    messages = GroupMessage.objects.aggregate(
        messages=Count("id"),
        marked=Count("id", filter=Q(looks_like_request=True)),
        cases=Count("case", distinct=True),
    )
    return {
        "groups": {
            "groups": Unit.objects.filter(kind__in=GROUP_KINDS).count(),
            "imports": GroupImport.objects.count(),
            "messages": messages["messages"],
            "marked_requests": messages["marked"],
            "cases": messages["cases"],
        }
    }
