"""Who may organise a team's activities (publish, show the check-in code, confirm hours, issue
and revoke its certificates) and who may read the teams' pages; pure but for rows already loaded
and one membership lookup for team leaders."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.volunteers.models import Membership, Team

# Staff who read the teams' pages (within their scope); organisers are a subset, by team.
STAFF_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.COUNTY_LEADER, Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY}
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


def staff_user(user: Any) -> bool:
    """Staff who may open the teams' pages."""
    return _role(user) in STAFF_ROLES


def volunteer_user(user: Any) -> bool:
    """A volunteer's login (the phone page)."""
    return _role(user) == Role.VOLUNTEER


def organiser_pages_user(user: Any) -> bool:
    """Who may open an organiser's page (each page then asks may_organise for its team)."""
    return staff_user(user) or volunteer_user(user)


def sees_whole_county(user: Any) -> bool:
    return _role(user) in COUNTY_WIDE_ROLES


def may_organise(user: Any, team: Team) -> bool:
    """Whether the viewer organises this team's activities (谁组织谁记录): the administrator,
    the team's township staff, the secretary of the team's branch (or its parent unit), and
    the team's leaders."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role == Role.TOWNSHIP_STAFF:
        township = township_path(user)
        return township is not None and team.unit.region.path.startswith(township)
    if role == Role.BRANCH_SECRETARY:
        unit_id = getattr(user, "unit_id", None)
        return unit_id is not None and unit_id in (team.branch_id, team.unit.parent_id)
    if role == Role.VOLUNTEER and getattr(user, "person_id", None):
        return Membership.objects.filter(
            team=team, is_leader=True, profile__volunteer__person_id=user.person_id
        ).exists()
    return False
