"""Duplicates and related cases: found through the index (updated as cases arrive), shown with
why, merged in one click; far-away or old cases are not duplicates."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.cases.models import Case
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.workflow import State
from wenmin.insight.duplicates import probe_of, similar_to, split
from wenmin.insight.models import CaseBand
from wenmin.insight.services import cases_index_missing
from wenmin.insight.similarity import BANDS
from wenmin.insight.tests.history import History, case_made
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.django_db

BURST = "青石村村口的自来水管爆了，水流满地，路都淹了"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_index_follows_intake_in_its_transaction(desk: CaseDesk, history: History) -> None:
    case = case_made(desk, BURST, region=desk.county.village_a)
    assert CaseBand.objects.filter(case=case).count() == BANDS
    # Cases from before (the demo's bulk history) are caught up by the worker's job.
    Case.objects.filter(pk=case.pk).update(content="别的内容")
    CaseBand.objects.all().delete()
    assert cases_index_missing() == 1
    assert cases_index_missing() == 0


def test_a_duplicate_nearby_and_recent_is_found_with_why(desk: CaseDesk, history: History) -> None:
    c = desk.county
    first = case_made(desk, BURST, region=c.village_a, days_ago=2)
    old = case_made(desk, "青石村村口自来水管又爆了，水流满地", region=c.village_a, days_ago=120)
    far = case_made(desk, BURST, region=c.village_b, days_ago=1)
    unrelated = case_made(desk, "想咨询一下新农合医保怎么缴费", region=c.village_a, days_ago=1)
    new = case_made(desk, "村口自来水管爆了，水流得满地都是", region=c.village_a)
    cases_index_missing()
    duplicates, related = split(similar_to(probe_of(new), among=cases_visible_to(desk.dispatcher)))
    assert [m.case for m in duplicates] == [first]
    assert [m.case for m in related] == [old]
    match = duplicates[0]
    assert {"自来水管", "满地"} <= set(match.shared)
    assert match.same_place == "village" and match.days == 2
    assert 0 < match.score <= 1
    assert far not in [m.case for m in duplicates + related]
    assert unrelated not in [m.case for m in duplicates + related]


def test_distance_decides_when_both_have_coordinates(desk: CaseDesk, history: History) -> None:
    near = case_made(desk, BURST, lat="28.4001", lng="117.6001", days_ago=1)
    far = case_made(desk, BURST, lat="28.6000", lng="117.9000", days_ago=1)
    new = case_made(desk, "村口自来水管爆了，水流满地", lat="28.4003", lng="117.6002")
    cases_index_missing()
    duplicates, _related = split(similar_to(probe_of(new), among=Case.objects.all()))
    assert [m.case for m in duplicates] == [near]
    assert duplicates[0].km is not None and duplicates[0].km < 0.1
    assert far not in [m.case for m in duplicates]


def test_the_dispatcher_sees_and_merges_a_duplicate_in_one_click(
    desk: CaseDesk, history: History
) -> None:
    c = desk.county
    first = case_made(desk, BURST, region=c.village_a, days_ago=1)
    new = case_made(desk, "村口自来水管爆了，水流得满地都是", region=c.village_a)
    cases_index_missing()
    client = _client(desk.dispatcher)
    page = client.get(reverse("cases:case_detail", args=[new.pk])).content.decode()
    assert "data-insight-duplicates" in page
    merge = reverse("insight:merge", args=[new.pk, first.pk])
    assert merge in page
    assert client.post(merge).status_code == 302
    new.refresh_from_db()
    assert new.state == State.MERGED and new.merged_into == first
    # Merging again is refused with a message and changes nothing.
    assert client.post(merge).status_code == 302
    assert _client(c.township_clerk).post(merge).status_code in (403, 404)
    assert client.post(reverse("insight:merge", args=[new.pk, "junk"])).status_code == 404


def test_the_panel_is_for_dispatchers_only(desk: CaseDesk, history: History) -> None:
    case = case_made(desk, BURST, region=desk.county.village_a)
    page = _client(desk.county.leader).get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert 'data-panel="insight:case"' not in page.content.decode()
