"""Progress reports by the responsible cadre: quantities, percentage, photos, problems met (which
become cases linked to the project). The project's progress is recomputed from the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Channel
from wenmin.cases.services import case_intake
from wenmin.cases.services.attachments import attachments_check
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.projects import access, progress
from wenmin.projects.models import (
    PlanItem,
    Project,
    ProjectCase,
    QuantityUnit,
    Report,
    ReportPhoto,
)
from wenmin.projects.selectors import plan_tree
from wenmin.projects.services.common import TEXT_MAX, amount, day, refuse, text
from wenmin.projects.tallies import projects_tallied
from wenmin.projects.workflow import REPORTING, Status

HUNDRED = Decimal(100)


def progress_of(project: Project) -> Decimal:
    """The project's progress from its weighted plan as stored now."""
    tree = plan_tree(list(PlanItem.objects.filter(project=project)))
    return progress.plan_progress([node.node() for node in tree])


def task_began(item: PlanItem) -> dt.date:
    """When a task began: its recorded start, else its planned start."""
    return item.started_on or item.planned_start


def _percent(
    item: PlanItem, percent: Any, quantity_done: Any, unit: str
) -> tuple[Decimal, Decimal | None]:
    done: Decimal | None = None
    if quantity_done not in (None, ""):
        if not item.unit or item.quantity is None:
            refuse("quantity_done", _("This task has no quantity to count: give a percentage."))
        if unit != item.unit:
            refuse(
                "unit",
                _("This task is counted in %(unit)s, not %(given)s.")
                % {
                    "unit": QuantityUnit(item.unit).label,
                    "given": QuantityUnit(unit).label if unit in QuantityUnit.values else unit,
                },
            )
        try:
            done = validators.check_number(quantity_done, maximum=Decimal(10) ** 9)
        except ValidationError as error:
            raise ValidationError({"quantity_done": error.messages}) from None
        if done < 0:
            refuse("quantity_done", _("Enter a quantity of zero or more."))
    if percent in (None, ""):
        if done is None or not item.quantity:
            refuse("percent", _("Give the percentage done, or the quantity done."))
        value = done / item.quantity * HUNDRED
    else:
        try:
            value = validators.check_number(percent, maximum=Decimal(10) ** 6)
        except ValidationError as error:
            raise ValidationError({"percent": error.messages}) from None
    if value > HUNDRED:
        refuse(
            "percent",
            _("%(n)s%% is beyond 100%%: a task cannot be more than done.")
            % {"n": value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)},
        )
    if value < 0:
        refuse("percent", _("Enter a percentage between 0 and 100."))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), done


def report_submit(
    *,
    actor: User,
    item: PlanItem,
    reported_on: Any,
    percent: Any = None,
    quantity_done: Any = None,
    unit: str = "",
    invested: Any = 0,
    problems: str = "",
    internal_note: str = "",
    raise_case: bool = False,
    started_on: Any = None,
    files: Sequence[UploadedFile] = (),
) -> Report:
    """One report on one task: refused as a whole (nothing saved) beyond 100 %, dated before the
    task began or in the future, or with a quantity in another unit than the task's."""
    project = item.project
    if not access.may_report(actor, project):
        raise PermissionDenied
    if item.children.exists():
        refuse("item", _("Report on a task, not on a milestone."))
    if project.status not in REPORTING:
        refuse(
            "item",
            _("The project is “%(status)s”: no progress is reported now.")
            % {"status": Status(project.status).label},
        )
    on = day(reported_on, field="reported_on")
    if on > timezone.localdate():
        refuse("reported_on", _("A report cannot be dated in the future."))
    began = task_began(item)
    if started_on not in (None, "") and item.started_on is None:
        began = day(started_on, field="started_on")
    if on < began:
        refuse(
            "reported_on",
            _("This task began on %(began)s: a report cannot be dated before it.")
            % {"began": began.isoformat()},
        )
    value, done = _percent(item, percent, quantity_done, unit)
    money = amount(invested or 0, field="invested")
    problems = text(problems, field="problems", max_length=TEXT_MAX, multiline=True)
    note = text(internal_note, field="internal_note", max_length=TEXT_MAX, multiline=True)
    if raise_case and not problems:
        refuse("problems", _("Describe the problem to raise it as a case."))
    try:
        checked = attachments_check(list(files))
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        task = PlanItem.objects.select_for_update().get(pk=item.pk)
        report = Report.objects.create(
            project=locked,
            item=task,
            reporter=actor,
            reported_on=on,
            percent=value,
            quantity_done=done,
            invested=money,
            problems=problems,
            internal_note=note,
        )
        task.percent = value
        task.quantity_done = done if done is not None else task.quantity_done
        task.started_on = task.started_on or began
        task.finished_on = on if value >= HUNDRED else None
        task.save(update_fields=["percent", "quantity_done", "started_on", "finished_on"])
        fields = ["progress", "invested"]
        locked.progress = progress_of(locked)
        locked.invested += money
        if locked.status == Status.APPROVED:
            locked.status = Status.UNDER_CONSTRUCTION
            fields.append("status")
        if locked.started_on is None:
            locked.started_on = began
            fields.append("started_on")
        locked.save(update_fields=fields)
        for upload, content_type in checked:
            ReportPhoto.objects.create(
                report=report,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=content_type,
                size=upload.size or 0,
            )
        if raise_case:
            case = case_intake(
                channel=Channel.WORK_STATION,
                kind=Kind.HELP,
                title=_("%(project)s: a problem met") % {"project": locked.name[:40]},
                content=problems,
                region=locked.region,
                actor=actor,
                data={"project": locked.pk},
            )
            ProjectCase.objects.create(project=locked, case=case, report=report)
        # A report may end a task (the milestone done), start the works, and change the
        # month's last report and every later month's progress: the project's records, all.
        projects_tallied(locked.pk)
        audit_record(
            actor=actor,
            action="projects.report",
            target=locked,
            changes={"item": task.pk, "percent": str(value), "progress": str(locked.progress)},
        )
    return report
