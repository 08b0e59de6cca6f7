"""Who may read and keep which members' points; pure but for the viewer's loaded unit.

The branches a viewer reads are the branch meetings' own rule (wenmin.branchlife.access): the
county-wide roles (the organisation department: the administrator and county leaders) all, a
township's staff their township's, a branch secretary their own branch."""

from __future__ import annotations

from typing import Any

from wenmin.branchlife import access as branches
from wenmin.core.roles import COUNTY_WIDE_ROLES
from wenmin.organisation.models import PartyMember


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def signed_in(user: Any) -> bool:
    return bool(_role(user))


def organisation_department(user: Any) -> bool:
    """The organisation department's roles: the administrator and county leaders."""
    return _role(user) in COUNTY_WIDE_ROLES


def points_reader(user: Any) -> bool:
    """Staff who read members' points: the county-wide roles, townships, branch secretaries."""
    return branches.oversees(user) or branches.secretary_branch_id(user) is not None


def sets_rules(user: Any) -> bool:
    """Who sets a year's rules, base and stars: the organisation department."""
    return organisation_department(user)


def adjusts(user: Any, member: PartyMember) -> bool:
    """Who records a bonus or penalty for a member: the organisation department for anyone,
    a branch secretary for their own branch's members."""
    if organisation_department(user):
        return True
    own = branches.secretary_branch_id(user)
    return own is not None and own == member.branch_id
