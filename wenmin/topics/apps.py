"""Hotspots, 每月一题 and the map: the county's recurring problems, found in its own cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    """Hotspots, 每月一题 and the map: the county's recurring problems, found in its own cases."""

    name = "wenmin.topics"
    label = "topics"
    verbose_name = _("Hotspots and monthly topics")

    def ready(self) -> None:
        from wenmin.cases.services import events
        from wenmin.core import audit_labels, nav, periodic
        from wenmin.topics import access, map_layers, services, views_map

        nav.menu_register("topics:home", _("Hotspots"), 32, access.hotspots_user)
        nav.menu_register("topics:map", _("Map"), 33, access.map_user)
        nav.page_register("topics:candidates", access.hotspots_user)
        map_layers.layer_register("cases", _("Cases"), views_map.cases_layer, order=10)
        map_layers.layer_register(
            "hotspots",
            _("Hotspots"),
            views_map.hotspots_layer,
            visible=access.hotspots_user,
            order=20,
        )
        from wenmin.projects import access as projects_access

        map_layers.layer_register(
            "projects",
            _("Projects"),
            views_map.projects_layer,
            visible=projects_access.projects_user,
            order=30,
        )
        if services.case_link_matching not in events.AFTER_EVENT:
            events.AFTER_EVENT.append(services.case_link_matching)
        periodic.periodic_register(
            "topics.hotspots_detect", services.hotspots_detect_if_due, lease_seconds=3600
        )
        periodic.periodic_register(
            "topics.candidates_compute", services.candidates_compute_if_due, lease_seconds=3600
        )
        audit_labels.register(
            phrases={
                "topics.hotspots_detect": _("Hotspots detected"),
                "topics.candidates_compute": _("Monthly topic candidates ranked"),
                "topics.topic_pick": _("Monthly topic picked"),
                "topics.case_link": _("Case linked to a monthly topic"),
                "topics.case_unlink": _("Case unlinked from a monthly topic"),
                "topics.project_set": _("Monthly topic's project set"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        from wenmin.topics.demo import demo_topics

        return demo_topics(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.topics.demo import topics_stats

        return {"topics": topics_stats()}
