"""问需: needs survey forms, visit plans, door-to-door visits and the needs they raise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """问需: needs survey forms, visit plans, door-to-door visits and the needs they raise."""

    name = "wenmin.surveys"
    label = "surveys"
    verbose_name = _("Needs surveys (问需)")

    # The starting lists its data migrations write (core.composition.reference_data_again).
    reference_data = ("wenmin.surveys.migrations.0002_need_kinds:add_need_kinds",)

    def ready(self) -> None:
        from wenmin.cases.services import events
        from wenmin.core import audit_labels, nav
        from wenmin.residents import mine
        from wenmin.surveys import access, selectors, tally

        nav.menu_register("surveys:home", _("Needs surveys"), 35, access.surveys_user)
        nav.menu_register("surveys:my_visits", _("Households to visit"), 6, access.visiting_user)
        mine.section_register(
            "surveys:my_answers", _("My survey answers"), 40, selectors.answers_count
        )
        audit_labels.register(
            phrases={
                "surveys.form_create": _("Survey created"),
                "surveys.question_add": _("Survey question added"),
                "surveys.version_draft": _("Survey version drafted"),
                "surveys.version_publish": _("Survey version published"),
                "surveys.version_retire": _("Survey version retired"),
                "surveys.plan_create": _("Visit round planned"),
                "surveys.visit_submit": _("Survey visit stored"),
                "surveys.answer_submit": _("Survey answered by a resident"),
                "surveys.plan_open_to_residents": _("Survey round opened to residents"),
                "surveys.need_resolve": _("Waiting need resolved"),
                "surveys.export": _("Survey results exported"),
            }
        )
        tally.surveys_source_register()
        if tally.case_changed not in events.AFTER_EVENT:
            events.AFTER_EVENT.append(tally.case_changed)

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        from wenmin.surveys.demo import demo_surveys

        return demo_surveys(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.surveys.demo import surveys_stats

        return {"surveys": surveys_stats()}
