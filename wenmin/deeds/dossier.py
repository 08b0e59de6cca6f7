"""A cadre's practical deeds (实事好事), for their front-line dossier (wenmin.core.dossier): the
deeds they did in the period and whether the village or the resident confirmed them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from wenmin.core import dossier
from wenmin.deeds.models import DeedState
from wenmin.deeds.selectors import deeds_visible_to


def dossier_section_register() -> None:
    dossier.section_register("deeds", gettext_lazy("Practical deeds"), 50, deeds_section)


def deeds_section(*, person: Any, start: dt.date, end: dt.date, viewer: Any) -> dossier.Section:
    """The deeds the person did in start…end that the viewer reads (one query)."""
    deeds = (
        deeds_visible_to(viewer)
        .filter(person=person, done_on__range=(start, end))
        .select_related("village")
        .order_by("-done_on", "-id")
    )
    rows = []
    for deed in deeds:
        confirmed = deed.state == DeedState.CONFIRMED
        rows.append(
            dossier.Row(
                label=deed.title,
                day=deed.done_on,
                detail=f"{deed.village.name} · {DeedState(deed.state).label}",
                url=reverse("deeds:detail", args=[deed.pk]),
                figures=("deeds", "confirmed") if confirmed else ("deeds",),
            )
        )
    return dossier.Section(
        title=gettext_lazy("Practical deeds"),
        figures=[
            dossier.Figure("deeds", gettext_lazy("deeds done"), len(rows)),
            dossier.Figure(
                "confirmed",
                gettext_lazy("confirmed by the village or the resident"),
                sum(1 for row in rows if "confirmed" in row.figures),
            ),
        ],
        rows=rows,
        empty=gettext_lazy("No practical deed recorded for this cadre in the period."),
    )
