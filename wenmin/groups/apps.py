"""Residents' WeChat groups (民情微群) and work groups: their cadres bring the conversations in,
and the messages that are requests become cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GroupsConfig(AppConfig):
    """Residents' WeChat groups (民情微群) and work groups."""

    name = "wenmin.groups"
    label = "groups"
    verbose_name = pgettext_lazy("groups", "WeChat groups")

    def ready(self) -> None:
        from wenmin.core import audit_labels, nav
        from wenmin.groups.selectors import can_open_groups

        nav.menu_register(
            "groups:list", pgettext_lazy("groups", "WeChat groups"), 35, can_open_groups
        )
        nav.page_register("groups:group", can_open_groups)
        audit_labels.register(
            nouns={"group": pgettext_lazy("groups", "WeChat group")},
            phrases={
                "group.import": _("Group conversation brought in"),
                "group.case_open": _("Case opened from a group message"),
                "group.profile_set": _("Group's cadre set"),
            },
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """Each demo group's cadre, and a few groups' conversations with cases opened."""
        from wenmin.groups.demo import demo_groups

        return demo_groups(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.groups.selectors import groups_stats

        return groups_stats()
