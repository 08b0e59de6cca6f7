"""Reads about official accounts, their followers and the messages they received."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet

from wenmin.cases.models import Case
from wenmin.cases.workflow import OPEN_STATES
from wenmin.core.crypto import digest
from wenmin.wechat.models import Follower, InboundMessage, OfficialAccount, Outcome

CASE_LIST_FIELDS = ("id", "tracking_code", "title", "state", "received_at")


_URLSAFE = re.compile(r"[A-Za-z0-9_-]+")


def account_by_callback_key(*, callback_key: str) -> OfficialAccount | None:
    """The active account a callback URL names, or None (unknown or switched off)."""
    # The key is secrets.token_urlsafe's alphabet; anything else (a NUL byte…) names no account.
    if not callback_key or len(callback_key) > 32 or not _URLSAFE.fullmatch(callback_key):
        return None
    return (
        OfficialAccount.objects.select_related("unit", "region")
        .filter(callback_key=callback_key, is_active=True)
        .first()
    )


def openid_digest(*, openid: str) -> str:
    """The keyed digest a follower is found by (the openid itself is stored encrypted)."""
    return digest(f"wechat-openid:{openid}")


def follower_by_openid(*, account: OfficialAccount, openid: str) -> Follower | None:
    """The follower of this account with this openid, or None."""
    return (
        Follower.objects.select_related("person")
        .filter(account=account, openid_digest=openid_digest(openid=openid))
        .first()
    )


def message_by_key(*, account: OfficialAccount, dedupe_key: str) -> InboundMessage | None:
    """The message already received under this key (a retry finds it), or None."""
    return InboundMessage.objects.filter(account=account, dedupe_key=dedupe_key).first()


def _follower_cases_q(follower: Follower) -> Q:
    opened = InboundMessage.objects.filter(follower=follower, outcome=Outcome.OPENED).values(
        "case_id"
    )
    mine = Q(pk__in=opened)
    if follower.person_id:
        mine |= Q(requester_id=follower.person_id)
    return mine


def follower_cases(*, follower: Follower, limit: int = 5) -> list[Case]:
    """The follower's latest cases: opened through this account, or theirs as the requester
    once their phone is verified."""
    return list(
        Case.objects.filter(_follower_cases_q(follower))
        .only(*CASE_LIST_FIELDS)
        .order_by("-received_at", "-id")[:limit]
    )


def follower_open_case(*, follower: Follower) -> Case | None:
    """The follower's latest case still being handled, or None."""
    return (
        Case.objects.filter(_follower_cases_q(follower), state__in=OPEN_STATES)
        .only(*CASE_LIST_FIELDS)
        .order_by("-received_at", "-id")
        .first()
    )


def follower_pending(*, follower: Follower, since: Any) -> QuerySet[InboundMessage]:
    """Pictures, voices, places and links the follower sent before describing the matter."""
    return InboundMessage.objects.filter(
        follower=follower, outcome=Outcome.PENDING, case__isnull=True, received_at__gte=since
    ).order_by("received_at", "id")


def wechat_stats() -> dict[str, int]:
    """Accounts, followers, messages received and cases opened through them."""
    return {
        "accounts": OfficialAccount.objects.count(),
        "followers": Follower.objects.count(),
        "messages": InboundMessage.objects.count(),
        "cases": InboundMessage.objects.filter(outcome=Outcome.OPENED).count(),
    }


def follower_subject_sheet(person: Any) -> tuple[str, list[str], list[list[Any]]]:
    """The person's WeChat followings for their own export (privacy): the openid in clear, as it
    is theirs; units never see it."""
    from django.utils.translation import gettext as _

    rows = [
        [follower.account.name, follower.account.app_id, follower.openid, follower.linked_at]
        for follower in Follower.objects.filter(person=person).select_related("account")
    ]
    headers = [_("official account"), _("AppID"), _("openid"), _("phone verified")]
    return _("WeChat"), headers, rows
