"""Replacing the personal data of a case, and of a resident no case needs any more.

What a case keeps, for statistics and the scoreboard: its number, kind, category, region,
channel, units, states, every time and count, satisfaction, and every event with its action,
unit, actor and numbers. What goes:
- the requester link: the case becomes anonymous (the person is not deleted here);
- the address (replaced by a mark) and the exact location (rounded to 0.01°, about 1 km);
- in the title, content, plan, reply, extra answers and every event's notes: the requester's
  name and phone as on file, and whatever looks like a phone, an ID number or an e-mail;
- in events' details: what a client sent about the person (Open311 device and account ids…);
- an event the requester took through their own login shows 诉求人 instead of their name;
- attached photos and documents: deleted (a face or a licence plate cannot be found safely).

A person in the register (a cadre, a party member, a volunteer, someone with a post or a
login) stays in the register untouched: only the case's link to them and the copies of their
name and phone in the case's texts go. A resident is anonymised once no case links to them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wenmin.cases.models import Attachment, Case, CaseEvent
from wenmin.core.audit import audit_record
from wenmin.core.models import InAppNotification, User
from wenmin.core.roles import Role
from wenmin.organisation.models import Person
from wenmin.privacy.models import Anonymisation, AnonymisedCase, AnonymisedPerson
from wenmin.privacy.scrub import ADDRESS_MARK, PERSON_NAME, scrub_data, scrub_text
from wenmin.privacy.selectors import register_roles

REQUESTER_LABEL = "诉求人"  # what the timeline calls the requester (cases' 诉求人)
COARSE = Decimal("0.01")
_CASE_TEXTS = ("title", "content", "plan", "reply")


def person_ref(person: Person) -> Person:
    """The person as the audit log's target, by number: the append-only audit log must not keep
    a name that an erasure is about to remove."""
    return Person(pk=person.pk, name=f"#{person.pk}")


def require_administrator(actor: User | None) -> None:
    """Only the county administrator (or the system: actor None) erases personal data."""
    if actor is not None and actor.role != Role.ADMINISTRATOR:
        raise PermissionDenied


# Other apps forget what they keep of a case's requester (a WeChat openid), in the same
# transaction (messaging registers here; privacy imports none of them).
ANONYMISE_HOOKS: list[Callable[[Case], None]] = []

# References to a person an app drops when the person is anonymised, instead of keeping the
# person ("wechat.follower.person": the follower is unlinked), keyed "app.model.field"; any other
# reference keeps the person (privacy.selectors.register_roles).
PERSON_FORGET_HOOKS: dict[str, Callable[[Person], object]] = {}


def case_anonymise(*, case_id: int, reason: str, actor: User | None) -> AnonymisedCase | None:
    """Replace one case's personal data (see the module); None when it was done already."""
    require_administrator(actor)
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",)).select_related("requester").get(pk=case_id)
        )
        if AnonymisedCase.objects.filter(case=case).exists():
            return None
        requester = case.requester
        names = [requester.name] if requester is not None else []
        phones = [requester.phone] if requester is not None and requester.phone else []
        for field in _CASE_TEXTS:
            setattr(case, field, scrub_text(getattr(case, field), names=names, phones=phones))
        case.title = case.title or "—"
        case.content = case.content or "—"
        case.extra = scrub_data(case.extra, names=names, phones=phones)
        case.address = ADDRESS_MARK if case.address else ""
        if case.latitude is not None and case.longitude is not None:
            case.latitude = Decimal(case.latitude).quantize(COARSE)
            case.longitude = Decimal(case.longitude).quantize(COARSE)
        case.requester = None
        case.save(
            update_fields=[*_CASE_TEXTS, "extra", "address", "latitude", "longitude", "requester"]
        )
        _events_scrub(case, requester, names, phones)
        _notifications_scrub(case, names, phones)
        for hook in ANONYMISE_HOOKS:
            hook(case)
        deleted = _attachments_delete(case)
        record = AnonymisedCase.objects.create(
            case=case, person=requester, reason=reason, attachments_deleted=deleted
        )
        audit_record(
            actor=actor,
            actor_label="" if actor is not None else "privacy",
            action="privacy.case_anonymise",
            target=case,
            changes={
                "reason": reason,
                "person": requester.pk if requester is not None else None,
                "attachments": deleted,
            },
        )
    return record


def _events_scrub(
    case: Case, requester: Person | None, names: list[str], phones: list[str]
) -> None:
    changed = []
    own_accounts = (
        set(User.objects.filter(person=requester).values_list("pk", flat=True))
        if requester is not None
        else set()
    )
    for event in CaseEvent.objects.filter(case=case).order_by("id"):
        before = (event.note, event.public_note, event.data, event.actor_label)
        event.note = scrub_text(event.note, names=names, phones=phones)
        event.public_note = scrub_text(event.public_note, names=names, phones=phones)
        event.data = scrub_data(event.data, names=names, phones=phones)
        if event.actor_id in own_accounts:
            event.actor_label = REQUESTER_LABEL
        if (event.note, event.public_note, event.data, event.actor_label) != before:
            changed.append(event)
    CaseEvent.objects.bulk_update(changed, ["note", "public_note", "data", "actor_label"])


def _notifications_scrub(case: Case, names: list[str], phones: list[str]) -> None:
    """Staff's in-app notifications about the case quote its title."""
    changed = []
    for notice in InAppNotification.objects.filter(case_id=case.pk):
        subject = scrub_text(notice.subject, names=names, phones=phones)
        text = scrub_text(notice.text, names=names, phones=phones)
        if (subject, text) != (notice.subject, notice.text):
            notice.subject, notice.text = subject, text
            changed.append(notice)
    InAppNotification.objects.bulk_update(changed, ["subject", "text"])


def _attachments_delete(case: Case) -> int:
    """Delete the case's files after the commit (a rollback must not lose them), rows now."""
    attachments = list(Attachment.objects.filter(case=case))
    names = [a.file.name for a in attachments if a.file]
    storage = Attachment._meta.get_field("file").storage  # type: ignore[union-attr]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)
    return len(attachments)


def person_anonymise_if_unneeded(
    *, person_id: int, reason: str, actor: User | None
) -> AnonymisedPerson | None:
    """Anonymise a resident no case links to and whom the register does not hold; None when
    the person is still needed or was anonymised already."""
    require_administrator(actor)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person_id)
        if AnonymisedPerson.objects.filter(person=person).exists():
            return None
        if Case.objects.filter(requester=person).exists() or register_roles(person):
            return None
        for forget in PERSON_FORGET_HOOKS.values():
            forget(person)
        person.name = PERSON_NAME
        person.gender = ""
        person.birth_year = None
        person.phone = ""
        person.phone_digest = ""
        person.id_number = ""
        person.id_digest = ""
        person.region = None
        person.save(
            update_fields=[
                "name",
                "gender",
                "birth_year",
                "phone",
                "phone_digest",
                "id_number",
                "id_digest",
                "region",
                "updated_at",
            ]
        )
        record = AnonymisedPerson.objects.create(person=person, reason=reason, at=timezone.now())
        audit_record(
            actor=actor,
            actor_label="" if actor is not None else "privacy",
            action="privacy.person_anonymise",
            target=person,
            changes={"reason": reason},
        )
    return record


__all__ = ["Anonymisation", "case_anonymise", "person_anonymise_if_unneeded"]
