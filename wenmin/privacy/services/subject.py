"""A resident's request to see or delete their data (PIPL art. 44–47): the administrator
exports everything held about a person, and erases what the law allows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.cases.labels import EVENT_LABELS
from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.purposes import purposes_labels
from wenmin.core.audit import audit_record
from wenmin.core.crypto import personal_data_viewed
from wenmin.core.excel import StreamedWorkbook
from wenmin.core.models import User
from wenmin.organisation.models import Cadre, PartyMember, Person, Position, Volunteer
from wenmin.privacy.models import AccessReason, Anonymisation, AnonymisedCase
from wenmin.privacy.selectors import access_log, erasure_refusals, person_cases
from wenmin.privacy.services.anonymise import (
    case_anonymise,
    person_anonymise_if_unneeded,
    person_ref,
    require_administrator,
)


def _yes(value: bool | None) -> str:
    return "" if value is None else _("yes") if value else _("no")


# What the apps built on the register hold about a person (a household and its care categories,
# WeChat followers…): each hook gives (sheet title, headers, rows) for the person, or no rows.
# The apps register here; privacy imports none of them.
SubjectSheet = tuple[str, list[str], list[list[Any]]]
SUBJECT_SHEETS: list[Callable[[Person], SubjectSheet]] = []


def subject_export(*, actor: User, person: Person, target: IO[bytes]) -> int:
    """Write one workbook of everything held about a person — their details in clear, the
    roles the register holds, their cases, the events of those cases and those they took, and
    who saw their data — and log the export as an access. Returns the number of rows."""
    require_administrator(actor)
    book = StreamedWorkbook()
    rows = 0
    sheet = book.sheet(_("Person"), headers=[_("Field"), _("Value")], widths={"A": 18, "B": 40})
    for label, value in (
        (_("name"), person.name),
        (_("gender"), person.get_gender_display()),
        (_("birth year"), person.birth_year),
        (_("phone"), person.phone),
        (_("ID number"), person.id_number),
        (_("place of residence"), person.region.name if person.region else ""),
        (_("resident"), _yes(person.is_resident)),
        (_("created"), person.created_at),
        (_("updated"), person.updated_at),
    ):
        sheet.append([label, value])
    rows += sheet.rows
    rows += _roles_sheet(book, person)
    cases = list(person_cases(person))
    rows += _cases_sheet(book, cases)
    rows += _events_sheet(book, person, [c.pk for c in cases])
    rows += _accesses_sheet(book, person)
    for hook in SUBJECT_SHEETS:
        title, headers, found = hook(person)
        if found:
            extra = book.sheet(title, headers=headers)
            for row in found:
                extra.append(row)
            rows += extra.rows
    book.save(target)
    personal_data_viewed(
        viewer=actor,
        person_ids=[person.pk],
        fields=["phone", "id_number"],
        reason=AccessReason.SUBJECT_EXPORT,
    )
    audit_record(
        actor=actor,
        action="privacy.subject_export",
        target=person_ref(person),
        changes={"cases": len(cases), "rows": rows},
    )
    return rows


def _roles_sheet(book: StreamedWorkbook, person: Person) -> int:
    sheet = book.sheet(
        _("Register"), headers=[_("Role"), _("Unit"), _("Details"), _("From"), _("Until")]
    )
    for member in PartyMember.objects.filter(person=person).select_related("branch"):
        sheet.append(
            [
                _("party member"),
                member.branch.name,
                member.get_status_display(),
                member.joined_on,
                None,
            ]
        )
    for cadre in Cadre.objects.filter(person=person).select_related("unit"):
        sheet.append([_("cadre"), cadre.unit.name, cadre.position, None, None])
    for volunteer in Volunteer.objects.filter(person=person).select_related("team"):
        sheet.append(
            [
                _("volunteer"),
                volunteer.team.name if volunteer.team else "",
                volunteer.post,
                None,
                None,
            ]
        )
    for position in Position.objects.filter(person=person).select_related("unit"):
        sheet.append(
            [
                position.get_kind_display(),
                position.unit.name if position.unit else "",
                position.subject,
                position.start_date,
                position.end_date,
            ]
        )
    for account in User.objects.filter(person=person):
        sheet.append(
            [
                _("login"),
                account.unit.name if account.unit else "",
                account.get_username(),
                account.date_joined,
                account.last_login,
            ]
        )
    return sheet.rows


def _cases_sheet(book: StreamedWorkbook, cases: list[Case]) -> int:
    sheet = book.sheet(
        _("Cases"),
        headers=[
            _("Number"),
            _("Received"),
            _("Channel"),
            _("Kind"),
            _("Category"),
            _("Title"),
            _("Content"),
            _("Address"),
            _("Region"),
            _("State"),
            _("Closed"),
            _("Reply"),
            _("Resolved"),
            _("Satisfaction"),
            _("Purposes of processing"),
        ],
        freeze="A2",
    )
    for case in cases:
        sheet.append(
            [
                case.number,
                case.received_at,
                case.get_channel_display(),
                case.get_kind_display(),
                case.category.name if case.category else "",
                case.title,
                case.content,
                case.address,
                case.region.name if case.region else "",
                case.get_state_display(),
                case.closed_at,
                case.reply,
                _yes(case.resolved),
                case.satisfaction,
                "；".join(purposes_labels(case.purposes)),
            ]
        )
    return sheet.rows


def _events_sheet(book: StreamedWorkbook, person: Person, case_ids: list[int]) -> int:
    """The events of their cases, and the events they took through their own login."""
    sheet = book.sheet(
        _("Events"),
        headers=[
            _("Case"),
            _("Time"),
            _("Action"),
            _("By"),
            _("Unit"),
            _("Note for the requester"),
            _("Note"),
        ],
        freeze="A2",
    )
    accounts = list(User.objects.filter(person=person).values_list("pk", flat=True))
    events = (
        CaseEvent.objects.filter(case_id__in=case_ids)
        .select_related("case", "unit")
        .order_by("case_id", "at", "id")
    )
    own = CaseEvent.objects.filter(actor_id__in=accounts).exclude(case_id__in=case_ids)
    for queryset in (events, own.select_related("case", "unit").order_by("at", "id")):
        for event in queryset.iterator(chunk_size=2000):
            sheet.append(
                [
                    event.case.number,
                    event.at,
                    str(EVENT_LABELS.get(event.action, event.action)),
                    event.actor_label,
                    event.unit.name if event.unit else "",
                    event.public_note,
                    event.note,
                ]
            )
    return sheet.rows


def _accesses_sheet(book: StreamedWorkbook, person: Person) -> int:
    sheet = book.sheet(
        _("Accesses"),
        headers=[_("Time"), _("Viewer"), _("Fields"), _("Why"), _("Case"), _("Page"), _("Address")],
        freeze="A2",
    )
    reasons = dict(AccessReason.choices)
    for entry in access_log(person_id=person.pk).iterator(chunk_size=2000):
        sheet.append(
            [
                entry.at,
                entry.viewer_label,
                entry.fields,
                str(reasons.get(entry.reason, entry.reason)),
                entry.case.number if entry.case else "",
                entry.path,
                entry.ip_address,
            ]
        )
    return sheet.rows


@dataclass
class ErasurePlan:
    erasable: list[Case] = field(default_factory=list)
    kept: list[tuple[Case, list[str]]] = field(default_factory=list)
    done: list[Case] = field(default_factory=list)


def erasure_plan(*, person: Person) -> ErasurePlan:
    """Which of a person's cases can be erased now, which are kept and why."""
    plan = ErasurePlan(
        done=[
            record.case
            for record in AnonymisedCase.objects.filter(person=person)
            .select_related("case")
            .order_by("case__received_at", "case_id")
        ]
    )
    for case in person_cases(person):
        if reasons := erasure_refusals(case):
            plan.kept.append((case, reasons))
        else:
            plan.erasable.append(case)
    return plan


@dataclass
class ErasureReport:
    erased: list[str]
    kept: list[str]
    person_anonymised: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "erased": self.erased,
            "kept": self.kept,
            "person_anonymised": self.person_anonymised,
        }


def subject_erase(*, actor: User, person: Person) -> ErasureReport:
    """Erase what the law allows of a person's data at their request: every case of theirs that
    `erasure_refusals` does not keep is anonymised; the person too, once no case needs them and
    the register does not hold them. Audited as a whole and case by case."""
    require_administrator(actor)
    with transaction.atomic():
        plan = erasure_plan(person=person)
        erased = []
        for case in plan.erasable:
            if case_anonymise(case_id=case.pk, reason=Anonymisation.ERASURE, actor=actor):
                erased.append(case.number)
        anonymised = person_anonymise_if_unneeded(
            person_id=person.pk, reason=Anonymisation.ERASURE, actor=actor
        )
        report = ErasureReport(
            erased=erased,
            kept=[case.number for case, _reasons in plan.kept],
            person_anonymised=anonymised is not None,
        )
        audit_record(
            actor=actor,
            action="privacy.subject_erase",
            target=person_ref(person),
            changes=report.as_dict(),
        )
    return report
