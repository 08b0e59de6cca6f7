from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from wenmin.core.models import User

DEMO_USERNAMES = ("admin", "leader", "township", "department", "secretary", "volunteer", "resident")


class Command(BaseCommand):
    help = "Print the demo county's logins (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("unit")
        }
        if not users:
            self.stdout.write(
                "No demo logins: load the demo county with `wenmin seed --scale county`."
            )
            return
        password = (
            "(hidden in production)" if settings.PRODUCTION else settings.WENMIN_DEMO_PASSWORD
        )
        self.stdout.write(f"Demo logins (password: {password})")
        for username in DEMO_USERNAMES:
            user = users.get(username)
            if user is not None:
                unit = f" · {user.unit.name}" if user.unit else ""
                self.stdout.write(f"  {username:<11} {user.get_role_display()}{unit}")
