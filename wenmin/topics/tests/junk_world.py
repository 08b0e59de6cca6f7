"""The topics' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wenmin.testing import CaseDesk
from wenmin.topics.models import Hotspot
from wenmin.topics.services import candidates_compute, hotspots_detect, topic_pick
from wenmin.topics.tests.conftest import History


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """A cluster of leaks in 青石村, this month's candidates and a picked topic."""
    history = History(desk)
    now = timezone.now()
    for i in range(4):
        history.case(
            category=desk.leaking_pipe,
            region=desk.county.village_a,
            text="小区门口水管爆裂水流一地",
            when=now - dt.timedelta(hours=i + 1),
        )
    hotspots_detect(now=now, notify_new=False)
    candidate = candidates_compute(month=timezone.localdate().replace(day=1), now=now)[0]
    topic = topic_pick(actor=desk.county.leader, candidate=candidate)
    spot = Hotspot.objects.order_by("pk").first()
    return {
        "paths": {
            "hotspot_id": spot.pk if spot else 1,
            "candidate_id": candidate.pk,
            "topic_id": topic.pk,
        },
        # Only names no other app reads: the world's form values are shared by every route.
        "form": {
            "candidate": candidate.pk,
            "project": 3,
            "month": f"{now:%Y-%m}",
            "days": 30,
        },
    }
