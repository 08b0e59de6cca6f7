"""Duplicates and related cases: found through the index (updated as cases arrive), shown with
why, merged in one click; far-away or old cases are not duplicates."""

from __future__ import annotations

import pytest
from datasketch import MinHash
from django.test import Client
from django.urls import reverse

from wenmin.cases.models import Case
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.workflow import State
from wenmin.core import periodic
from wenmin.insight import duplicates, schedule
from wenmin.insight.duplicates import candidate_ids, probe_of, similar_to, split
from wenmin.insight.models import CaseBand
from wenmin.insight.services import cases_index_missing, index
from wenmin.insight.similarity import (
    _PERMUTATIONS,
    _SCHEME,
    BANDS,
    NUM_PERM,
    SEED,
    _crc32,
    band_keys,
    band_keys_slow,
    features,
    signature,
    text_keys,
)
from wenmin.insight.tests.history import History, case_made
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.django_db

BURST = "青石村村口的自来水管爆了，水流满地，路都淹了"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_intake_leaves_the_index_to_the_worker_and_the_new_case_is_found_at_once(
    desk: CaseDesk, history: History, django_capture_on_commit_callbacks
) -> None:
    c = desk.county
    with django_capture_on_commit_callbacks(execute=True):
        first = case_made(desk, BURST, region=c.village_a)
    assert not CaseBand.objects.filter(case=first).exists()  # intake writes no band
    # Not indexed yet, and found as a duplicate all the same (compared directly).
    new = case_made(desk, "村口自来水管爆了，水流得满地都是", region=c.village_a)
    duplicates, _related = split(similar_to(probe_of(new), among=Case.objects.all()))
    assert [m.case for m in duplicates] == [first]
    # The worker's tick runs insight's job, which indexes both.
    assert schedule.insight_periodic in [job.run for job in periodic.periodic_jobs()]
    schedule.insight_periodic()
    assert CaseBand.objects.filter(case=first).count() == BANDS
    assert CaseBand.objects.filter(case=new).count() == BANDS
    assert cases_index_missing() == 0
    duplicates, _related = split(similar_to(probe_of(new), among=Case.objects.all()))
    assert [m.case for m in duplicates] == [first]


def test_the_catch_up_indexes_what_the_index_lacks_and_doubles_nothing(
    desk: CaseDesk, history: History
) -> None:
    old = case_made(desk, BURST, region=desk.county.village_a, days_ago=3)
    new = case_made(desk, "别的内容：想咨询一下新农合医保怎么缴费", region=desk.county.village_a)
    assert cases_index_missing() == 2
    # Bands gone (a change of the method, migrations 0003): the next run puts them back.
    CaseBand.objects.filter(case=old).delete()
    assert cases_index_missing() == 1
    assert cases_index_missing() == 0
    # Two runs at once (the worker and `wenmin insight train`): the second's rows are ignored.
    again = [CaseBand(case=new, key=key) for key in text_keys(new.content)]
    CaseBand.objects.bulk_create(again, ignore_conflicts=True)
    assert CaseBand.objects.filter(case=new).count() == BANDS
    # The catch-up's own insert does the same: a run that finds the rows written meanwhile.
    keys = text_keys(new.content)
    index._insert_ignoring_conflicts([(new.pk, key) for key in keys] + [(old.pk, 12345)])
    assert CaseBand.objects.filter(case=new).count() == BANDS
    assert CaseBand.objects.filter(case=old).count() == BANDS + 1


def test_the_signature_is_datasketchs_minhash_and_the_bands_its_keys() -> None:
    # A long text too: its 199 pairs are permuted in chunks (similarity._CHUNK).
    long = "".join(chr(0x4E00 + 7 * i) for i in range(200))
    for text in (
        BURST,
        "好",
        "停水停水停水",
        "ab12",
        "村口自来水管爆了，水流得满地都是" * 20,
        long,
    ):
        items = features(text)
        minhash = MinHash(
            num_perm=NUM_PERM,
            seed=SEED,
            permutations=_PERMUTATIONS,
            scheme=_SCHEME,
            hashfunc=_crc32,
        )
        minhash.update_batch([item.encode("utf-8") for item in items])
        expected = [int(v) for v in minhash.hashvalues]
        assert signature(items) == expected
        assert band_keys(expected) == band_keys_slow(expected)
        assert len(set(band_keys(expected))) == BANDS
    assert signature(set()) == [int(v) for v in MinHash(num_perm=NUM_PERM, seed=SEED).hashvalues]
    assert text_keys("，。 ") == []


def test_a_band_shared_by_too_many_cases_is_left_out(
    desk: CaseDesk, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = case_made(desk, BURST, region=desk.county.village_a, days_ago=1)
    twin = case_made(desk, BURST, region=desk.county.village_a, days_ago=1)
    cases_index_missing()
    keys = text_keys(BURST)
    assert set(candidate_ids(keys)) == {first.pk, twin.pk}
    assert candidate_ids(keys, exclude_id=twin.pk) == [first.pk]
    # Every band of this text is shared by two cases: with a cap of one, none says anything.
    monkeypatch.setattr(duplicates, "BUCKET_CAP", 1)
    assert candidate_ids(keys) == []


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
