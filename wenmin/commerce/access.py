"""Who may read and write a branch's e-commerce; pure but for the viewer's unit already loaded."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.organisation.models import Unit, UnitKind

READ_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.COUNTY_LEADER, Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY}
)


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def commerce_user(user: Any) -> bool:
    """Staff who open the branches' e-commerce pages."""
    return _role(user) in READ_ROLES


def sees_whole_county(user: Any) -> bool:
    return _role(user) in COUNTY_WIDE_ROLES


def own_branch(user: Any) -> Unit | None:
    """The branch a branch secretary keeps the e-commerce of."""
    unit = getattr(user, "unit", None)
    if (
        _role(user) == Role.BRANCH_SECRETARY
        and unit is not None
        and unit.kind == UnitKind.PARTY_BRANCH
    ):
        return unit
    return None


def may_write(user: Any, branch: Unit) -> bool:
    """The branch's own secretary, the staff of its township, or the administrator."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role == Role.BRANCH_SECRETARY:
        return getattr(user, "unit_id", None) == branch.pk
    if role == Role.TOWNSHIP_STAFF:
        unit = getattr(user, "unit", None)
        township = unit.region.township_id if unit is not None else None
        return township is not None and branch.region.township_id == township
    return False
