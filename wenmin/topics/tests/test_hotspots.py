"""Hotspots from hand-made histories: a spike that must be found, noise that must not, clusters
of alike, near cases, and the supervisors told once."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from wenmin.core.models import InAppNotification
from wenmin.topics.models import Hotspot, HotspotKind
from wenmin.topics.services import hotspots_detect
from wenmin.topics.tests.conftest import BAISHA, NOW, QINGSHI, History, client_for

pytestmark = pytest.mark.django_db
WEEK = dt.timedelta(days=7)


def _weeks(history: History, *, category, region, per_week: list[int], last_week: int, text: str):  # type: ignore[no-untyped-def]
    """per_week[k-1] cases in the k-th week before the last; `last_week` cases in the last."""
    end = dt.datetime(2026, 11, 21, 0, 0, tzinfo=NOW.tzinfo)
    for k, n in enumerate(per_week, start=1):
        for i in range(n):
            history.case(
                category=category,
                region=region,
                text=text,
                when=end - (k + 1) * WEEK + dt.timedelta(days=1, hours=i),
            )
    for i in range(last_week):
        history.case(
            category=category,
            region=region,
            text=text,
            when=end - WEEK + dt.timedelta(days=1 + i % 5, hours=i),
        )


def _spikes() -> list[Hotspot]:
    return list(Hotspot.objects.filter(kind=HotspotKind.SPIKE))


def test_a_sudden_rise_of_water_complaints_in_one_township_is_a_spike(history: History) -> None:
    d = history.desk
    # 青石镇: about one water case a week for eight weeks, then seven in a week.
    _weeks(
        history,
        category=d.water,
        region=d.county.village_a,
        per_week=[1, 1, 0, 2, 1, 1, 1, 1],
        last_week=7,
        text="村里停水三天了",
    )
    # 白沙乡: housing at three a week, then five: a busy week, not a spike.
    _weeks(
        history,
        category=d.housing,
        region=d.county.village_b,
        per_week=[3, 2, 4, 3, 3, 3, 3, 3],
        last_week=5,
        text="危房改造补助什么时候发",
    )
    report = hotspots_detect(now=NOW)
    spikes = _spikes()
    assert report.spikes == 1
    assert [(s.category_id, s.township_id) for s in spikes] == [
        (d.water.pk, d.county.township_a.pk)
    ]
    spike = spikes[0]
    assert spike.case_count == 7
    assert spike.baseline == 1.0
    last_week = {
        c.pk
        for c in history.cases
        if c.category_id == d.water.pk
        and c.received_at >= dt.datetime(2026, 11, 14, tzinfo=NOW.tzinfo)
    }
    assert set(spike.cases.values_list("pk", flat=True)) == last_week


def test_steady_noise_and_a_few_cases_of_a_new_topic_are_no_spike(history: History) -> None:
    d = history.desk
    _weeks(
        history,
        category=d.water,
        region=d.county.village_a,
        per_week=[2, 3, 1, 2, 2, 3, 2, 1],
        last_week=4,
        text="村里停水三天了",
    )
    # A topic never seen before: four cases are not yet a spike (at least five, P ≤ 0.001).
    _weeks(
        history,
        category=d.housing,
        region=d.county.village_b,
        per_week=[0] * 8,
        last_week=4,
        text="危房改造补助什么时候发",
    )
    assert hotspots_detect(now=NOW).spikes == 0
    assert _spikes() == []


def _near(metres_north: int) -> tuple[Decimal, Decimal]:
    return (QINGSHI[0] + Decimal(metres_north) / Decimal(111_000)).quantize(
        Decimal("0.000001")
    ), QINGSHI[1]


def test_alike_cases_near_each_other_form_a_cluster_and_only_they(history: History) -> None:
    d = history.desk
    village = d.county.village_a
    texts = [
        "小区门口水管爆裂，水流了一地",
        "门口水管爆裂了水流一地没人修",
        "水管爆裂，小区门口全是水",
        "小区水管爆裂好几天，门口一地水",
    ]
    alike = [
        history.case(
            category=d.leaking_pipe,
            region=village,
            text=t,
            at=_near(100 * i),
            when=NOW - dt.timedelta(days=3 + i),
        )
        for i, t in enumerate(texts)
    ]
    # The same words 22 km away, and a different problem next door: not in the cluster.
    far = history.case(
        category=d.leaking_pipe,
        region=village,
        text=texts[0],
        at=BAISHA,
        when=NOW - dt.timedelta(days=2),
    )
    other = history.case(
        category=d.leaking_pipe,
        region=village,
        text="自来水费怎么交",
        at=_near(50),
        when=NOW - dt.timedelta(days=2),
    )
    report = hotspots_detect(now=NOW)
    assert report.clusters == 1
    cluster = Hotspot.objects.get(kind=HotspotKind.CLUSTER)
    members = set(cluster.cases.values_list("pk", flat=True))
    assert members == {c.pk for c in alike}
    assert far.pk not in members and other.pk not in members
    assert "水管" in cluster.words and "爆裂" in cluster.words
    assert cluster.latitude is not None and abs(cluster.latitude - QINGSHI[0]) < Decimal("0.01")


def test_three_alike_cases_are_not_yet_a_cluster(history: History) -> None:
    d = history.desk
    for i in range(3):
        history.case(
            category=d.leaking_pipe,
            region=d.county.village_a,
            text="水管爆裂水流一地",
            at=_near(10 * i),
            when=NOW - dt.timedelta(days=i + 1),
        )
    assert hotspots_detect(now=NOW).clusters == 0


def test_new_hotspots_go_to_the_county_leaders_once(
    history: History, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    d = history.desk
    _weeks(
        history,
        category=d.water,
        region=d.county.village_a,
        per_week=[1] * 8,
        last_week=7,
        text="村里停水三天了",
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = hotspots_detect(now=NOW)
    assert first.notified == first.spikes + first.clusters >= 1
    told = InAppNotification.objects.filter(user=d.county.leader)
    assert told.count() == first.notified
    assert "停水" in told.first().text or "供水" in told.first().subject  # type: ignore[union-attr]
    # The same detection an hour later tells nobody again; nor does the next day's.
    with django_capture_on_commit_callbacks(execute=True):
        again = hotspots_detect(now=NOW + dt.timedelta(hours=1))
        later = hotspots_detect(now=NOW + dt.timedelta(days=1))
    assert again.notified == 0 and later.notified == 0
    assert told.count() == first.notified
    assert not InAppNotification.objects.filter(user=d.county.township_clerk).exists()


def test_with_a_supervising_unit_its_staff_are_told(
    history: History, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    d = history.desk
    settings.WENMIN_SUPERVISING_UNIT = d.county.government_a.code
    _weeks(
        history,
        category=d.water,
        region=d.county.village_a,
        per_week=[1] * 8,
        last_week=7,
        text="村里停水三天了",
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = hotspots_detect(now=NOW)
    assert report.notified >= 1
    assert InAppNotification.objects.filter(user=d.county.township_clerk).count() == report.notified
    assert not InAppNotification.objects.filter(user=d.county.leader).exists()


def test_the_command_detects_and_the_page_lists_exactly_the_hotspots_cases(
    history: History,
) -> None:
    d = history.desk
    _weeks(
        history,
        category=d.water,
        region=d.county.village_a,
        per_week=[1] * 8,
        last_week=7,
        text="村里停水三天了",
    )
    out = StringIO()
    call_command("topics", "detect", "--json", "--no-notify", "--date", "2026-11-20", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["spikes"] == 1
    spike = Hotspot.objects.get(kind=HotspotKind.SPIKE)
    leader = client_for(d.county.leader)
    home = leader.get(reverse("topics:home")).content.decode()
    assert f'data-hotspot="{spike.pk}"' in home
    page = leader.get(reverse("topics:hotspot", args=[spike.pk])).content.decode()
    listed = {int(pk) for pk in __import__("re").findall(r'data-case="(\d+)"', page)}
    assert listed == set(spike.cases.values_list("pk", flat=True))
    assert len(listed) == 7
    # Hotspots are the supervisors' page: a township clerk and a resident may not open it.
    assert client_for(d.county.township_clerk).get(reverse("topics:home")).status_code == 403
    resident = client_for(d.county.resident)
    assert resident.get(reverse("topics:hotspot", args=[spike.pk])).status_code == 403
    with pytest.raises(CommandError):
        call_command("topics", "detect", "--date", "2026-13-45")
