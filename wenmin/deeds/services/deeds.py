"""Recording a practical deed (with its photos) and confirming it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.services.attachments import attachments_check
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.deeds import access, rules
from wenmin.deeds.models import (
    BeneficiaryKind,
    ConfirmerKind,
    Deed,
    DeedPhoto,
    DeedState,
    DoerKind,
    SourceKind,
)
from wenmin.deeds.tally_source import deeds_changed
from wenmin.households.models import Household, HouseholdMember
from wenmin.organisation.models import Person, Region, RegionLevel, Unit, UnitKind
from wenmin.organisation.selectors import branch_area, regions_visible_to

MAX_TITLE = 200
MAX_DETAILS = 2000
MAX_GROUP = 200
MAX_NOTE = 200


@dataclass
class DeedInput:
    """What a deed says, as parsed by a form or given by a source (checked by deed_record)."""

    title: str
    done_on: dt.date
    beneficiary_kind: str
    doer_kind: str
    details: str = ""
    household: Household | None = None
    group_text: str = ""
    village: Region | None = None
    branch: Unit | None = None
    team: Unit | None = None
    person: Person | None = None
    photos: Sequence[UploadedFile] = field(default_factory=list)


def _checked_text(
    errors: dict[str, list[str]], name: str, value: str, limit: int, **kw: bool
) -> str:
    try:
        return validators.check_text(value, max_length=limit, **kw).strip()
    except ValidationError as error:
        errors[name] = error.messages
        return ""


def _where(errors: dict[str, list[str]], data: DeedInput) -> Region | None:
    """The deed's village: the household's, or the one given for a group."""
    if data.beneficiary_kind == BeneficiaryKind.HOUSEHOLD:
        if data.household is None:
            errors["household"] = [_("Say which household the deed was done for.")]
            return None
        region = data.household.region
        return region.parent if region.level == RegionLevel.GROUP and region.parent else region
    if data.beneficiary_kind == BeneficiaryKind.GROUP:
        if data.village is None:
            errors["village"] = [_("Say in which village the group lives.")]
        return data.village
    errors["beneficiary_kind"] = [_("Say whom the deed was for: a household or a group.")]
    return None


def _doer(
    errors: dict[str, list[str]], data: DeedInput
) -> tuple[Unit | None, Unit | None, Person | None]:
    """(branch, team, person) of who did it; a party member's deed counts for their branch too."""
    kind = data.doer_kind
    if kind == DoerKind.BRANCH:
        if data.branch is None or data.branch.kind != UnitKind.PARTY_BRANCH:
            errors["branch"] = [_("Choose the party branch that did it.")]
        return data.branch, None, None
    if kind == DoerKind.TEAM:
        if data.team is None or data.team.kind != UnitKind.VOLUNTEER_TEAM:
            errors["team"] = [_("Choose the volunteer team that did it.")]
        return None, data.team, None
    if kind == DoerKind.MEMBER:
        membership = getattr(data.person, "party_membership", None) if data.person else None
        if membership is None:
            errors["person"] = [_("Choose the party member who did it.")]
            return None, None, data.person
        return membership.branch, None, data.person
    if kind == DoerKind.CADRE:
        if data.person is None or getattr(data.person, "cadre", None) is None:
            errors["person"] = [_("Choose the cadre who did it.")]
        return None, None, data.person
    errors["doer_kind"] = [_("Say who did it: a branch, a party member, a team or a cadre.")]
    return None, None, None


def deed_record(
    *,
    actor: User | None,
    data: DeedInput,
    source_kind: str = SourceKind.DIRECT,
    source_id: int | None = None,
    now: dt.datetime | None = None,
) -> Deed:
    """Record one deed with its photos (checked as case attachments, photos only); refused with
    every problem at once and nothing saved."""
    if actor is not None and not access.recording_user(actor):
        raise PermissionDenied(_("Only staff record practical deeds."))
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    title = _checked_text(errors, "title", data.title, MAX_TITLE)
    if not title and "title" not in errors:
        errors["title"] = [_("Say what was done.")]
    details = _checked_text(errors, "details", data.details, MAX_DETAILS, multiline=True)
    group_text = _checked_text(errors, "group_text", data.group_text, MAX_GROUP)
    if (
        data.beneficiary_kind == BeneficiaryKind.GROUP
        and not group_text
        and "group_text" not in errors
    ):
        errors["group_text"] = [_("Describe the group (how many, who), without names.")]
    if data.done_on > timezone.localdate(now):
        errors["done_on"] = [_("A deed is recorded once it is done: the date is in the future.")]
    else:
        try:
            validators.check_date(data.done_on)
        except ValidationError as error:
            errors["done_on"] = error.messages
    village = _where(errors, data)
    if (
        village is not None
        and actor is not None
        and not regions_visible_to(actor).filter(pk=village.pk).exists()
    ):
        errors["village"] = [_("This village is not in your part of the county.")]
    branch, team, person = _doer(errors, data)
    checked = []
    try:
        checked = attachments_check(list(data.photos))
    except ValidationError as error:
        errors["photos"] = error.messages
    if any(not content_type.startswith("image/") for _file, content_type in checked):
        errors["photos"] = [_("Only photos (JPG, PNG, GIF, WebP) can be added to a deed.")]
    if errors:
        raise ValidationError(errors)
    assert village is not None  # noqa: S101  (no error means a village was found)
    try:
        with transaction.atomic():
            deed = Deed.objects.create(
                title=title,
                details=details,
                done_on=data.done_on,
                beneficiary_kind=data.beneficiary_kind,
                household=data.household
                if data.beneficiary_kind == BeneficiaryKind.HOUSEHOLD
                else None,
                group_text=group_text if data.beneficiary_kind == BeneficiaryKind.GROUP else "",
                village=village,
                township=village.township,
                doer_kind=data.doer_kind,
                branch=branch,
                team=team,
                person=person,
                source_kind=source_kind,
                source_id=source_id,
                author=actor,
                recorded_at=now,
            )
            for upload, content_type in checked:
                DeedPhoto.objects.create(
                    deed=deed,
                    file=upload,
                    original_name=(upload.name or "")[:255],
                    content_type=content_type,
                    size=upload.size or 0,
                )
            deeds_changed(deed.pk)
            audit_record(
                actor=actor,
                action="deeds.record",
                target=deed,
                changes={"source": [source_kind, source_id], "photos": len(checked)},
            )
    except IntegrityError:
        raise ValidationError(
            {"source": [_("This has already been recorded as a deed.")]}
        ) from None
    return deed


def _may_speak_for_village(actor: User, deed: Deed) -> bool:
    unit = actor.unit
    if unit is None or not access.speaks_for_village(actor):
        return False
    if actor.role == "township_staff":
        return unit.region.township_id is not None and unit.region.township_id == deed.township_id
    area = branch_area(unit)
    return area is not None and deed.village.path.startswith(area.path)


def _is_resident_of(actor: User, deed: Deed) -> bool:
    return bool(
        access.resident_user(actor)
        and deed.household_id is not None
        and HouseholdMember.objects.filter(
            household_id=deed.household_id, person_id=actor.person_id or 0
        ).exists()
    )


def deed_confirm(*, deed: Deed, actor: User, confirmer_kind: str, note: str = "") -> Deed:
    """The village or the resident confirms a deed was done; never its author nor its doer."""
    errors: dict[str, list[str]] = {}
    text = _checked_text(errors, "note", note, MAX_NOTE)
    if confirmer_kind not in ConfirmerKind.values:
        errors["confirmer_kind"] = [_("Say who confirms: the village or the resident.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Deed.objects.select_for_update(of=("self",)).select_related("village").get(pk=deed.pk)
        )
        refusal = rules.confirm_refusal(
            author_id=locked.author_id,
            doer_person_id=locked.person_id,
            confirmer_id=actor.pk,
            confirmer_person_id=actor.person_id,
        )
        if refusal:
            raise ValidationError({"confirmer_kind": [refusal]})
        if locked.state == DeedState.CONFIRMED:
            raise ValidationError({"confirmer_kind": [_("This deed is already confirmed.")]})
        if confirmer_kind == ConfirmerKind.VILLAGE and not _may_speak_for_village(actor, locked):
            raise PermissionDenied(
                _("Only the village's branch or its township confirm for the village.")
            )
        if confirmer_kind == ConfirmerKind.RESIDENT and not _is_resident_of(actor, locked):
            raise PermissionDenied(_("Only a member of the household confirms as the resident."))
        locked.state = DeedState.CONFIRMED
        locked.confirmer_kind = confirmer_kind
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        locked.confirm_note = text
        locked.save(
            update_fields=[
                "state",
                "confirmer_kind",
                "confirmed_by",
                "confirmed_at",
                "confirm_note",
            ]
        )
        deeds_changed(locked.pk)
        audit_record(
            actor=actor,
            action="deeds.confirm",
            target=locked,
            changes={"state": [DeedState.PENDING, DeedState.CONFIRMED], "by": confirmer_kind},
        )
    return locked
