"""The only door for permission-scoped reads of hotspots, candidates, topics and map points."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.workflow import FINAL_STATES
from wenmin.core.geo import wgs84_to_gcj02
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.organisation.models import Region, RegionLevel
from wenmin.topics import access
from wenmin.topics.models import Hotspot, MonthlyTopic, TopicCandidate
from wenmin.topics.services.candidates import candidate_cases

MAP_MAX_POINTS = 3000  # the most recent cases drawn; the page says when more matched


def _require(user: User) -> None:
    if not access.hotspots_user(user):
        raise PermissionDenied


def hotspots_latest(user: User) -> QuerySet[Hotspot]:
    """The hotspots of the latest detection."""
    _require(user)
    latest = Hotspot.objects.order_by("-period_end").values_list("period_end", flat=True).first()
    if latest is None:
        return Hotspot.objects.none()
    # Spikes first (the sudden ones), then the biggest clusters.
    return (
        Hotspot.objects.filter(period_end=latest)
        .select_related("category", "township")
        .order_by("-kind", "-score", "id")
    )


def hotspot_get_for(user: User, hotspot_id: Any) -> Hotspot:
    _require(user)
    return get_object_or_404(
        Hotspot.objects.select_related("category", "township"), pk=id_or_404(hotspot_id)
    )


def hotspot_cases_for(user: User, hotspot: Hotspot) -> QuerySet[Case]:
    """The hotspot's cases the viewer may open."""
    ids = Hotspot.cases.through.objects.filter(hotspot=hotspot).values("case_id")
    return _case_list(cases_visible_to(user).filter(pk__in=ids))


def _case_list(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("category", "region", "lead_unit").order_by("-received_at", "-id")


def candidates_for(user: User, month: dt.date) -> QuerySet[TopicCandidate]:
    _require(user)
    return TopicCandidate.objects.filter(month=month).select_related("category").order_by("rank")


def candidate_months(user: User) -> list[dt.date]:
    _require(user)
    return list(
        TopicCandidate.objects.order_by("-month").values_list("month", flat=True).distinct()[:24]
    )


def candidate_get_for(user: User, candidate_id: Any) -> TopicCandidate:
    _require(user)
    return get_object_or_404(
        TopicCandidate.objects.select_related("category"), pk=id_or_404(candidate_id)
    )


def candidate_cases_for(user: User, candidate: TopicCandidate) -> QuerySet[Case]:
    """The cases the candidate's figures count, that the viewer may open."""
    ids = candidate_cases(candidate.month, candidate.category_id).values("pk")
    return _case_list(cases_visible_to(user).filter(pk__in=ids))


def topics_for(user: User) -> QuerySet[MonthlyTopic]:
    _require(user)
    return MonthlyTopic.objects.select_related("category", "picked_by").order_by("-month", "id")


def topic_get_for(user: User, topic_id: Any) -> MonthlyTopic:
    _require(user)
    return get_object_or_404(
        MonthlyTopic.objects.select_related("category", "picked_by"), pk=id_or_404(topic_id)
    )


def topic_cases_for(user: User, topic: MonthlyTopic, *, state: str = "") -> QuerySet[Case]:
    """The topic's linked cases the viewer may open; `state`: "open", "closed" or all."""
    ids = topic.links.filter(unlinked=False).values("case_id")
    cases = cases_visible_to(user).filter(pk__in=ids)
    if state == "open":
        cases = cases.exclude(state__in=FINAL_STATES)
    elif state == "closed":
        cases = cases.filter(state__in=FINAL_STATES)
    return _case_list(cases)


# The map ----------------------------------------------------------------------------------


def _datum(lat: float, lng: float) -> tuple[float, float]:
    """A WGS-84 point in the datum of the configured tiles (GCJ-02 for AMap/Tencent)."""
    if getattr(settings, "WENMIN_MAP_DATUM", "wgs84") == "gcj02":
        lat, lng = wgs84_to_gcj02(lat, lng)
    return round(lat, 6), round(lng, 6)


def map_regions() -> list[dict[str, Any]]:
    """Townships and villages with coordinates: the map's own base when there are no tiles."""
    rows = Region.objects.filter(
        level__in=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE),
        latitude__isnull=False,
        longitude__isnull=False,
    ).values_list("name", "level", "latitude", "longitude")
    out = []
    for name, level, lat, lng in rows.order_by("code")[:5000]:
        la, ln = _datum(float(lat or 0), float(lng or 0))
        out.append({"name": name, "township": level == RegionLevel.TOWNSHIP, "lat": la, "lng": ln})
    return out


def map_cases(user: User, filters: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The viewer's cases matching the filters, as points (at most MAP_MAX_POINTS, the latest),
    and how many matched. A case without its own location is drawn at its village."""
    cases = cases_visible_to(user).filter(
        received_at__gte=timezone.now() - dt.timedelta(days=filters.get("days") or 30)
    )
    if filters.get("kind"):
        cases = cases.filter(kind=filters["kind"])
    if filters.get("category"):
        cases = cases.filter(category=filters["category"])
    state = filters.get("state") or ""
    if state == "open":
        cases = cases.exclude(state__in=FINAL_STATES)
    elif state == "closed":
        cases = cases.filter(state__in=FINAL_STATES)
    elif state:
        cases = cases.filter(state=state)
    total = cases.count()
    rows = cases.order_by("-received_at", "-id").values_list(
        "pk",
        "number",
        "title",
        "state",
        "latitude",
        "longitude",
        "region__latitude",
        "region__longitude",
        "region__parent__latitude",
        "region__parent__longitude",
    )[:MAP_MAX_POINTS]
    points = []
    for pk, number, title, st, lat, lng, rlat, rlng, plat, plng in rows:
        where = next(
            (
                (a, b)
                for a, b in ((lat, lng), (rlat, rlng), (plat, plng))
                if a is not None and b is not None
            ),
            None,
        )
        if where is None:
            continue
        la, ln = _datum(float(where[0]), float(where[1]))
        points.append(
            {
                "lat": la,
                "lng": ln,
                "name": f"{number} {title}"[:80],
                "state": st,
                "url": reverse("cases:case_detail", args=[pk]),
                "value": 1,
            }
        )
    return points, total


def map_hotspots(user: User, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The latest hotspots with a place, for the leaders who see hotspots."""
    if not access.hotspots_user(user):
        return []
    hotspots = hotspots_latest(user).filter(latitude__isnull=False, longitude__isnull=False)
    if filters.get("category"):
        hotspots = hotspots.filter(category=filters["category"])
    out = []
    for h in hotspots[:500]:
        la, ln = _datum(float(h.latitude or 0), float(h.longitude or 0))
        out.append(
            {
                "lat": la,
                "lng": ln,
                "name": h.label,
                "value": h.case_count,
                "kind": h.kind,
                "url": reverse("topics:hotspot", args=[h.pk]),
            }
        )
    return out
