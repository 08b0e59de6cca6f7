"""Volunteers: post volunteers and party volunteer teams, their activities, hours and
certificates (志愿服务记录证明)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """Volunteers: profiles, teams, activities, hours and certificates."""

    name = "wenmin.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from wenmin.volunteers.dossier import dossier_section_register

        dossier_section_register()  # its part of a cadre's front-line dossier
        from wenmin.cases import page_actions
        from wenmin.core import audit_labels, nav
        from wenmin.organisation import volunteer_links
        from wenmin.volunteers import access, case_links
        from wenmin.volunteers.tally_source import volunteers_source_register

        def everyone(user: Any) -> bool:
            return True

        volunteers_source_register()

        nav.menu_register("volunteers:me", _("My volunteer service"), 4, access.volunteer_user)
        nav.menu_register("volunteers:teams", _("Volunteer teams"), 36, access.staff_user)
        volunteer_links.volunteer_link_register(
            "volunteers:me",
            _("My activities, hours and certificate"),
            _(
                "Sign up for activities near you, check in and out at the place, see your hours "
                "and stars, and download your volunteer certificate."
            ),
        )
        for name in (
            "register",
            "hours",
            "activity",
            "sign_up",
            "scan",
            "certificate_issue",
        ):
            nav.page_register(f"volunteers:{name}", access.volunteer_user)
        for name in ("certificate", "certificate_pdf"):
            nav.page_register(f"volunteers:{name}", access.organiser_pages_user)
        for name in ("verify", "verify_lookup"):
            nav.page_register(f"volunteers:{name}", everyone)
        for name in ("team", "team_members"):
            nav.page_register(f"volunteers:{name}", access.staff_user)
        for name in (
            "activity_new",
            "team_member_register",
            "activity_manage",
            "activity_qr",
            "hours_confirm",
            "hours_correct",
        ):
            nav.page_register(f"volunteers:{name}", access.organiser_pages_user)
        nav.page_register("volunteers:certificate_revoke", access.staff_user)
        page_actions.case_page_action_register(
            "volunteers:activity_from_case",
            _("Make it a volunteer activity"),
            case_links.activity_from_case_url,
        )
        audit_labels.register(
            phrases={
                "volunteers.team_register": _("Volunteer team numbered"),
                "volunteers.profile_register": _("Volunteer registered"),
                "volunteers.membership_add": _("Volunteer added to a team"),
                "volunteers.activity_publish": _("Volunteer activity published"),
                "volunteers.sign_up": _("Volunteer signed up for an activity"),
                "volunteers.check_in": _("Volunteer checked in"),
                "volunteers.check_out": _("Volunteer checked out"),
                "volunteers.hours_confirm": _("Volunteer hours confirmed"),
                "volunteers.hours_correct": _("Volunteer hours corrected"),
                "volunteers.certificate_issue": _("Volunteer certificate issued"),
                "volunteers.certificate_revoke": _("Volunteer certificate revoked"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county (core.composition)."""
        from wenmin.volunteers.demo import demo_volunteers

        return demo_volunteers(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.volunteers.demo import volunteers_stats

        return volunteers_stats()
