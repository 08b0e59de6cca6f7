"""The only door for writes to the scoreboard: appeals and their decisions, and the weights."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.services.attachments import attachments_check
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Unit
from wenmin.scoreboard.models import (
    DEFAULT_MINIMUM_SAMPLE,
    Appeal,
    AppealStatus,
    Exclusion,
    ScoreSettings,
)
from wenmin.scoreboard.rollups import exclusion_apply
from wenmin.tallies.models import Entry
from wenmin.tallies.models import Exclusion as TallyExclusion
from wenmin.tallies.registry import source_get
from wenmin.tallies.services import exclusion_add

REVIEWER_ROLES = frozenset({Role.ADMINISTRATOR, Role.COUNTY_LEADER})


def can_review_appeals(user: User) -> bool:
    """The organisation department's reviewers: the administrator and county leaders."""
    return user.is_authenticated and user.role in REVIEWER_ROLES


def case_counts_for_unit(*, case: Case, unit: Unit) -> bool:
    """Whether any step of the case is counted for this unit (it led, or returned, the case)."""
    return (
        CaseEvent.objects.filter(case=case, data__lead_unit_id=unit.pk).exists()
        or CaseEvent.objects.filter(case=case, data__returned_unit_id=unit.pk).exists()
    )


def _text(value: str, field: str) -> str:
    """A reason or note: multi-line text of at most 4,000 characters, no control characters."""
    value = value.strip() if isinstance(value, str) else (value or "")
    return validators.text_field_check(value, field=field, max_length=4000, multiline=True)


def appeal_submit(
    *, actor: User, case: Case, reason: str, evidence: UploadedFile | None = None
) -> Appeal:
    """A unit's staff contest how a case counts against their unit (申诉)."""
    unit = actor.unit
    if unit is None or actor.role not in (Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF):
        raise PermissionDenied(_("Only a unit's staff can appeal for their unit."))
    if not case_counts_for_unit(case=case, unit=unit):
        raise ValidationError(_("This case does not count for your unit."))
    reason = _text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": [_("Explain why the case should not count.")]})
    if evidence is not None:
        # Checked as case attachments are: type by name, content by its first bytes, size.
        try:
            attachments_check([evidence])
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
    with transaction.atomic():
        if Appeal.objects.filter(case=case, unit=unit, status=AppealStatus.PENDING).exists():
            raise ValidationError(_("An appeal for this case is already waiting for review."))
        if Exclusion.objects.filter(case=case, unit=unit).exists():
            raise ValidationError(_("This case already does not count for your unit."))
        appeal = Appeal.objects.create(case=case, unit=unit, reason=reason, submitted_by=actor)
        if evidence is not None:
            appeal.evidence.save(evidence.name or "evidence", evidence, save=True)
        audit_record(
            actor=actor, action="appeal.submit", target=appeal, changes={"case": case.number}
        )
    return appeal


def appeal_decide(*, actor: User, appeal: Appeal, accept: bool, note: str) -> Appeal:
    """A reviewer accepts (the case stops counting for the unit) or rejects an appeal."""
    if not can_review_appeals(actor):
        raise PermissionDenied(_("Only a reviewer can decide appeals."))
    note = _text(note, "note")
    if not note:
        raise ValidationError({"note": [_("Give the reason for the decision.")]})
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != AppealStatus.PENDING:
            raise ValidationError(_("This appeal has already been decided."))
        locked.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
        locked.reviewer, locked.decided_at, locked.decision_note = actor, timezone.now(), note
        locked.save(update_fields=["status", "reviewer", "decided_at", "decision_note"])
        if accept and locked.case is not None:
            Exclusion.objects.create(case=locked.case, unit=locked.unit, appeal=locked)
            exclusion_apply(case=locked.case, unit_id=locked.unit_id)
        elif accept and locked.record is not None:
            exclusion_add(
                source=locked.source,
                record=locked.record,
                unit_id=locked.unit_id,
                note=f"appeal {locked.pk}",
            )
        audit_record(
            actor=actor,
            action="appeal.decide",
            target=locked,
            changes={"accepted": accept, "about": locked.about, "unit": locked.unit.code},
        )
    return locked


def record_appeal_submit(
    *,
    actor: User,
    source: str,
    record: int,
    reason: str,
    evidence: UploadedFile | None = None,
) -> Appeal:
    """A unit's staff contest how a record of another source (a milestone, a meeting…) counts
    against their unit; accepted, it stops counting for the unit as a case does."""
    unit = actor.unit
    if unit is None or actor.role not in (Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF):
        raise PermissionDenied(_("Only a unit's staff can appeal for their unit."))
    counted = Entry.objects.filter(source=source, record=record, for_unit=unit.pk)
    if source == "cases" or not counted.exists():
        raise ValidationError(_("This record does not count for your unit."))
    reason = _text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": [_("Explain why the record should not count.")]})
    if evidence is not None:
        try:
            attachments_check([evidence])
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
    described = source_get(source).describe
    label = described([record]).get(record) if described else None
    with transaction.atomic():
        pending = Appeal.objects.filter(
            source=source, record=record, unit=unit, status=AppealStatus.PENDING
        )
        if pending.exists():
            raise ValidationError(_("An appeal for this record is already waiting for review."))
        if TallyExclusion.objects.filter(source=source, record=record, unit_id=unit.pk).exists():
            raise ValidationError(_("This record already does not count for your unit."))
        appeal = Appeal.objects.create(
            case=None,
            source=source,
            record=record,
            record_label=(label.label if label else f"{source} {record}")[:200],
            unit=unit,
            reason=reason,
            submitted_by=actor,
        )
        if evidence is not None:
            appeal.evidence.save(evidence.name or "evidence", evidence, save=True)
        audit_record(
            actor=actor,
            action="appeal.submit",
            target=appeal,
            changes={"source": source, "record": record},
        )
    return appeal


def score_settings_save(
    *,
    actor: User,
    response: float,
    resolution: float,
    satisfaction: float,
    prior: int,
    minimum_sample: int = DEFAULT_MINIMUM_SAMPLE,
) -> ScoreSettings:
    """Change the composite's weights (they must add up to 1), the prior weight and the minimum
    sample for a place in the ranking."""
    if actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied(_("Only the administrator changes the score's weights."))
    weights = (response, resolution, satisfaction)
    if any(w < 0 for w in weights) or abs(sum(weights) - 1) > 1e-6:
        raise ValidationError(_("The three weights must be zero or more and add up to 1."))
    if prior < 0 or prior > 1000:
        raise ValidationError({"prior": [_("The prior weight is between 0 and 1000.")]})
    if minimum_sample < 1 or minimum_sample > 1000:
        raise ValidationError({"minimum_sample": [_("The minimum sample is between 1 and 1000.")]})
    with transaction.atomic():
        row = ScoreSettings.objects.create(
            response_weight=response,
            resolution_weight=resolution,
            satisfaction_weight=satisfaction,
            prior_weight=prior,
            minimum_sample=minimum_sample,
        )
        audit_record(
            actor=actor,
            action="score_settings.save",
            target=row,
            changes={"weights": list(weights), "prior": prior, "minimum_sample": minimum_sample},
        )
    return row
