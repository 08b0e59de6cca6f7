"""The demo county's hotspots and monthly topics, found in its year of cases: the detection at the
seed's moment, last month's candidates, and the top one picked by the county leader."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils import timezone

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.topics import services
from wenmin.topics.models import Hotspot, HotspotKind, MonthlyTopic, TopicCandidate, TopicCase
from wenmin.topics.services.candidates import month_add, month_start


def demo_topics(*, seed: int, now: dt.datetime) -> list[str]:
    """Detect, rank last month and pick its first candidate; the lines `wenmin seed` prints."""
    report = services.hotspots_detect(now=now, notify_new=False)
    last_month = month_add(month_start(timezone.localtime(now).date()), -1)
    candidates = services.candidates_compute(month=last_month, now=now)
    lines = [
        f"topics: {report.spikes} spikes, {report.clusters} clusters, "
        f"{len(candidates)} candidates for {last_month:%Y-%m}"
    ]
    leader = User.objects.filter(role=Role.COUNTY_LEADER, is_active=True).order_by("pk").first()
    if candidates and leader is not None:
        top = candidates[0]
        if not MonthlyTopic.objects.filter(month=top.month, category=top.category).exists():
            topic = services.topic_pick(actor=leader, candidate=top)
            lines.append(f"topics: {topic.title} picked ({topic.links.count()} cases)")
    return lines


def topics_stats() -> dict[str, Any]:
    """Counts of hotspots (all, latest detection by kind), candidates and picked topics."""
    latest = Hotspot.objects.order_by("-period_end").values_list("period_end", flat=True).first()
    by_kind = dict.fromkeys(HotspotKind.values, 0)
    if latest is not None:
        for kind, n in (
            Hotspot.objects.filter(period_end=latest)
            .values_list("kind")
            .annotate(n=Count("id"))
            .order_by()
        ):
            by_kind[kind] = n
    return {
        "hotspots": Hotspot.objects.count(),
        "hotspots_latest": by_kind,
        "candidates": TopicCandidate.objects.count(),
        "topics": MonthlyTopic.objects.count(),
        "topic_cases": TopicCase.objects.filter(unlinked=False).count(),
    }
