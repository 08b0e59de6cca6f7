"""The projects as a source of the shared daily counts: milestones on time counted on their due
date, a monthly sample of progress and pace, for the township, the owner department, the
responsible cadre and the patron; the services keep the counts equal to a rebuild; the cadres'
standing on their key projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.organisation import services as org
from wenmin.organisation.models import Person
from wenmin.projects import services
from wenmin.projects.models import PlanItem, Project
from wenmin.projects.services import ItemInput
from wenmin.projects.standing import PATRON, RESPONSIBLE, cadre_project_standing
from wenmin.projects.tallies import SOURCE
from wenmin.tallies import readers
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON, REGION, UNIT
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.django_db
D = Decimal
START, FINISH = dt.date(2025, 3, 1), dt.date(2025, 6, 28)  # 120 days: the normal duration
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
COUNTERS = [
    "milestones_on_time",
    "milestones_due",
    "progress_sum",
    "progress_n",
    "speed_sum",
    "speed_n",
]


def _project(desk: CaseDesk, patron: Person | None = None) -> tuple[Project, PlanItem, PlanItem]:
    """A road in 青石村 (青石镇) of the housing bureau, 张伟 responsible: the milestone 征迁
    (40, its one task 拆除, due 31 March) and the task 路面 alone at the top (60, due 28 June)."""
    c = desk.county
    project = services.project_propose(
        actor=c.department_clerk,
        name="青石村道路",
        category="road",
        region=c.village_a,
        owner=c.department,
        responsible=c.cadre_department,
        patron=patron,
        budget="1000000",
        planned_start=START,
        planned_finish=FINISH,
    )
    services.plan_set(
        actor=c.department_clerk,
        project=project,
        items=[
            ItemInput(
                name="征迁",
                weight="40",
                planned_start=START,
                planned_finish=dt.date(2025, 3, 31),
                children=[
                    ItemInput(
                        name="拆除",
                        weight="100",
                        planned_start=START,
                        planned_finish=dt.date(2025, 3, 31),
                    )
                ],
            ),
            ItemInput(
                name="路面", weight="60", planned_start=dt.date(2025, 4, 1), planned_finish=FINISH
            ),
        ],
    )
    services.project_status_set(actor=c.department_clerk, project=project, status="approved")
    items = {i.name: i for i in PlanItem.objects.filter(project=project)}
    return project, items["拆除"], items["路面"]


def _report(desk: CaseDesk, item: PlanItem, day: dt.date, percent: str) -> None:
    services.report_submit(
        actor=desk.county.department_clerk, item=item, reported_on=day, percent=percent
    )


def _totals(subject_type: str, subject_id: int) -> dict[str, float]:
    found = readers.totals(SOURCE, subject_type, [subject_id], *YEAR, COUNTERS)
    return {k: round(v, 6) for k, v in found.get(subject_id, {}).items() if abs(v) > 1e-9}


def _no_difference() -> None:
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]


def test_milestones_and_monthly_samples_count_for_each_subject_as_computed_by_hand(
    desk: CaseDesk,
) -> None:
    c = desk.county
    patron = org.person_create(actor=None, name="潘县长", gender="female", birth_year=1970)
    project, clearing, surface = _project(desk, patron)
    # approved: both milestones due, neither done
    assert _totals(REGION, c.township_a.pk) == {"milestones_due": 2.0}
    _report(desk, clearing, dt.date(2025, 3, 10), "50")
    _report(desk, clearing, dt.date(2025, 3, 25), "100")  # 征迁 done within its date
    _report(desk, surface, dt.date(2025, 5, 15), "50")
    _report(desk, surface, dt.date(2025, 7, 2), "100")  # 路面 done after 28 June: late
    # March's last report: 40 % done, 25 days of 120 gone: 0.40 × 120 / 25 = 1.92 times normal;
    # May: 40 + 60 × 50 % = 70 %, 76 days: 1.105 → 1.11; July: 100 %, 124 days: 0.968 → 0.97.
    expected = {
        "milestones_on_time": 1.0,
        "milestones_due": 2.0,
        "progress_sum": 210.0,
        "progress_n": 3.0,
        "speed_sum": 4.0,
        "speed_n": 3.0,
    }
    assert _totals(REGION, c.township_a.pk) == expected
    assert _totals(UNIT, c.department.pk) == expected
    assert _totals(PERSON, c.cadre_department.pk) == expected
    assert _totals(PERSON, patron.pk) == expected
    months = readers.totals_by_month(
        SOURCE, PERSON, [patron.pk], *YEAR, ["speed_sum", "milestones_due"]
    )
    assert months[dt.date(2025, 3, 1)][patron.pk] == {"speed_sum": 1.92, "milestones_due": 1.0}
    assert months[dt.date(2025, 6, 1)][patron.pk] == {"milestones_due": 1.0}
    _no_difference()

    # Another cadre made responsible: the counts move to her; suspended: nothing counts.
    other = org.person_create(actor=None, name="刘干部", gender="female", birth_year=1985)
    services.project_update(actor=c.department_clerk, project=project, responsible=other)
    assert _totals(PERSON, c.cadre_department.pk) == {}
    assert _totals(PERSON, other.pk) == expected
    services.project_status_set(actor=c.department_clerk, project=project, status="suspended")
    assert _totals(REGION, c.township_a.pk) == {}
    services.project_status_set(
        actor=c.department_clerk, project=project, status="under_construction"
    )
    assert _totals(UNIT, c.department.pk) == expected
    _no_difference()

    rows, total = readers.evidence(
        SOURCE, PERSON, other.pk, *YEAR, ["milestones_due", "milestones_on_time"]
    )
    assert total == 2
    assert [r.described.label for r in rows] == ["青石村道路 · 路面", "青石村道路 · 征迁"]
    assert rows[0].amounts == {"milestones_due": 1.0}
    assert rows[0].described.url.endswith(f"/{project.pk}/")


def test_a_cadres_standing_on_their_key_projects(
    desk: CaseDesk, django_assert_num_queries: object
) -> None:
    c = desk.county
    patron = org.person_create(actor=None, name="潘县长", gender="female", birth_year=1970)
    project, clearing, surface = _project(desk, patron)
    _report(desk, clearing, dt.date(2025, 3, 25), "100")
    _report(desk, surface, dt.date(2025, 7, 2), "100")
    services.project_status_set(
        actor=c.department_clerk, project=project, status="completed", on=dt.date(2025, 7, 2)
    )
    with django_assert_num_queries(3):  # type: ignore[operator]
        standing = cadre_project_standing(person_ids=[patron.pk, c.cadre_department.pk], year=2025)
    [mine] = standing[c.cadre_department.pk]
    [patronised] = standing[patron.pk]
    assert (mine.roles, patronised.roles) == ((RESPONSIBLE,), (PATRON,))
    assert mine.progress == D("100.0") and mine.expected is None and not mine.behind
    assert mine.pace == D("0.97")  # 120 normal days over the 124 it took
    assert (mine.milestones_due, mine.milestones_on_time, mine.milestones_late) == (2, 1, 1)
    assert mine.milestones_overdue == 0
    # Half way through 2025's spring, as it stood on 31 March: one milestone due, on time;
    # the plan expected 40 % by then (征迁 done, 路面 not begun) and 40 % was done.
    spring = cadre_project_standing(year=2025, today=dt.date(2025, 3, 31))
    [early] = spring[c.cadre_department.pk]
    assert (early.progress, early.expected, early.behind) == (D("40.0"), D("40.0"), False)
    assert (early.milestones_due, early.milestones_on_time) == (1, 1)
    assert cadre_project_standing(year=2024) == {}


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["report", "responsible", "dates", "status", "patron", "plan"]),
        st.integers(0, 200),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=ACTIONS)
def test_the_services_keep_the_counts_equal_to_a_rebuild(desk: CaseDesk, steps: list) -> None:  # type: ignore[type-arg]
    c = desk.county
    project, clearing, surface = _project(desk)
    people = [c.cadre_department, c.member_a, None]
    statuses = {"approved": "suspended", "suspended": "approved"}
    for action, n in steps:
        project.refresh_from_db()
        if action == "report" and project.status in ("approved", "under_construction"):
            task = clearing if n % 2 else surface
            day = max(task.planned_start, START + dt.timedelta(days=n))
            _report(desk, task, day, str(n % 101))
        elif action == "responsible":
            services.project_update(
                actor=c.department_clerk, project=project, responsible=people[n % 3]
            )
        elif action == "dates":
            services.project_update(
                actor=c.department_clerk,
                project=project,
                planned_finish=FINISH + dt.timedelta(days=n),
                region=c.village_b if n % 2 else c.village_a,
            )
        elif action == "status" and project.status in statuses:
            services.project_status_set(
                actor=c.department_clerk, project=project, status=statuses[project.status]
            )
        elif action == "patron":
            services.project_patron_set(actor=None, project=project, patron=c.member_b)
        elif action == "plan" and not project.reports.exists():
            services.plan_set(
                actor=c.department_clerk,
                project=project,
                items=[
                    ItemInput(
                        name=f"节点{n}",
                        weight="100",
                        planned_start=START,
                        planned_finish=START + dt.timedelta(days=n),
                    )
                ],
            )
            clearing = surface = PlanItem.objects.get(project=project)
    _no_difference()
