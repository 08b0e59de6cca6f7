"""A resident's own answer to a round opened to residents: the visit's checks, one answer per
resident and round, stored once per key; and the owner opening or closing a round to residents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.households.models import Household
from wenmin.organisation.models import Person, Region
from wenmin.residents.selectors import verified_person
from wenmin.surveys import rules
from wenmin.surveys.models import Visit, VisitPlan, VisitSource
from wenmin.surveys.services.forms import _may_own
from wenmin.surveys.services.needs import needs_save
from wenmin.surveys.services.plans import village_of
from wenmin.surveys.services.visits import (
    NeedInput,
    VisitResult,
    content_check,
    photos_save,
)


def plan_open_to_residents(
    *, actor: User | None, plan: VisitPlan, until: dt.date | None
) -> VisitPlan:
    """Let residents answer the round's survey online until a day (included); None closes it."""
    _may_own(actor, plan.version.form.owner)
    errors: dict[str, list[str]] = {}
    if until is not None:
        if not plan.version.is_open:
            errors["version"] = [
                _("Open to residents a round on a published version that is not retired.")
            ]
        if until < timezone.localdate():
            errors["residents_until"] = [_("Choose a day from today on.")]
        elif until > plan.ends_on:
            errors["residents_until"] = [
                _("Choose a day within the round (it ends on %(date)s).")
                % {"date": date_format(plan.ends_on, "SHORT_DATE_FORMAT")}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = VisitPlan.objects.select_for_update().get(pk=plan.pk)
        before = locked.residents_until
        locked.residents_until = until
        locked.save(update_fields=["residents_until"])
        audit_record(
            actor=actor,
            action="surveys.plan_open_to_residents",
            target=locked,
            changes={
                "residents_until": [
                    before.isoformat() if before else None,
                    until.isoformat() if until else None,
                ]
            },
        )
    plan.residents_until = until
    return plan


def open_to_residents(plan: VisitPlan, today: dt.date | None = None) -> bool:
    """Whether residents may answer the round online today."""
    today = today or timezone.localdate()
    return (
        plan.residents_until is not None and plan.residents_until >= today and plan.version.is_open
    )


def _closed_errors(plan: VisitPlan) -> list[str]:
    if plan.residents_until is None:
        return [_("This survey is not open to residents' answers.")]
    if plan.residents_until < timezone.localdate():
        return [
            _("This survey closed to residents' answers on %(date)s.")
            % {"date": date_format(plan.residents_until, "SHORT_DATE_FORMAT")}
        ]
    return []


def _home(person: Person) -> tuple[Household | None, Region | None]:
    """The resident's household (when the households register lists them) and their village."""
    membership = getattr(person, "household_membership", None)
    household = membership.household if membership is not None else None
    region = household.region if household is not None else person.region
    return household, village_of(region) if region is not None else None


def _already(plan: VisitPlan, person: Person) -> list[str]:
    earlier = Visit.objects.filter(plan=plan, respondent=person).values_list(
        "submitted_at", flat=True
    )
    when = earlier.first()
    if when is None:
        return []
    return [
        _(
            "You already answered this survey on %(date)s: one answer per resident. "
            "Your answer is kept in “My survey answers”."
        )
        % {"date": date_format(timezone.localtime(when), "SHORT_DATE_FORMAT")}
    ]


def _replay(existing: Visit, digest: str, person: Person) -> VisitResult:
    if existing.content_digest != digest or existing.respondent_id != person.pk:
        raise ValidationError(
            {
                "idempotency_key": [
                    _(
                        "An answer was already stored under this submission key with other "
                        "answers. Open the survey again to answer it."
                    )
                ]
            }
        )
    return VisitResult(visit=existing, created=False)


def answer_submit(
    *,
    actor: User,
    idempotency_key: str,
    plan: VisitPlan,
    answers: Mapping[str, Any],
    needs: Sequence[NeedInput] = (),
    photos: Mapping[str, Sequence[UploadedFile]] | None = None,
) -> VisitResult:
    """Store a verified resident's answer to a round open to residents, once: checked as a visit
    is, one answer per resident and round, the same key sent again returns the stored answer.
    Each need becomes a case (问需) or waits for a volunteer activity."""
    person = verified_person(user=actor)
    if person is None:
        raise ValidationError(
            {"resident": [_("Verify your phone number with a one-time code to answer.")]}
        )
    key = rules.key_check(idempotency_key)
    photos = photos or {}
    version = plan.version
    digest = rules.content_digest(
        {
            "plan": plan.pk,
            "respondent": person.pk,
            "answers": dict(answers),
            "needs": [asdict(need) for need in needs],
            "photos": {q: [(f.name, f.size) for f in files] for q, files in photos.items()},
        }
    )
    existing = Visit.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, digest, person)
    errors: dict[str, list[str]] = {}
    closed = _closed_errors(plan)
    if closed:
        errors["plan"] = closed
    already = _already(plan, person)
    if already:
        errors["resident"] = already
    content = content_check(
        version=version, plan=plan, answers=answers, needs=needs, photos=photos, errors=errors,
        resolutions=rules.ONLINE,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    household, village = _home(person)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                plan=plan,
                source=VisitSource.RESIDENT,
                household=household,
                respondent=person,
                version=version,
                volunteer=None,
                village=village,
                visited_at=timezone.now(),
                idempotency_key=key,
                content_digest=digest,
                answers=content.answers,
            )
            photos_save(visit, content.photos)
            needs_save(visit, actor, content.needs)
            audit_record(
                actor=actor,
                action="surveys.answer_submit",
                target=visit,
                changes={"plan": plan.pk, "needs": len(content.needs)},
            )
    except IntegrityError:
        # A resend raced the original (same key), or a second answer raced the first.
        existing = Visit.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, digest, person)
        raise ValidationError({"resident": _already(plan, person)}) from None
    return VisitResult(visit=visit, created=True)
