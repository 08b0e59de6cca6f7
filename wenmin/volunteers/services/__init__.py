"""The only door for writes to the volunteers: profiles and teams, activities, check-in and out,
hours, certificates."""

from __future__ import annotations

from wenmin.volunteers.services.activities import (
    activity_publish,
    check_in,
    check_out,
    sign_up,
)
from wenmin.volunteers.services.certificates import certificate_issue, certificate_revoke
from wenmin.volunteers.services.hours import ACTIVITY_COMPLETED, hours_confirm, hours_correct
from wenmin.volunteers.services.profiles import (
    membership_add,
    profile_register,
    team_member_register,
    team_register,
)

__all__ = [
    "ACTIVITY_COMPLETED",
    "activity_publish",
    "certificate_issue",
    "certificate_revoke",
    "check_in",
    "check_out",
    "hours_confirm",
    "hours_correct",
    "membership_add",
    "profile_register",
    "sign_up",
    "team_member_register",
    "team_register",
]
