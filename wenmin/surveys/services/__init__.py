"""The only door for writes to the surveys: forms and versions, plans, visits."""

from __future__ import annotations

from wenmin.surveys.services.answers import answer_submit, open_to_residents, plan_open_to_residents
from wenmin.surveys.services.forms import (
    form_create,
    question_add,
    version_draft,
    version_publish,
    version_retire,
)
from wenmin.surveys.services.needs import need_resolve
from wenmin.surveys.services.plans import plan_create
from wenmin.surveys.services.visits import NeedInput, VisitResult, visit_submit

__all__ = [
    "NeedInput",
    "VisitResult",
    "answer_submit",
    "form_create",
    "need_resolve",
    "open_to_residents",
    "plan_open_to_residents",
    "plan_create",
    "question_add",
    "version_draft",
    "version_publish",
    "version_retire",
    "visit_submit",
]
