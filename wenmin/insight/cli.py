"""What `wenmin insight suggest|similar` print for one text: JSON-ready dicts."""

from __future__ import annotations

from typing import Any

from wenmin.cases.models import Case
from wenmin.cases.workflow import State
from wenmin.insight.duplicates import Probe, similar_to
from wenmin.insight.suggest import suggest_text

MAX_TEXT = 4000


def suggest_json(text: str) -> dict[str, Any]:
    """{"text", "source", "model_version", "kind", "category", "unit"}."""
    return {"text": text, **suggest_text(text[:MAX_TEXT])}


def similar_json(text: str, *, limit: int = 10) -> dict[str, Any]:
    """{"text", "cases": [{"number", "state", "state_label", "open", "score", "text_similarity",
    "shared_words", "received"}]}, open cases first."""
    matches = similar_to(Probe(text=text[:MAX_TEXT]), among=Case.objects.all())
    return {
        "text": text,
        "cases": [
            {
                "number": m.case.number,
                "state": m.case.state,
                "state_label": str(State(m.case.state).label),
                "open": m.open,
                "score": m.score,
                "text_similarity": m.text,
                "shared_words": m.shared,
                "received": m.case.received_at.isoformat(),
            }
            for m in matches[:limit]
        ],
    }
