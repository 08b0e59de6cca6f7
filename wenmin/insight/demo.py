"""Insight's part of the demo: the year of cases joins the duplicate index and the first model
is trained from the closed ones, as `wenmin insight train` would do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wenmin.insight.models import CaseBand, Suggestion, SuggestionModel
from wenmin.insight.services import cases_index_missing, model_train


def demo_insight(*, now: dt.datetime) -> list[str]:
    """Index every case and train; lines for the seed's report."""
    indexed = cases_index_missing()
    model = model_train(actor=None)
    lines = [f"insight: {indexed} cases indexed for duplicates"]
    if model is not None:
        lines.append(f"insight: suggestion model v{model.pk} trained on {model.trained_on} cases")
    return lines


def insight_stats() -> dict[str, Any]:
    newest = SuggestionModel.objects.defer("blob").order_by("-id").first()
    return {
        "indexed_cases": CaseBand.objects.values("case_id").distinct().count(),
        "suggestions": Suggestion.objects.count(),
        "model_version": newest.pk if newest else 0,
        "model_trained_on": newest.trained_on if newest else 0,
    }
