"""A centre's service records ledger (服务记录台账) as offices keep it: a header block (the centre,
the span, the result asked for, the totals), then one numbered row per walk-in served.

The only door to it is `records_workbook`: it applies the centres' scope, writes with the one
Excel writer (streamed, formula-safe), reads the rows with `.iterator()` and no query per row,
masks residents' names and phones unless the viewer's role may reveal them (and then logs each
resident shown in the access log), and audits the export.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wenmin.core import roles, validators
from wenmin.core.audit import audit_record
from wenmin.core.crypto import mask_name, mask_phone, personal_data_viewed
from wenmin.core.excel import SheetWriter, StreamedWorkbook, Styled
from wenmin.core.models import User
from wenmin.organisation.models import Unit
from wenmin.platforms import access, selectors
from wenmin.platforms.models import Result, ServiceRecord

CHUNK_SIZE = 2000
ACCESS_REASON = "platforms.records_export"  # privacy.models.AccessReason.PLATFORM_RECORDS_EXPORT
WIDTHS = {
    "A": 6, "B": 12, "C": 22, "D": 14, "E": 26, "F": 10, "G": 14, "H": 8, "I": 8, "J": 10,
    "K": 10, "L": 14, "M": 22, "N": 8,
}  # fmt: skip


def title() -> str:
    return _("Service records ledger")


def filename(unit: Unit, first: dt.date, last: dt.date) -> str:
    """服务记录台账_T1-SC_20261101-20261130.xlsx."""
    return f"{title()}_{unit.code}_{first:%Y%m%d}-{last:%Y%m%d}.xlsx"


def _rows(records: QuerySet[ServiceRecord]) -> QuerySet[ServiceRecord]:
    return records.select_related(
        "unit", "item", "resident", "clerk__person", "ticket", "case", "rating"
    ).order_by("started_at", "id")


def _clerk(record: ServiceRecord) -> str:
    clerk = record.clerk
    if clerk is None:
        return ""
    if clerk.person is not None:
        return clerk.person.name
    return clerk.get_full_name() or clerk.get_username()


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def _onward(record: ServiceRecord) -> str:
    """Where a referred resident was sent (the clerk's note), or the case opened instead."""
    if record.result == Result.CASE:
        return record.case.number if record.case is not None else ""
    return record.note if record.result == Result.REFERRED else ""


def _score(record: ServiceRecord) -> int | None:
    try:
        return record.rating.score
    except ObjectDoesNotExist:
        return None


def _cells(number: int, record: ServiceRecord, unmasked: bool) -> list[Any]:
    resident = record.resident
    ticket = record.ticket
    waited = ticket.waiting_seconds if ticket is not None else None
    return [
        number,
        timezone.localdate(record.started_at),
        record.unit.name,
        _clerk(record),
        record.item.name if record.item is not None else "",
        resident.name if unmasked else mask_name(resident.name),
        resident.phone if unmasked else mask_phone(resident.phone),
        Styled(record.started_at, number_format="hh:mm"),
        Styled(record.ended_at, number_format="hh:mm"),
        _minutes((record.ended_at - record.started_at).total_seconds()),
        _minutes(waited) if waited is not None else None,
        record.get_result_display(),
        _onward(record),
        _score(record),
    ]


def _header_block(
    sheet: SheetWriter,
    unit: Unit,
    span: tuple[dt.date, dt.date],
    result: str,
    totals: selectors.RecordTotals,
    viewer: User,
) -> None:
    first, last = span
    sheet.append([Styled(title(), bold=True, size=14)])
    sheet.append([_("Centre or station"), unit.name])
    sheet.append([_("Period"), f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"])
    sheet.append(
        [
            pgettext("records ledger", "Result"),
            Result(result).label if result else _("Every result"),
        ]
    )
    sheet.append([pgettext("records ledger", "Records"), totals.records])
    sheet.append([_("Services given"), totals.services])
    sheet.append([_("Done"), totals.done])
    sheet.append([_("Average minutes taken"), totals.mean_minutes])
    sheet.append(
        [_("Average minutes waited"), totals.mean_wait_minutes, _("numbers called"), totals.tickets]
    )
    sheet.append(
        [
            pgettext("records ledger", "Satisfaction"),
            Styled(totals.satisfaction, number_format="0.0%"),
            pgettext("records ledger", "ratings"),
            totals.ratings,
        ]
    )
    sheet.append(
        [
            _("Exported"),
            f"{timezone.localtime():%Y-%m-%d %H:%M}",
            _("by"),
            viewer.get_username(),
        ]
    )
    sheet.append([])


HEADER_ROWS = 12  # the rows above the column headings: the block and a blank line


def _headings() -> list[str]:
    return [
        _("No."),
        _("Date"),
        _("Centre or station"),
        _("Counter or clerk"),
        _("Service (事项)"),
        pgettext("records ledger", "Resident"),
        _("Phone"),
        _("Started"),
        _("Ended"),
        _("Minutes taken"),
        _("Minutes waited"),
        pgettext("records ledger", "Result"),
        _("Referred to / case opened"),
        _("Rating"),
    ]


def _write_rows(
    sheet: SheetWriter, records: QuerySet[ServiceRecord], unmasked: bool, viewer: User
) -> None:
    """Append the rows; residents shown in clear are logged a chunk at a time."""
    shown: list[int] = []
    for number, record in enumerate(_rows(records).iterator(chunk_size=CHUNK_SIZE), start=1):
        sheet.append(_cells(number, record, unmasked))
        if unmasked:
            shown.append(record.resident_id)
            if len(shown) >= CHUNK_SIZE:
                _log_shown(viewer, shown)
                shown = []
    _log_shown(viewer, shown)


def _log_shown(viewer: User, people: list[int]) -> None:
    personal_data_viewed(
        viewer=viewer, person_ids=people, fields=["name", "phone"], reason=ACCESS_REASON
    )


def records_workbook(
    *,
    viewer: User,
    unit_id: Any,
    span: tuple[dt.date, dt.date],
    result: str,
    target: IO[bytes],
) -> int:
    """Write a centre's service records of a span (and result) to `target`, masked unless the
    viewer's role may reveal, and audit the export; the number of rows."""
    unit = selectors.platform_get_for(viewer, unit_id)
    if not access.may_export_records(viewer, unit):
        raise PermissionDenied
    first, last = (validators.check_date(day) for day in span)
    if last < first or (result and result not in Result.values):
        raise ValidationError(_("These filters are not valid."))
    unmasked = roles.can_reveal_personal_data(viewer.role)
    records = selectors.records_between(unit, first, last, result)
    book = StreamedWorkbook()
    sheet = book.sheet(title(), widths=WIDTHS, freeze=f"A{HEADER_ROWS + 2}")
    _header_block(sheet, unit, (first, last), result, selectors.record_totals(records), viewer)
    sheet.header(_headings())
    before = sheet.rows
    _write_rows(sheet, records, unmasked, viewer)
    book.save(target)
    count = sheet.rows - before
    audit_record(
        actor=viewer,
        action="platforms.records_export",
        target=unit,
        changes={
            "rows": count,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "result": result,
            "masked": not unmasked,
        },
    )
    return count
