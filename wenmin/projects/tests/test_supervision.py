"""Behind plan by the county's margin: a reminder, then a supervision order with a new date
(reminded at 75 % of its time, as cases are), then escalation to the patron."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wenmin.core.workdays import Calendar
from wenmin.projects.models import Project, SupervisionEvent
from wenmin.projects.services import project_supervise, projects_supervise_sweep
from wenmin.projects.supervision import Ladder, Step, next_step

from .conftest import World, client_for

LADDER = Ladder(margin=10, order_after_days=5, order_days=10)


def _running(world: World) -> Project:
    Project.objects.filter(pk=world.project.pk).update(status="under_construction")
    return Project.objects.get(pk=world.project.pk)


def test_the_ladder_runs_reminder_order_escalation_and_starts_again_when_back_on_plan(
    world: World,
) -> None:
    calendar = Calendar()
    project = _running(world)
    # Nothing reported, 60 of 120 days gone: the plan expects the clearing done (40 %) and more.
    now = timezone.now()
    step = project_supervise(project=project, now=now, ladder=LADDER, calendar=calendar)
    assert step == Step.REMINDER
    assert project_supervise(project=project, now=now, ladder=LADDER, calendar=calendar) is None
    # Five working days after the reminder: the supervision order with a new date.
    later = calendar.add_working_days(now, 5)
    assert (
        project_supervise(project=project, now=later, ladder=LADDER, calendar=calendar)
        == Step.ORDER
    )
    project.refresh_from_db()
    assert project.order_due == calendar.add_working_days(later, 10)
    # 75 % of the time to the new date used: the order is reminded (the cases' rule).
    nudge = later + (project.order_due - later) * 0.8
    assert (
        project_supervise(project=project, now=nudge, ladder=LADDER, calendar=calendar)
        == Step.ORDER_REMINDER
    )
    # The new date passed and still behind: escalated to the patron, once.
    past = project.order_due + dt.timedelta(hours=1)
    assert (
        project_supervise(project=project, now=past, ladder=LADDER, calendar=calendar)
        == Step.ESCALATION
    )
    assert project_supervise(project=project, now=past, ladder=LADDER, calendar=calendar) is None
    escalation = SupervisionEvent.objects.get(step=Step.ESCALATION)
    assert escalation.to_person == world.patron
    assert escalation.expected - escalation.progress > 10
    # Back on plan: the ladder is cleared.
    Project.objects.filter(pk=project.pk).update(progress=Decimal(100))
    assert (
        project_supervise(project=project, now=past, ladder=LADDER, calendar=calendar)
        == Step.RECOVERED
    )
    project.refresh_from_db()
    assert project.reminded_at is None and project.escalated_at is None
    page = client_for(world.desk.county.leader).get(f"/projects/{project.pk}/").content.decode()
    assert page.count("data-step=") == 5


def test_a_project_within_the_margin_is_left_alone(world: World) -> None:
    calendar = Calendar()
    project = _running(world)
    Project.objects.filter(pk=project.pk).update(progress=Decimal(45))
    project.refresh_from_db()
    expected = Decimal(50)  # about what the plan expects by now
    assert (
        next_step(project, behind=False, now=timezone.now(), ladder=LADDER, calendar=calendar)
        is None
    )
    assert (
        project_supervise(
            project=project, now=timezone.now(), ladder=Ladder(margin=60), calendar=calendar
        )
        is None
    )
    assert expected > project.progress


def test_the_sweep_takes_only_running_projects(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WENMIN_PROJECTS_BEHIND_MARGIN = 10
    assert projects_supervise_sweep() == {}  # approved: not yet running
    _running(world)
    assert projects_supervise_sweep() == {Step.REMINDER: 1}
    assert projects_supervise_sweep() == {}


def test_each_step_tells_the_person_it_is_addressed_to(world: World) -> None:
    """The reminder and the order reach the responsible cadre's account, the escalation the
    patron's, in-app (the configured backends); back on plan tells no one."""
    from django.test import TestCase

    from wenmin.core.models import InAppNotification, User
    from wenmin.core.roles import Role

    patron_account = User.objects.create_user(
        username="panxz", password="x-Unused-9", role=Role.COUNTY_LEADER, person=world.patron
    )
    clerk = world.desk.county.department_clerk
    calendar = Calendar()
    project = _running(world)
    now = timezone.now()
    with TestCase.captureOnCommitCallbacks(execute=True):
        project_supervise(project=project, now=now, ladder=LADDER, calendar=calendar)
    told = InAppNotification.objects.get(user=clerk)
    assert world.project.name in told.subject and f"/projects/{project.pk}/" in told.text
    later = calendar.add_working_days(now, 5)
    with TestCase.captureOnCommitCallbacks(execute=True):
        project_supervise(project=project, now=later, ladder=LADDER, calendar=calendar)
    project.refresh_from_db()
    assert project.order_due is not None
    order = InAppNotification.objects.filter(user=clerk).order_by("-pk").first()
    assert order is not None and timezone.localtime(project.order_due).date().isoformat() in (
        order.text
    )
    nudge = later + (project.order_due - later) * 0.8
    with TestCase.captureOnCommitCallbacks(execute=True):
        project_supervise(project=project, now=nudge, ladder=LADDER, calendar=calendar)
    assert InAppNotification.objects.filter(user=clerk).count() == 3
    assert not InAppNotification.objects.filter(user=patron_account).exists()
    past = project.order_due + dt.timedelta(hours=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert (
            project_supervise(project=project, now=past, ladder=LADDER, calendar=calendar)
            == Step.ESCALATION
        )
    escalated = InAppNotification.objects.get(user=patron_account)
    assert world.project.name in escalated.subject
    Project.objects.filter(pk=project.pk).update(progress=Decimal(100))
    before = InAppNotification.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        project_supervise(project=project, now=past, ladder=LADDER, calendar=calendar)
    assert InAppNotification.objects.count() == before
