from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wenmin.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from wenmin.core import signals  # noqa: F401  (connects login auditing)
