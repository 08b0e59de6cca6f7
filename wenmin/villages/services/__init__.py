"""The only door for writes to the village indicators: monthly reports, targets, imports."""

from __future__ import annotations

from wenmin.villages.services.imports import ImportChecked, reports_import
from wenmin.villages.services.reports import Submitted, photos_check, report_submit
from wenmin.villages.services.targets import targets_set

__all__ = [
    "ImportChecked",
    "Submitted",
    "photos_check",
    "report_submit",
    "reports_import",
    "targets_set",
]
