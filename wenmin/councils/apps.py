"""问计: villagers' councils, proposals and the 四议两公开 decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """问计: villagers' councils, proposals and the 四议两公开 decisions."""

    name = "wenmin.councils"
    label = "councils"
    verbose_name = _("Idea solicitation (问计)")

    def ready(self) -> None:
        from wenmin.cases import page_actions
        from wenmin.core import audit_labels, nav, periodic
        from wenmin.councils import case_links
        from wenmin.councils.selectors import can_view_councils, supports_count_for
        from wenmin.councils.services import notices_end_due
        from wenmin.councils.tally import councils_source_register
        from wenmin.residents import mine

        def everyone(user: Any) -> bool:
            return True

        nav.menu_register("councils:home", _("Councils"), 35, can_view_councils)
        nav.menu_register("councils:proposal_list", _("Village proposals"), 65, everyone)
        for name in (
            "proposals",
            "promote",
            "council_new",
            "council_detail",
            "member_add",
            "member_end",
            "proposal_manage",
            "meeting_record",
            "meeting_adjourn",
            "decision_publish",
            "send_to_projects",
            "result_publish",
            "withdraw",
            "comment_moderate",
            "objection_answer",
        ):
            nav.page_register(f"councils:{name}", can_view_councils)
        for name in (
            "proposal_new",
            "proposal_detail",
            "proposal_support",
            "comment_post",
            "objection_file",
            "photo",
            "my_supports",
        ):
            nav.page_register(f"councils:{name}", everyone)
        page_actions.case_page_action_register(
            "councils:promote", _("Make it a village proposal"), case_links.promote_url
        )
        page_actions.case_page_action_register(
            "councils:proposal", _("The village proposal made from it"), case_links.proposal_url
        )
        mine.section_register("councils:my_supports", _("My supports"), 30, supports_count_for)
        # Decisions whose notice period is over stop taking objections (the pages also read
        # the end date, so a late worker never keeps a notice open).
        periodic.periodic_register("councils.notices_end", notices_end_due, lease_seconds=600)
        audit_labels.register(
            phrases={
                "councils.council_create": _("Villagers' council created"),
                "councils.member_add": _("Council member added"),
                "councils.member_end": _("Council membership ended"),
                "councils.procedure_set": _("Decision procedure set"),
                "councils.proposal_raise": _("Proposal raised"),
                "councils.proposal_promote": _("Suggestion case made a proposal"),
                "councils.project_taken": _("Decision taken in by the projects register"),
                "councils.proposal_withdraw": _("Proposal withdrawn"),
                "councils.support": _("Proposal supported"),
                "councils.comment_post": _("Comment written"),
                "councils.comment_moderate": _("Comment moderated"),
                "councils.meeting_record": _("Procedure meeting recorded"),
                "councils.meeting_adjourn": _("Procedure meeting adjourned (流会)"),
                "councils.publish_decision": _("Decision made public"),
                "councils.objection_file": _("Objection filed"),
                "councils.objection_handle": _("Objection answered"),
                "councils.notice_end": _("Notice period ended"),
                "councils.send_to_projects": _("Decision sent to the projects register"),
                "councils.publish_result": _("Result made public"),
            }
        )
        councils_source_register()

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        from wenmin.councils.demo import demo_load

        return demo_load(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.councils.selectors import stats

        return stats()
