"""The `wechat` notification backend: a template message to the requester of a case on the
official account they wrote to (registered by wenmin.messaging's ready())."""

from __future__ import annotations

import logging

from django.utils import timezone

from wenmin.cases.labels import RESIDENT_STATES
from wenmin.core.notify.base import Backend, Notification
from wenmin.wechat.recipients import wechat_follower_for_case

logger = logging.getLogger("wenmin.notify.wechat")


class WechatBackend(Backend):
    name = "wechat"

    def send(self, notification: Notification) -> bool:
        if not notification.follower or notification.case_id is None:
            return False
        follower = wechat_follower_for_case(notification.case_id)
        if follower is None or follower.account is None:
            return False
        from wenmin.messaging.models import OutboundStatus
        from wenmin.messaging.services import outbound_sends, wechat_template_send

        outbound = getattr(follower.account, "outbound", None)
        if outbound_sends() and (outbound is None or not outbound.template_id):
            logger.warning(
                "WeChat message not sent (case %s): account %s has no template of case updates",
                notification.case_id,
                follower.account.app_id,
            )
            return False
        case = follower.case
        row = wechat_template_send(
            account=follower.account,
            openid=follower.openid,
            case_id=case.pk,
            url=notification.link,
            data={
                "subject": notification.subject,
                "number": case.number,
                "state": str(RESIDENT_STATES.get(case.state, case.get_state_display())),
                "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                "text": notification.text,
            },
        )
        return row.status == OutboundStatus.SENT
