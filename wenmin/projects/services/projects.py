"""Projects into the register, their status and their patron."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.councils.models import ProjectRefType, Proposal
from wenmin.councils.services import proposal_project_taken
from wenmin.organisation.models import Person, Position, PositionKind, Region, Unit
from wenmin.projects import workflow
from wenmin.projects.models import Category, Funding, FundSource, OriginKind, Project, ProjectCase
from wenmin.projects.services.common import (
    TEXT_MAX,
    amount,
    dates_in_order,
    day,
    refuse,
    text,
)
from wenmin.projects.tallies import projects_tallied
from wenmin.projects.workflow import Status


def _origin(kind: str, origin_id: Any) -> int | None:
    """The typed origin reference, checked against the record it names."""
    if kind not in OriginKind.values:
        refuse("origin_kind", _("Unknown origin."))
    if origin_id in (None, ""):
        if kind in (OriginKind.COUNCIL_DECISION, OriginKind.CASE):
            refuse("origin_id", _("Name the decision or the case the project comes from."))
        return None
    if kind == OriginKind.COUNTY_PLAN:
        refuse("origin_id", _("A project of the county's plan points to no other record."))
    try:
        number = validators.check_id(origin_id)
    except ValidationError as error:
        raise ValidationError({"origin_id": error.messages}) from None
    if kind == OriginKind.COUNCIL_DECISION:
        waiting = Proposal.objects.filter(
            pk=number, project_ref_type=ProjectRefType.PROJECT, project_ref_id__isnull=True
        )
        if not waiting.exists():
            refuse("origin_id", _("No decision with this number is waiting for the register."))
    if kind == OriginKind.CASE and not Case.objects.filter(pk=number).exists():
        refuse("origin_id", _("No case with this number."))
    return number


def _fundings(fundings: Sequence[tuple[str, Any]]) -> list[tuple[str, Decimal]]:
    clean: list[tuple[str, Decimal]] = []
    for source, value in fundings:
        if source not in FundSource.values:
            refuse("fundings", _("Unknown source of funds."))
        clean.append((source, amount(value, field="fundings")))
    return clean


def _checked(
    *,
    name: Any,
    category: Any,
    description: Any,
    internal_note: Any,
    budget: Any,
    planned_start: Any,
    planned_finish: Any,
    fundings: Sequence[tuple[str, Any]],
    latitude: Any,
    longitude: Any,
    more: dict[str, Callable[[], Any]] | None = None,
) -> dict[str, Any]:
    """A project's fields checked together (for a new project and an edit alike): the clean
    values by field, or every problem at once as one ValidationError."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    checks: dict[str, Callable[[], Any]] = {
        "name": lambda: text(name, field="name", max_length=120, required=True),
        "description": lambda: text(
            description, field="description", max_length=TEXT_MAX, multiline=True
        ),
        "internal_note": lambda: text(
            internal_note, field="internal_note", max_length=TEXT_MAX, multiline=True
        ),
        "budget": lambda: amount(budget, field="budget"),
        "planned_start": lambda: day(planned_start, field="planned_start"),
        "planned_finish": lambda: day(planned_finish, field="planned_finish"),
        "fundings": lambda: _fundings(fundings),
        "latitude": lambda: None if latitude in (None, "") else validators.check_latitude(latitude),
        "longitude": lambda: (
            None if longitude in (None, "") else validators.check_longitude(longitude)
        ),
        **(more or {}),
    }
    for field, check in checks.items():
        try:
            values[field] = check()
        except ValidationError as error:
            errors.update(
                error.message_dict if hasattr(error, "error_dict") else {field: error.messages}
            )
    if category not in Category.values:
        errors["category"] = [_("Unknown category.")]
    values["category"] = category
    if "planned_start" in values and "planned_finish" in values:
        try:
            dates_in_order(values["planned_start"], values["planned_finish"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if (values.get("latitude") is None) != (values.get("longitude") is None) and not errors:
        errors["latitude"] = [_("Give both latitude and longitude, or neither.")]
    if errors:
        raise ValidationError(errors)
    return values


def project_propose(
    *,
    actor: User | None,
    name: str,
    category: str,
    region: Region,
    owner: Unit,
    budget: Any,
    planned_start: Any,
    planned_finish: Any,
    origin_kind: str = OriginKind.COUNTY_PLAN,
    origin_id: Any = None,
    origin_label: str = "",
    description: str = "",
    internal_note: str = "",
    patron: Person | None = None,
    responsible: Person | None = None,
    fundings: Sequence[tuple[str, Any]] = (),
    latitude: Any = None,
    longitude: Any = None,
) -> Project:
    """A project into the register (status planned), with its typed origin: a villagers'
    council decision (its reference filled in), a suggestion case, a leaders' or a branch
    meeting (the meeting's id in its app), or the county's plan."""
    values = _checked(
        name=name,
        category=category,
        description=description,
        internal_note=internal_note,
        budget=budget,
        planned_start=planned_start,
        planned_finish=planned_finish,
        fundings=fundings,
        latitude=latitude,
        longitude=longitude,
        more={
            "origin_label": lambda: text(origin_label, field="origin_label", max_length=200),
            "origin_id": lambda: _origin(origin_kind, origin_id),
        },
    )
    with transaction.atomic():
        project = Project.objects.create(
            name=values["name"],
            category=values["category"],
            description=values["description"],
            internal_note=values["internal_note"],
            region=region,
            latitude=values["latitude"],
            longitude=values["longitude"],
            owner=owner,
            responsible=responsible,
            budget=values["budget"],
            planned_start=values["planned_start"],
            planned_finish=values["planned_finish"],
            origin_kind=origin_kind,
            origin_id=values["origin_id"],
            origin_label=values["origin_label"],
            created_by=actor if actor is not None and actor.pk else None,
        )
        Funding.objects.bulk_create(
            Funding(project=project, source=source, amount=value)
            for source, value in values["fundings"]
        )
        if origin_kind == OriginKind.COUNCIL_DECISION:
            proposal = Proposal.objects.get(pk=values["origin_id"])
            proposal_project_taken(proposal=proposal, project_id=project.pk, actor=actor)
        if patron is not None:
            _patron_link(project, patron)
        audit_record(
            actor=actor,
            action="projects.propose",
            target=project,
            changes={"origin": [origin_kind, values["origin_id"]], "budget": str(project.budget)},
        )
    return project


def _patron_link(project: Project, patron: Person) -> None:
    """The patron's 包联 post for this project: the one whose free-text subject names it, else
    a new one; the project keeps the link (inside the caller's transaction)."""
    position = (
        Position.objects.filter(
            person=patron,
            kind=PositionKind.COUNTY_LEADER_LIAISON,
            subject=project.name[:200],
            end_date__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if position is None:
        position = Position.objects.create(
            person=patron,
            kind=PositionKind.COUNTY_LEADER_LIAISON,
            subject=project.name[:200],
            start_date=timezone.localdate(),
        )
    project.patron = patron
    project.patron_position = position
    project.save(update_fields=["patron", "patron_position"])


def project_patron_set(*, actor: User | None, project: Project, patron: Person) -> Project:
    """Make a county leader the patron (包联领导) of a project, linked through their post."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        before = locked.patron_id
        _patron_link(locked, patron)
        projects_tallied(locked.pk)
        audit_record(
            actor=actor,
            action="projects.patron_set",
            target=locked,
            changes={"patron": [before, patron.pk]},
        )
    return locked


EDITABLE = frozenset(
    {
        "name",
        "category",
        "description",
        "internal_note",
        "region",
        "latitude",
        "longitude",
        "owner",
        "responsible",
        "budget",
        "fundings",
        "planned_start",
        "planned_finish",
    }
)
# The fields the project's counts read (its subjects, its normal duration).
TALLIED_FIELDS = frozenset({"region", "owner", "responsible", "planned_start", "planned_finish"})
_RELATED: dict[str, tuple[type[Any], bool]] = {
    "region": (Region, False),
    "owner": (Unit, False),
    "responsible": (Person, True),
}


def _shown(value: Any) -> Any:
    """A value as the audit event keeps it."""
    if isinstance(value, Region | Unit | Person):
        return value.pk
    if isinstance(value, list):
        return [[source, str(money)] for source, money in value]
    return None if value is None else str(value)


def project_update(*, actor: User | None, project: Project, **changes: Any) -> Project:
    """Change a registered project's name, category, texts, place, owner, responsible cadre,
    budget, funding sources or planned dates: checked as a new project is (`_checked`), all or
    nothing, one audit event naming the fields that changed (none when nothing did)."""
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        refuse(unknown[0], _("This field cannot be changed here."))
    errors: dict[str, list[str]] = {}
    for field, (model, optional) in _RELATED.items():
        if field in changes and not (
            isinstance(changes[field], model) or (optional and changes[field] is None)
        ):
            errors[field] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        before: dict[str, Any] = {
            field: getattr(locked, field) for field in EDITABLE - {"fundings"}
        }
        before["fundings"] = [
            (f.source, f.amount) for f in locked.fundings.order_by("source", "pk")
        ]
        merged = {**before, **changes}
        values = _checked(
            name=merged["name"],
            category=merged["category"],
            description=merged["description"],
            internal_note=merged["internal_note"],
            budget=merged["budget"],
            planned_start=merged["planned_start"],
            planned_finish=merged["planned_finish"],
            fundings=merged["fundings"],
            latitude=merged["latitude"],
            longitude=merged["longitude"],
        )
        after = {**values, **{field: merged[field] for field in _RELATED}}
        after["fundings"] = sorted(values["fundings"])
        before["fundings"] = sorted(before["fundings"])
        changed = {
            field: [_shown(before[field]), _shown(after[field])]
            for field in sorted(changes)
            if before[field] != after[field]
        }
        if not changed:
            return locked
        fields = [field for field in changed if field != "fundings"]
        for field in fields:
            setattr(locked, field, after[field])
        if fields:
            locked.save(update_fields=fields)
        if "fundings" in changed:
            locked.fundings.all().delete()
            Funding.objects.bulk_create(
                Funding(project=locked, source=source, amount=value)
                for source, value in after["fundings"]
            )
        if set(changed) & TALLIED_FIELDS:
            projects_tallied(locked.pk)
        audit_record(actor=actor, action="projects.update", target=locked, changes=changed)
    return locked


def project_status_set(
    *, actor: User | None, project: Project, status: str, on: dt.date | None = None
) -> Project:
    """Move a project to another status by the table in workflow.py; completed only at 100 %."""
    today = on or timezone.localdate()
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        before = locked.status
        if not workflow.may_move(before, status):
            refuse(
                "status",
                _("A project “%(now)s” cannot become “%(next)s”.")
                % {"now": Status(before).label, "next": Status(status).label}
                if status in Status.values
                else _("Unknown status."),
            )
        if status == Status.COMPLETED and not workflow.may_complete(
            progress_percent=float(locked.progress)
        ):
            refuse(
                "status",
                _("The plan is %(n)s%% done: a project is completed when its plan is done.")
                % {"n": locked.progress},
            )
        fields = ["status"]
        locked.status = status
        if status == Status.UNDER_CONSTRUCTION and locked.started_on is None:
            locked.started_on = today
            fields.append("started_on")
        if status == Status.COMPLETED:
            locked.finished_on = today
            fields.append("finished_on")
        locked.save(update_fields=fields)
        projects_tallied(locked.pk)
        audit_record(
            actor=actor,
            action="projects.status_set",
            target=locked,
            changes={"status": [before, status]},
        )
    return locked


def project_case_link(*, actor: User | None, project: Project, case: Case) -> ProjectCase:
    """Link a case raised elsewhere to the project it is about (once)."""
    with transaction.atomic():
        if ProjectCase.objects.filter(case=case).exists():
            refuse("case", _("This case is already linked to a project."))
        link = ProjectCase.objects.create(project=project, case=case)
        audit_record(
            actor=actor, action="projects.case_link", target=project, changes={"case": case.pk}
        )
    return link
