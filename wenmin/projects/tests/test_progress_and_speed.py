"""Progress is computed from the weighted plan (never typed in); speed against normal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.projects import progress, workflow
from wenmin.projects.models import Project, Report
from wenmin.projects.services import progress_of

from .conftest import World, client_for

D = Decimal


def test_a_milestone_is_the_weighted_sum_of_its_tasks() -> None:
    road = progress.Node(
        weight=D(60),
        children=[progress.Node(weight=D(50), percent=D(100)), progress.Node(weight=D(50))],
    )
    clearing = progress.Node(weight=D(40), children=[progress.Node(weight=D(100), percent=D(50))])
    # 40 % × 50 % + 60 % × (50 % × 100 % + 50 % × 0 %) = 20 + 30
    assert progress.plan_progress([clearing, road]) == D("50.0")


def test_the_plan_expects_work_in_proportion_to_the_days_gone() -> None:
    task = progress.Node(
        weight=D(100), planned_start=dt.date(2026, 1, 1), planned_finish=dt.date(2026, 1, 11)
    )
    assert progress.plan_expected([task], dt.date(2025, 12, 31)) == D("0.0")
    assert progress.plan_expected([task], dt.date(2026, 1, 6)) == D("50.0")
    assert progress.plan_expected([task], dt.date(2026, 2, 1)) == D("100.0")


weights = st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=weights,
    percents=st.lists(st.integers(min_value=0, max_value=100), min_size=6, max_size=6),
)
def test_progress_stays_within_0_and_100_and_is_100_only_when_all_is_done(
    parts: list[int], percents: list[int]
) -> None:
    total = sum(parts)
    # Weights scaled to sum to exactly 100 (the last takes the rounding).
    scaled = [D(p * 100) / D(total) for p in parts[:-1]]
    scaled.append(D(100) - sum(scaled, D(0)))
    if any(w <= 0 for w in scaled):
        return
    nodes = [progress.Node(weight=w, percent=D(p)) for w, p in zip(scaled, percents, strict=False)]
    assert progress.weights_ok(scaled)
    result = progress.plan_progress(nodes)
    assert D(0) <= result <= D(100)
    expected = sum((w * n.percent / 100 for w, n in zip(scaled, nodes, strict=False)), D(0))
    assert abs(result - expected) <= D("0.05")
    all_done = [progress.Node(weight=w, percent=D(100)) for w in scaled]
    assert progress.plan_progress(all_done) == D("100.0")


def test_weights_must_sum_to_100() -> None:
    assert progress.weights_ok([D(40), D(60)])
    assert not progress.weights_ok([D(40), D(50)])
    assert not progress.weights_ok([D(100), D(0)])
    assert not progress.weights_ok([])


def test_speed_against_normal_reads_like_the_seed() -> None:
    speed = progress.speed(
        started=dt.date(2016, 8, 1), finished=dt.date(2016, 9, 2), normal_days=90
    )
    assert speed is not None
    assert (speed.actual_days, speed.normal_days, speed.ratio) == (33, 90, D("2.7"))
    assert speed.faster
    assert progress.speed(started=dt.date(2016, 8, 1), finished=None, normal_days=90) is None
    assert (
        progress.speed(started=dt.date(2016, 8, 1), finished=dt.date(2016, 9, 2), normal_days=None)
        is None
    )


def test_pace_is_rounded_half_up_once_from_the_exact_ratio() -> None:
    # 0.1 % done on the first of 85 normal days: 0.1 × 85 / 100 = 0.085 exactly, so 0.09.
    # Dividing twice rounded the share gone (1/85) to 28 digits first and gave 0.08.
    day = dt.date(2026, 3, 2)
    assert progress.pace(progress=D("0.1"), started=day, day=day, normal_days=85) == D("0.09")
    # 50 % done halfway through: exactly the normal pace; capped at 5 when far ahead.
    assert progress.pace(
        progress=D(50), started=day, day=day + dt.timedelta(days=49), normal_days=100
    ) == D("1.00")
    assert progress.pace(progress=D(100), started=day, day=day, normal_days=100) == D("5.00")


def test_the_workflow_allows_only_its_moves() -> None:
    assert workflow.may_move("planned", "approved")
    assert not workflow.may_move("planned", "completed")
    assert not workflow.may_move("accepted", "under_construction")
    assert workflow.next_statuses("under_construction") == ["completed", "suspended"]


def test_reports_move_the_computed_progress(world: World) -> None:
    cadre = client_for(world.desk.county.department_clerk)
    url = reverse("projects:report", args=[world.project.pk])
    today = timezone.localdate().isoformat()
    answer = cadre.post(
        url,
        {
            "item": world.demolition.pk,
            "reported_on": today,
            "quantity_done": "48.5",
            "unit": "buildings",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    answer = cadre.post(url, {"item": world.base.pk, "reported_on": today, "percent": "100"})
    assert answer.status_code == 302
    project = Project.objects.get(pk=world.project.pk)
    # 40 × 50 % (48.5 of 97 buildings) + 60 × (50 × 100 % + 50 × 0) / 100 = 20 + 30
    assert project.progress == D("50.0")
    assert project.progress == progress_of(project)
    assert project.status == "under_construction"  # the first report starts the works
    page = cadre.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-progress="50.0"' in page


def test_a_finished_task_shows_its_speed_against_normal(world: World) -> None:
    cadre = client_for(world.desk.county.department_clerk)
    base = world.base
    began = timezone.localdate() - dt.timedelta(days=32)
    answer = cadre.post(
        reverse("projects:report", args=[world.project.pk]),
        {
            "item": base.pk,
            "reported_on": timezone.localdate().isoformat(),
            "started_on": began.isoformat(),
            "quantity_done": "7",
            "unit": "km",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    base.refresh_from_db()
    assert (base.started_on, base.finished_on, base.percent) == (
        began,
        timezone.localdate(),
        D(100),
    )
    page = cadre.get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    # The mountain road's normal duration (the county's kinds of work): 90 days.
    assert 'data-speed="2.7"' in page
    assert "33" in page and "90" in page
    fast = cadre.get(reverse("projects:fast_tasks")).content.decode()
    assert 'data-count-total="1"' in fast and "路基" in fast


def test_a_project_is_completed_only_when_its_plan_is_done(world: World) -> None:
    manager = client_for(world.desk.county.department_clerk)
    Project.objects.filter(pk=world.project.pk).update(status="under_construction")
    manager.post(reverse("projects:status", args=[world.project.pk]), {"status": "completed"})
    assert Project.objects.get(pk=world.project.pk).status == "under_construction"
    assert not Report.objects.exists()
