"""Who follows a case on WeChat: the official account they wrote to and their openid on it.

The inbound callback records the follower (`wenmin.messaging.services.case_follower_add`) when
a WeChat message opens a case; the notifications of the case go back the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wenmin.cases.models import Channel

if TYPE_CHECKING:
    from wenmin.cases.models import Case
    from wenmin.messaging.models import CaseFollower
    from wenmin.wechat.models import OfficialAccount


def wechat_follower_for_case(case_id: int) -> CaseFollower | None:
    """The case's WeChat follower on an active account, with the account and the case (one
    query)."""
    from wenmin.messaging.models import CaseFollower

    return (
        CaseFollower.objects.select_related("account__outbound", "case")
        .filter(case_id=case_id, channel=Channel.WECHAT, account__is_active=True)
        .exclude(openid_digest="")
        .first()
    )


def wechat_recipient_for_case(case: Case) -> tuple[OfficialAccount, str] | None:
    """The account and openid to tell about the case, or None when it is not followed on
    WeChat (another channel, the account switched off)."""
    follower = wechat_follower_for_case(case.pk)
    if follower is None or follower.account is None:
        return None
    return follower.account, follower.openid
