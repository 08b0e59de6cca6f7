"""The survey's rules, pure: what a valid question and a valid answer are, and what an answer counts
as in the tallies. No database: the services and the result pages ask these functions."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.surveys.models import CHOICE_KINDS, Question, QuestionKind, Resolution

MAX_QUESTION = 300
MAX_CHOICE = 60
MAX_CHOICES = 20
MAX_TEXT_ANSWER = 1000
MAX_NEED_TEXT = 1000
MAX_NEEDS = 10
MAX_PHOTOS = 3
PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
YES = frozenset({True, "yes", "true", "1", "on"})
NO = frozenset({False, "no", "false", "0", "off"})
# What a need may become when it is raised: at the door (the volunteer may resolve it there), and
# online (a resident sends it to the county or lets it wait for a volunteer activity).
AT_THE_DOOR = frozenset({Resolution.ON_THE_SPOT, Resolution.CASE, Resolution.WAITING})
ONLINE = frozenset({Resolution.CASE, Resolution.WAITING})
# What a waiting need may become later (need_resolve).
LATER = frozenset({Resolution.ON_THE_SPOT, Resolution.ACTIVITY, Resolution.CASE})
KEY_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def question_check(
    *,
    kind: str,
    text: Any,
    choices: Any,
    min_value: Any,
    max_value: Any,
) -> dict[str, Any]:
    """A question's clean fields (text, choices, min_value, max_value), or ValidationError."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {"choices": [], "min_value": None, "max_value": None}
    if kind not in QuestionKind.values:
        errors["kind"] = [_("Unknown kind of question.")]
    try:
        clean["text"] = validators.check_text(text, max_length=MAX_QUESTION).strip()
        if not clean["text"]:
            errors["text"] = [_("Write the question.")]
    except ValidationError as error:
        errors["text"] = error.messages
    if kind in CHOICE_KINDS:
        items = choices if isinstance(choices, list | tuple) else []
        try:
            names = [validators.check_text(c, max_length=MAX_CHOICE).strip() for c in items]
        except ValidationError as error:
            errors["choices"] = error.messages
            names = []
        names = [name for name in names if name]
        if "choices" not in errors:
            if len(names) < 2:
                errors["choices"] = [_("Give at least two choices, one a line.")]
            elif len(names) > MAX_CHOICES:
                errors["choices"] = [_("At most %(n)s choices.") % {"n": MAX_CHOICES}]
            elif len(set(names)) != len(names):
                errors["choices"] = [_("Each choice once.")]
        clean["choices"] = names
    if kind == QuestionKind.NUMBER:
        for field, value in (("min_value", min_value), ("max_value", max_value)):
            if value in (None, ""):
                continue
            try:
                clean[field] = validators.check_number(value, maximum=Decimal("1e9"))
            except ValidationError as error:
                errors[field] = error.messages
        low, high = clean["min_value"], clean["max_value"]
        if low is not None and high is not None and low > high:
            errors["max_value"] = [_("The largest number is smaller than the smallest.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _plain(number: Decimal | None) -> str:
    """1.00 as 1, 2.50 as 2.5, none as …"""
    return "…" if number is None else f"{number.normalize():f}"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def answer_check(question: Question, value: Any) -> Any:
    """One answer as stored (a choice, a list of choices, text, a number, true/false), None when
    not answered; ValidationError with the reason otherwise. Photos are checked as uploads."""
    if question.kind == QuestionKind.PHOTO:
        return None
    if _empty(value):
        if question.required:
            raise ValidationError(_("Answer this question."))
        return None
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        if not isinstance(value, str) or value not in question.choices:
            raise ValidationError(_("Choose one of the listed answers."))
        return value
    if kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(v, str) and v in question.choices for v in values):
            raise ValidationError(_("Choose among the listed answers."))
        chosen = set(values)
        return [choice for choice in question.choices if choice in chosen]
    if kind == QuestionKind.YES_NO:
        token = value.strip().lower() if isinstance(value, str) else value
        if token in YES:
            return True
        if token in NO:
            return False
        raise ValidationError(_("Answer yes or no."))
    if kind == QuestionKind.NUMBER:
        number = validators.check_number(value, maximum=Decimal("1e9"))
        low, high = question.min_value, question.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValidationError(
                _("Enter a number from %(min)s to %(max)s.")
                % {"min": _plain(low), "max": _plain(high)}
            )
        return int(number) if number == number.to_integral_value() else float(number)
    text = validators.check_text(value, max_length=MAX_TEXT_ANSWER, multiline=True).strip()
    if not text and question.required:
        raise ValidationError(_("Answer this question."))
    return text or None


def answers_check(questions: Sequence[Question], answers: dict[str, Any]) -> dict[str, Any]:
    """Every answer checked against its question, keyed by the question's id; errors keyed
    `answers.<id>`. Answers to questions the version does not have are refused."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    known = {str(question.pk) for question in questions}
    for key in answers:
        if str(key) not in known:
            errors[f"answers.{key}"] = [_("This question is not in the survey's version.")]
    for question in questions:
        try:
            value = answer_check(question, answers.get(str(question.pk)))
        except ValidationError as error:
            errors[f"answers.{question.pk}"] = error.messages
            continue
        if value is not None:
            clean[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return clean


def key_check(key: Any) -> str:
    """A visit's submission key: 8 to 64 letters, digits, - or _ (the phone makes a UUID)."""
    if not isinstance(key, str) or not 8 <= len(key) <= 64 or not set(key) <= KEY_ALPHABET:
        raise ValidationError(
            {"idempotency_key": [_("The visit's submission key is missing or malformed.")]}
        )
    return key


def content_digest(content: dict[str, Any]) -> str:
    """A fingerprint of what a submission says: the same key must always say the same."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def answer_counts_as(question: Question, answer: Any, value: str) -> bool:
    """Whether a stored answer counts under a tally's value (a choice, "yes", "no")."""
    if answer is None:
        return False
    if question.kind == QuestionKind.MULTIPLE:
        return isinstance(answer, list) and value in answer
    if question.kind == QuestionKind.YES_NO:
        return (value == "yes" and answer is True) or (value == "no" and answer is False)
    if question.kind == QuestionKind.SINGLE:
        return answer == value
    return value == "answered"


def tally_values(question: Question) -> list[str]:
    """The values a question's answers are counted under."""
    if question.kind in CHOICE_KINDS:
        return list(question.choices)
    if question.kind == QuestionKind.YES_NO:
        return ["yes", "no"]
    return ["answered"]
