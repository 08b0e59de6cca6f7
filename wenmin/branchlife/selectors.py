"""The only door for reads of branch meetings that need permission."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from wenmin.branchlife import access
from wenmin.branchlife.models import (
    Attendance,
    AwayPeriod,
    LeaveRequest,
    LeaveState,
    Meeting,
    MeetingType,
    MonthlyTheme,
)
from wenmin.core import validators
from wenmin.organisation.models import PartyMember, Unit, UnitKind


def _id(value: Any) -> int:
    try:
        return validators.check_id(value)
    except Exception as error:
        raise Http404 from error


def branches_visible_to(user: Any) -> QuerySet[Unit]:
    """The party branches in the viewer's scope: all for the county, a township's, one's own."""
    branches = Unit.objects.filter(kind=UnitKind.PARTY_BRANCH)
    if access.county_wide(user):
        return branches
    path = access.township_path(user)
    if path is not None:
        return branches.filter(region__path__startswith=path)
    own = access.secretary_branch_id(user)
    if own is not None:
        return branches.filter(pk=own)
    return branches.none()


def branch_get_for(user: Any, branch_id: Any) -> Unit:
    """A branch the viewer reads (its secretary, its township, the county), else 404."""
    branch = (
        Unit.objects.filter(kind=UnitKind.PARTY_BRANCH, pk=_id(branch_id))
        .select_related("region", "parent")
        .first()
    )
    if branch is None or not access.reads_branch(user, branch):
        raise Http404
    return branch


def member_of(user: Any) -> PartyMember | None:
    """The viewer's own party membership, with its branch."""
    if not access.signed_in(user) or not getattr(user, "person_id", None):
        return None
    return (
        PartyMember.objects.filter(person_id=user.person_id)
        .select_related("branch__region", "person")
        .first()
    )


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(branch__in=branches_visible_to(user).values("id"))


def meeting_get_for(user: Any, meeting_id: Any) -> Meeting:
    """A meeting the viewer reads: staff of its scope, or a member of its branch."""
    meeting = (
        Meeting.objects.select_related("branch__region", "type", "theme")
        .filter(pk=_id(meeting_id))
        .first()
    )
    if meeting is None:
        raise Http404
    if access.reads_branch(user, meeting.branch):
        return meeting
    member = member_of(user)
    if member is not None and member.branch_id == meeting.branch_id:
        return meeting
    raise Http404


def meeting_keep_for(user: Any, meeting_id: Any) -> Meeting:
    """A meeting the viewer keeps (its branch's secretary), else 404 or 403."""
    meeting = meeting_get_for(user, meeting_id)
    if not access.keeps(user, meeting.branch):
        raise PermissionDenied
    return meeting


def types_all() -> QuerySet[MeetingType]:
    return MeetingType.objects.all()


def types_required() -> list[MeetingType]:
    return list(MeetingType.objects.filter(required=True))


def theme_for_month(month: Any) -> MonthlyTheme | None:
    return MonthlyTheme.objects.filter(month=month.replace(day=1)).first()


def branch_members(branch: Unit) -> QuerySet[PartyMember]:
    return PartyMember.objects.filter(branch=branch).select_related("person").order_by("id")


def meeting_attendance(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("member__person").order_by("member_id")


def leave_pending(meeting: Meeting) -> QuerySet[LeaveRequest]:
    return meeting.leave_requests.filter(state=LeaveState.PENDING).select_related("member__person")


def my_attendance(member: PartyMember) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(member=member)
        .select_related("meeting__type")
        .order_by("-meeting__held_on", "-meeting_id")
    )


def my_leave(member: PartyMember) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(member=member)
        .select_related("meeting__type")
        .order_by("-requested_at")
    )


def my_meetings_count(user: Any) -> int:
    """The viewer's expected meetings, for the resident's own page."""
    member = member_of(user)
    if member is None:
        return 0
    return Attendance.objects.filter(member=member).count()


# The register of members working away (流动党员) ----------------------------------------------


def away_now(*, branches: QuerySet[Unit], today: dt.date) -> QuerySet[AwayPeriod]:
    """The open periods away of the branches' members, by township, branch and date."""
    return (
        AwayPeriod.objects.filter(
            member__branch__in=branches.values("id"),
            returned_on__isnull=True,
            left_on__lte=today,
        )
        .select_related("member__person", "member__branch__region__township")
        .order_by("member__branch__region__path", "member__branch_id", "left_on", "id")
    )


def away_counts(*, branches: QuerySet[Unit], today: dt.date) -> list[dict[str, Any]]:
    """Per branch with anyone away: its id, name, township and how many are away, most first."""
    return list(
        away_now(branches=branches, today=today)
        .order_by()
        .values(
            "member__branch_id", "member__branch__name", "member__branch__region__township__name"
        )
        .annotate(n=Count("id"))
        .order_by("-n", "member__branch__name")
    )


def away_history(*, branch: Unit) -> QuerySet[AwayPeriod]:
    """Every period away of a branch's members, the latest first."""
    return (
        AwayPeriod.objects.filter(member__branch=branch)
        .select_related("member__person", "member__branch__region__township")
        .order_by("-left_on", "-id")
    )


def away_member_ids(*, branch_id: int, day: dt.date) -> set[int]:
    """The branch's members away on a day (the meeting's attendance marks them)."""
    return set(
        AwayPeriod.objects.filter(member__branch_id=branch_id, left_on__lte=day)
        .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=day))
        .values_list("member_id", flat=True)
    )


def away_current(*, member: PartyMember, today: dt.date) -> AwayPeriod | None:
    """A member's period away now, if any (their own page shows it)."""
    return (
        AwayPeriod.objects.filter(member=member, returned_on__isnull=True, left_on__lte=today)
        .order_by("-left_on")
        .first()
    )


def away_period_keep_for(user: Any, period_id: Any) -> AwayPeriod:
    """A period away the viewer keeps (its member's branch secretary), else 404 or 403."""
    period = (
        AwayPeriod.objects.select_related("member__branch__region", "member__person")
        .filter(pk=_id(period_id))
        .first()
    )
    if period is None or not access.reads_branch(user, period.member.branch):
        raise Http404
    if not access.keeps(user, period.member.branch):
        raise PermissionDenied
    return period
