"""Who sees insight: the dispatchers (suggestions, duplicates, merging) and the county-wide
roles (how often the suggestions were right)."""

from __future__ import annotations

from typing import Any

from wenmin.cases.selectors import is_dispatcher
from wenmin.core.roles import COUNTY_WIDE_ROLES


def insight_user(user: Any) -> bool:
    """Dispatchers, the administrator and county leaders."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return str(getattr(user, "role", "")) in COUNTY_WIDE_ROLES or is_dispatcher(user)


def dispatcher_user(user: Any) -> bool:
    """Those who may act on a suggestion or merge a duplicate (the cases' own rule)."""
    return bool(getattr(user, "is_authenticated", False)) and is_dispatcher(user)
