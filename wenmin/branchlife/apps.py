"""支部生活日 and 三会一课: branch meetings, attendance, compliance and ledgers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchlifeConfig(AppConfig):
    """支部生活日 and 三会一课: branch meetings, attendance, compliance and ledgers."""

    name = "wenmin.branchlife"
    label = "branchlife"
    verbose_name = _("Branch life (三会一课)")

    reference_data = ("wenmin.branchlife.migrations.0002_meeting_types:add_meeting_types",)

    def ready(self) -> None:
        from wenmin.branchlife.dossier import dossier_section_register

        dossier_section_register()  # its part of a cadre's front-line dossier
        from wenmin.branchlife import access, outcomes, selectors
        from wenmin.branchlife.services.reminders import reminders_send
        from wenmin.branchlife.tallies import source_branchlife_register
        from wenmin.core import audit_labels, nav, periodic
        from wenmin.residents import mine

        nav.menu_register("branchlife:home", _("Branch meetings"), 36, access.branchlife_user)
        # A member reaches their meetings from the residents' own page (the section below) or
        # the branch's pages: no menu entry, which would cost every page a query to decide.
        nav.page_register("branchlife:mine", access.signed_in)
        mine.section_register(
            "branchlife:mine",
            _("My branch meetings"),
            45,
            selectors.my_meetings_count,
            shown_fn=lambda user: selectors.member_of(user) is not None,
        )
        outcomes.register_builtin()
        # Required meetings on time and attendance: counted in the shared daily counts.
        source_branchlife_register()
        periodic.periodic_register("branchlife.reminders", reminders_send, lease_seconds=600)
        audit_labels.register(
            phrases={
                "branchlife.meeting_plan": _("Branch meeting planned"),
                "branchlife.meeting_hold": _("Branch meeting recorded as held"),
                "branchlife.meeting_start": _("Branch meeting opened"),
                "branchlife.record_edit": _("Meeting record edited"),
                "branchlife.record_amend": _("Closed meeting record amended"),
                "branchlife.meeting_close": _("Meeting record closed"),
                "branchlife.photos_add": _("Meeting photos added"),
                "branchlife.sign_in": _("Signed in to a branch meeting"),
                "branchlife.attendance_tick": _("Attendance ticked"),
                "branchlife.leave_request": _("Leave asked for"),
                "branchlife.leave_decide": _("Leave decided"),
                "branchlife.outcome_open": _("Matter from a meeting opened"),
                "branchlife.type_update": _("Meeting rule changed"),
                "branchlife.theme_publish": _("Monthly theme published"),
                "branchlife.remind": _("Branch meeting reminders sent"),
                "branchlife.ledger_export": _("Meeting ledger exported"),
                "branchlife.life_day_set": _("Branch life day fixed"),
                "branchlife.away_record": _("Member recorded as working away"),
                "branchlife.away_end": _("Member back from working away"),
                "branchlife.away_export": _("Register of members working away exported"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """A year of meetings for the demo county's branches (core.composition)."""
        from wenmin.branchlife.demo import demo_away, demo_meetings

        return [*demo_meetings(seed=seed, now=now), *demo_away(seed=seed, now=now)]

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.branchlife.demo import branchlife_stats

        return {"branchlife": branchlife_stats()}
