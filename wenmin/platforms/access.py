"""Who may read, serve at and edit the catalogue of a centre or station; pure but for the
viewer's home unit (and its region) already loaded."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, Role, can_export
from wenmin.organisation.models import RegionLevel, Unit

READER_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.COUNTY_LEADER,
        Role.TOWNSHIP_STAFF,
        Role.DEPARTMENT_STAFF,
        Role.BRANCH_SECRETARY,
    }
)


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def platforms_user(user: Any) -> bool:
    """Staff who may open the centres' and stations' staff pages."""
    return _role(user) in READER_ROLES


def errand_user(user: Any) -> bool:
    """A volunteer, who may take errands (代办) and record their hand-overs."""
    return _role(user) == Role.VOLUNTEER and getattr(user, "person_id", None) is not None


def sees_whole_county(user: Any) -> bool:
    """County-wide roles and the county's departments see every centre and station."""
    return _role(user) in COUNTY_WIDE_ROLES or _role(user) == Role.DEPARTMENT_STAFF


def township_path(user: Any) -> str | None:
    """The region path of a township staff member's township, None for anyone else."""
    unit = getattr(user, "unit", None)
    if _role(user) != Role.TOWNSHIP_STAFF or unit is None or unit.region.township is None:
        return None
    return str(unit.region.township.path)


def village_path(user: Any) -> str | None:
    """The region path of a branch secretary's village, None for anyone else."""
    unit = getattr(user, "unit", None)
    if _role(user) != Role.BRANCH_SECRETARY or unit is None:
        return None
    if unit.region.level != RegionLevel.VILLAGE:
        return None
    return str(unit.region.path)


def may_serve(user: Any, unit: Unit) -> bool:
    """Whether the viewer works at this centre or station: records services, calls the queue,
    keeps the roster and the visitor log. The administrator anywhere; staff of the unit itself;
    township staff in their township; a branch secretary at their village's station."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role not in READER_ROLES or role == Role.COUNTY_LEADER:
        return False
    if getattr(user, "unit_id", None) == unit.pk:
        return True
    township = township_path(user)
    if township is not None:
        return unit.region.path.startswith(township)
    village = village_path(user)
    return village is not None and unit.region.path.startswith(village)


def may_export_records(user: Any, unit: Unit) -> bool:
    """Whether the viewer may take a centre's service records away in Excel: those who work
    there, and staff whose role may export. Only for a centre the viewer sees (the selectors'
    scope is checked first)."""
    return may_serve(user, unit) or (platforms_user(user) and can_export(_role(user)))


def may_edit_catalogue(user: Any) -> bool:
    """County-level staff (the administrator, a county department) keep the catalogues."""
    role = _role(user)
    if role == Role.ADMINISTRATOR:
        return True
    unit = getattr(user, "unit", None)
    return (
        role == Role.DEPARTMENT_STAFF
        and unit is not None
        and unit.region.level == RegionLevel.COUNTY
    )
