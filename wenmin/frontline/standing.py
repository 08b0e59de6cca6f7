"""How each cadre of a county stands in the key projects over a year: the one module where the
front line reads the projects (through the projects' own `plans_read`), for the organisation
department's lists. A constant number of queries, whatever the number of cadres or projects.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from wenmin.frontline import criteria
from wenmin.frontline.models import FieldInspection, Rating
from wenmin.organisation.models import Person, Region
from wenmin.projects.dossier import PlanFacts, active_between, plans_read
from wenmin.projects.models import Project
from wenmin.projects.supervision import Step
from wenmin.projects.workflow import RUNNING


def thresholds_current() -> criteria.Thresholds:
    """The criteria's thresholds, with the county's margin for "behind plan"."""
    return criteria.Thresholds(margin=Decimal(int(settings.WENMIN_PROJECTS_BEHIND_MARGIN)))


@dataclass
class Standing:
    """One cadre's key projects over a year, the inspections of them, and what they add up to."""

    person: Person
    projects: list[PlanFacts] = field(default_factory=list)
    ratings: Counter[str] = field(default_factory=Counter)
    facts: criteria.Facts = field(default_factory=criteria.Facts)
    judgement: criteria.Judgement = field(default_factory=lambda: criteria.Judgement(None, ()))

    def rating_counts(self) -> list[tuple[str, int]]:
        """How many inspections gave each rating, best first."""
        return [(str(label), self.ratings.get(value, 0)) for value, label in Rating.choices]


def facts_of(projects: list[PlanFacts], ratings: Counter[str]) -> criteria.Facts:
    """What a cadre's projects and inspections add up to."""
    leads = [f.lead for f in projects if f.project.status in RUNNING]
    mean = (
        (sum(leads, Decimal(0)) / len(leads)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if leads
        else None
    )
    return criteria.Facts(
        projects=len(projects),
        running=sum(1 for f in projects if f.project.status in RUNNING),
        behind=sum(1 for f in projects if f.behind),
        on_time=sum(len(f.on_time()) for f in projects),
        late=sum(len(f.late()) for f in projects),
        faster=sum(1 for f in projects for t in f.tasks if t.speed.faster),
        finished_early=sum(1 for f in projects if f.speed is not None and f.speed.faster),
        mean_lead=mean,
        orders=sum(1 for f in projects for e in f.pressed if e.step == Step.ORDER),
        escalations=sum(1 for f in projects for e in f.pressed if e.step == Step.ESCALATION),
        poor=ratings.get(Rating.POOR, 0),
    )


def cadre_standing(
    *, county: Region, start: dt.date, end: dt.date, thresholds: criteria.Thresholds
) -> list[Standing]:
    """Every cadre of the county with a key project concerning start…end, judged (six queries)."""
    in_county = county.path
    cadre_of_county = Q(cadre__unit__region__path__startswith=in_county)
    projects = list(
        active_between(Project.objects.all(), start, end)
        .filter(
            Q(patron__cadre__unit__region__path__startswith=in_county)
            | Q(responsible__cadre__unit__region__path__startswith=in_county)
        )
        .select_related("region")
        .order_by("planned_start", "pk")
    )
    facts = plans_read(projects, start=start, end=end, today=timezone.localdate())
    by_person: dict[int, list[PlanFacts]] = defaultdict(list)
    for p in projects:
        for person_id in {p.patron_id, p.responsible_id}:
            if person_id is not None:
                by_person[person_id].append(facts[p.pk])
    people = (
        Person.objects.filter(cadre_of_county, pk__in=list(by_person))
        .select_related("cadre__unit")
        .defer("phone", "id_number")
        .order_by("name", "pk")
    )
    ratings: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        FieldInspection.objects.filter(
            cadre_id__in=list(by_person), inspected_on__range=(start, end)
        )
        .values("cadre_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        ratings[row["cadre_id"]][row["rating"]] = row["n"]
    found = []
    for person in people:
        mine = by_person[person.pk]
        standing = Standing(person=person, projects=mine, ratings=ratings[person.pk])
        standing.facts = facts_of(mine, standing.ratings)
        standing.judgement = criteria.judge(standing.facts, thresholds)
        found.append(standing)
    return found


def lists_of(standings: list[Standing]) -> dict[str, list[Standing]]:
    """The two lists: 先进 and 推进不力."""
    return {
        verdict: [s for s in standings if s.judgement.verdict == verdict]
        for verdict in (criteria.EXCELLED, criteria.BEHIND)
    }
