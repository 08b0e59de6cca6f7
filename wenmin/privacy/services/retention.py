"""The administrator's retention periods and legal holds: each change audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.privacy.models import LegalHold, RetentionRule
from wenmin.privacy.services.anonymise import require_administrator

MIN_YEARS, MAX_YEARS = 1, 30


def retention_set(*, actor: User | None, kind: str, years: int) -> RetentionRule:
    """How many years a kind of case keeps its personal data after it ends."""
    require_administrator(actor)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    if not isinstance(years, int) or not MIN_YEARS <= years <= MAX_YEARS:
        errors["years"] = [
            _("Between %(low)s and %(high)s years.") % {"low": MIN_YEARS, "high": MAX_YEARS}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule, _created = RetentionRule.objects.select_for_update().get_or_create(
            kind=kind, defaults={"years": years}
        )
        before = None if _created else rule.years
        if rule.years != years:
            rule.years = years
            rule.save(update_fields=["years"])
        audit_record(
            actor=actor,
            action="privacy.retention_set",
            target=rule,
            changes={"kind": kind, "years": [before, years]},
        )
    return rule


def retention_delete(*, actor: User | None, rule: RetentionRule) -> None:
    """Remove a kind's period: WENMIN_RETENTION_YEARS applies to it again."""
    require_administrator(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="privacy.retention_delete",
            target=rule,
            changes={"kind": rule.kind, "years": rule.years},
        )
        RetentionRule.objects.filter(pk=rule.pk).delete()


def legal_hold_place(*, actor: User | None, case: Case, reason: str) -> LegalHold:
    """Keep a case's personal data whatever its age (litigation, a petition, an inquiry)."""
    require_administrator(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is held.")]})
    if len(reason) > 255:
        raise ValidationError({"reason": [_("At most 255 characters.")]})
    with transaction.atomic():
        if LegalHold.objects.filter(case=case).exists():
            raise ValidationError({"case": [_("This case is held already.")]})
        hold = LegalHold.objects.create(case=case, reason=reason, placed_by=actor)
        audit_record(
            actor=actor, action="privacy.legal_hold_place", target=case, changes={"reason": reason}
        )
    return hold


def legal_hold_lift(*, actor: User | None, hold: LegalHold) -> None:
    """Lift a hold: the case's data follows its retention period again."""
    require_administrator(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="privacy.legal_hold_lift",
            target=hold.case,
            changes={"reason": hold.reason},
        )
        LegalHold.objects.filter(pk=hold.pk).delete()
