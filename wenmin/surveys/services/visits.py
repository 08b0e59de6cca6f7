"""A volunteer's visit at a household's door: every answer checked, stored exactly once per key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wenmin.cases.services.attachments import attachments_check
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.households.models import Household
from wenmin.organisation.models import Unit
from wenmin.surveys import rules
from wenmin.surveys.models import (
    NeedKind,
    Question,
    QuestionKind,
    SurveyVersion,
    Visit,
    VisitAssignment,
    VisitPhoto,
    VisitPlan,
)
from wenmin.surveys.selectors import team_of
from wenmin.surveys.services.needs import needs_save
from wenmin.surveys.services.plans import village_of

CLOCK_SKEW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class NeedInput:
    """One need as the volunteer wrote it: its type's code, the need, what became of it."""

    kind: str
    text: str
    resolution: str


@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    created: bool  # False: the same submission was already stored (a resend)


def _replay(existing: Visit, digest: str, actor: User) -> VisitResult:
    if existing.content_digest != digest or existing.volunteer_id != actor.pk:
        raise ValidationError(
            {
                "idempotency_key": [
                    _(
                        "A visit was already stored under this submission key with other answers. "
                        "Start the visit again to send these answers as a new visit."
                    )
                ]
            }
        )
    return VisitResult(visit=existing, created=False)


def _version_errors(version: SurveyVersion, plan: VisitPlan) -> list[str]:
    if version.pk != plan.version_id:
        return [_("This round is answered on another version of the survey.")]
    if version.is_draft:
        return [_("This version of the survey is not published yet.")]
    if version.retired_at is not None:
        return [
            _(
                "Version %(n)s of “%(title)s” was retired on %(date)s: answers to it are no "
                "longer accepted. Open the visit again to answer the current version."
            )
            % {
                "n": version.number,
                "title": version.form.title,
                "date": date_format(timezone.localtime(version.retired_at), "SHORT_DATE_FORMAT"),
            }
        ]
    return []


def _photos_check(
    questions: Sequence[Question], photos: Mapping[str, Sequence[UploadedFile]]
) -> tuple[list[tuple[Question, UploadedFile, str]], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    checked: list[tuple[Question, UploadedFile, str]] = []
    for question in questions:
        if question.kind != QuestionKind.PHOTO:
            continue
        key = f"answers.{question.pk}"
        files = list(photos.get(str(question.pk), ()))
        if not files:
            if question.required:
                errors[key] = [_("Take a photo for this question.")]
            continue
        if len(files) > rules.MAX_PHOTOS:
            errors[key] = [_("At most %(n)s photos.") % {"n": rules.MAX_PHOTOS}]
            continue
        not_photos = [
            f.name
            for f in files
            if PurePath(f.name or "").suffix.lower() not in rules.PHOTO_SUFFIXES
        ]
        if not_photos:
            errors[key] = [_("Only photos (JPG, PNG, GIF, WebP).")]
            continue
        try:
            checked += [(question, upload, kind) for upload, kind in attachments_check(files)]
        except ValidationError as error:
            errors[key] = error.messages
    return checked, errors


def _needs_check(
    needs: Sequence[NeedInput], allowed: frozenset[str]
) -> tuple[list[tuple[NeedKind, str, str]], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if len(needs) > rules.MAX_NEEDS:
        return [], {"needs": [_("At most %(n)s needs a visit.") % {"n": rules.MAX_NEEDS}]}
    kinds = {kind.code: kind for kind in NeedKind.objects.filter(is_active=True)}
    clean = []
    for index, need in enumerate(needs):
        key = f"needs.{index}"
        kind = kinds.get(need.kind)
        if kind is None:
            errors[f"{key}.kind"] = [_("Choose the type of need.")]
        if need.resolution not in allowed:
            errors[f"{key}.resolution"] = [_("Say what becomes of this need.")]
        try:
            text = validators.check_text(
                need.text, max_length=rules.MAX_NEED_TEXT, multiline=True
            ).strip()
            if not text:
                errors[f"{key}.text"] = [_("Describe the need.")]
        except ValidationError as error:
            errors[f"{key}.text"], text = error.messages, ""
        if kind is not None and text:
            clean.append((kind, text, need.resolution))
    return clean, errors


def _coordinate(value: Any, check: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return check(value)  # type: ignore[no-any-return]
    except ValidationError as error:
        errors[field] = error.messages
        return None


def _where(
    team: Unit | None,
    assignment: VisitAssignment | None,
    plan: VisitPlan | None,
    household: Household | None,
    errors: dict[str, list[str]],
) -> tuple[VisitPlan | None, Household | None, VisitAssignment | None]:
    if team is None:
        errors["volunteer"] = [_("Only a volunteer of a volunteer team records visits.")]
    if assignment is not None:
        if assignment.team_id != getattr(team, "pk", None):
            errors["assignment"] = [_("This household is assigned to another team.")]
        return assignment.plan, assignment.household, assignment
    if plan is None or household is None:
        errors["household"] = [_("Choose the household visited.")]
        return plan, household, None
    found = VisitAssignment.objects.filter(plan=plan, household=household).first()
    return plan, household, found


@dataclass(frozen=True)
class _Checked:
    """A submission that passed every check, as it will be stored."""

    plan: VisitPlan
    household: Household
    assignment: VisitAssignment | None
    team: Unit | None
    answers: dict[str, Any]
    photos: list[tuple[Question, UploadedFile, str]]
    needs: list[tuple[NeedKind, str, str]]
    latitude: Decimal | None
    longitude: Decimal | None
    visited_at: dt.datetime


@dataclass(frozen=True)
class _Content:
    """The answers, photos and needs of a submission, checked against its version's questions."""

    answers: dict[str, Any]
    photos: list[tuple[Question, UploadedFile, str]]
    needs: list[tuple[NeedKind, str, str]]


def content_check(
    *,
    version: SurveyVersion,
    plan: VisitPlan | None,
    answers: Mapping[str, Any],
    needs: Sequence[NeedInput],
    photos: Mapping[str, Sequence[UploadedFile]],
    errors: dict[str, list[str]],
    resolutions: frozenset[str] = rules.AT_THE_DOOR,
) -> _Content:
    """The check half every submission shares (a volunteer's visit, a resident's answer): the
    version open for the round, each answer, photo and need; each broken rule into `errors`."""
    version_errors = _version_errors(version, plan) if plan is not None else []
    if version_errors:
        errors["version"] = version_errors
    questions = list(version.questions.order_by("order"))
    try:
        clean = rules.answers_check(questions, dict(answers))
    except ValidationError as error:
        errors.update(error.message_dict)
        clean = {}
    checked_photos, photo_errors = _photos_check(questions, photos)
    errors.update(photo_errors)
    clean_needs, need_errors = _needs_check(needs, resolutions)
    errors.update(need_errors)
    return _Content(clean, checked_photos, clean_needs)


def _visit_check(
    *,
    actor: User,
    version: SurveyVersion,
    answers: Mapping[str, Any],
    needs: Sequence[NeedInput],
    assignment: VisitAssignment | None,
    plan: VisitPlan | None,
    household: Household | None,
    visited_at: dt.datetime | None,
    latitude: Any,
    longitude: Any,
    photos: Mapping[str, Sequence[UploadedFile]],
) -> _Checked:
    """Every rule at once: ValidationError naming each field that breaks one."""
    errors: dict[str, list[str]] = {}
    team = team_of(actor)
    plan, household, assignment = _where(team, assignment, plan, household, errors)
    content = content_check(
        version=version, plan=plan, answers=answers, needs=needs, photos=photos, errors=errors
    )
    lat = _coordinate(latitude, validators.check_latitude, "latitude", errors)
    lng = _coordinate(longitude, validators.check_longitude, "longitude", errors)
    if (lat is None) != (lng is None) and "latitude" not in errors and "longitude" not in errors:
        errors["latitude"] = [_("Give both latitude and longitude, or neither.")]
    now = timezone.now()
    when = visited_at or now
    if when > now + CLOCK_SKEW:
        errors["visited_at"] = [_("The visit's time is in the future.")]
    if errors or plan is None or household is None:
        raise ValidationError(errors)
    return _Checked(
        plan, household, assignment, team, content.answers, content.photos, content.needs, lat,
        lng, when,
    )  # fmt: skip


def visit_submit(
    *,
    actor: User,
    idempotency_key: str,
    version: SurveyVersion,
    answers: Mapping[str, Any],
    needs: Sequence[NeedInput] = (),
    assignment: VisitAssignment | None = None,
    plan: VisitPlan | None = None,
    household: Household | None = None,
    visited_at: dt.datetime | None = None,
    latitude: Any = None,
    longitude: Any = None,
    photos: Mapping[str, Sequence[UploadedFile]] | None = None,
) -> VisitResult:
    """Store a visit's answers and needs once: the same key sent again (a resend over a flaky
    connection, or two at once) returns the stored visit; the same key with other content is
    refused. Each need is resolved on the spot, becomes a case (问需), or waits for an activity."""
    key = rules.key_check(idempotency_key)
    photos = photos or {}
    digest = rules.content_digest(
        {
            "version": version.pk,
            "assignment": assignment.pk if assignment else None,
            "plan": plan.pk if plan else None,
            "household": household.pk if household else None,
            "answers": dict(answers),
            "needs": [asdict(need) for need in needs],
            "where": [str(latitude or "").strip(), str(longitude or "").strip()],
            "photos": {q: [(f.name, f.size) for f in files] for q, files in photos.items()},
        }
    )
    existing = Visit.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, digest, actor)
    checked = _visit_check(
        actor=actor, version=version, answers=answers, needs=needs, assignment=assignment,
        plan=plan, household=household, visited_at=visited_at, latitude=latitude,
        longitude=longitude, photos=photos,
    )  # fmt: skip
    try:
        with transaction.atomic():
            visit = _visit_write(actor=actor, version=version, key=key, digest=digest, c=checked)
    except IntegrityError:
        # Another request with this key committed first (a resend raced the original).
        existing = Visit.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, digest, actor)
    return VisitResult(visit=visit, created=True)


def _visit_write(
    *, actor: User, version: SurveyVersion, key: str, digest: str, c: _Checked
) -> Visit:
    visit = Visit.objects.create(
        plan=c.plan,
        assignment=c.assignment,
        household=c.household,
        version=version,
        volunteer=actor,
        team=c.team,
        village=village_of(c.household.region),
        visited_at=c.visited_at,
        idempotency_key=key,
        content_digest=digest,
        latitude=c.latitude,
        longitude=c.longitude,
        answers=c.answers,
    )
    photos_save(visit, c.photos)
    needs_save(visit, actor, c.needs)
    audit_record(
        actor=actor,
        action="surveys.visit_submit",
        target=visit,
        changes={"household": c.household.code, "needs": len(c.needs)},
    )
    return visit


def photos_save(visit: Visit, photos: list[tuple[Question, UploadedFile, str]]) -> None:
    if not photos:
        return
    for question, upload, content_type in photos:
        photo = VisitPhoto.objects.create(
            visit=visit,
            question=question,
            file=upload,
            original_name=(upload.name or "")[:255],
            content_type=content_type,
            size=upload.size or 0,
        )
        visit.answers.setdefault(str(question.pk), []).append(photo.pk)
    visit.save(update_fields=["answers"])
