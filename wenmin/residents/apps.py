"""Residents' verified phones: one-time codes, sign-in, the resident's own pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    """Residents' verified phones: one-time codes, sign-in, the resident's own pages."""

    name = "wenmin.residents"
    label = "residents"
    verbose_name = _("Residents' verified phones")

    def ready(self) -> None:
        from wenmin.core import audit_labels, nav, periodic, roles
        from wenmin.residents import mine
        from wenmin.residents.services import codes_prune

        nav.page_register("residents:verify", lambda user: True)
        # Anonymous visitors too: "mine" is where a resident signs in with a code.
        nav.menu_register("residents:me", _("Mine"), 57, roles.public_user)
        nav.landing_register(roles.Role.RESIDENT, "residents:me")
        mine.section_register("portal:mine", _("My reports"), 10, _reports_count)
        periodic.periodic_register("residents.codes_prune", codes_prune)
        audit_labels.register(
            nouns={
                "verification_code": _("Verification code"),
                "verified_phone": _("Verified phone"),
            },
            phrases={
                "verification_code.send": _("Verification code sent"),
                "verification_code.wrong": _("Wrong verification code entered"),
                "verification_code.proved": _("Phone proved by a verification code"),
                "verified_phone.set": _("Phone verified"),
            },
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """The demo `resident` login's phone is verified, so it can support and book."""
        from wenmin.residents.demo import residents_seed

        return residents_seed(now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.residents.selectors import residents_stats

        return {"residents": residents_stats()}


def _reports_count(user: Any) -> int:
    from wenmin.cases.selectors import cases_visible_to, own_reports

    return cases_visible_to(user).filter(own_reports(user)).count()
