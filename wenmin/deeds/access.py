"""Who may read, record and confirm practical deeds; pure but for the viewer's unit already loaded."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, STAFF_ROLES, Role

RECORD_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF, Role.BRANCH_SECRETARY}
)
# Who speaks for a village when confirming a deed: its branch, or its township's staff.
VILLAGE_ROLES = frozenset({Role.BRANCH_SECRETARY, Role.TOWNSHIP_STAFF})


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def deeds_user(user: Any) -> bool:
    """Staff who may open the deeds' pages (each sees the deeds of their part of the county)."""
    return _role(user) in STAFF_ROLES


def recording_user(user: Any) -> bool:
    """Staff who may record a deed."""
    return _role(user) in RECORD_ROLES


def sees_whole_county(user: Any) -> bool:
    return _role(user) in COUNTY_WIDE_ROLES


def resident_user(user: Any) -> bool:
    """A resident, who may confirm the deeds done for their household."""
    return _role(user) == Role.RESIDENT and bool(getattr(user, "person_id", None))


def speaks_for_village(user: Any) -> bool:
    return _role(user) in VILLAGE_ROLES
