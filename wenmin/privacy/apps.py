from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "wenmin.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from wenmin.core import crypto, periodic
        from wenmin.privacy.services.access import access_record
        from wenmin.privacy.services.sweep import privacy_sweep_if_due

        # Every place that shows personal data in clear says so through core.crypto.
        if access_record not in crypto.ACCESS_HOOKS:
            crypto.ACCESS_HOOKS.append(access_record)
        periodic.periodic_register("privacy.sweep", privacy_sweep_if_due)
        self._pages()
        self._audit_words()
        self._admin()

    @staticmethod
    def _pages() -> None:
        from wenmin.core import nav, roles

        nav.menu_register("privacy:home", _("Personal data"), 85, roles.administrator_user)
        for name in ("people", "person", "access_log", "accounts"):
            nav.page_register(f"privacy:{name}", roles.administrator_user)
        nav.page_register("privacy:second_factor", roles.staff_user)

    @staticmethod
    def _audit_words() -> None:
        from wenmin.core import audit_labels

        audit_labels.register(
            nouns={"privacy": _("Personal data")},
            phrases={
                "privacy.sweep": _("Privacy sweep"),
                "privacy.case_anonymise": _("Case's personal data anonymised"),
                "privacy.person_anonymise": _("Person anonymised"),
                "privacy.subject_export": _("Personal data exported at the person's request"),
                "privacy.subject_erase": _("Personal data erased at the person's request"),
                "privacy.access_log_prune": _("Access log pruned"),
                "privacy.retention_set": _("Retention period set"),
                "privacy.retention_delete": _("Retention period removed"),
                "privacy.legal_hold_place": _("Legal hold placed"),
                "privacy.legal_hold_lift": _("Legal hold lifted"),
                "account.2fa_enrol": _("Second factor set up"),
                "account.2fa_verified": _("Second factor given"),
                "account.2fa_failed": _("Wrong second-factor code"),
                "account.2fa_recovery_codes": _("New recovery codes"),
                "account.2fa_reset": _("Second factor reset by the administrator"),
            },
        )

    @staticmethod
    def _admin() -> None:
        """The devices' secrets stay out of the admin: accounts enrol on their own page and the
        administrator resets them on the privacy pages."""
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
