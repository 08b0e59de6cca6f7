"""Who may build survey forms and plans, fill them in, and read their results; pure but for the
viewer's home unit already loaded."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.organisation.models import Unit

BUILDER_ROLES = frozenset({Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF})
RESULT_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.COUNTY_LEADER, Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF}
)


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def township_path(user: Any) -> str | None:
    """The region path of a township staff member's township, None for anyone else."""
    unit = getattr(user, "unit", None)
    if _role(user) != Role.TOWNSHIP_STAFF or unit is None or unit.region.township is None:
        return None
    return str(unit.region.township.path)


def may_own(user: Any, unit: Unit) -> bool:
    """Whether the viewer may build forms and plans owned by a unit: the administrator for any,
    staff for their home unit, township staff for any unit of their township."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role not in BUILDER_ROLES:
        return False
    if getattr(user, "unit_id", None) == unit.pk:
        return True
    township = township_path(user)
    return township is not None and unit.region.path.startswith(township)


def surveys_user(user: Any) -> bool:
    """Staff who may open the surveys' pages (build or read results)."""
    return _role(user) in RESULT_ROLES


def sees_whole_county(user: Any) -> bool:
    return _role(user) in COUNTY_WIDE_ROLES


def visiting_user(user: Any) -> bool:
    """A volunteer, who visits households with their team."""
    return _role(user) == Role.VOLUNTEER
