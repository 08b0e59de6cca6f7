from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenmin.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from django.core import checks as django_checks

        from wenmin.core import checks, nav, roles, signals  # noqa: F401  (signals: login audit)

        django_checks.register(checks.sms_stub_check)

        nav.menu_register("core:audit_log", _("Audit log"), 90, roles.administrator_user)
        nav.menu_register("admin:index", _("Admin"), 95, roles.administrator_user)
        for role in roles.STAFF_ROLES:
            nav.landing_register(role, "cases:workbench")
        nav.landing_register("", "portal:submit")


class WenminAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the administrator-only site (listed by path in INSTALLED_APPS)."""

    default = False
    default_site = "wenmin.core.sites.WenminAdminSite"
