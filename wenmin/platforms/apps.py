"""四平台: service centres and mass work stations — catalogue, walk-ins, queue, errands, rosters,
visitor logs and residents' ratings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    """Service centres (便民服务中心) and mass work stations (群众工作站)."""

    name = "wenmin.platforms"
    label = "platforms"
    verbose_name = _("Service centres and work stations")

    def ready(self) -> None:
        from wenmin.core import audit_labels, nav
        from wenmin.platforms import access
        from wenmin.platforms.tally import platforms_source_register

        nav.menu_register("platforms:home", _("Centres and stations"), 36, access.platforms_user)
        nav.menu_register("platforms:my_errands", _("Errands (代办)"), 7, access.errand_user)
        audit_labels.register(
            phrases={
                "platforms.item_add": _("Service added to a centre's catalogue"),
                "platforms.item_change": _("Catalogue service changed"),
                "platforms.item_offer": _("Catalogue service offered again"),
                "platforms.item_withdraw": _("Catalogue service withdrawn"),
                "platforms.hours_set": _("Opening hours set"),
                "platforms.ticket_take": _("Queue number issued"),
                "platforms.ticket_call": _("Queue number called"),
                "platforms.service_record": _("Walk-in service recorded"),
                "platforms.walkin_case": _("Walk-in opened as a case"),
                "platforms.errand_request": _("Errand (代办) requested"),
                "platforms.errand_take": _("Errand taken by a volunteer"),
                "platforms.handover": _("Errand hand-over recorded"),
                "platforms.duty_set": _("Duty cadre put on the roster"),
                "platforms.duty_remove": _("Duty cadre taken off the roster"),
                "platforms.station_visit": _("Work station visitor recorded"),
                "platforms.rating": _("Service rated by a resident"),
                "platforms.records_export": _("Service records ledger exported"),
            }
        )
        platforms_source_register()

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """The demo county's catalogues and a year of services and queue tickets."""
        from wenmin.platforms.demo import demo_platforms

        return demo_platforms(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.platforms.demo import platforms_stats

        return {"platforms": platforms_stats(), "services_given": platforms_stats()["services"]}
