"""Who sees hotspots and topics, who picks the month's topic; pure but for the user's unit."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, STAFF_ROLES


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def map_user(user: Any) -> bool:
    """Staff see the map (each their own cases on it)."""
    return _role(user) in STAFF_ROLES


def hotspots_user(user: Any) -> bool:
    """Hotspots and topics are the county's picture: leaders, the administrator, dispatchers and
    the supervising unit's staff (the cases' supervisors)."""
    if not _role(user):
        return False
    from wenmin.cases.queues import can_supervise

    return bool(can_supervise(user))


def may_pick(user: Any) -> bool:
    """A county leader (or the administrator) picks the month's topics and links their cases."""
    return _role(user) in COUNTY_WIDE_ROLES
