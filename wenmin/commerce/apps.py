"""支部+电商: party branches helping farmers sell their produce."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    """支部+电商: party branches helping farmers sell their produce."""

    name = "wenmin.commerce"
    label = "commerce"
    verbose_name = _("Branch e-commerce (支部+电商)")

    def ready(self) -> None:
        from wenmin.commerce import access
        from wenmin.core import audit_labels, nav

        nav.menu_register("commerce:home", _("Branch e-commerce"), 42, access.commerce_user)
        nav.page_register("commerce:market", lambda user: True)
        audit_labels.register(
            phrases={
                "commerce.contact_set": _("Branch office number set"),
                "commerce.farmer_add": _("Farmer helped added"),
                "commerce.produce_record": _("Produce recorded"),
                "commerce.outlet_add": _("Sales outlet added"),
                "commerce.sale_record": _("Sale recorded"),
            }
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        from wenmin.commerce.demo import demo_commerce

        return demo_commerce(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        from wenmin.commerce.demo import commerce_stats

        return {"sales": commerce_stats()}
