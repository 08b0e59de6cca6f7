"""惠民工程: public-benefit projects, their plans, progress, speed and supervision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """惠民工程: public-benefit projects, their plans, progress, speed and supervision."""

    name = "wenmin.projects"
    label = "projects"
    verbose_name = _("Public-benefit projects (惠民工程)")

    reference_data = ("wenmin.projects.migrations.0002_work_kinds:add_work_kinds",)

    def ready(self) -> None:
        from wenmin.projects.dossier import dossier_section_register

        dossier_section_register()  # its part of a cadre's front-line dossier
        from wenmin.cases import page_actions
        from wenmin.core import audit_labels, nav, periodic
        from wenmin.core.roles import public_user
        from wenmin.projects import access, case_links
        from wenmin.projects.services import projects_supervise_sweep
        from wenmin.projects.tallies import source_projects_register

        def everyone(user: Any) -> bool:
            return True

        nav.menu_register("projects:home", _("Projects"), 36, access.projects_user)
        nav.menu_register("projects:dashboard", _("Projects dashboard"), 37, access.projects_user)
        nav.menu_register("projects:public_list", _("Public-benefit projects"), 66, public_user)
        for name in (
            "new",
            "fast_tasks",
            "bulletin",
            "bulletin_xlsx",
            "detail",
            "plan",
            "status",
            "report",
        ):
            nav.page_register(f"projects:{name}", access.projects_user)
        # The public list is in the menu of residents and visitors only (staff have the register);
        # its projects, photos and the list itself open for everyone.
        for name in ("public", "photo"):
            nav.page_register(f"projects:{name}", everyone)
        from wenmin.branchlife.outcomes import outcome_register
        from wenmin.projects import meeting_links

        outcome_register(
            "project",
            _("Project proposal (惠民工程)"),
            meeting_links.project_from_meeting,
            meeting_links.project_url,
        )
        page_actions.case_page_action_register(
            "projects:project", _("The project this case is about"), case_links.project_url
        )
        page_actions.case_page_action_register(
            "projects:propose", _("Make it a project"), case_links.propose_url
        )
        # Milestones on time, progress and pace: counted in the shared daily counts.
        source_projects_register()
        # Projects behind their plan: reminder, supervision order, escalation to the patron.
        periodic.periodic_register(
            "projects.supervise", projects_supervise_sweep, lease_seconds=600
        )
        audit_labels.register(
            phrases={
                "projects.propose": _("Project registered"),
                "projects.patron_set": _("Project patron set"),
                "projects.update": _("Project changed"),
                "projects.status_set": _("Project status changed"),
                "projects.plan_set": _("Project plan set"),
                "projects.report": _("Project progress reported"),
                "projects.case_link": _("Case linked to a project"),
                "projects.bulletin_export": _("Project bulletin exported"),
                "projects.supervision_reminder": _("Project reminded (behind plan)"),
                "projects.supervision_order": _("Project supervision order"),
                "projects.supervision_order_reminder": _("Project supervision order reminded"),
                "projects.supervision_escalation": _("Project escalated to its patron"),
                "projects.supervision_recovered": _("Project back on plan"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county (core.composition)."""
        from wenmin.projects.demo import demo_projects

        return demo_projects(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.projects.demo import projects_stats

        return {"projects": projects_stats()}
