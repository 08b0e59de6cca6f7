"""Who may read the village indicators, report a village's month and set its targets; pure but
for the viewer's home unit already loaded.

A village cadre (the branch secretary of a village's party branch) reads and reports for their
village; township staff for the villages of their township, and they set those villages'
targets; county leaders read the whole county; the administrator reads, reports and sets targets
everywhere."""

from __future__ import annotations

from typing import Any

from wenmin.core.roles import COUNTY_WIDE_ROLES, Role
from wenmin.organisation.models import Region, RegionLevel

READER_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.COUNTY_LEADER, Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY}
)
REPORTER_ROLES = frozenset({Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY})
TARGET_ROLES = frozenset({Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF})


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def home_path(user: Any) -> str | None:
    """The region prefix a viewer reads: "" for the whole county, their township's or their
    village's path, None for nobody."""
    role = _role(user)
    if role not in READER_ROLES:
        return None
    if role in COUNTY_WIDE_ROLES:
        return ""
    unit = getattr(user, "unit", None)
    if unit is None:
        return None
    region: Region = unit.region
    if role == Role.TOWNSHIP_STAFF:
        if region.level == RegionLevel.TOWNSHIP:  # the township's own government: no lookup
            return str(region.path)
        return str(region.township.path) if region.township is not None else None
    # A branch secretary: the village their branch serves (a villagers' group's branch: its
    # village); an organ branch of the county serves no village.
    if region.level == RegionLevel.GROUP and region.parent is not None:
        region = region.parent
    return str(region.path) if region.level == RegionLevel.VILLAGE else None


def reader(user: Any) -> bool:
    """Staff who may open the village indicators' pages."""
    return home_path(user) is not None


def reporter(user: Any) -> bool:
    """Staff who may report a village's month (their own villages)."""
    return _role(user) in REPORTER_ROLES and home_path(user) is not None


def target_setter(user: Any) -> bool:
    """Staff who may set villages' targets for a year (their own villages)."""
    return _role(user) in TARGET_ROLES and home_path(user) is not None


def within(user: Any, region: Region) -> bool:
    """Whether a region lies in the viewer's part of the county."""
    path = home_path(user)
    return path is not None and str(region.path).startswith(path)


def may_report(user: Any, village: Region) -> bool:
    return reporter(user) and village.level == RegionLevel.VILLAGE and within(user, village)


def may_set_targets(user: Any, village: Region) -> bool:
    return target_setter(user) and village.level == RegionLevel.VILLAGE and within(user, village)
