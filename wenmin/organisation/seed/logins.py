"""The demo logins, one per role, each linked to a person of the first county."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.seed.plan import CountyPlan
from wenmin.organisation.seed.write import CountyWriter


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    created: bool


def create_logins(plan: CountyPlan, writer: CountyWriter) -> list[LoginRow]:
    """Create the plan's demo accounts; a username that exists already is left as it is."""
    # One hash for all: the logins share a password, and each hash costs a deliberate fraction
    # of a second.
    password = make_password(settings.WENMIN_DEMO_PASSWORD)
    existing = set(
        User.objects.filter(username__in=[login.username for login in plan.logins]).values_list(
            "username", flat=True
        )
    )
    rows = []
    for login in plan.logins:
        created = login.username not in existing
        if created:
            administrator = login.role == Role.ADMINISTRATOR
            User.objects.create(
                username=login.username,
                password=password,
                role=login.role,
                unit=writer.units[login.unit_code] if login.unit_code else None,
                person=writer.people[login.person],
                is_staff=administrator,
                is_superuser=administrator,
            )
        rows.append(LoginRow(login.username, login.role, created))
    return rows
