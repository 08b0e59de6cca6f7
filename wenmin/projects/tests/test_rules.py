"""Bad input is refused clearly and nothing is saved: weights that do not sum, progress beyond
100 % or dated before the task began, a finish before a start, a quantity in the wrong unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import AuditEvent
from wenmin.projects.models import PlanItem, Project, ProjectCase, Report, ReportPhoto

from .conftest import World, client_for


def _plan_post(world: World, second_weight: str) -> dict[str, list[str]]:
    start = world.start.isoformat()
    finish = (world.start + dt.timedelta(days=30)).isoformat()
    return {
        "level": ["milestone", "task", "task"],
        "name": ["施工", "路基", "路面"],
        "weight": ["100", "50", second_weight],
        "planned_start": [start] * 3,
        "planned_finish": [finish] * 3,
        "work_kind": ["", "", ""],
        "normal_days": ["", "", ""],
        "normal_source": ["", "", ""],
        "quantity": ["", "", ""],
        "unit": ["", "", ""],
    }


def _fresh_project(world: World) -> Project:
    """The world's project without reports, whose plan may still be replaced."""
    return world.project


def test_weights_that_do_not_sum_are_refused_and_the_plan_is_kept(world: World) -> None:
    manager = client_for(world.desk.county.department_clerk)
    before = list(PlanItem.objects.values_list("pk", "name", "weight").order_by("pk"))
    answer = manager.post(
        reverse("projects:plan", args=[world.project.pk]), _plan_post(world, "40")
    )
    assert answer.status_code == 400
    assert "90" in answer.content.decode()  # says what they add up to
    assert list(PlanItem.objects.values_list("pk", "name", "weight").order_by("pk")) == before
    answer = manager.post(
        reverse("projects:plan", args=[world.project.pk]), _plan_post(world, "50")
    )
    assert answer.status_code == 302
    assert sorted(PlanItem.objects.values_list("name", flat=True)) == ["施工", "路基", "路面"]


def test_a_finish_before_the_start_is_refused(world: World) -> None:
    manager = client_for(world.desk.county.department_clerk)
    c = world.desk.county
    count = Project.objects.count()
    answer = manager.post(
        reverse("projects:new"),
        {
            "name": "白沙村文化广场",
            "category": "culture",
            "township": c.township_a.code,
            "owner": c.department.code,
            "budget": "500000",
            "planned_start": "2026-06-01",
            "planned_finish": "2026-05-01",
            "origin_kind": "county_plan",
        },
    )
    assert answer.status_code == 400
    assert "2026-05-01" in answer.content.decode()
    assert Project.objects.count() == count
    bad_item = _plan_post(world, "50")
    bad_item["planned_finish"][2] = (world.start - dt.timedelta(days=1)).isoformat()
    answer = manager.post(reverse("projects:plan", args=[world.project.pk]), bad_item)
    assert answer.status_code == 400
    assert not PlanItem.objects.filter(name="施工").exists()


def _report(world: World, **data: object):  # type: ignore[no-untyped-def]
    cadre = client_for(world.desk.county.department_clerk)
    return cadre.post(reverse("projects:report", args=[world.project.pk]), data)


def _nothing_saved(world: World) -> None:
    assert not Report.objects.exists()
    assert not ReportPhoto.objects.exists()
    assert not ProjectCase.objects.exists()
    project = Project.objects.get(pk=world.project.pk)
    assert (project.progress, project.status, project.started_on) == (Decimal(0), "approved", None)
    assert not AuditEvent.objects.filter(action="projects.report").exists()


def test_progress_beyond_100_is_refused(world: World) -> None:
    today = timezone.localdate().isoformat()
    answer = _report(world, item=world.base.pk, reported_on=today, percent="101")
    assert answer.status_code == 400 and "100" in answer.content.decode()
    # 98 of 97 buildings is beyond 100 % too
    answer = _report(
        world,
        item=world.demolition.pk,
        reported_on=today,
        quantity_done="98",
        unit="buildings",
        problems="征地补偿有异议",
        raise_case="on",
    )
    assert answer.status_code == 400
    _nothing_saved(world)


def test_a_report_dated_before_the_task_began_is_refused(world: World) -> None:
    before = (world.base.planned_start - dt.timedelta(days=1)).isoformat()
    answer = _report(world, item=world.base.pk, reported_on=before, percent="10")
    assert answer.status_code == 400
    assert world.base.planned_start.isoformat() in answer.content.decode()
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert _report(world, item=world.base.pk, reported_on=future, percent="10").status_code == 400
    _nothing_saved(world)


def test_a_quantity_in_the_wrong_unit_is_refused(world: World) -> None:
    today = timezone.localdate().isoformat()
    answer = _report(world, item=world.base.pk, reported_on=today, quantity_done="3", unit="m2")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "km" in page
    # A task with no quantity takes a percentage, not a quantity.
    answer = _report(world, item=world.surface.pk, reported_on=today, quantity_done="3", unit="km")
    assert answer.status_code == 400
    _nothing_saved(world)


def test_a_file_that_is_not_a_photo_is_refused_with_the_rest(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("site.jpg", b"not a jpeg at all", content_type="image/jpeg")
    answer = _report(
        world,
        item=world.base.pk,
        reported_on=timezone.localdate().isoformat(),
        percent="20",
        photos=fake,
    )
    assert answer.status_code == 400
    _nothing_saved(world)
