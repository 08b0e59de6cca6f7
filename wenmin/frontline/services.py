"""The only doors for writes of field inspections (一线考察): recording one, and changing one with
a reason that is kept with what it said before. Each is audited and keeps the daily counts."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.frontline import access
from wenmin.frontline.models import FieldInspection, InspectionChange, Rating
from wenmin.organisation.models import Person, Region, RegionLevel
from wenmin.projects.models import Project
from wenmin.tallies.services import record_changed

SOURCE = "frontline"
OBSERVED_MIN, OBSERVED_MAX = 10, 2000
REASON_MIN, REASON_MAX = 4, 500
PLACE_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE, RegionLevel.GROUP)
FIELDS = ("inspected_on", "region", "project", "observed", "rating")


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationError({field: [message]})


def _text(value: Any, *, field: str, least: int, most: int) -> str:
    cleaned = value.strip() if isinstance(value, str) else value
    cleaned = validators.text_field_check(cleaned, field=field, max_length=most, multiline=True)
    if len(cleaned) < least:
        _refuse(field, _("Write at least %(n)s characters.") % {"n": least})
    return cleaned


def _checked(
    *,
    inspected_on: Any,
    region: Region | None,
    project: Project | None,
    observed: Any,
    rating: Any,
) -> dict[str, Any]:
    """The inspection's fields, each judged: refused as a whole with every problem at once."""
    errors: dict[str, list[str]] = {}
    found: dict[str, Any] = {"region": region, "project": project}
    try:
        day = validators.parse_date(inspected_on)
        if day > timezone.localdate():
            _refuse("inspected_on", _("An inspection cannot be dated in the future."))
        found["inspected_on"] = day
    except ValidationError as error:
        errors["inspected_on"] = _messages(error, "inspected_on")
    if region is None and project is None:
        errors["region"] = [_("Name the place, the project, or both.")]
    elif region is not None and region.level not in PLACE_LEVELS:
        errors["region"] = [_("The place is a township, a village or a villagers' group.")]
    try:
        found["observed"] = _text(observed, field="observed", least=OBSERVED_MIN, most=OBSERVED_MAX)
    except ValidationError as error:
        errors["observed"] = _messages(error, "observed")
    if rating not in Rating.values:
        errors["rating"] = [_("Choose one of the ratings.")]
    else:
        found["rating"] = rating
    if errors:
        raise ValidationError(errors)
    return found


def _messages(error: ValidationError, field: str) -> list[str]:
    if hasattr(error, "error_dict"):
        return list(error.message_dict.get(field, error.messages))
    return list(error.messages)


def _is_cadre(person: Person) -> bool:
    return Person.objects.filter(pk=person.pk, cadre__isnull=False).exists()


def inspection_add(
    *,
    actor: User,
    cadre: Person,
    inspected_on: Any,
    observed: Any,
    rating: Any,
    region: Region | None = None,
    project: Project | None = None,
) -> FieldInspection:
    """Record a field inspection of a cadre (the organisation department only)."""
    if not access.org_department(actor):
        raise PermissionDenied
    if not _is_cadre(cadre):
        raise ValidationError({"cadre": [_("Only a cadre is inspected.")]})
    fields = _checked(
        inspected_on=inspected_on,
        region=region,
        project=project,
        observed=observed,
        rating=rating,
    )
    with transaction.atomic():
        inspection = FieldInspection.objects.create(
            cadre=cadre,
            inspector=actor,
            inspector_name=actor.get_username(),
            **fields,
        )
        audit_record(
            actor=actor,
            action="frontline.inspection_add",
            target=inspection,
            changes={
                "cadre": cadre.pk,
                "inspected_on": fields["inspected_on"].isoformat(),
                "rating": fields["rating"],
                "region": region.pk if region else None,
                "project": project.pk if project else None,
            },
        )
        record_changed(SOURCE, inspection.pk)
    return inspection


def _before(inspection: FieldInspection) -> dict[str, Any]:
    return {
        "inspected_on": inspection.inspected_on.isoformat(),
        "region": inspection.region_id,
        "project": inspection.project_id,
        "observed": inspection.observed,
        "rating": inspection.rating,
    }


def inspection_edit(
    *,
    actor: User,
    inspection: FieldInspection,
    reason: Any,
    inspected_on: Any,
    observed: Any,
    rating: Any,
    region: Region | None = None,
    project: Project | None = None,
) -> FieldInspection:
    """Change an inspection: only with a reason, kept with what it said before (the
    organisation department only); nothing changed is refused."""
    if not access.org_department(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        why = _text(reason, field="reason", least=REASON_MIN, most=REASON_MAX)
    except ValidationError as error:
        errors["reason"] = _messages(error, "reason")
    try:
        fields = _checked(
            inspected_on=inspected_on,
            region=region,
            project=project,
            observed=observed,
            rating=rating,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = FieldInspection.objects.select_for_update().get(pk=inspection.pk)
        changes = field_changes(locked, fields)
        if not changes:
            _refuse("reason", _("Nothing was changed."))
        InspectionChange.objects.create(
            inspection=locked,
            reason=why,
            before=_before(locked),
            changed_by=actor,
            changed_by_name=actor.get_username(),
        )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor,
            action="frontline.inspection_edit",
            target=locked,
            changes={**changes, "reason": why},
        )
        record_changed(SOURCE, locked.pk)
    return locked
