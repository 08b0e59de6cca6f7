"""A case's suggestion (computed once, after intake, when first asked for), the dispatcher's
one-click acceptance, and the verdicts recorded whenever a case is classified or dispatched."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases import services as case_services
from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case, CaseEvent, Category
from wenmin.cases.selectors import case_action_refusal
from wenmin.cases.workflow import Action, TransitionNotAllowed
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.insight.models import Suggestion
from wenmin.insight.similarity import text_of
from wenmin.insight.suggest import suggest_text
from wenmin.organisation.models import Unit


def suggestion_for_case(*, case: Case) -> Suggestion:
    """The case's suggestion; computed and stored the first time (never during intake)."""
    found = Suggestion.objects.filter(case=case).first()
    if found is not None:
        return found
    answer = suggest_text(text_of(case.title, case.content), region=case.region)
    suggestion = Suggestion(
        case=case,
        model_id=answer["model_version"],
        source=answer["source"],
        kind=answer["kind"]["code"],
        category_code=answer["category"]["code"],
        unit_code=answer["unit"]["code"],
        details=answer,
    )
    try:
        with transaction.atomic():
            suggestion.save()
    except IntegrityError:  # another request stored it a moment ago
        return Suggestion.objects.get(case=case)
    return suggestion


def suggestion_apply(
    *, case: Case, actor: User, kind: str, category_code: str, unit_code: str
) -> Case:
    """Classify and dispatch the case as chosen on its suggestion panel (the suggestion itself,
    or an alternative): one click, through the cases' own steps, so the verdicts follow."""
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose a kind.")]})
    category = Category.objects.filter(code=category_code, is_active=True).first()
    if category is None:
        raise ValidationError({"category": [_("Choose a category.")]})
    unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
    for action in (Action.CLASSIFY, Action.DISPATCH):
        refusal = case_action_refusal(actor, case, action)
        if refusal == "state":
            raise TransitionNotAllowed(action)
        if refusal:
            raise PermissionDenied(refusal)
    with transaction.atomic():
        suggestion = suggestion_for_case(case=case)
        Suggestion.objects.filter(pk=suggestion.pk).update(accepted_by=actor)
        case = case_services.case_classify(
            case=case, actor=actor, kind=kind, category=category, urgency=case.urgency
        )
        if unit is not None:
            case = case_services.case_dispatch(case=case, actor=actor, unit=unit)
        audit_record(
            actor=actor,
            action="insight.suggestion_apply",
            target=case,
            changes={
                "kind": kind,
                "category": category.code,
                "unit": unit.code if unit else "",
                "as_suggested": [
                    kind == suggestion.kind,
                    category.code == suggestion.category_code,
                    (unit.code if unit else "") == suggestion.unit_code,
                ],
            },
        )
    return case


def suggestion_verdict(case: Case, event: CaseEvent) -> None:
    """cases.services.events.AFTER_EVENT: the first classification and the first dispatch of a
    case with a suggestion say whether it was right."""
    if event.action not in (Action.CLASSIFY, Action.DISPATCH):
        return
    data: dict[str, Any] = event.data or {}
    pending = Suggestion.objects.filter(case_id=case.pk)
    now = timezone.now()
    if event.action == Action.CLASSIFY:
        for row in pending.filter(kind_right__isnull=True).values("pk", "kind", "category_code"):
            Suggestion.objects.filter(pk=row["pk"]).update(
                kind_right=row["kind"] == data.get("kind"),
                category_right=row["category_code"] == data.get("category"),
                decided_at=now,
            )
    else:
        for pk, unit_code in pending.filter(unit_right__isnull=True).values_list("pk", "unit_code"):
            Suggestion.objects.filter(pk=pk).update(
                unit_right=unit_code == data.get("unit"), decided_at=now
            )
