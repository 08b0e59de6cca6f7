from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "wenmin.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from wenmin.core import nav, roles

        nav.menu_register("organisation:home", _("Organisation"), 40, roles.staff_user)
        nav.menu_register("organisation:people_search", _("People"), 50, roles.staff_user)
        nav.menu_register("organisation:excel_home", _("Excel"), 55, roles.exporting_user)
        nav.menu_register("volunteer:home", _("My volunteering"), 5, roles.volunteer_user)
        nav.landing_register(roles.Role.VOLUNTEER, "volunteer:home")
