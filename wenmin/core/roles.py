"""The access roles and what each may do; pure, no database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("County administrator")
    COUNTY_LEADER = "county_leader", _("County leader")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    VOLUNTEER = "volunteer", _("Volunteer")
    RESIDENT = "resident", _("Resident")


STAFF_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.COUNTY_LEADER,
        Role.TOWNSHIP_STAFF,
        Role.DEPARTMENT_STAFF,
        Role.BRANCH_SECRETARY,
    }
)
COUNTY_WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.COUNTY_LEADER})
EXPORT_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.COUNTY_LEADER, Role.TOWNSHIP_STAFF, Role.DEPARTMENT_STAFF}
)


def can_use_staff_pages(role: str) -> bool:
    """Staff pages (organisation tree, people search) are for the staff roles."""
    return role in STAFF_ROLES


def can_manage_reference_data(role: str) -> bool:
    """Only the county administrator edits and imports regions, units and people."""
    return role == Role.ADMINISTRATOR


def can_export(role: str) -> bool:
    """Exports of what the viewer can see, masked unless the role may reveal."""
    return role in EXPORT_ROLES


def can_view_audit_log(role: str) -> bool:
    """The audit log is for the administrator."""
    return role == Role.ADMINISTRATOR


def can_reveal_personal_data(role: str) -> bool:
    """Who may see a phone or ID number unmasked (each time logged)."""
    return role == Role.ADMINISTRATOR


# The same rules on a viewer (a User or an AnonymousUser), for the menus and landing pages.


def _role(user: object) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def staff_user(user: object) -> bool:
    """A logged-in user of a staff role."""
    return can_use_staff_pages(_role(user))


def public_user(user: object) -> bool:
    """An anonymous visitor or a logged-in resident or volunteer: the portal's people."""
    return not staff_user(user)


def public_account(user: object) -> bool:
    """A logged-in resident or volunteer."""
    return _role(user) in (Role.RESIDENT, Role.VOLUNTEER)


def exporting_user(user: object) -> bool:
    return can_export(_role(user))


def administrator_user(user: object) -> bool:
    return can_manage_reference_data(_role(user))


def volunteer_user(user: object) -> bool:
    return _role(user) == Role.VOLUNTEER
