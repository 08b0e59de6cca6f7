"""Insight's API under /api/v1/insight/: a case's suggestion and its one-click application, its
likely duplicates and related cases, and the suggestion for any text. Reads go through the cases'
scoping selectors, writes through insight's and the cases' services, as the case page does."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wenmin.cases.api import READ, WRITE, act_check, case_detail, case_for
from wenmin.cases.deadlines import Kind
from wenmin.cases.schemas import CaseAnswer
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.workflow import Action
from wenmin.core.api_support import errors, require_staff, viewer
from wenmin.core.schematypes import Line, Paragraph
from wenmin.insight.access import dispatcher_user
from wenmin.insight.duplicates import Match, probe_of, similar_to, split
from wenmin.insight.services import suggestion_apply, suggestion_for_case
from wenmin.insight.suggest import suggest_text

router = Router(tags=["insight"])


class Choice(Schema):
    code: str
    name: str
    confidence: float


class Field3(Choice):
    alternatives: list[Choice]


class SuggestionOut(Schema):
    source: str = Field(description="`model` (learnt from closed cases) or `rules` (keywords)")
    model_version: int | None
    kind: Field3
    category: Field3
    unit: Field3


class CaseSuggestionOut(SuggestionOut):
    number: str
    kind_right: bool | None
    category_right: bool | None
    unit_right: bool | None


class ApplyIn(Schema):
    kind: Kind
    category: Line = Field(min_length=1, max_length=32)
    unit: Line = Field("", max_length=32, description="A unit's code; empty: classify only.")


class TextIn(Schema):
    text: Paragraph = Field(min_length=1, max_length=4000)


class MatchOut(Schema):
    number: str
    title: str
    state: str
    open: bool
    score: float
    text_similarity: float
    shared_words: list[str]
    km: float | None
    same_place: str
    days_apart: int


class SimilarOut(Schema):
    duplicates: list[MatchOut]
    related: list[MatchOut]


def _match(m: Match) -> dict[str, Any]:
    return {
        "number": m.case.number,
        "title": m.case.title,
        "state": m.case.state,
        "open": m.open,
        "score": m.score,
        "text_similarity": m.text,
        "shared_words": m.shared,
        "km": m.km,
        "same_place": m.same_place,
        "days_apart": m.days,
    }


@router.get(
    "/cases/{number}/suggestion",
    response={200: CaseSuggestionOut, **errors(401, 403, 404)},
    auth=READ,
    summary="A case's suggested kind, category and unit",
)
def case_suggestion(request: HttpRequest, number: str) -> dict[str, Any]:
    """Computed when first asked for (never during intake), then kept with its verdicts."""
    user = viewer(request)
    require_staff(user)
    case = case_for(user, number)
    suggestion = suggestion_for_case(case=case)
    return {
        **suggestion.details,
        "number": case.number,
        "kind_right": suggestion.kind_right,
        "category_right": suggestion.category_right,
        "unit_right": suggestion.unit_right,
    }


@router.post(
    "/cases/{number}/suggestion/apply",
    response={200: CaseAnswer, **errors(400, 401, 403, 404, 409)},
    auth=WRITE,
    summary="Classify and dispatch as suggested (or an alternative)",
)
def case_suggestion_apply(request: HttpRequest, number: str, payload: ApplyIn) -> dict[str, Any]:
    """One call: classify (kind, category) and dispatch (unit); the verdicts are recorded."""
    user = viewer(request)
    case = case_for(user, number)
    act_check(user, case, Action.CLASSIFY)
    case = suggestion_apply(
        case=case,
        actor=user,
        kind=payload.kind,
        category_code=payload.category,
        unit_code=payload.unit,
    )
    return case_detail(user, case)


@router.get(
    "/cases/{number}/similar",
    response={200: SimilarOut, **errors(401, 403, 404)},
    auth=READ,
    summary="Likely duplicates and related cases",
)
def case_similar(request: HttpRequest, number: str) -> dict[str, Any]:
    """Duplicates: the same problem nearby and recent; related: the same problem in past months."""
    user = viewer(request)
    require_staff(user)
    case = case_for(user, number)
    duplicates, related = split(similar_to(probe_of(case), among=cases_visible_to(user)))
    return {"duplicates": [_match(m) for m in duplicates], "related": [_match(m) for m in related]}


@router.post(
    "/suggest",
    response={200: SuggestionOut, **errors(400, 401, 403)},
    auth=READ,
    summary="The suggestion for a text",
)
def text_suggest(request: HttpRequest, payload: TextIn) -> dict[str, Any]:
    """What a dispatcher would be suggested for this text (nothing is stored). Dispatchers."""
    user = viewer(request)
    if not dispatcher_user(user):
        raise PermissionDenied
    return suggest_text(payload.text)
