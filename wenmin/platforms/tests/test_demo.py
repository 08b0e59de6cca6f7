"""The demo: a centre's catalogue and a year of services and queue tickets, the same for the
same seed; `wenmin stats` counts the services given as the public page does."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.organisation import services as org
from wenmin.organisation.models import UnitKind
from wenmin.platforms.demo import demo_platforms, platforms_stats
from wenmin.platforms.models import (
    SERVICE_RESULTS,
    DutyShift,
    Errand,
    PlatformHours,
    QueueCounter,
    QueueTicket,
    Rating,
    ServiceItem,
    ServiceRecord,
    StationVisit,
)
from wenmin.platforms.selectors import services_in
from wenmin.testing import SmallCounty

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _fingerprint() -> str:
    rows = ServiceRecord.objects.order_by("started_at", "id").values_list(
        "item__name",
        "resident_id",
        "started_at",
        "ended_at",
        "result",
        "rating_code",
        "ticket__number",
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _wipe() -> None:
    for model in (
        Errand,
        StationVisit,
        DutyShift,
        Rating,
        ServiceRecord,
        QueueTicket,
        QueueCounter,
        ServiceItem,
        PlatformHours,
    ):
        model.objects.all().delete()


def test_a_year_of_services_the_same_for_the_same_seed(county: SmallCounty) -> None:
    centre = org.unit_create(
        actor=None,
        code="T1-SC",
        name="青石镇便民服务中心",
        kind=UnitKind.SERVICE_CENTRE,
        region=county.township_a,
        parent=county.government_a,
    )
    lines = demo_platforms(seed=2026, now=NOW)
    assert "1" in lines[0]
    figures = platforms_stats()
    assert figures["catalogue_services"] == ServiceItem.objects.filter(unit=centre).count() > 10
    given = ServiceRecord.objects.filter(result__in=SERVICE_RESULTS).count()
    assert figures["services"] == given > 1000  # about 6 a working day for a year
    assert figures["queue_tickets"] == QueueTicket.objects.count() >= given
    assert figures["queue_mean_wait_minutes"] is not None
    assert 0 < figures["ratings"] < given
    # Nothing after the moment of the seed, and a year of it.
    first = ServiceRecord.objects.order_by("started_at").first()
    last = ServiceRecord.objects.order_by("-ended_at").first()
    assert first is not None and last is not None
    assert last.ended_at <= NOW
    assert (NOW - first.started_at).days >= 360
    # No number issued twice in a day.
    assert QueueTicket.objects.values("unit", "day", "number").distinct().count() == (
        QueueTicket.objects.count()
    )
    fingerprint = _fingerprint()
    _wipe()
    demo_platforms(seed=2026, now=NOW)
    assert _fingerprint() == fingerprint
    # The demo volunteer's errands at their township's centre: done, under way, waiting.
    assert sorted(Errand.objects.values_list("step", flat=True)) == [
        "",
        "",
        "at_office",
        "returned",
    ]


def test_the_public_figure_counts_the_demo_services_of_the_month(county: SmallCounty) -> None:
    centre = org.unit_create(
        actor=None,
        code="T1-SC",
        name="青石镇便民服务中心",
        kind=UnitKind.SERVICE_CENTRE,
        region=county.township_a,
        parent=county.government_a,
    )
    demo_platforms(seed=7, now=timezone.now())
    month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    expected = services_in(centre, month.replace(day=1)).count()
    assert expected > 50
    response = Client().get(
        reverse("platforms:services_list", args=[centre.pk]), {"month": month.strftime("%Y-%m")}
    )
    assert f'data-count="{expected}"' in response.content.decode()
