"""A resident's own page: their phone's state, their reports, and the sections apps register."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Channel
from wenmin.residents import mine
from wenmin.residents.apps import ResidentsConfig
from wenmin.residents.models import OneTimeCode, VerifiedPhone
from wenmin.residents.selectors import residents_stats
from wenmin.residents.testing import phone_verified
from wenmin.testing import SmallCounty

ME = reverse("residents:me")


@pytest.fixture
def extra_section() -> Iterator[None]:
    """A section another app would register ("my supports"), counting the viewer's id."""
    mine.section_register("residents:verify", "supports", 30, lambda user: user.pk * 10)
    try:
        yield
    finally:
        mine._SECTIONS.pop("residents:verify")


def test_a_verified_resident_sees_the_phone_masked_and_the_counts_linking_to_the_records(
    client: Client, county: SmallCounty, extra_section: None
) -> None:
    for content in ("路灯坏了", "水管爆了"):
        cases.case_intake(
            channel=Channel.WEB, content=content, requester=county.resident_a, actor=county.resident
        )
    phone_verified(county.resident)
    client.force_login(county.resident)
    response = client.get(ME)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verified="yes"' in page and "186****3333" in page and "18600003333" not in page
    reports = page.index('data-section="portal:mine"')
    supports = page.index('data-section="residents:verify"')
    assert reports < supports  # in their order
    assert f'href="{reverse("portal:mine")}"><span>我的诉求</span><span class="count">2</span>' in (
        page
    )
    assert f'<span class="count">{county.resident.pk * 10}</span>' in page
    assert reverse("logout") in page


def test_an_unverified_resident_is_offered_the_code(client: Client, county: SmallCounty) -> None:
    client.force_login(county.resident)
    page = client.get(ME).content.decode()
    assert 'data-verified="no"' in page
    assert f'href="{reverse("residents:verify")}?next=%2Fresidents%2Fme%2F"' in page
    assert '<span class="count">0</span>' in page


def test_the_page_is_in_english_too(client: Client, county: SmallCounty) -> None:
    client.force_login(county.resident)
    client.cookies["django_language"] = "en"
    page = client.get(ME).content.decode()
    assert "Your phone is not verified yet." in page and "My reports" in page


def test_an_anonymous_visitor_is_sent_to_sign_in_with_a_code(client: Client, county: Any) -> None:
    response = client.get(ME)
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:verify") + "?next=%2Fresidents%2Fme%2F"


def test_staff_have_no_resident_page(client: Client, county: SmallCounty) -> None:
    client.force_login(county.township_clerk)
    assert client.get(ME).status_code == 403


def test_the_page_counts_in_one_query_per_section(
    client: Client, county: SmallCounty, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        cases.case_intake(
            channel=Channel.WEB, content=f"第{n}件", requester=county.resident_a, actor=None
        )
    client.force_login(county.resident)
    client.get(ME)
    # The session, the user, their person and phone's proof, then one query for each section
    # (its count, or whether it is the viewer's: a party member's meetings, their points).
    with django_assert_max_num_queries(9):
        assert client.get(ME).status_code == 200


def test_stats_count_current_proofs_and_codes_of_the_last_30_days(county: SmallCounty) -> None:
    from wenmin.organisation import services as org

    phone_verified(county.resident)
    phone_verified(county.branch_secretary)
    org.person_update(actor=county.administrator, person=county.member_a, phone="13812340000")
    assert residents_stats() == {"verified_phones": 1, "codes_sent_30d": 0}
    assert VerifiedPhone.objects.count() == 2


def test_the_demo_resident_gets_a_verified_phone(county: SmallCounty) -> None:
    import datetime as dt

    from django.apps import apps

    config = apps.get_app_config("residents")
    assert isinstance(config, ResidentsConfig)
    now = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    lines = config.demo_seed(seed=1, now=now, progress=False)
    assert len(lines) == 1
    assert VerifiedPhone.objects.get(user=county.resident).verified_at == now
    assert config.stats() == {"residents": {"verified_phones": 1, "codes_sent_30d": 0}}
    assert not OneTimeCode.objects.exists()


def test_wenmin_stats_reports_the_codes_sent(client: Client, county: SmallCounty) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    from wenmin.residents.tests.test_verify import enter, send

    sent = send(client)
    enter(client, sent.codes[0])
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    assert json.loads(out.getvalue())["residents"] == {"verified_phones": 1, "codes_sent_30d": 1}


def test_a_section_is_left_out_for_a_viewer_it_is_not_for(
    client: Client, county: SmallCounty
) -> None:
    """A section with `shown_fn` (a party member's meetings) is shown only to those it says yes
    to: the page never links to a page that would refuse the viewer."""
    mine.section_register(
        "residents:verify", "members only", 30, lambda user: 1, shown_fn=lambda user: False
    )
    try:
        client.force_login(county.resident)
        page = client.get(ME).content.decode()
        assert 'data-section="residents:verify"' not in page
        assert 'data-section="portal:mine"' in page
        mine.section_register(
            "residents:verify", "members only", 30, lambda user: 1, shown_fn=lambda user: True
        )
        assert 'data-section="residents:verify"' in client.get(ME).content.decode()
    finally:
        mine._SECTIONS.pop("residents:verify")
