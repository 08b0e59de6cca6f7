"""The deeds ledger (实事好事台账) as offices keep it: a title, who exported it and when, then one
numbered row per deed; households by their number only, never a name, phone or address."""

from __future__ import annotations

from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.excel import StreamedWorkbook, Styled
from wenmin.deeds.models import Deed

WIDTHS = {
    "A": 6, "B": 12, "C": 14, "D": 16, "E": 40, "F": 24, "G": 12, "H": 24, "I": 18, "J": 10,
    "K": 12, "L": 14,
}  # fmt: skip


def doer_name(deed: Deed) -> str:
    if deed.person is not None:
        return deed.person.name
    unit = deed.branch or deed.team
    return unit.name if unit is not None else ""


def beneficiary(deed: Deed) -> str:
    if deed.household is not None:
        return _("Household %(code)s") % {"code": deed.household.code}
    return deed.group_text


def ledger_workbook(*, deeds: QuerySet[Deed], title: str, target: IO[bytes]) -> int:
    """Write the ledger of these deeds to target; the number of deeds written."""
    book = StreamedWorkbook()
    sheet = book.sheet(_("Practical deeds"), widths=WIDTHS, freeze="A4")
    sheet.append([Styled(title, bold=True, size=14)])
    sheet.append([_("Exported %(when)s") % {"when": f"{timezone.localtime():%Y-%m-%d %H:%M}"}])
    sheet.header(
        [
            _("No."),
            _("Done on"),
            _("Township"),
            _("Village"),
            _("What was done"),
            _("For whom"),
            _("Done by"),
            _("Who did it"),
            _("Source"),
            _("State"),
            _("Confirmed by"),
            _("Confirmed on"),
        ]
    )
    rows = deeds.select_related(
        "village", "township", "branch", "team", "person", "household"
    ).order_by("done_on", "id")
    count = 0
    for count, deed in enumerate(rows.iterator(chunk_size=2000), start=1):
        sheet.append(
            [
                count,
                deed.done_on,
                deed.township.name if deed.township else "",
                deed.village.name,
                deed.title,
                beneficiary(deed),
                deed.get_doer_kind_display(),
                doer_name(deed),
                deed.get_source_kind_display(),
                deed.get_state_display(),
                deed.get_confirmer_kind_display() if deed.confirmer_kind else "",
                timezone.localdate(deed.confirmed_at) if deed.confirmed_at else None,
            ]
        )
    book.save(target)
    return count
