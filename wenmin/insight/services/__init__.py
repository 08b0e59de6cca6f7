"""Insight's writes: training, suggestions and their verdicts, the duplicate index."""

from __future__ import annotations

from wenmin.insight.services.index import case_index, cases_index_missing
from wenmin.insight.services.suggestions import (
    suggestion_apply,
    suggestion_for_case,
    suggestion_verdict,
)
from wenmin.insight.services.training import model_train

__all__ = [
    "case_index",
    "cases_index_missing",
    "model_train",
    "suggestion_apply",
    "suggestion_for_case",
    "suggestion_verdict",
]
