"""Survey forms, their versions and questions: built as a draft, frozen once published, retired."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.organisation.models import Unit
from wenmin.surveys import access
from wenmin.surveys.models import Question, SurveyForm, SurveyVersion
from wenmin.surveys.rules import question_check

MAX_TITLE = 120
MAX_QUESTIONS = 60


def _may_own(actor: User | None, unit: Unit) -> None:
    # The demo and commands act without an account; every person acts within their unit.
    if actor is not None and not access.may_own(actor, unit):
        raise PermissionDenied(_("Only the owner unit's staff may change this survey."))


def form_create(*, actor: User | None, title: str, owner: Unit) -> SurveyForm:
    """A new form with an empty draft version 1."""
    _may_own(actor, owner)
    text = validators.text_field_check(title, field="title", max_length=MAX_TITLE).strip()
    if not text:
        raise ValidationError({"title": [_("Give the survey a title.")]})
    with transaction.atomic():
        form = SurveyForm.objects.create(title=text, owner=owner, created_by=actor)
        SurveyVersion.objects.create(form=form, number=1)
        audit_record(
            actor=actor, action="surveys.form_create", target=form, changes={"title": text}
        )
    return form


def _version_locked(version: SurveyVersion) -> SurveyVersion:
    return (
        SurveyVersion.objects.select_for_update()
        .select_related("form__owner__region")
        .get(pk=version.pk)
    )


def question_add(
    *,
    actor: User | None,
    version: SurveyVersion,
    kind: str,
    text: str,
    required: bool = False,
    choices: Any = (),
    min_value: Any = None,
    max_value: Any = None,
) -> Question:
    """One more question at the end of a draft version (a published version is frozen)."""
    clean = question_check(
        kind=kind, text=text, choices=list(choices), min_value=min_value, max_value=max_value
    )
    with transaction.atomic():
        version = _version_locked(version)
        _may_own(actor, version.form.owner)
        if not version.is_draft:
            raise ValidationError(
                {
                    "version": [
                        _(
                            "This version is published: its questions are frozen. Start a new version to change them."
                        )
                    ]
                }
            )
        last = version.questions.aggregate(n=Max("order"))["n"] or 0
        if version.questions.count() >= MAX_QUESTIONS:
            raise ValidationError({"kind": [_("At most %(n)s questions.") % {"n": MAX_QUESTIONS}]})
        question = Question.objects.create(
            version=version, order=last + 1, kind=kind, required=bool(required), **clean
        )
        audit_record(
            actor=actor,
            action="surveys.question_add",
            target=version,
            changes={"question": question.pk, "kind": kind, "text": clean["text"]},
        )
    return question


def version_draft(*, actor: User | None, form: SurveyForm) -> SurveyVersion:
    """A new draft version with the latest version's questions, to change them."""
    _may_own(actor, form.owner)
    with transaction.atomic():
        SurveyForm.objects.select_for_update().get(pk=form.pk)
        latest = form.versions.order_by("-number").first()
        if latest is not None and latest.is_draft:
            raise ValidationError(
                {
                    "version": [
                        _("Version %(n)s is still a draft: change it, or publish it first.")
                        % {"n": latest.number}
                    ]
                }
            )
        version = SurveyVersion.objects.create(
            form=form, number=(latest.number if latest else 0) + 1
        )
        if latest is not None:
            Question.objects.bulk_create(
                Question(
                    version=version,
                    order=q.order,
                    kind=q.kind,
                    text=q.text,
                    required=q.required,
                    choices=q.choices,
                    min_value=q.min_value,
                    max_value=q.max_value,
                )
                for q in latest.questions.all()
            )
        audit_record(actor=actor, action="surveys.version_draft", target=version)
    return version


def version_publish(*, actor: User | None, version: SurveyVersion) -> SurveyVersion:
    """Publish a draft: its questions freeze and volunteers can answer it."""
    with transaction.atomic():
        version = _version_locked(version)
        _may_own(actor, version.form.owner)
        if not version.is_draft:
            raise ValidationError({"version": [_("This version is already published.")]})
        if not version.questions.exists():
            raise ValidationError({"version": [_("Add at least one question before publishing.")]})
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
        audit_record(actor=actor, action="surveys.version_publish", target=version)
    return version


def version_retire(*, actor: User | None, version: SurveyVersion) -> SurveyVersion:
    """Retire a published version: answers to it are refused from now on."""
    with transaction.atomic():
        version = _version_locked(version)
        _may_own(actor, version.form.owner)
        if version.is_draft:
            raise ValidationError(
                {"version": [_("A draft cannot be retired: it was never published.")]}
            )
        if version.retired_at is not None:
            raise ValidationError({"version": [_("This version is already retired.")]})
        version.retired_at = timezone.now()
        version.save(update_fields=["retired_at"])
        audit_record(actor=actor, action="surveys.version_retire", target=version)
    return version
