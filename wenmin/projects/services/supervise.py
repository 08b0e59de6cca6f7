"""The supervision ladder run over the projects under construction (a periodic job of the
worker): reminder, supervision order with a new date, escalation to the patron."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.services.policy import calendar_current
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.notify import Notification, notify
from wenmin.core.workdays import Calendar
from wenmin.organisation.models import Person
from wenmin.projects import progress, supervision
from wenmin.projects.models import PlanItem, Project, SupervisionEvent
from wenmin.projects.selectors import plan_tree
from wenmin.projects.supervision import Step
from wenmin.projects.workflow import RUNNING


def ladder_current() -> supervision.Ladder:
    """The county's settings (WENMIN_PROJECTS_BEHIND_MARGIN and the two delays)."""
    return supervision.Ladder(
        margin=int(settings.WENMIN_PROJECTS_BEHIND_MARGIN),
        order_after_days=int(settings.WENMIN_PROJECTS_ORDER_AFTER_DAYS),
        order_days=int(settings.WENMIN_PROJECTS_ORDER_DAYS),
    )


def expected_of(project: Project, items: list[PlanItem], day: dt.date) -> Decimal:
    return progress.plan_expected([n.node() for n in plan_tree(items)], day)


def project_supervise(
    *,
    project: Project,
    now: dt.datetime,
    ladder: supervision.Ladder,
    calendar: Calendar,
) -> str | None:
    """Take the one step the project's lag calls for now; the step taken, or None."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.status not in RUNNING:
            return None
        expected = expected_of(locked, list(locked.items.all()), timezone.localtime(now).date())
        behind = progress.is_behind(
            progress=locked.progress, expected=expected, margin=Decimal(ladder.margin)
        )
        step = supervision.next_step(
            locked, behind=behind, now=now, ladder=ladder, calendar=calendar
        )
        if step is None:
            return None
        due = None
        fields: dict[str, dt.datetime | None]
        if step == Step.REMINDER:
            fields = {"reminded_at": now}
        elif step == Step.ORDER:
            due = supervision.order_due(now, ladder=ladder, calendar=calendar)
            fields = {"ordered_at": now, "order_due": due}
        elif step == Step.ORDER_REMINDER:
            fields = {"order_reminded_at": now}
        elif step == Step.ESCALATION:
            fields = {"escalated_at": now}
        else:  # back on plan: the ladder starts again the next time it falls behind
            fields = dict.fromkeys(
                ("reminded_at", "ordered_at", "order_due", "order_reminded_at", "escalated_at")
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
        to_person = locked.patron if step == Step.ESCALATION else locked.responsible
        SupervisionEvent.objects.create(
            project=locked,
            step=step,
            at=now,
            progress=locked.progress,
            expected=expected,
            due=due,
            to_person=to_person,
        )
        # Told once the step is committed (a rolled-back step tells no one).
        progress_now = locked.progress
        transaction.on_commit(
            lambda: supervision_notify(
                project=locked,
                step=step,
                person=to_person,
                progress=progress_now,
                expected=expected,
                due=due,
            )
        )
        audit_record(
            actor=None,
            actor_label="worker",
            action=f"projects.supervision_{step}",
            target=locked,
            changes={"progress": str(locked.progress), "expected": str(expected)},
        )
    return step


def supervision_notify(
    *,
    project: Project,
    step: str,
    person: Person | None,
    progress: Decimal,
    expected: Decimal,
    due: dt.datetime | None,
) -> int:
    """Tell the person a supervision step is addressed to (the responsible cadre; the patron
    for an escalation) through the notification backends, on each of their active accounts;
    how many accounts were told. Back on plan tells no one."""
    subjects: dict[str, str] = {
        Step.REMINDER: _("Project behind plan: %(name)s"),
        Step.ORDER: _("Supervision order: %(name)s"),
        Step.ORDER_REMINDER: _("Supervision order due soon: %(name)s"),
        Step.ESCALATION: _("Project escalated to you: %(name)s"),
    }
    if person is None or step not in subjects:
        return 0
    text = _("%(name)s is at %(progress)s %% against %(expected)s %% expected by its plan.") % {
        "name": project.name,
        "progress": progress.quantize(Decimal(1)),
        "expected": expected.quantize(Decimal(1)),
    }
    if due is not None:
        text += " " + _("New date set by the supervision order: %(due)s.") % {
            "due": timezone.localtime(due).date().isoformat()
        }
    link = reverse("projects:detail", args=[project.pk])
    told = 0
    for user in User.objects.filter(person=person, is_active=True):
        notify(
            Notification(
                subject=subjects[step] % {"name": project.name},
                text=f"{text} {link}",
                user=user,
                link=link,
            )
        )
        told += 1
    return told


def projects_supervise_sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Every project under construction, one step each where due (the worker's periodic job)."""
    now = now or timezone.now()
    ladder, calendar = ladder_current(), calendar_current()
    taken: dict[str, int] = {}
    for project in Project.objects.filter(status__in=RUNNING).only("pk").order_by("pk"):
        step = project_supervise(project=project, now=now, ladder=ladder, calendar=calendar)
        if step:
            taken[step] = taken.get(step, 0) + 1
    return taken
