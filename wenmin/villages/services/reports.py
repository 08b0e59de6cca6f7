"""A village's monthly report: its figures, a note and photos of the work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.services.attachments import attachments_check
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Region
from wenmin.villages import access
from wenmin.villages.models import Indicator, MonthlyReport, ReportLine, ReportPhoto
from wenmin.villages.services.common import quantity, reportable_month, require

MAX_PHOTOS = 6  # in one submission
MAX_PHOTOS_A_REPORT = 30
NOTE_MAX = 1000


@dataclass(frozen=True)
class Submitted:
    report: MonthlyReport
    created: bool


def photos_check(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Photos only, checked as the cases' attachments are (type, content, size)."""
    if len(files) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": [_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}]}
        )
    try:
        checked = attachments_check(list(files))
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    bad = [upload.name or "" for upload, kind in checked if not kind.startswith("image/")]
    if bad:
        raise ValidationError(
            {"photos": [_("“%(name)s” is not a photo.") % {"name": name} for name in bad]}
        )
    return checked


def report_submit(
    *,
    actor: User | None,
    village: Region,
    year: int,
    month: int,
    values: Mapping[Indicator, object],
    note: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Submitted:
    """Store a village's figures for a month (a month reported again is corrected: each figure
    given replaces the one before, an empty one removes it), with a note and photos."""
    require(actor is None or access.may_report(actor, village))
    errors: dict[str, list[str]] = {}
    problem = reportable_month(year, month)
    if problem:
        errors["month"] = [problem]
    figures: dict[Indicator, Decimal | None] = {}
    for indicator, raw in values.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            figures[indicator] = None
            continue
        try:
            figures[indicator] = quantity(raw, indicator)
        except ValidationError as error:
            errors[f"q_{indicator.code}"] = error.messages
    if not any(value is not None for value in figures.values()) and not errors:
        errors["__all__"] = [_("Enter at least one figure.")]
    try:
        text = validators.check_text(note or "", max_length=NOTE_MAX, multiline=True).strip()
    except ValidationError as error:
        errors["note"], text = error.messages, ""
    checked: list[tuple[UploadedFile, str]] = []
    try:
        checked = photos_check(photos)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = (
            MonthlyReport.objects.select_for_update()
            .filter(village=village, year=year, month=month)
            .first()
        )
        created = report is None
        if report is None:
            report = MonthlyReport.objects.create(
                village=village, year=year, month=month, note=text, reported_by=actor
            )
        else:
            report.note, report.reported_by, report.reported_at = text, actor, timezone.now()
            report.imported = False
            report.save(update_fields=["note", "reported_by", "reported_at", "imported"])
        if report.photos.count() + len(checked) > MAX_PHOTOS_A_REPORT:
            raise ValidationError(
                {"photos": [_("A report keeps at most %(n)s photos.") % {"n": MAX_PHOTOS_A_REPORT}]}
            )
        changes = _lines_replace(report, figures)
        for upload, content_type in checked:
            ReportPhoto.objects.create(
                report=report,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=content_type,
                size=upload.size or 0,
            )
        audit_record(
            actor=actor,
            action="villages.report_submit",
            target=report,
            changes={"figures": changes, "photos": len(checked), "created": created},
        )
    return Submitted(report=report, created=created)


def _lines_replace(
    report: MonthlyReport, figures: Mapping[Indicator, Decimal | None]
) -> dict[str, list[str | None]]:
    """Write the figures given; {indicator code: [before, after]} of those that changed."""
    before = {line.indicator_id: line for line in report.lines.all()}
    changes: dict[str, list[str | None]] = {}
    for indicator, value in figures.items():
        line = before.get(indicator.pk)
        old = str(line.value) if line is not None else None
        if value is None:
            if line is not None:
                line.delete()
        elif line is None:
            ReportLine.objects.create(report=report, indicator=indicator, value=value)
        elif line.value != value:
            line.value = value
            line.save(update_fields=["value"])
        new = str(value) if value is not None else None
        if old != new:
            changes[indicator.code] = [old, new]
    return changes
