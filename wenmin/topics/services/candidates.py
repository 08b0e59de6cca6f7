"""`candidates_compute`: the month's 每月一题 candidates, ranked (rules.candidate_scores)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.cases.workflow import State
from wenmin.core import text_zh
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import Region, RegionLevel
from wenmin.topics import rules
from wenmin.topics.models import TopicCandidate

COMPUTE_ACTION = "topics.candidates_compute"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_add(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first and the next month's first moments, in the county's time."""
    start = dt.datetime.combine(month_start(month), dt.time(), SHANGHAI)
    end = dt.datetime.combine(month_add(month, 1), dt.time(), SHANGHAI)
    return start, end


def candidate_cases(month: dt.date, category_id: int) -> QuerySet[Case]:
    """The cases a candidate counts: its category's cases received in the month, not rejected
    (not permission-scoped: callers intersect with the viewer's cases)."""
    start, end = month_bounds(month)
    return Case.objects.filter(
        category_id=category_id, received_at__gte=start, received_at__lt=end
    ).exclude(state=State.REJECTED)


def _unhappy(satisfaction: int | None, resolved: bool | None) -> bool:
    return resolved is False or (
        satisfaction is not None and satisfaction <= rules.UNHAPPY_SATISFACTION
    )


def candidates_compute(
    *, month: dt.date, actor: User | None = None, now: dt.datetime | None = None
) -> list[TopicCandidate]:
    """Rank the month's recurring problems and store them in place of the month's old ranking."""
    now = now or timezone.now()
    month = month_start(month)
    start, end = month_bounds(month)
    recur_start, _ = month_bounds(month_add(month, 1 - rules.RECUR_MONTHS))
    villages = dict(Region.objects.filter(level=RegionLevel.GROUP).values_list("id", "parent_id"))
    township_of = dict(Region.objects.values_list("id", "township_id"))
    level_of = dict(Region.objects.values_list("id", "level"))
    seen: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for category_id, received in (
        Case.objects.filter(
            category__isnull=False, received_at__gte=recur_start, received_at__lt=end
        )
        .exclude(state=State.REJECTED)
        .values_list("category_id", "received_at")
        .iterator(chunk_size=5000)
    ):
        local = received.astimezone(SHANGHAI)
        seen[category_id].add((local.year, local.month))
    figures: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "cases": 0,
            "residents": set(),
            "anonymous": 0,
            "townships": set(),
            "villages": set(),
            "days": 0.0,
            "rated": 0,
            "unhappy": 0,
            "words": Counter(),
        }
    )
    rows = (
        Case.objects.filter(Q(category__isnull=False), received_at__gte=start, received_at__lt=end)
        .exclude(state=State.REJECTED)
        .values_list(
            "category_id",
            "requester_id",
            "region_id",
            "received_at",
            "closed_at",
            "satisfaction",
            "resolved",
            "title",
        )
    )
    for (
        category_id,
        requester,
        region,
        received,
        closed,
        satisfaction,
        resolved,
        title,
    ) in rows.iterator(chunk_size=5000):
        f = figures[category_id]
        f["cases"] += 1
        if requester is None:
            f["anonymous"] += 1
        else:
            f["residents"].add(requester)
        if region is not None:
            if township_of.get(region):
                f["townships"].add(township_of[region])
            village = (
                region if level_of.get(region) == RegionLevel.VILLAGE else villages.get(region)
            )
            if village:
                f["villages"].add(village)
        f["days"] += max(0.0, ((closed or now) - received).total_seconds() / 86400)
        if satisfaction is not None or resolved is not None:
            f["rated"] += 1
            f["unhappy"] += int(_unhappy(satisfaction, resolved))
        f["words"].update(set(text_zh.analyzer(title)))
    eligible = {k: f for k, f in figures.items() if f["cases"] >= rules.CANDIDATE_MIN}
    numbers = [
        rules.CandidateFigures(
            key=k,
            residents=len(f["residents"]) + f["anonymous"],
            villages=len(f["villages"]),
            unsolved_days=f["days"] / f["cases"],
            unhappy_share=f["unhappy"] / f["rated"] if f["rated"] else 0.0,
            months_seen=len(seen[k]),
        )
        for k, f in eligible.items()
    ]
    scores = rules.candidate_scores(numbers)
    ordered = sorted(numbers, key=lambda n: (-scores[n.key], -n.residents, n.key))
    with transaction.atomic():
        TopicCandidate.objects.filter(month=month).delete()
        out = TopicCandidate.objects.bulk_create(
            [
                TopicCandidate(
                    month=month,
                    category_id=n.key,
                    rank=rank,
                    score=scores[n.key],
                    case_count=eligible[n.key]["cases"],
                    residents=n.residents,
                    townships=len(eligible[n.key]["townships"]),
                    villages=n.villages,
                    months_seen=n.months_seen,
                    unsolved_days=round(n.unsolved_days, 1),
                    unhappy_share=round(n.unhappy_share, 3),
                    rated=eligible[n.key]["rated"],
                    words=[w for w, c in eligible[n.key]["words"].most_common(5) if c > 1],
                    computed_at=now,
                )
                for rank, n in enumerate(ordered, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action=COMPUTE_ACTION,
            changes={"month": month.isoformat(), "candidates": len(out)},
        )
    return out


def candidates_compute_if_due() -> list[TopicCandidate] | None:
    """The worker's job: last month's candidates, once the month is over (and not yet computed
    after its end)."""
    today = timezone.localdate()
    last_month = month_add(month_start(today), -1)
    _, end = month_bounds(last_month)
    if TopicCandidate.objects.filter(month=last_month, computed_at__gte=end).exists():
        return None
    return candidates_compute(month=last_month)
