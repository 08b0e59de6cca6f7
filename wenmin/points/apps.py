"""党员积分: party members' points from the same records (meetings, volunteering, deeds, cases),
by the county's rules for each year, with bonuses, penalties and a yearly star rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    """党员积分: party members' points, by the county's rules for each year."""

    name = "wenmin.points"
    label = "points"
    verbose_name = _("Party members' points (党员积分)")

    def ready(self) -> None:
        from wenmin.core import audit_labels, nav
        from wenmin.points import access, selectors
        from wenmin.residents import mine

        nav.menu_register("points:home", _("Party member points"), 37, access.points_reader)
        for name in ("points:member", "points:member_evidence", "points:rules"):
            nav.page_register(name, access.points_reader)
        nav.page_register("points:export", access.points_reader)
        # A member reaches their points from their own page (the section below), or, when they
        # are staff too, from the points' list: no menu entry costing every page a query.
        nav.page_register("points:mine", access.signed_in)
        nav.page_register("points:mine_evidence", access.signed_in)
        mine.section_register(
            "points:mine",
            _("My party member points"),
            46,
            shown_fn=lambda user: selectors.member_of(user) is not None,
        )
        audit_labels.register(
            phrases={
                "points.year_set": _("Points year's base and stars set"),
                "points.year_copy": _("Points year started from another year"),
                "points.rule_add": _("Points rule added"),
                "points.rule_update": _("Points rule changed"),
                "points.rule_remove": _("Points rule removed"),
                "points.adjustment_add": _("Points bonus or penalty recorded"),
                "points.adjustment_withdraw": _("Points bonus or penalty withdrawn"),
                "points.export": _("Members' points exported"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """Last year's and this year's rules, and a few bonuses and penalties (core.composition)."""
        from wenmin.points.demo import demo_points

        return demo_points(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.points.demo import points_stats

        return {"points": points_stats()}
