"""Visit plans: which volunteer teams visit which households of a survey round, by when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.households.models import Household
from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind
from wenmin.surveys.models import SurveyVersion, VisitAssignment, VisitPlan
from wenmin.surveys.selectors import households_to_visit
from wenmin.surveys.services.forms import _may_own

MAX_NAME = 120
MAX_DAYS = 400


def village_of(region: Region) -> Region:
    """The village a household's region belongs to (a villagers' group's parent)."""
    if region.level == RegionLevel.GROUP and region.parent is not None:
        return region.parent
    return region


def team_for(household: Household, teams: Sequence[Unit], turn: int) -> Unit:
    """The team nearest the household (the deepest region holding it), else the teams in turn."""
    near = [team for team in teams if household.region.path.startswith(team.region.path)]
    if near:
        return max(near, key=lambda team: (len(team.region.path), -team.pk))
    return teams[turn % len(teams)]


def plan_create(
    *,
    actor: User | None,
    version: SurveyVersion,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    teams: Sequence[Unit],
    regions: Sequence[Region] = (),
    households: Sequence[Household] | None = None,
) -> VisitPlan:
    """A survey round on a published version: the households in care of the regions (or a
    chosen list) each assigned to the team nearest them, due by the round's last day."""
    _may_own(actor, version.form.owner)
    errors: dict[str, list[str]] = {}
    try:
        text = validators.check_text(name, max_length=MAX_NAME).strip()
        if not text:
            errors["name"] = [_("Give the round a name, e.g. “2026 spring visits”.")]
    except ValidationError as error:
        errors["name"], text = error.messages, ""
    if not version.is_open:
        errors["version"] = [_("Plan visits on a published version that is not retired.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The round ends before it starts.")]
    elif (ends_on - starts_on).days > MAX_DAYS:
        errors["ends_on"] = [_("A round lasts at most %(n)s days.") % {"n": MAX_DAYS}]
    teams = list(teams)
    if not teams:
        errors["teams"] = [_("Choose at least one volunteer team.")]
    elif any(team.kind != UnitKind.VOLUNTEER_TEAM for team in teams):
        errors["teams"] = [_("Only volunteer teams visit households.")]
    if households is None:
        if not regions:
            errors["regions"] = [_("Choose the townships or villages to visit.")]
        chosen = list(households_to_visit(regions=regions).select_related("region__parent"))
    else:
        chosen = list(households)
    if not chosen and "regions" not in errors:
        errors["regions"] = [_("No household in care lives there: nobody to visit.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = VisitPlan.objects.create(
            version=version, name=text, starts_on=starts_on, ends_on=ends_on, created_by=actor
        )
        plan.regions.set(regions)
        VisitAssignment.objects.bulk_create(
            VisitAssignment(
                plan=plan,
                team=team_for(household, teams, turn),
                household=household,
                village=village_of(household.region),
                due=ends_on,
            )
            for turn, household in enumerate(chosen)
        )
        audit_record(
            actor=actor,
            action="surveys.plan_create",
            target=plan,
            changes={"households": len(chosen), "teams": [team.pk for team in teams]},
        )
    return plan
