"""`wenmin demo_logins`: the one listing of the demo county's logins (`make run` prints it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wenmin.core.models import User

# The demo seed's logins (organisation/seed/logins.py), in the order a newcomer meets the roles.
DEMO_USERNAMES = (
    "admin",
    "leader",
    "dispatcher",
    "township",
    "department",
    "secretary",
    "volunteer",
    "resident",
)


class Command(BaseCommand):
    help = "Print the demo county's logins (development only)."
    # A listing: the warnings are for the server that `make run` starts next, said there once.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("unit")
        }
        if not users:
            self.stdout.write(
                _("No demo logins: load the demo county with `wenmin seed --scale county`.")
            )
            return
        password = (
            _("(hidden in production)") if settings.PRODUCTION else settings.WENMIN_DEMO_PASSWORD
        )
        self.stdout.write(_("Demo logins (password: %(password)s)") % {"password": password})
        for username in DEMO_USERNAMES:
            user = users.get(username)
            if user is not None:
                unit = f" · {user.unit.name}" if user.unit else ""
                self.stdout.write(f"  {username:<11} {user.get_role_display()}{unit}")
