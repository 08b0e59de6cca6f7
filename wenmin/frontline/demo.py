"""The demo county's field inspections: the organisation department visited the responsible cadre
of each key project once or twice over the past months, rating those whose projects run behind
lower. Bulk-inserted (the daily counts are rebuilt after every app's demo data)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Count
from django.utils import timezone

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.frontline.models import FieldInspection, Rating
from wenmin.projects.dashboard import behind_ids
from wenmin.projects.models import Project

SEEN = {
    Rating.GOOD: "现场组织有序，协调解决征迁难题，进度超过计划，群众评价好。",
    Rating.FAIRLY_GOOD: "深入工地一线，能及时协调施工问题，进度基本符合计划。",
    Rating.FAIR: "现场问题协调不够及时，部分节点滞后，需加强督促。",
    Rating.POOR: "项目进度明显滞后，到现场少，群众反映问题未及时解决。",
}


def demo_inspections(*, seed: int, now: dt.datetime) -> list[str]:
    """One or two inspections of each project's responsible cadre; the line `wenmin seed` prints."""
    rng = random.Random(seed * 7919 + 16)  # noqa: S311  (demo data, not secrets)
    inspector = User.objects.filter(role=Role.COUNTY_LEADER).order_by("pk").first()
    projects = Project.objects.filter(responsible__cadre__isnull=False).exclude(
        field_inspections__isnull=False
    )
    behind, _on_time = behind_ids(projects, timezone.localtime(now).date())
    today = timezone.localtime(now).date()
    rows = []
    chosen = list(projects.order_by("pk"))
    for project in chosen:
        cadre = project.responsible_id
        if cadre is None:
            continue
        for _n in range(rng.choice((1, 1, 2))):
            lagging = project.pk in behind
            weights = (1, 2, 4, 3) if lagging else (5, 4, 1, 0)
            rating = rng.choices(Rating.values, weights=weights)[0]
            day = max(today - dt.timedelta(days=rng.randint(3, 200)), project.planned_start)
            rows.append(
                FieldInspection(
                    cadre_id=cadre,
                    inspected_on=min(day, today),
                    region_id=project.region_id,
                    project=project,
                    observed=SEEN[Rating(rating)],
                    rating=rating,
                    inspector=inspector,
                    inspector_name=inspector.get_username() if inspector else "",
                    created_at=now,
                )
            )
    FieldInspection.objects.bulk_create(rows, batch_size=500)
    return [f"frontline: {len(rows)} field inspections of {len(chosen)} projects' cadres"]


def frontline_stats() -> dict[str, Any]:
    """How many inspections, by rating."""
    by_rating = dict.fromkeys(Rating.values, 0)
    for rating, n in (
        FieldInspection.objects.values_list("rating").annotate(n=Count("pk")).order_by()
    ):
        by_rating[rating] = n
    return {"field_inspections": sum(by_rating.values()), "field_inspections_by_rating": by_rating}
