"""A matter a party branch decided at its meeting becomes a project proposal (the branch-life
app's "matter outcomes" registry; branchlife never imports projects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from wenmin.organisation.models import Unit, UnitKind
from wenmin.projects.models import Category, OriginKind
from wenmin.projects.services import project_propose


def _owner(branch: Unit) -> Unit:
    """The township government over the branch's village (who would carry the works out), else
    the branch itself."""
    township = branch.region.township if branch.region.township_id else None
    if township is not None:
        government = (
            Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT, region=township)
            .order_by("code")
            .first()
        )
        if government is not None:
            return government
    return branch


def project_from_meeting(meeting: Any, actor: Any, title: str, text: str) -> int:
    """A planned project for the matter: the branch's village, its township's government as owner,
    no budget yet and a year from the meeting as its plan, until the county sets them."""
    branch = meeting.branch
    project = project_propose(
        actor=actor,
        name=title,
        category=Category.VILLAGE,
        region=branch.region,
        owner=_owner(branch),
        budget=0,
        planned_start=meeting.held_on,
        planned_finish=meeting.held_on + dt.timedelta(days=365),
        origin_kind=OriginKind.BRANCH_MEETING,
        origin_id=meeting.pk,
        origin_label=f"{branch.name} {meeting.held_on:%Y-%m-%d} {meeting.type.name}"[:200],
        description=text,
        internal_note=_(
            "Proposed by a branch meeting: the budget and the planned dates are still to be set."
        ),
    )
    return int(project.pk)


def project_url(project_id: int) -> str:
    return reverse("projects:detail", args=[project_id])
