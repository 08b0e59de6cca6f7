"""The only door for permission-scoped reads of the scoreboard: who sees which county, subject,
dossier and appeal.

Every staff role sees the rankings of its own county (county-wide roles: any county); the
cadre dossier is for the organisation department (the administrator and county leaders);
a unit's staff see their unit's appeals, reviewers see them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from wenmin.cases.models import Case
from wenmin.cases.selectors import cases_visible_to
from wenmin.core import validators
from wenmin.core.models import User
from wenmin.core.roles import COUNTY_WIDE_ROLES, Role, can_use_staff_pages
from wenmin.organisation.models import Person, Region, RegionLevel, Unit, UnitKind
from wenmin.scoreboard.figures import (
    COUNTY,
    Figure,
    Record,
    Records,
    counted_for,
    figure_of,
    figure_records,
    in_chunks,
    rollup_total,
)
from wenmin.scoreboard.models import Appeal
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import Group
from wenmin.scoreboard.services import can_review_appeals

APPEALING_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF})
DOSSIER_ROLES = frozenset({Role.ADMINISTRATOR, Role.COUNTY_LEADER})


def can_see_rankings(user: User) -> bool:
    """Every staff role sees the rankings of its county."""
    return user.is_authenticated and user.is_active and can_use_staff_pages(user.role)


def can_see_dossiers(user: User) -> bool:
    """The cadre dossier is for the organisation department: the administrator, county leaders."""
    return user.is_authenticated and user.is_active and user.role in DOSSIER_ROLES


def can_appeal(user: User) -> bool:
    """A township's or department's staff appeal for their own unit."""
    return user.is_authenticated and user.role in APPEALING_ROLES and user.unit_id is not None


def counties_visible_to(user: User) -> list[Region]:
    """The counties whose rankings the viewer may open, by code."""
    if not can_see_rankings(user):
        return []
    counties = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
    if user.role in COUNTY_WIDE_ROLES:
        return list(counties)
    unit = user.unit
    if unit is None:
        return []
    # A region's path starts with its county's code (the county is the root of the tree).
    return list(counties.filter(code=unit.region.path.split("/", 1)[0]))


def county_for(*, user: User, county_id: object = None) -> tuple[Region, list[Region]]:
    """The county to show (the asked one, or the viewer's first) and all the viewer may pick."""
    if not can_see_rankings(user):
        raise PermissionDenied
    counties = counties_visible_to(user)
    if not counties:
        raise PermissionDenied
    if county_id in (None, ""):
        return counties[0], counties
    for county in counties:
        if str(county.pk) == str(county_id):
            return county, counties
    raise Http404


@dataclass(frozen=True)
class Subject:
    """What a scorecard is about: a township, a department, a branch or a cadre."""

    group: str
    obj: Model  # the township Region, the department or branch Unit, or the cadre's Person
    unit: Unit | None  # the unit whose cases count (and which can appeal), if any
    county: Region

    @property
    def name(self) -> str:
        return str(self.obj)


def subject_get_for(*, user: User, group: str, pk: object) -> Subject:
    """A scorecard's subject (or, group "county", a county as a whole) in one of the viewer's
    counties, or 404 (403 for non-staff)."""
    counties = counties_visible_to(user)
    if not can_see_rankings(user) or not counties:
        raise PermissionDenied
    if group == COUNTY:
        for county in counties:
            if str(county.pk) == str(pk):
                return Subject(group=group, obj=county, unit=None, county=county)
        raise Http404
    try:
        subject = _subject(group, int(str(pk)))
    except (ValueError, Region.DoesNotExist, Unit.DoesNotExist, Person.DoesNotExist):
        raise Http404 from None
    for county in counties:
        if _subject_path(subject).startswith(county.path):
            return Subject(group=group, obj=subject[0], unit=subject[1], county=county)
    raise Http404


def _subject(group: str, pk: int) -> tuple[Model, Unit | None]:
    if group == Group.TOWNSHIP:
        township = Region.objects.get(pk=pk, level=RegionLevel.TOWNSHIP)
        government = (
            Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT, region=township)
            .select_related("region")
            .order_by("code")
            .first()
        )
        return township, government
    if group == Group.DEPARTMENT:
        unit = Unit.objects.select_related("region").get(pk=pk, kind=UnitKind.DEPARTMENT)
        return unit, unit
    if group == Group.BRANCH:
        branch = Unit.objects.select_related("region").get(
            pk=pk, kind=UnitKind.PARTY_BRANCH, region__level=RegionLevel.VILLAGE
        )
        return branch, None
    if group == Group.CADRE:
        person = Person.objects.select_related("cadre__unit__region").get(
            pk=pk, cadre__isnull=False
        )
        return person, person.cadre.unit
    raise ValueError(group)


def _subject_path(subject: tuple[Model, Unit | None]) -> str:
    obj, unit = subject
    if isinstance(obj, Region):
        return obj.path
    if isinstance(obj, Unit):
        return obj.region.path
    return unit.region.path if unit is not None else ""


@dataclass
class FigureList:
    """A figure's records: all of them counted, those the viewer may see listed."""

    figure: Figure
    records: Records
    visible: list[Record]
    hidden: list[Record]  # outside the viewer's scope: counted, never shown
    rollup: float  # what the daily counts say (equal unless they need a rebuild)

    def total(self, name: str) -> float:
        return self.records.total(name)


def figure_list_for(*, user: User, subject: Subject, key: str, period: Period) -> FigureList:
    """The records behind one of a subject's figures over a period, and which of them the viewer
    may see (`cases_visible_to`); 404 for a figure the subject's group does not have."""
    try:
        figure = figure_of(subject.group, key)
    except KeyError:
        raise Http404 from None
    counted = counted_for(group=subject.group, obj=subject.obj, unit=subject.unit, figure=figure)
    found = figure_records(counted=counted, figure=figure, period=period)
    seen = set(in_chunks(cases_visible_to(user).values_list("pk", flat=True), "pk", found.case_ids))
    visible = [r for r in found.records if r.event.case_id in seen]
    hidden = [r for r in found.records if r.event.case_id not in seen]
    rollup = rollup_total(counted=counted, name=figure.count, period=period)
    return FigureList(figure, found, visible, hidden, rollup)


def cadre_get_for(*, user: User, person_id: object) -> Subject:
    """A cadre whose front-line dossier the viewer may open: 403 unless the organisation
    department, 404 unless a cadre of a county the viewer sees."""
    if not can_see_dossiers(user):
        raise PermissionDenied
    return subject_get_for(user=user, group=Group.CADRE, pk=person_id)


def appeals_visible_to(user: User) -> QuerySet[Appeal]:
    """Reviewers see every appeal; a unit's staff see their unit's; others none."""
    appeals = Appeal.objects.select_related("case", "unit", "submitted_by", "reviewer")
    if can_review_appeals(user):
        return appeals
    if can_appeal(user) and user.unit_id is not None:
        return appeals.filter(unit_id=user.unit_id)
    return appeals.none()


def can_open_appeals(user: User) -> bool:
    """Whether the appeals pages are for the viewer at all."""
    return can_review_appeals(user) or can_appeal(user)


def appeal_get_for(*, user: User, appeal_id: object) -> Appeal:
    """One appeal the viewer may see, or 404 (403 when the appeals are not for them)."""
    if not can_open_appeals(user):
        raise PermissionDenied
    try:
        return appeals_visible_to(user).get(pk=int(str(appeal_id)))
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def appeal_case_for(*, user: User, number: str) -> Case:
    """The case a unit's staff want to appeal, by number, among the cases they see; or 404."""
    if not can_appeal(user):
        raise PermissionDenied
    if validators.text_problem(number or "") is not None:
        raise Http404  # no number holds a control character
    case = (
        cases_visible_to(user)
        .select_related("lead_unit", "region", "category")
        .filter(number=(number or "").strip())
        .first()
    )
    if case is None:
        raise Http404
    return case


def unit_cases_for(*, user: User, unit: Unit, limit: int = 20) -> list[Case]:
    """The latest cases a unit led that the viewer sees (for the scorecard's case links)."""
    return list(
        cases_visible_to(user)
        .filter(lead_unit=unit)
        .select_related("region", "lead_unit")
        .order_by("-received_at", "-id")[:limit]
    )


def overall_subject_get_for(*, user: User, group: str, pk: object) -> Subject:
    """A subject of the comparison across all the work: as `subject_get_for`, and a party member
    of a branch in one of the viewer's counties."""
    if group != "member":
        return subject_get_for(user=user, group=group, pk=pk)
    counties = counties_visible_to(user)
    if not can_see_rankings(user) or not counties:
        raise PermissionDenied
    try:
        person = Person.objects.select_related("party_membership__branch__region").get(
            pk=int(str(pk)), party_membership__isnull=False
        )
    except (ValueError, Person.DoesNotExist):
        raise Http404 from None
    path = person.party_membership.branch.region.path
    for county in counties:
        if path.startswith(county.path):
            return Subject(
                group=group, obj=person, unit=person.party_membership.branch, county=county
            )
    raise Http404
