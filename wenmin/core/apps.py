from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenmin.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from django.core import checks as django_checks
        from django.db.models.signals import post_migrate

        from wenmin.core import checks, nav, periodic, roles, signals  # noqa: F401  (login audit)
        from wenmin.core.ratelimit import rate_counts_prune

        django_checks.register(checks.sms_stub_check)
        post_migrate.connect(cache_table_create, sender=self, dispatch_uid="wenmin-cache-table")
        periodic.periodic_register("core.rate_counts_prune", rate_counts_prune)

        nav.menu_register("core:audit_log", _("Audit log"), 90, roles.administrator_user)
        nav.menu_register("admin:index", _("Admin"), 95, roles.administrator_user)
        for role in roles.STAFF_ROLES:
            nav.landing_register(role, "cases:workbench")
        nav.landing_register("", "portal:submit")


def cache_table_create(*, using: str = "default", **_kwargs: Any) -> None:
    """`wenmin migrate` makes the database cache's table when the settings use one (production
    without REDIS_URL); createcachetable leaves an existing table alone."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class WenminAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the administrator-only site (listed by path in INSTALLED_APPS)."""

    default = False
    default_site = "wenmin.core.sites.WenminAdminSite"
