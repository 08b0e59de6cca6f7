from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    """WeChat: official accounts as a channel (WeChat's server protocol, plaintext and safe mode), the outbound adapter, menus, and residents' WeChat groups brought in by their cadres."""

    name = "wenmin.wechat"
    label = "wechat"
    verbose_name = _("WeChat")

    def ready(self) -> None:
        # A person's own export (privacy) includes what this app holds about them.
        from wenmin.privacy.services.subject import SUBJECT_SHEETS
        from wenmin.wechat.selectors import follower_subject_sheet as sheet

        if sheet not in SUBJECT_SHEETS:
            SUBJECT_SHEETS.append(sheet)
        # An anonymised person's WeChat followers are unlinked, not a reason to keep them.
        from wenmin.privacy.services.anonymise import PERSON_FORGET_HOOKS
        from wenmin.wechat.services import followers_unlink

        PERSON_FORGET_HOOKS["wechat.follower.person"] = followers_unlink
        from wenmin.core import audit_labels

        audit_labels.register(
            nouns={"wechat": _("WeChat official account")},
            phrases={
                "wechat.account_create": _("WeChat official account registered"),
                "wechat.account_update": _("WeChat official account changed"),
                "wechat.link_start": _("WeChat follower asked for a phone code"),
                "wechat.link_finish": _("WeChat follower verified their phone"),
                "seed.wechat": _("Demo WeChat accounts and messages loaded"),
            },
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        from wenmin.wechat.demo import wechat_seed

        accounts, messages = wechat_seed(seed=seed, now=now)
        return [
            _("WeChat: %(accounts)s official accounts in safe mode, %(messages)s messages.")
            % {"accounts": accounts, "messages": messages}
        ]

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.wechat.selectors import wechat_stats

        return {"wechat": wechat_stats()}
