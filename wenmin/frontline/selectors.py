"""The only door for reads of the front line that need permission: a cadre's dossier, a unit's
report, the inspections; and the posts a cadre held."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.frontline import access
from wenmin.frontline.models import FieldInspection
from wenmin.organisation.models import Person, Position, Region, Unit
from wenmin.scoreboard import selectors as scoreboard

EARLIEST_YEAR = 2000


def cadre_get_for(*, user: User, person_id: object) -> tuple[Person, Region]:
    """A cadre whose dossier the viewer may open, and their county: 403 unless the organisation
    department, 404 unless a cadre of a county the viewer sees."""
    subject = scoreboard.cadre_get_for(user=user, person_id=person_id)
    return cast(Person, subject.obj), subject.county


def unit_get_for(*, user: User, unit_id: object) -> tuple[Unit, Region]:
    """A unit of one of the viewer's counties, and that county (403 for all but the organisation
    department)."""
    if not access.org_department(user):
        raise PermissionDenied
    unit = Unit.objects.select_related("region").filter(pk=id_or_404(unit_id)).first()
    if unit is None:
        raise Http404
    for county in scoreboard.counties_visible_to(user):
        if unit.region.path.startswith(county.path):
            return unit, county
    raise Http404


def inspections_visible_to(user: User) -> QuerySet[FieldInspection]:
    """The organisation department reads the inspections of its counties' cadres; nobody else."""
    rows = FieldInspection.objects.select_related("cadre__cadre__unit", "region", "project")
    if not access.org_department(user):
        return rows.none()
    paths = Q(pk__in=[])
    for county in scoreboard.counties_visible_to(user):
        paths |= Q(cadre__cadre__unit__region__path__startswith=county.path)
    return rows.filter(paths)


def inspection_get_for(*, user: User, inspection_id: object) -> FieldInspection:
    if not access.org_department(user):
        raise PermissionDenied
    found = inspections_visible_to(user).filter(pk=id_or_404(inspection_id)).first()
    if found is None:
        raise Http404
    return found


def county_cadres(county: Region) -> QuerySet[Person]:
    """The cadres of a county's units."""
    return Person.objects.filter(cadre__unit__region__path__startswith=county.path)


def unit_cadres(unit: Unit) -> list[Person]:
    return list(
        Person.objects.filter(cadre__unit=unit)
        .select_related("cadre__unit")
        .defer("phone", "id_number")
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class Post:
    """A post a cadre held and when: a Position, or their current cadre post."""

    title: str
    where: str
    start: dt.date | None
    end: dt.date | None
    current: bool


def posts_of(person: Person) -> list[Post]:
    """The cadre's current post (unit and position, no dates kept) and every post they held,
    latest first (one query)."""
    posts: list[Post] = []
    cadre = getattr(person, "cadre", None)
    if cadre is not None:
        posts.append(
            Post(
                title=f"{cadre.position} ({cadre.get_rank_display()})",
                where=cadre.unit.name,
                start=None,
                end=None,
                current=True,
            )
        )
    today = timezone.localdate()
    held = (
        Position.objects.filter(person=person)
        .select_related("unit", "region")
        .order_by("-start_date", "-pk")
    )
    for p in held:
        where = [x for x in (p.unit.name if p.unit else "", p.region.name if p.region else "") if x]
        if p.subject:
            where.append(p.subject)
        posts.append(
            Post(
                title=str(p.get_kind_display()),
                where=" · ".join(where),
                start=p.start_date,
                end=p.end_date,
                current=p.start_date <= today and (p.end_date is None or p.end_date >= today),
            )
        )
    return posts


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
