"""The demo county's official accounts pointed at Wenmin, and a few residents writing to them.

Secrets are fake, drawn from the seed; the messages go through the same door as WeChat's
(inbound.message_receive), so the cases they open are like any others."""

from __future__ import annotations

import datetime as dt
import random
import string

from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind
from wenmin.wechat.inbound import message_receive
from wenmin.wechat.models import MessageMode, OfficialAccount
from wenmin.wechat.services import account_create

TOWNSHIP_ACCOUNTS = 2
_MESSAGES = (
    ("路口的路灯坏了一个星期，晚上很黑。", "补充 是靠近小学的那个路口"),
    ("村里的自来水这两天水压很低。", "查询"),
    ("垃圾清运点满了没人拉走。", None),
)


def _draw(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _accounts_to_register() -> list[Unit]:
    county = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").first()
    if county is None:
        return []
    accounts = Unit.objects.filter(kind=UnitKind.OFFICIAL_ACCOUNT).select_related(
        "parent", "region"
    )
    main = accounts.filter(region=county, name__endswith="发布").order_by("code").first()
    townships = list(
        accounts.filter(
            parent__kind=UnitKind.TOWNSHIP_GOVERNMENT,
            region__path__startswith=county.path,
            name__endswith="便民服务",
        ).order_by("code")[:TOWNSHIP_ACCOUNTS]
    )
    return [unit for unit in (main, *townships) if unit is not None]


def wechat_seed(*, seed: int, now: dt.datetime) -> tuple[int, int]:
    """Register the accounts and let a few residents write; (accounts, messages)."""
    rng = random.Random(f"wechat:{seed}")  # noqa: S311  (demo data)
    registered = messages = 0
    for unit in _accounts_to_register():
        if OfficialAccount.objects.filter(name=unit.name).exists():
            continue
        account = account_create(
            actor=None,
            name=unit.name,
            app_id="wx" + _draw(rng, "0123456789abcdef", 16),
            token=_draw(rng, string.ascii_letters + string.digits, 24),
            aes_key=_draw(rng, string.ascii_letters + string.digits, 43),
            app_secret=_draw(rng, "0123456789abcdef", 32),
            mode=MessageMode.SAFE,
            unit=unit.parent,
            region=unit.region,
        )
        registered += 1
        moment = int(now.timestamp()) - 3600
        for index, (report, follow_up) in enumerate(_MESSAGES):
            openid = "o" + _draw(rng, string.ascii_letters + string.digits + "_-", 27)
            for text in (report, follow_up):
                if text is None:
                    continue
                moment += 60
                message_receive(
                    account=account,
                    fields={
                        "ToUserName": "gh_" + account.app_id[2:14],
                        "FromUserName": openid,
                        "CreateTime": str(moment),
                        "MsgType": "text",
                        "Content": text,
                        "MsgId": str(moment * 100 + index),
                    },
                )
                messages += 1
    return registered, messages
