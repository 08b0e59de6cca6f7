"""The households workbook, through the one Excel writer: masked unless the role may reveal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.excel import StreamedWorkbook
from wenmin.core.models import User
from wenmin.households import rules, selectors
from wenmin.households.models import Household

CHUNK = 500


def _chunks(households: QuerySet[Household]) -> Iterator[list[Household]]:
    chunk: list[Household] = []
    for household in households.iterator(chunk_size=CHUNK):
        chunk.append(household)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def households_workbook(*, viewer: User, households: QuerySet[Household], target: IO[bytes]) -> int:
    """Write the households; addresses in clear and care categories by name only for the roles
    that may have them, each chunk's members written to the access log. Returns the rows."""
    reveal = rules.can_reveal_address(viewer.role)
    sees_care = rules.can_see_care_categories(viewer.role)
    names = {c.code: c.name for c in selectors.care_categories(active_only=False)}
    headers: list[Any] = [
        _("Household number"),
        _("Township"),
        _("Village or villagers' group"),
        _("Address"),
        _("Head of household"),
        _("Members"),
        _("On the visit list"),
    ]
    if sees_care:
        headers.append(_("Care categories"))
    book = StreamedWorkbook()
    sheet = book.sheet(
        _("Households"), headers=headers, widths={"A": 18, "B": 16, "C": 24, "D": 30}
    )
    households = households.select_related("region__township")
    for chunk in _chunks(households):
        codes = (
            selectors.households_care_codes(chunk, viewer=viewer, reason="household.export")
            if sees_care
            else {}
        )
        if reveal:
            selectors.households_addresses_viewed(chunk, viewer=viewer, reason="household.export")
        for household in chunk:
            region = household.region
            row: list[Any] = [
                household.code,
                region.township.name if region.township else "",
                region.name,
                household.address if reveal else rules.mask_address(household.address),
                household.head.name if household.head else "",
                household.member_count,  # type: ignore[attr-defined]
                _("yes") if household.on_visit_list else _("no"),  # type: ignore[attr-defined]
            ]
            if sees_care:
                row.append("、".join(names.get(code, code) for code in codes.get(household.pk, [])))
            sheet.append(row)
    book.save(target)
    audit_record(
        actor=viewer,
        action="household.export",
        changes={"rows": sheet.rows, "masked": not reveal, "care_categories": sees_care},
    )
    return sheet.rows
