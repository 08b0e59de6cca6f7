"""Reads of the privacy app: retention, what has expired, holds, people, the access log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case, CaseEvent, RejectionReason
from wenmin.cases.workflow import FINAL_STATES, State
from wenmin.core import crypto
from wenmin.core.models import User
from wenmin.organisation.models import Cadre, PartyMember, Person, Position, Volunteer
from wenmin.organisation.validation import normalise_id_number, phone_or_empty
from wenmin.privacy.models import AccessLogEntry, AnonymisedCase, LegalHold, RetentionRule
from wenmin.scoreboard.models import Appeal, AppealStatus


@dataclass(frozen=True)
class Retention:
    kind: str
    label: str
    years: int
    from_rule: bool  # an administrator's period, not WENMIN_RETENTION_YEARS


def retention_table() -> list[Retention]:
    """How long each kind of case keeps its personal data after it ends."""
    rules = dict(RetentionRule.objects.values_list("kind", "years"))
    default = int(settings.WENMIN_RETENTION_YEARS)
    return [
        Retention(kind=k, label=str(label), years=rules.get(k, default), from_rule=k in rules)
        for k, label in Kind.choices
    ]


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same wall-clock moment `years` earlier (29 February becomes 28 February)."""
    local = timezone.localtime(moment)
    try:
        return local.replace(year=local.year - years)
    except ValueError:
        return local.replace(year=local.year - years, day=28)


def _merged_before(cutoff: dt.datetime) -> Exists:
    return Exists(CaseEvent.objects.filter(case=OuterRef("pk"), action="merge", at__lt=cutoff))


def cases_ended_before(*, kind: str, cutoff: dt.datetime) -> Q:
    """Cases of a kind that ended before the cutoff: closed or rejected (closed_at), or merged
    into another case (the merge's time)."""
    closed = Q(state__in=[State.CLOSED, State.REJECTED], closed_at__lt=cutoff)
    merged = Q(state=State.MERGED) & Q(_merged_before(cutoff))
    return Q(kind=kind) & (closed | merged)


def held_cases() -> Q:
    """Cases whose personal data must be kept whatever their age: a legal hold (litigation, a
    petition), or a pending appeal about how the case counts."""
    held = Exists(LegalHold.objects.filter(case=OuterRef("pk")))
    appealed = Exists(Appeal.objects.filter(case=OuterRef("pk"), status=AppealStatus.PENDING))
    return Q(held) | Q(appealed)


def cases_expired(*, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Cases past their kind's retention period, not held, not anonymised yet."""
    now = now or timezone.now()
    ended = Q(pk__in=[])
    for retention in retention_table():
        cutoff = years_before(now, retention.years)
        ended |= cases_ended_before(kind=retention.kind, cutoff=cutoff)
    return (
        Case.objects.filter(ended)
        .exclude(held_cases())
        .exclude(Exists(AnonymisedCase.objects.filter(case=OuterRef("pk"))))
    )


def cases_held_count(*, now: dt.datetime | None = None) -> int:
    """Expired cases the sweep leaves alone because they are held."""
    now = now or timezone.now()
    ended = Q(pk__in=[])
    for retention in retention_table():
        ended |= cases_ended_before(kind=retention.kind, cutoff=years_before(now, retention.years))
    return (
        Case.objects.filter(ended)
        .filter(held_cases())
        .exclude(Exists(AnonymisedCase.objects.filter(case=OuterRef("pk"))))
        .count()
    )


def erasure_refusals(case: Case) -> list[str]:
    """Why a case's personal data cannot be erased at its requester's request now (empty: it
    can). The rules (PIPL art. 47 with the duties that override it):
    - a case still being handled (not closed, rejected or merged) needs its requester;
    - a pending appeal about how the case counts needs the record until it is decided;
    - a legal hold (litigation, a petition, an investigation) keeps it until lifted;
    - a case rejected as a matter for litigation, arbitration or petitions (信访) is kept
      for that procedure until its retention period ends.
    """
    reasons: list[str] = []
    if case.state not in FINAL_STATES:
        reasons.append(_("The case is still being handled."))
    if Appeal.objects.filter(case=case, status=AppealStatus.PENDING).exists():
        reasons.append(_("An appeal about this case is waiting for a decision."))
    hold = LegalHold.objects.filter(case=case).first()
    if hold is not None:
        reasons.append(_("Legal hold: %(reason)s") % {"reason": hold.reason})
    if case.rejection_reason == RejectionReason.LEGAL_PROCESS:
        reasons.append(
            _("Rejected as a matter for litigation, arbitration or petitions: kept for that.")
        )
    return reasons


def register_roles(person: Person) -> list[str]:
    """What keeps a person in the register whatever their cases: a cadre, a party member, a
    volunteer, a post held, or a login."""
    roles: list[str] = []
    if Cadre.objects.filter(person=person).exists():
        roles.append(_("cadre"))
    if PartyMember.objects.filter(person=person).exists():
        roles.append(_("party member"))
    if Volunteer.objects.filter(person=person).exists():
        roles.append(_("volunteer"))
    if Position.objects.filter(person=person).exists():
        roles.append(_("holds a post"))
    if User.objects.filter(person=person).exists():
        roles.append(_("has a login"))
    if Case.objects.filter(coordinator=person).exists():
        roles.append(_("coordinates cases"))
    roles += _held_elsewhere(person)
    return roles


# References to a person that do not keep them: the cases they raised (the retention periods
# decide those), the privacy app's own records (erasures, the log of who saw their data, which
# has its own period), and the references an app forgets
# itself when the person is anonymised (PERSON_FORGET_HOOKS).
NOT_HOLDING = frozenset(
    {
        "cases.case.requester",
        "privacy.anonymisedcase.person",
        "privacy.anonymisedperson.person",
        "privacy.accesslogentry.person",
    }
)
_CHECKED_ABOVE = frozenset(
    {
        "core.user.person",
        "organisation.cadre.person",
        "organisation.partymember.person",
        "organisation.volunteer.person",
        "organisation.position.person",
        "cases.case.coordinator",
    }
)


def _held_elsewhere(person: Person) -> list[str]:
    """Every other app's rows that name the person (a household's member, a council's member, a
    leader's visitor, a survey's respondent, and whatever apps come later), found from the
    relations themselves so that no app can forget to say it holds people: each such row keeps
    the person. Labelled by the row's kind."""
    from wenmin.privacy.services.anonymise import PERSON_FORGET_HOOKS

    held: list[str] = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model: Any = relation.related_model
        field: Any = relation.field  # type: ignore[union-attr]
        key = f"{model._meta.label_lower}.{field.name}"
        if key in NOT_HOLDING or key in _CHECKED_ABOVE or key in PERSON_FORGET_HOOKS:
            continue
        if model._default_manager.filter(**{field.name: person}).exists():
            label = str(model._meta.verbose_name)
            if label not in held:
                held.append(label)
    return held


def people_find(text: str) -> QuerySet[Person]:
    """People by a whole mobile number or ID number (through their keyed digests: nothing is
    decrypted) or by part of a name."""
    text = text.strip()
    people = Person.objects.select_related("region").defer("phone", "id_number")
    if not text:
        return people.none()
    by = Q(name__icontains=text)
    phone = phone_or_empty(text)
    if phone:
        by |= Q(phone_digest=crypto.digest(phone))
    try:
        id_number = normalise_id_number(text)
    except ValidationError:
        id_number = ""
    if id_number:
        by |= Q(id_digest=crypto.digest(id_number))
    return people.filter(by).order_by("name", "id")


def person_cases(person: Person) -> QuerySet[Case]:
    """The cases a person raised."""
    return (
        Case.objects.filter(requester=person)
        .select_related("category", "region", "lead_unit")
        .order_by("received_at", "id")
    )


def access_log(
    *, person_id: int | None = None, viewer_id: int | None = None
) -> QuerySet[AccessLogEntry]:
    """The access log, newest first, by whose data and by who saw it."""
    entries = AccessLogEntry.objects.select_related("viewer", "person", "case").defer(
        "person__phone", "person__id_number", "viewer__password"
    )
    if person_id is not None:
        entries = entries.filter(person_id=person_id)
    if viewer_id is not None:
        entries = entries.filter(viewer_id=viewer_id)
    return entries.order_by("-at", "-id")
