"""Insight's reads: how often suggestions were right, and the suggestions behind each figure."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wenmin.cases.models import Case
from wenmin.cases.selectors import cases_visible_to
from wenmin.core.models import User
from wenmin.insight.models import Suggestion, SuggestionModel

FIELDS = {"kind": "kind_right", "category": "category_right", "unit": "unit_right"}
FIELD_LABELS = {"kind": _("Kind"), "category": _("Category"), "unit": _("Lead unit")}
OUTCOMES = ("right", "wrong")


def suggestions_visible_to(user: User) -> QuerySet[Suggestion]:
    """Suggestions of the cases in the viewer's scope."""
    return Suggestion.objects.filter(case__in=cases_visible_to(user).values("pk"))


def accuracy_for(user: User) -> list[dict[str, Any]]:
    """For kind, category and unit: decided, right, wrong and the share right (None: none yet)."""
    visible = suggestions_visible_to(user)
    aggregates: dict[str, Any] = {}
    for name, column in FIELDS.items():
        aggregates[f"n_{name}_right"] = Count("pk", filter=Q(**{column: True}))
        aggregates[f"n_{name}_wrong"] = Count("pk", filter=Q(**{column: False}))
    counts = visible.aggregate(**aggregates)
    rows = []
    for name in FIELDS:
        right, wrong = counts[f"n_{name}_right"], counts[f"n_{name}_wrong"]
        decided = right + wrong
        rows.append(
            {
                "field": name,
                "right": right,
                "wrong": wrong,
                "decided": decided,
                "share": round(100 * right / decided, 1) if decided else None,
            }
        )
    return rows


def suggestions_listed(user: User, *, field: str, outcome: str) -> QuerySet[Suggestion]:
    """The suggestions one figure counts ("kind"/"category"/"unit" × "right"/"wrong"/"all")."""
    visible = suggestions_visible_to(user)
    column = FIELDS[field]
    if outcome == "all":
        visible = visible.filter(**{f"{column}__isnull": False})
    else:
        visible = visible.filter(**{column: outcome == "right"})
    return visible.select_related("case", "case__category", "case__lead_unit").order_by(
        "-case__received_at", "-pk"
    )


def model_newest() -> SuggestionModel | None:
    return SuggestionModel.objects.defer("blob").order_by("-id").first()


def case_for_panel(user: User, case_id: int) -> Case:
    from wenmin.cases.selectors import case_get_for

    return case_get_for(user, case_id)
