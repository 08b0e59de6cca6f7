"""A message to a township's official account: the dispatcher sees where it was sent, and the
dispatch form proposes that township's government until the case has a category of its own."""

from __future__ import annotations

import re

from django.urls import reverse

from wenmin.cases.dispatch import case_dispatch_proposal, unit_hint
from wenmin.cases.models import Case, CaseEvent
from wenmin.wechat.tests import wire


def _page(client, desk, case):  # type: ignore[no-untyped-def]
    client.force_login(desk.dispatcher)
    response = client.get(reverse("cases:case_detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_dispatcher_sees_the_account_s_unit_and_the_form_proposes_it(
    client, desk, wechat, account
):
    wechat.post_safe(wire.text_message("oRESIDENT0001abcd", "我们村的路灯坏了三天", 2001))
    case = Case.objects.get()
    assert case.category is None
    page = _page(client, desk, case)
    assert re.search(r"data-unit-hint>[^<]*" + re.escape(account.unit.name), page)
    assert f'data-proposal="{account.unit.code}"' in page
    selected = re.search(r'name="unit"[^>]*value="([^"]*)"', page)
    assert selected and selected.group(1) == account.unit.code


def test_the_catalogue_wins_once_the_case_has_a_category(client, desk, wechat, account):
    wechat.post_safe(wire.text_message("oRESIDENT0001abcd", "自来水管漏水", 2002))
    case = Case.objects.get()
    case.category = desk.leaking_pipe
    case.region = desk.county.village_b
    case.save(update_fields=["category", "region"])
    proposal = case_dispatch_proposal(case)
    assert proposal is not None
    assert proposal.unit == desk.county.other_department
    assert f'data-proposal="{desk.county.other_department.code}"' in _page(client, desk, case)


def test_a_hint_that_is_not_a_handling_unit_or_not_a_number_proposes_nothing(
    client, desk, wechat, account
):
    wechat.post_safe(wire.text_message("oRESIDENT0001abcd", "噪音扰民", 2003))
    case = Case.objects.get()
    intake = CaseEvent.objects.get(case=case, action="intake")
    for junk in ("12", None, True, 10**12, desk.county.branch_a.pk):
        intake.data = {**intake.data, "unit_hint_id": junk}
        intake.save(update_fields=["data"])
        assert unit_hint(case)[0] is None
        assert case_dispatch_proposal(case) is None
    assert 'data-proposal="' not in _page(client, desk, case)
