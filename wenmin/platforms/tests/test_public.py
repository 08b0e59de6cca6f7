"""A centre's public page: services, hours, figures that open exactly the records they count,
the QR code to the rating form; a rating per service once, rate limited per address."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.platforms import services
from wenmin.platforms.models import Rating, Result, ServiceRecord
from wenmin.platforms.tests.conftest import Platforms


def _served(
    p: Platforms, *, minutes: int, result: str = Result.DONE, wait: int = 0, month_ago: bool = False
) -> ServiceRecord:
    now = timezone.now() - (dt.timedelta(days=40) if month_ago else dt.timedelta())
    start = now - dt.timedelta(minutes=minutes)
    ticket = None
    if wait:
        services.ticket_take(actor=None, unit=p.centre, now=start - dt.timedelta(minutes=wait))
        ticket = services.ticket_call_next(actor=None, unit=p.centre, now=start)
    return services.service_record(
        actor=None,
        unit=p.centre,
        item=p.certificate,
        resident_name="陈明",
        resident_phone="18600003333",
        started_at=start,
        ended_at=start + dt.timedelta(minutes=5),
        result=result,
        ticket=ticket,
        now=timezone.now(),
    )


def _figure(page: str, name: str) -> tuple[str, str]:
    match = re.search(
        rf'<a class="figure" href="([^"]+)" data-figure="{name}"><b>([^<]+)</b>', page
    )
    assert match, name
    return match.group(1).replace("&amp;", "&"), match.group(2)


def test_every_figure_opens_exactly_the_records_it_counts(platforms: Platforms) -> None:
    p = platforms
    # The month's first moments: a record 40 days ago falls in another month.
    if timezone.localdate().day == 1 and timezone.localtime().hour < 2:
        return
    _served(p, minutes=60, wait=10)
    _served(p, minutes=40, wait=20, result=Result.NEEDS_DOCUMENTS)
    _served(p, minutes=20, result=Result.REFERRED)
    _served(p, minutes=30, month_ago=True)
    first = ServiceRecord.objects.order_by("started_at").last()
    assert first is not None
    services.rating_submit(code=first.rating_code, score=5)
    anonymous = Client()
    page = anonymous.get(reverse("platforms:public", args=[p.centre.pk])).content.decode()
    url, value = _figure(page, "services")
    assert value == "3"
    listing = anonymous.get(url).content.decode()
    assert 'data-count="3"' in listing and "3 次服务" in listing
    assert listing.count("data-record=") == 3
    assert "陈明" not in listing and "186****3333" not in listing  # no personal data in public
    url, value = _figure(page, "wait")
    assert value == "15.0"  # (10 + 20) / 2 minutes
    assert 'data-count="2"' in anonymous.get(url).content.decode()
    url, value = _figure(page, "satisfaction")
    assert value == "100.0%"
    assert 'data-count="1"' in anonymous.get(url).content.decode()


def test_staff_who_serve_there_see_the_resident_masked_in_the_list(platforms: Platforms) -> None:
    from wenmin.platforms.tests.conftest import client_for

    _served(platforms, minutes=30)
    month = timezone.localdate().strftime("%Y-%m")
    page = (
        client_for(platforms.county.township_clerk)
        .get(reverse("platforms:services_list", args=[platforms.centre.pk]) + f"?month={month}")
        .content.decode()
    )
    assert "186****3333" in page and "18600003333" not in page


def test_a_bad_month_is_refused(platforms: Platforms) -> None:
    for month in ("2026-13", "0000-01", "junk", "2026-1"):
        response = Client().get(
            reverse("platforms:services_list", args=[platforms.centre.pk]), {"month": month}
        )
        assert response.status_code == 400, month


def test_the_qr_code_leads_to_the_rating_form(platforms: Platforms) -> None:
    page = Client().get(reverse("platforms:public", args=[platforms.centre.pk])).content.decode()
    assert 'src="data:image/svg+xml' in page
    form = Client().get(reverse("platforms:rate", args=[platforms.centre.pk]), {"code": "ABCD2345"})
    assert form.status_code == 200 and 'value="ABCD2345"' in form.content.decode()


def test_a_service_is_rated_once(platforms: Platforms) -> None:
    record = _served(platforms, minutes=10)
    url = reverse("platforms:rate", args=[platforms.centre.pk])
    client = Client()
    first = client.post(url, {"code": record.rating_code.lower(), "score": "4", "comment": "很快"})
    assert first.status_code == 302
    rating = Rating.objects.get()
    assert rating.record == record and rating.score == 4 and rating.comment == "很快"
    twice = client.post(url, {"code": record.rating_code, "score": "1"})
    assert twice.status_code == 400 and "已经评价过" in twice.content.decode()
    assert Rating.objects.get().score == 4


def test_bad_ratings_are_refused(platforms: Platforms) -> None:
    record = _served(platforms, minutes=10)
    url = reverse("platforms:rate", args=[platforms.centre.pk])
    client = Client()
    for data in (
        {"code": record.rating_code, "score": "6"},
        {"code": record.rating_code, "score": "0"},
        {"code": "NOSUCH22", "score": "5"},
        {"code": "", "score": "5"},
    ):
        assert client.post(url, data).status_code == 400, data
    other = Client().post(
        reverse("platforms:rate", args=[platforms.other_centre.pk]),
        {"code": record.rating_code, "score": "5"},
    )
    assert other.status_code == 400  # the code of another centre's service
    assert Rating.objects.count() == 0


def test_ratings_are_rate_limited_per_address(platforms: Platforms, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WENMIN_PLATFORM_RATINGS_PER_HOUR = 3
    url = reverse("platforms:rate", args=[platforms.centre.pk])
    client = Client()
    statuses = [client.post(url, {"code": "NOSUCH22", "score": "5"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    record = _served(platforms, minutes=10)
    assert client.post(url, {"code": record.rating_code, "score": "5"}).status_code == 429
    assert Rating.objects.count() == 0
