"""Who may do what with households, and how care categories are tagged and addresses masked.

Pure but for the digest key from the settings: no database.

Decisions (issue 10, 问需):
- Who sees which households: county-wide roles all; township staff their township; a branch
  secretary the village their branch serves; a volunteer the households of the region their team
  serves (a township's or a village's team) — they knock on those doors — and none without a team.
  Department staff none: a bureau does not visit households.
- Care categories by name are shown to the roles that act on them: township staff, branch
  secretaries, the administrator and county leaders. A volunteer sees only whether a household
  is on the visit list, never why: a volunteer needs to know where to go, not that a family
  is on 低保.
- Households are created and edited by the administrator and by township staff of the
  household's township.
- An address in clear is for the roles that may reveal personal data (each reveal logged).
"""

from __future__ import annotations

from typing import Any

from wenmin.core import crypto, roles
from wenmin.core.roles import Role
from wenmin.organisation.models import RegionLevel

# A household belongs to a village (or community) or to one of its villagers' groups.
HOUSEHOLD_LEVELS = frozenset({RegionLevel.VILLAGE, RegionLevel.GROUP})
VIEW_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.COUNTY_LEADER,
        Role.TOWNSHIP_STAFF,
        Role.BRANCH_SECRETARY,
        Role.VOLUNTEER,
    }
)
CARE_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.COUNTY_LEADER, Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY}
)
EDIT_ROLES = frozenset({Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF})
# The list filter's value for "on the visit list" (any category that must be visited).
VISIT_FILTER = "visit"
CODE_MAX = 32


def can_view_households(role: str) -> bool:
    return role in VIEW_ROLES


def can_see_care_categories(role: str) -> bool:
    """Which categories a household is in; others see only whether it is on the visit list."""
    return role in CARE_ROLES


def can_edit_households(role: str) -> bool:
    """Create and edit households (township staff: of their own township only)."""
    return role in EDIT_ROLES


def can_export_households(role: str) -> bool:
    return roles.can_export(role) and role in VIEW_ROLES


def can_reveal_address(role: str) -> bool:
    return roles.can_reveal_personal_data(role)


def care_digest(code: str) -> str:
    """The keyed digest stored for a care category (see Household.care_codes)."""
    return crypto.digest("household-care:" + code)


def care_codes_join(codes: list[str]) -> str:
    return ",".join(sorted(set(codes)))


def care_codes_split(text: str) -> list[str]:
    return [code for code in text.split(",") if code]


def mask_address(address: str) -> str:
    """The first third of an address, the rest starred: 青石镇青石村**** ."""
    if not address:
        return ""
    if len(address) <= 4:
        return "*" * len(address)
    return address[: len(address) // 3] + "****"


# The same rules on a viewer (a User or an AnonymousUser), for the menus and the views.


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def household_viewer(user: Any) -> bool:
    return can_view_households(_role(user))


def household_editor(user: Any) -> bool:
    return can_edit_households(_role(user))


def household_exporter(user: Any) -> bool:
    return can_export_households(_role(user))
