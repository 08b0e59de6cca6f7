from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenmin.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from wenmin.core import signals  # noqa: F401  (connects login auditing)


class WenminAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the administrator-only site (listed by path in INSTALLED_APPS)."""

    default = False
    default_site = "wenmin.core.sites.WenminAdminSite"
