"""Who may see, create, plan and report on projects; pure but for the viewer's unit already
loaded."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, STAFF_ROLES, Role

CREATOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF})


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def projects_user(user: Any) -> bool:
    """Staff who may open the register (each sees their part of it)."""
    return _role(user) in STAFF_ROLES


def sees_whole_county(user: Any) -> bool:
    return _role(user) in COUNTY_WIDE_ROLES


def may_create(user: Any) -> bool:
    """The administrator, and staff of a department or a township for their own unit."""
    return _role(user) in CREATOR_ROLES and (
        _role(user) == Role.ADMINISTRATOR or getattr(user, "unit_id", None) is not None
    )


def township_path(user: Any) -> str | None:
    """The region path of a township staff member's township, None for anyone else."""
    unit = getattr(user, "unit", None)
    if _role(user) != Role.TOWNSHIP_STAFF or unit is None or unit.region.township is None:
        return None
    return str(unit.region.township.path)


def may_manage(user: Any, project: Any) -> bool:
    """Plan, change the status of, and link a project: the administrator, the owner unit's staff."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    return role in CREATOR_ROLES and getattr(user, "unit_id", None) == project.owner_id


def may_report(user: Any, project: Any) -> bool:
    """Report progress: the responsible cadre (their own person), or whoever manages it."""
    person_id = getattr(user, "person_id", None)
    if _role(user) in STAFF_ROLES and person_id and person_id == project.responsible_id:
        return True
    return may_manage(user, project)


def sees_internal(user: Any) -> bool:
    """Internal notes are for staff; the public page never shows them."""
    return projects_user(user)
