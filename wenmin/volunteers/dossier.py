"""A cadre's volunteering, for their front-line dossier (wenmin.core.dossier): the activities
they signed up for in the period, those they took part in, and the hours their organisers
confirmed (谁组织谁记录).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.core import dossier
from wenmin.volunteers import access, rules
from wenmin.volunteers.models import Participation
from wenmin.volunteers.selectors import teams_visible_to


def dossier_section_register() -> None:
    dossier.section_register("volunteers", gettext_lazy("Volunteering"), 40, volunteer_section)


def volunteer_section(*, person: Any, start: dt.date, end: dt.date, viewer: Any) -> dossier.Section:
    """The person's participations in activities that began in start…end, of the teams the
    viewer reads (one query)."""
    first, after = dossier.moments(start, end)
    participations = (
        Participation.objects.filter(
            profile__volunteer__person=person,
            activity__starts_at__gte=first,
            activity__starts_at__lt=after,
            activity__team__in=teams_visible_to(viewer).values("id"),
        )
        .select_related("activity__team__unit", "activity__team__branch")
        .order_by("-activity__starts_at", "-id")
    )
    rows = []
    hours = Decimal(0)
    for p in participations:
        activity = p.activity
        tags = ["activities"]
        parts = [activity.team.unit.name, activity.place]
        if p.checked_in_at is not None or p.confirmed_at is not None:
            tags.append("took_part")
        if p.confirmed_at is not None and p.hours is not None:
            tags.append("hours")
            hours += p.hours
            parts.append(_("%(hours)s h confirmed") % {"hours": p.hours})
        else:
            parts.append(_("no hours confirmed"))
        url = (
            reverse("volunteers:activity_manage", args=[activity.pk])
            if access.may_organise(viewer, activity.team)
            else reverse("volunteers:team", args=[activity.team_id])
        )
        rows.append(
            dossier.Row(
                label=activity.title,
                day=timezone.localdate(activity.starts_at),
                detail=" · ".join(parts),
                url=url,
                figures=tuple(tags),
            )
        )
    return dossier.Section(
        title=gettext_lazy("Volunteering"),
        figures=[
            dossier.Figure(
                "activities",
                gettext_lazy("activities signed up for"),
                sum(1 for r in rows if "activities" in r.figures),
            ),
            dossier.Figure(
                "took_part",
                gettext_lazy("activities taken part in"),
                sum(1 for r in rows if "took_part" in r.figures),
            ),
            dossier.Figure(
                "hours",
                gettext_lazy("hours confirmed"),
                hours.quantize(rules.HOURS_STEP),
                unit=gettext_lazy("h"),
            ),
        ],
        rows=rows,
        empty=gettext_lazy("No volunteer activity in the period."),
        note=gettext_lazy(
            "Activities that began in the period; hours count once their organiser confirmed them."
        ),
    )
