"""The only door for reads of the surveys that need permission (the results' counts: results.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.households.models import Household
from wenmin.households.selectors import households_in_care
from wenmin.organisation.models import Person, Region, Unit, UnitKind
from wenmin.surveys import access
from wenmin.surveys.models import (
    Need,
    NeedKind,
    NeedState,
    Resolution,
    SurveyForm,
    SurveyVersion,
    Visit,
    VisitAssignment,
    VisitPlan,
)


def households_to_visit(*, regions: Iterable[Region]) -> QuerySet[Household]:
    """The households a plan over these regions must visit: those the households register puts
    in a care category that must be visited (its rule, not ours)."""
    return households_in_care(regions=list(regions))


# Forms and plans -----------------------------------------------------------------------------


def forms_visible_to(user: User) -> QuerySet[SurveyForm]:
    """Forms whose results the viewer may read: the whole county's for the administrator and
    county leaders, their own unit's, and for township staff every form visiting their township."""
    forms = SurveyForm.objects.select_related("owner__region")
    if not access.surveys_user(user):
        return forms.none()
    if access.sees_whole_county(user):
        return forms
    condition = Q(owner_id=user.unit_id) if user.unit_id else Q(pk__in=[])
    township = access.township_path(user)
    if township:
        visiting = VisitAssignment.objects.filter(village__path__startswith=township).values(
            "plan__version__form_id"
        )
        condition |= Q(owner__region__path__startswith=township) | Q(pk__in=visiting)
    return forms.filter(condition)


def within_for(user: User, form: SurveyForm) -> str | None:
    """The part of the county whose results the viewer reads: None for all of them."""
    if access.sees_whole_county(user) or access.may_own(user, form.owner):
        return None
    return access.township_path(user) or "\x00"


def form_get_for(user: User, form_id: object) -> SurveyForm:
    """One form the viewer may see, or 404."""
    try:
        return forms_visible_to(user).get(pk=id_or_404(form_id))
    except SurveyForm.DoesNotExist:
        raise Http404 from None


def version_get_for(user: User, version_id: object) -> SurveyVersion:
    try:
        return SurveyVersion.objects.select_related("form__owner__region").get(
            pk=id_or_404(version_id), form__in=forms_visible_to(user)
        )
    except SurveyVersion.DoesNotExist:
        raise Http404 from None


def plan_get_for(user: User, plan_id: object) -> VisitPlan:
    """One plan the viewer may read the results of, or 404."""
    try:
        return VisitPlan.objects.select_related("version__form__owner__region").get(
            pk=id_or_404(plan_id), version__form__in=forms_visible_to(user)
        )
    except VisitPlan.DoesNotExist:
        raise Http404 from None


def form_versions(form: SurveyForm) -> list[SurveyVersion]:
    """A form's versions, newest first, with their questions and plans."""
    return list(form.versions.order_by("-number").prefetch_related("questions", "plans"))


def volunteer_teams_for(user: User) -> QuerySet[Unit]:
    """The volunteer teams a plan of this viewer may assign."""
    teams = Unit.objects.filter(kind=UnitKind.VOLUNTEER_TEAM).select_related("region")
    if access.sees_whole_county(user):
        return teams
    township = access.township_path(user)
    if township:
        return teams.filter(region__path__startswith=township)
    return teams


def need_kinds() -> QuerySet[NeedKind]:
    return NeedKind.objects.filter(is_active=True)


# A volunteer's visits ------------------------------------------------------------------------


def team_of(user: User) -> Unit | None:
    """The volunteer team of the viewer's own person, if any."""
    from wenmin.organisation.selectors import volunteer_of

    volunteer = volunteer_of(user) if access.visiting_user(user) else None
    return volunteer.team if volunteer is not None else None


def assignments_for(user: User) -> QuerySet[VisitAssignment]:
    """The volunteer's team's assignments on open versions, soonest due first."""
    team = team_of(user)
    if team is None:
        return VisitAssignment.objects.none()
    return (
        VisitAssignment.objects.filter(
            team=team,
            plan__version__published_at__isnull=False,
            plan__version__retired_at__isnull=True,
        )
        .select_related("household__region", "plan__version__form", "village")
        .annotate(visit_count=Count("visits"))
        .order_by("visit_count", "due", "household__code")
    )


def assignment_get_for(user: User, assignment_id: object) -> VisitAssignment:
    """One of the volunteer's team's assignments, or 404."""
    team = team_of(user)
    try:
        return VisitAssignment.objects.select_related(
            "household__region", "plan__version__form", "village", "team"
        ).get(pk=id_or_404(assignment_id), team=team)
    except VisitAssignment.DoesNotExist:
        raise Http404 from None


def visit_get_for(user: User, visit_id: object) -> Visit:
    """A visit the viewer made, or whose plan's results they may read, or 404."""
    visits = Visit.objects.select_related(
        "household", "village", "team", "volunteer", "plan", "version__form"
    )
    if access.visiting_user(user):
        visits = visits.filter(volunteer=user)
    else:
        visits = visits.filter(plan__version__form__in=forms_visible_to(user))
    try:
        visit = visits.get(pk=id_or_404(visit_id))
    except Visit.DoesNotExist:
        raise Http404 from None
    within = None if access.visiting_user(user) else within_for(user, visit.version.form)
    if within and (visit.village is None or not visit.village.path.startswith(within)):
        raise Http404
    return visit


# Residents' own answers ---------------------------------------------------------------------


def plan_for_residents(plan_id: object) -> VisitPlan:
    """A round its owner opened to residents (open now or closed since), or 404: a round never
    opened to residents is not public."""
    try:
        return VisitPlan.objects.select_related("version__form").get(
            pk=id_or_404(plan_id), residents_until__isnull=False
        )
    except VisitPlan.DoesNotExist:
        raise Http404 from None


def resident_answer(*, plan: VisitPlan, person: Person | None) -> Visit | None:
    """The resident's answer to a round, if they gave one."""
    if person is None:
        return None
    return Visit.objects.filter(plan=plan, respondent=person).first()


def answers_of(*, person: Person) -> list[Visit]:
    """The resident's own answers, newest first, with their needs and the cases they became."""
    return list(
        Visit.objects.filter(respondent=person)
        .select_related("plan", "version__form")
        .prefetch_related("needs__kind", "needs__case")
        .order_by("-submitted_at", "-id")
    )


def answers_count(user: User) -> int:
    """How many answers the signed-in resident gave (their page's section)."""
    from wenmin.residents.selectors import verified_person

    person = verified_person(user=user)
    return Visit.objects.filter(respondent=person).count() if person is not None else 0


# Needs waiting for a volunteer activity ------------------------------------------------------


def waiting_needs_for(user: User) -> QuerySet[Need]:
    """The waiting needs of the rounds the viewer reads, within the viewer's township."""
    if not access.surveys_user(user):
        return Need.objects.none()
    rows = Need.objects.filter(
        resolution=Resolution.WAITING,
        state=NeedState.OPEN,
        visit__plan__version__form__in=forms_visible_to(user),
    )
    township = None if access.sees_whole_county(user) else access.township_path(user)
    if township:
        rows = rows.filter(village__path__startswith=township)
    return rows


def waiting_by_township(needs: QuerySet[Need]) -> list[tuple[Region | None, int]]:
    """How many of these needs each township holds (None: a resident's, place not known)."""
    counts = dict(
        needs.values_list("village__township_id").annotate(n=Count("id")).order_by()
        .values_list("village__township_id", "n")
    )  # fmt: skip
    townships = Region.objects.in_bulk([pk for pk in counts if pk])
    known = sorted(
        ((townships[pk], n) for pk, n in counts.items() if pk in townships),
        key=lambda row: row[0].name,
    )
    rows: list[tuple[Region | None, int]] = list(known)
    if counts.get(None):
        rows.append((None, counts[None]))
    return rows


def need_get_for(user: User, need_id: object) -> Need:
    """One waiting-or-not need of a round the viewer reads, within their township, or 404."""
    if not access.surveys_user(user):
        raise Http404
    rows = Need.objects.filter(visit__plan__version__form__in=forms_visible_to(user))
    township = None if access.sees_whole_county(user) else access.township_path(user)
    if township:
        rows = rows.filter(village__path__startswith=township)
    try:
        return rows.select_related("kind", "village", "household", "visit").get(
            pk=id_or_404(need_id)
        )
    except Need.DoesNotExist:
        raise Http404 from None


def plans_open_to_residents(*, person: Person, today: dt.date) -> list[VisitPlan]:
    """The rounds residents may answer online today that this resident has not answered yet."""
    return list(
        VisitPlan.objects.filter(
            residents_until__gte=today,
            version__published_at__isnull=False,
            version__retired_at__isnull=True,
        )
        .exclude(visits__respondent=person)
        .select_related("version__form")
        .order_by("residents_until", "id")[:20]
    )
