"""The only door for writes to the deeds ledger."""

from __future__ import annotations

from wenmin.deeds.services.deeds import DeedInput, deed_confirm, deed_record
from wenmin.deeds.services.sources import ActivityLike, deed_from_activity, deed_from_need

__all__ = [
    "ActivityLike",
    "DeedInput",
    "deed_confirm",
    "deed_from_activity",
    "deed_from_need",
    "deed_record",
]
