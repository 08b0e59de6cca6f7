"""A cadre's branch meetings, for their front-line dossier (wenmin.core.dossier): the meetings
their branches held while they were its secretary, and those they attended, took leave from or
missed as a member.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.branchlife.models import HELD_STATES, Attendance, AttendanceStatus, Meeting
from wenmin.branchlife.selectors import branches_visible_to
from wenmin.core import dossier
from wenmin.organisation.models import Position, PositionKind

_LABELS = {
    "held": gettext_lazy("held as branch secretary"),
    "attended": gettext_lazy("attended (in the room or online)"),
    "leave": gettext_lazy("on leave"),
    "missed": gettext_lazy("missed"),
}
_STATUS_TAG = {
    AttendanceStatus.PRESENT: "attended",
    AttendanceStatus.ONLINE: "attended",
    AttendanceStatus.LEAVE: "leave",
    AttendanceStatus.ABSENT: "missed",
}


def dossier_section_register() -> None:
    dossier.section_register("branchlife", gettext_lazy("Branch meetings"), 30, branch_section)


def _held_as_secretary(person: Any, start: dt.date, end: dt.date) -> Q | None:
    """The meetings of the branches the person kept as secretary, within each post's days."""
    posts = Position.objects.filter(
        person=person, kind=PositionKind.BRANCH_SECRETARY, unit__isnull=False, start_date__lte=end
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    condition: Q | None = None
    for unit_id, began, ended in posts.values_list("unit_id", "start_date", "end_date"):
        part = Q(
            branch_id=unit_id, held_on__gte=max(began, start), held_on__lte=min(ended or end, end)
        )
        condition = part if condition is None else condition | part
    return condition


def branch_section(*, person: Any, start: dt.date, end: dt.date, viewer: Any) -> dossier.Section:
    """The meetings held in start…end that the person kept or was expected at, in the branches
    the viewer reads (three queries)."""
    branches = branches_visible_to(viewer).values("id")
    tags: dict[int, list[str]] = {}
    meetings: dict[int, Meeting] = {}
    kept = _held_as_secretary(person, start, end)
    if kept is not None:
        held = (
            Meeting.objects.filter(kept, state__in=HELD_STATES, branch__in=branches)
            .select_related("type", "branch")
            .order_by()
        )
        for meeting in held:
            meetings[meeting.pk] = meeting
            tags.setdefault(meeting.pk, []).append("held")
    attended = (
        Attendance.objects.filter(
            member__person=person,
            meeting__state__in=HELD_STATES,
            meeting__held_on__range=(start, end),
            meeting__branch__in=branches,
        )
        .select_related("meeting__type", "meeting__branch")
        .order_by()
    )
    for row in attended:
        meetings.setdefault(row.meeting_id, row.meeting)
        tags.setdefault(row.meeting_id, []).append(_STATUS_TAG[AttendanceStatus(row.status)])
    rows = []
    for pk, meeting in sorted(meetings.items(), key=lambda m: (m[1].held_on, m[0]), reverse=True):
        mine = tags[pk]
        words = [str(_LABELS[tag]) for tag in mine]
        detail = " · ".join(
            [*words, _("%(n)s of %(m)s attended") % {"n": meeting.attended, "m": meeting.expected}]
        )
        rows.append(
            dossier.Row(
                label=f"{meeting.branch.name} · {meeting.type.name}",
                day=meeting.held_on,
                detail=detail,
                url=reverse("branchlife:meeting", args=[pk]),
                figures=tuple(mine),
            )
        )
    return dossier.Section(
        title=gettext_lazy("Branch meetings"),
        figures=[
            dossier.Figure(key, label, sum(1 for row in rows if key in row.figures))
            for key, label in _LABELS.items()
        ],
        rows=rows,
        empty=gettext_lazy("No branch meeting held or expected at in the period."),
        note=gettext_lazy(
            "Meetings their branch held while they were its secretary, and the meetings they were "
            "expected at as a party member."
        ),
    )
