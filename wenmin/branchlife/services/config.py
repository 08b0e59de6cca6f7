"""The county's settings: the meeting types' rules and the monthly theme with its materials."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.branchlife import access, rules
from wenmin.branchlife.models import (
    BranchLifeDay,
    Frequency,
    MeetingType,
    MonthlyTheme,
    ThemeMaterial,
)
from wenmin.branchlife.services.common import refuse, text
from wenmin.branchlife.tallies import branch_tallied, type_tallied
from wenmin.core.audit import audit_record, field_changes
from wenmin.core.models import User
from wenmin.organisation.models import Unit

MAX_MATERIALS = 5


def _require_configurer(actor: User | None) -> None:
    if not access.configures(actor):
        raise PermissionDenied(_("Only the county's administrator sets the meeting rules."))


def type_update(
    *,
    actor: User | None,
    meeting_type: MeetingType,
    frequency: str,
    due_working_day: int | None,
    required: bool,
) -> MeetingType:
    """Change how often a meeting type is required and by which working day of its period."""
    _require_configurer(actor)
    if frequency not in Frequency.values:
        refuse("frequency", _("Monthly, quarterly or yearly."))
    if due_working_day is not None and not 1 <= due_working_day <= 20:
        refuse("due_working_day", _("A working day between 1 and 20, or none."))
    new = {"frequency": frequency, "due_working_day": due_working_day, "required": required}
    with transaction.atomic():
        meeting_type = MeetingType.objects.select_for_update().get(pk=meeting_type.pk)
        changes = field_changes(meeting_type, new)
        for name, value in new.items():
            setattr(meeting_type, name, value)
        meeting_type.save(update_fields=list(new))
        if changes:
            type_tallied(meeting_type.pk)
        audit_record(
            actor=actor, action="branchlife.type_update", target=meeting_type, changes=changes
        )
    return meeting_type


def theme_publish(
    *,
    actor: User | None,
    month: dt.date,
    title: str,
    body: str,
    files: Sequence[UploadedFile] = (),
) -> MonthlyTheme:
    """The month's theme and materials (a new one replaces the month's text, adds materials)."""
    from wenmin.cases.services.attachments import attachments_check

    _require_configurer(actor)
    title = text(title, field="title", max_length=120, required=True)
    body = text(body, field="text", max_length=5000, multiline=True)
    if len(files) > MAX_MATERIALS:
        refuse("materials", _("At most %(n)s files.") % {"n": MAX_MATERIALS})
    try:
        checked = attachments_check(list(files))
    except ValidationError as error:
        raise ValidationError({"materials": error.messages}) from None
    with transaction.atomic():
        theme, created = MonthlyTheme.objects.update_or_create(
            month=month.replace(day=1),
            defaults={"title": title, "text": body, "created_by": actor},
        )
        for upload, content_type in checked:
            ThemeMaterial.objects.create(
                theme=theme,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=content_type,
            )
        audit_record(
            actor=actor,
            action="branchlife.theme_publish",
            target=theme,
            changes={"month": theme.month.isoformat(), "new": created, "files": len(checked)},
        )
    return theme


def life_day_set(*, actor: User | None, branch: Unit, day: int | None) -> BranchLifeDay | None:
    """Fix a branch's life day on a day of the month (1-28), or None for the county's rule."""
    if not access.fixes_life_day(actor, branch):
        raise PermissionDenied(_("Only the branch's secretary or its township fixes its life day."))
    if day is not None and (isinstance(day, bool) or not isinstance(day, int)):
        refuse("day", _("A day of the month between 1 and 28, or none."))
    if not rules.fixed_day_valid(day):
        refuse("day", _("A day of the month between 1 and 28, or none."))
    with transaction.atomic():
        old = BranchLifeDay.objects.select_for_update().filter(branch=branch).first()
        before = old.day if old is not None else None
        fixed: BranchLifeDay | None = None
        if day is None:
            BranchLifeDay.objects.filter(branch=branch).delete()
        else:
            fixed, _created = BranchLifeDay.objects.update_or_create(
                branch=branch, defaults={"day": day, "updated_by": actor}
            )
        if before != day:
            branch_tallied(branch.pk)
        audit_record(
            actor=actor,
            action="branchlife.life_day_set",
            target=branch,
            changes={"day": [before, day]},
        )
    return fixed
