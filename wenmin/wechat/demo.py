"""The demo county's official accounts pointed at Wenmin, and the residents who wrote to them.

Secrets are fake, drawn from the seed. The year of case history already holds cases that came
in by WeChat; each is given to the account of its township (or the county's account) with the
follower who sent it and the message that opened it, bulk-inserted like the history itself and
audited once for the run."""

from __future__ import annotations

import datetime as dt
import random
import string

from django.db import transaction
from django.db.models import Q

from wenmin.cases.models import Case, Channel
from wenmin.core.audit import audit_record
from wenmin.core.crypto import digest
from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind
from wenmin.wechat.models import Follower, InboundMessage, MessageMode, OfficialAccount, Outcome
from wenmin.wechat.services import account_create

TOWNSHIP_ACCOUNTS = 2
LINKED_SHARE = 0.4  # followers who verified their phone
_OPENID = string.ascii_letters + string.digits + "_-"


def _draw(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _first_county() -> Region | None:
    return Region.objects.filter(level=RegionLevel.COUNTY).order_by("code").first()


def _account_units(county: Region) -> list[Unit]:
    """The county's 发布 account and the first townships' 便民服务 accounts."""
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


def _register(rng: random.Random, units: list[Unit]) -> list[OfficialAccount]:
    accounts = []
    for unit in units:
        existing = OfficialAccount.objects.filter(name=unit.name).first()
        accounts.append(
            existing
            or account_create(
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
        )
    return accounts


def _account_for(case: Case, accounts: list[OfficialAccount]) -> OfficialAccount:
    path = case.region.path if case.region is not None else ""
    for account in accounts[1:]:
        if account.region is not None and path.startswith(account.region.path):
            return account
    return accounts[0]


def wechat_seed(*, seed: int, now: dt.datetime) -> tuple[int, int]:
    """Register the accounts and give them the history's WeChat cases; (accounts, messages)."""
    rng = random.Random(f"wechat:{seed}")  # noqa: S311  (demo data)
    county = _first_county()
    if county is None:
        return 0, 0
    with transaction.atomic():
        accounts = _register(rng, _account_units(county))
        if not accounts or InboundMessage.objects.exists():
            return len(accounts), 0
        cases = list(
            Case.objects.filter(channel=Channel.WECHAT)
            .filter(Q(region__isnull=True) | Q(region__path__startswith=county.path))
            .select_related("region")
            .only("id", "content", "received_at", "requester_id", "region__path")
            .order_by("received_at", "id")
        )
        followers: dict[tuple[int, int | str], Follower] = {}
        sent: list[tuple[Case, OfficialAccount, tuple[int, int | str]]] = []
        for case in cases:
            account = _account_for(case, accounts)
            who = (account.pk, case.requester_id or f"case{case.pk}")
            if who not in followers:
                openid = "o" + _draw(rng, _OPENID, 27)
                linked = case.requester_id is not None and rng.random() < LINKED_SHARE
                followers[who] = Follower(
                    account=account,
                    openid=openid,
                    openid_digest=digest(f"wechat-openid:{openid}"),
                    person_id=case.requester_id if linked else None,
                    linked_at=case.received_at if linked else None,
                    first_seen_at=case.received_at,
                    last_seen_at=case.received_at,
                )
            followers[who].last_seen_at = case.received_at
            sent.append((case, account, who))
        Follower.objects.bulk_create(followers.values(), batch_size=500)
        InboundMessage.objects.bulk_create(
            (
                InboundMessage(
                    account=account,
                    follower=followers[who],
                    dedupe_key=f"m:demo-{case.pk}",
                    msg_type="text",
                    created_time=int(case.received_at.timestamp()),
                    received_at=case.received_at,
                    content=case.content,
                    outcome=Outcome.OPENED,
                    case=case,
                )
                for case, account, who in sent
            ),
            batch_size=500,
        )
        audit_record(
            actor=None,
            actor_label="seed",
            action="seed.wechat",
            changes={
                "seed": seed,
                "now": now.isoformat(),
                "accounts": len(accounts),
                "followers": len(followers),
                "messages": len(sent),
            },
        )
    return len(accounts), len(sent)
