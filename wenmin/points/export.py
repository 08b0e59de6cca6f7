"""The members' points of a year as a workbook: a title, when it was exported, then one row per
member in rank order with each rule's points, the bonuses and penalties, the total and stars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wenmin.core.excel import StreamedWorkbook, Styled
from wenmin.points.breakdown import RankedRow
from wenmin.points.scoring import YearRules


def points_workbook(
    *, rows: Sequence[RankedRow], rules: YearRules | None, year: int, target: IO[bytes]
) -> int:
    """Write the ranked members to target; the number of members written."""
    book = StreamedWorkbook()
    rule_list = rules.rules if rules is not None else ()
    widths = {"A": 6, "B": 12, "C": 24, "D": 14}
    sheet = book.sheet(_("Party member points"), widths=widths, freeze="C4")
    sheet.append([Styled(_("Party member points, %(year)s") % {"year": year}, bold=True, size=14)])
    sheet.append([_("Exported %(when)s") % {"when": f"{timezone.localtime():%Y-%m-%d %H:%M}"}])
    sheet.header(
        [
            pgettext("place in a ranking", "Rank"),
            _("Name"),
            _("Party branch"),
            _("Township"),
            _("Base"),
            *[rule.label for rule in rule_list],
            _("Bonuses and penalties"),
            _("Total"),
            _("Stars"),
        ]
    )
    for row in rows:
        sheet.append(
            [
                row.rank,
                row.name,
                row.branch,
                row.township,
                row.points.base,
                *[line.points for line in row.points.lines],
                row.points.adjustments,
                row.points.total,
                row.points.stars,
            ]
        )
    book.save(target)
    return len(rows)
