"""What residents write and units answer, per topic (see base.py for the placeholders)."""

from __future__ import annotations

from wenmin.cases.demo.texts import city, people
from wenmin.cases.demo.texts.base import (
    COMMUNITY_SPOTS,
    COMPLAINT_ENDINGS,
    FIRMS,
    HELP_ENDINGS,
    OTHER_PREFIX,
    PRAISE,
    PRAISE_PLAN,
    PRAISE_REPLY,
    REPORT_ENDINGS,
    REWORK_PLAN,
    REWORK_REPLY,
    SHOP_KINDS,
    SHOPS,
    SPOTS,
    SUGGESTION_PLAN,
    SUGGESTION_REPLIES,
    Texts,
)

TEXTS: dict[str, Texts] = {**city.TEXTS, **people.TEXTS}

__all__ = [
    "COMMUNITY_SPOTS",
    "COMPLAINT_ENDINGS",
    "FIRMS",
    "HELP_ENDINGS",
    "OTHER_PREFIX",
    "PRAISE",
    "PRAISE_PLAN",
    "PRAISE_REPLY",
    "REPORT_ENDINGS",
    "REWORK_PLAN",
    "REWORK_REPLY",
    "SHOPS",
    "SHOP_KINDS",
    "SPOTS",
    "SUGGESTION_PLAN",
    "SUGGESTION_REPLIES",
    "TEXTS",
    "Texts",
]
