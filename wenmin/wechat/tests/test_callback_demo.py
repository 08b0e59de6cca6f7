"""The demo county's accounts and the residents writing to them; `wenmin stats` counts them."""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.organisation import services as org
from wenmin.organisation.models import UnitKind
from wenmin.wechat.models import OfficialAccount


def test_the_demo_registers_the_county_account_in_safe_mode_and_residents_write_to_it(county):
    org.unit_create(
        actor=None,
        code="OA001",
        name="枫岭发布",
        kind=UnitKind.OFFICIAL_ACCOUNT,
        region=county.county,
        parent=county.county_committee,
    )
    config = apps.get_app_config("wechat")
    lines = config.demo_seed(seed=1, now=timezone.now(), progress=False)  # type: ignore[attr-defined]
    account = OfficialAccount.objects.get()
    assert (account.name, account.mode, account.unit) == (
        "枫岭发布",
        "safe",
        county.county_committee,
    )
    assert len(account.aes_key) == 43 and account.token and account.app_secret
    assert Case.objects.filter(channel=Channel.WECHAT).count() == 3
    assert CaseEvent.objects.filter(action="requester_addition").count() == 1
    assert config.stats() == {  # type: ignore[attr-defined]
        "wechat": {"accounts": 1, "followers": 3, "messages": 5, "cases": 3}
    }
    assert lines
    config.demo_seed(seed=1, now=timezone.now(), progress=False)  # type: ignore[attr-defined]
    assert OfficialAccount.objects.count() == 1
