"""The organisation department's field inspections (一线考察) of a cadre, as a section of their
front-line dossier (wenmin.core.dossier)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from wenmin.core import dossier
from wenmin.frontline.models import FieldInspection, Rating
from wenmin.frontline.selectors import inspections_visible_to

KEY = "inspections"


def dossier_section_register() -> None:
    dossier.section_register(KEY, gettext_lazy("Field inspections"), 60, inspections_section)


def inspection_place(inspection: FieldInspection) -> str:
    """Where an inspection was made: the project, its place, or both."""
    parts = [str(x) for x in (inspection.project, inspection.region) if x is not None]
    return " · ".join(parts)


def inspections_section(
    *, person: Any, start: dt.date, end: dt.date, viewer: Any
) -> dossier.Section:
    """The inspections of the person made in start…end (one query)."""
    found = inspections_visible_to(viewer).filter(cadre=person, inspected_on__range=(start, end))
    rows = [
        dossier.Row(
            label=inspection_place(i),
            day=i.inspected_on,
            detail=" · ".join(
                [
                    str(Rating(i.rating).label),
                    Truncator(i.observed).chars(80),
                    i.inspector_name,
                ]
            ),
            url=reverse("frontline:inspection", args=[i.pk]),
            figures=(KEY, i.rating),
        )
        for i in found
    ]
    figures = [dossier.Figure(KEY, gettext_lazy("inspections"), len(rows))]
    figures += [
        dossier.Figure(value, label, sum(1 for row in rows if value in row.figures))
        for value, label in Rating.choices
    ]
    return dossier.Section(
        title=gettext_lazy("Field inspections"),
        figures=figures,
        rows=rows,
        empty=gettext_lazy("No field inspection of this cadre in the period."),
        note=gettext_lazy(
            "The organisation department's visits to see the cadre at work at the front line."
        ),
    )
