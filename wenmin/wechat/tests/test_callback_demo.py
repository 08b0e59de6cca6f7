"""The demo county's accounts and the residents who wrote to them; `wenmin stats` counts them."""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Channel
from wenmin.core.models import AuditEvent
from wenmin.organisation import services as org
from wenmin.organisation.models import UnitKind
from wenmin.wechat.models import Follower, InboundMessage, OfficialAccount


def test_the_demo_registers_safe_mode_accounts_and_gives_them_the_wechat_cases(desk):
    c = desk.county
    org.unit_create(
        actor=None,
        code="OA001",
        name="枫岭发布",
        kind=UnitKind.OFFICIAL_ACCOUNT,
        region=c.county,
        parent=c.county_committee,
    )
    org.unit_create(
        actor=None,
        code="OA002",
        name="青石便民服务",
        kind=UnitKind.OFFICIAL_ACCOUNT,
        region=c.township_a,
        parent=c.government_a,
    )
    in_township = cases.case_intake(channel=Channel.WECHAT, content="路灯坏了", region=c.village_a)
    in_county = cases.case_intake(channel=Channel.WECHAT, content="县城堵车")
    cases.case_intake(channel=Channel.WECHAT, content="又一件", requester=c.resident_a)
    cases.case_intake(channel=Channel.WECHAT, content="再一件", requester=c.resident_a)
    cases.case_intake(channel=Channel.PHONE, content="电话来的", region=c.village_a)
    audited = AuditEvent.objects.filter(action__startswith="case.").count()

    config = apps.get_app_config("wechat")
    lines = config.demo_seed(seed=1, now=timezone.now(), progress=False)  # type: ignore[attr-defined]

    county_account = OfficialAccount.objects.get(name="枫岭发布")
    township_account = OfficialAccount.objects.get(name="青石便民服务")
    assert county_account.mode == township_account.mode == "safe"
    assert (county_account.unit, township_account.unit) == (c.county_committee, c.government_a)
    assert len(county_account.aes_key) == 43 and county_account.token
    assert InboundMessage.objects.get(case=in_township).account == township_account
    assert InboundMessage.objects.get(case=in_county).account == county_account
    # One resident's two cases came from one follower.
    assert Follower.objects.filter(account=county_account).count() == 2
    assert config.stats() == {  # type: ignore[attr-defined]
        "wechat": {"accounts": 2, "followers": 3, "messages": 4, "cases": 4}
    }
    assert "2" in lines[0]
    assert AuditEvent.objects.filter(action__startswith="case.").count() == audited
    assert AuditEvent.objects.filter(action="seed.wechat").count() == 1
    config.demo_seed(seed=1, now=timezone.now(), progress=False)  # type: ignore[attr-defined]
    assert (OfficialAccount.objects.count(), InboundMessage.objects.count()) == (2, 4)
