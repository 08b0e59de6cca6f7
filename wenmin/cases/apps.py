from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wenmin.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from wenmin.cases.dossier import dossier_section_register

        dossier_section_register()  # its part of a cadre's front-line dossier
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
        self._pages()
        self._audit_words()
        compat.task_results_patch()
        notifications.connect()
        # A database check: it reads the administrator's working-day overrides.
        django_checks.register(checks.calendar_check, django_checks.Tags.database)

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """The dispatch catalogue and a year of case history per county, up to `now`."""
        from wenmin.cases.demo import cases_seed

        history = cases_seed(seed=seed, now=now, progress=progress)
        return [
            _("Case history: %(cases)s cases with %(events)s events.")
            % {"cases": history.cases, "events": history.events}
        ]

    def stats(self) -> dict[str, Any]:
        from wenmin.cases.selectors import case_stats

        return {"cases": case_stats()}

    @staticmethod
    def _audit_words() -> None:
        from wenmin.cases.labels import EVENT_LABELS
        from wenmin.core import audit_labels

        audit_labels.register(
            nouns={"case": _("Case"), "category": _("Category")},
            phrases={
                **{f"case.{code}": label for code, label in EVENT_LABELS.items()},
                "case.export": _("Cases exported"),
                "case.requester_viewed": _("Requester's phone shown"),
            },
        )

    @staticmethod
    def _pages() -> None:
        from wenmin.cases.queues import can_supervise
        from wenmin.core import nav, roles

        nav.menu_register("cases:workbench", _("Cases"), 10, roles.staff_user)
        nav.menu_register("cases:supervision", _("Supervision"), 20, can_supervise)
        nav.menu_register("portal:mine", _("My reports"), 58, roles.public_account)
        nav.menu_register("portal:submit", _("Report a problem"), 60, roles.public_user)
        nav.menu_register("portal:track_lookup", _("Track a case"), 70, roles.public_user)
