"""Message channels around the cases: following a case on WeChat, SMS or e-mail, inbound SMS
gateways, and the staff's in-app notifications page."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "wenmin.messaging"
    label = "messaging"
    verbose_name = _("Messages and notifications")

    def ready(self) -> None:
        from django.core import checks as django_checks

        from wenmin.cases import notifications
        from wenmin.core import nav, roles
        from wenmin.core.notify import backend_register
        from wenmin.messaging import checks, services
        from wenmin.messaging.routes import wechat_route
        from wenmin.privacy.services.anonymise import ANONYMISE_HOOKS
        from wenmin.wechat.handling import CASE_OPENED
        from wenmin.wechat.notify_backend import WechatBackend

        backend_register(WechatBackend)
        if services.wechat_case_opened not in CASE_OPENED:
            CASE_OPENED.append(services.wechat_case_opened)
        if services.case_followers_forget not in ANONYMISE_HOOKS:
            ANONYMISE_HOOKS.append(services.case_followers_forget)
        if wechat_route not in notifications.REQUESTER_ROUTES:
            notifications.REQUESTER_ROUTES.append(wechat_route)
        django_checks.register(checks.wechat_record_check)
        # Reached from the count in every staff page's header, not from the menu.
        nav.page_register("messaging:notifications", roles.staff_user)
