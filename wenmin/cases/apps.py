from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wenmin.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.core import checks as django_checks
        from django.db.models.signals import post_delete, post_save

        from wenmin.cases import checks, compat, notifications
        from wenmin.cases.models import DeadlineOverride, WorkdayOverride
        from wenmin.cases.services.policy import policy_forget

        for model in (DeadlineOverride, WorkdayOverride):
            post_save.connect(
                policy_forget, sender=model, dispatch_uid=f"policy-{model.__name__}-save"
            )
            post_delete.connect(
                policy_forget, sender=model, dispatch_uid=f"policy-{model.__name__}-delete"
            )
        compat.task_results_patch()
        notifications.connect()
        # A database check: it reads the administrator's working-day overrides.
        django_checks.register(checks.calendar_check, django_checks.Tags.database)
