"""Who may read and keep which branch's meetings; pure but for the viewer's loaded unit."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.organisation.models import Unit, UnitKind


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def county_wide(user: Any) -> bool:
    """The organisation department's view of every branch (administrator, county leaders)."""
    return _role(user) in COUNTY_WIDE_ROLES


def configures(user: Any) -> bool:
    """Who sets the meeting rules and publishes the monthly theme: the administrator."""
    return _role(user) == Role.ADMINISTRATOR


def township_path(user: Any) -> str | None:
    unit = getattr(user, "unit", None)
    if _role(user) != Role.TOWNSHIP_STAFF or unit is None:
        return None
    region = unit.region
    if region.level == "township":  # the township's own government: no lookup of its township
        return str(region.path)
    return str(region.township.path) if region.township is not None else None


def oversees(user: Any) -> bool:
    """The grid's readers: county-wide roles and township staff (their township)."""
    return county_wide(user) or township_path(user) is not None


def secretary_branch_id(user: Any) -> int | None:
    """The branch a branch secretary keeps."""
    if _role(user) != Role.BRANCH_SECRETARY:
        return None
    unit = getattr(user, "unit", None)
    if unit is None or unit.kind != UnitKind.PARTY_BRANCH:
        return None
    return int(unit.pk)


def keeps(user: Any, branch: Unit) -> bool:
    """Whether the viewer keeps a branch's meetings: its secretary, or the administrator."""
    return configures(user) or secretary_branch_id(user) == branch.pk


def fixes_life_day(user: Any, branch: Unit) -> bool:
    """Who fixes a branch's life day: its secretary, the administrator, or its township."""
    if keeps(user, branch):
        return True
    path = township_path(user)
    return path is not None and branch.region.path.startswith(path)


def reads_branch(user: Any, branch: Unit) -> bool:
    """Whether the viewer reads a branch's meetings and ledger."""
    if county_wide(user) or keeps(user, branch):
        return True
    path = township_path(user)
    return path is not None and branch.region.path.startswith(path)


def branchlife_user(user: Any) -> bool:
    """Staff who open the branch meetings' pages (the grid, or their own branch)."""
    return oversees(user) or secretary_branch_id(user) is not None


def signed_in(user: Any) -> bool:
    return bool(_role(user))
