"""Training the suggestion model from the county's closed cases."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.insight.history import closed_cases
from wenmin.insight.learn import MIN_EXAMPLES, train
from wenmin.insight.models import SuggestionModel

KEEP = 3  # models kept: the newest answers, two older ones stay for comparison


def model_train(*, actor: User | None) -> SuggestionModel | None:
    """Learn from every closed case and store the model as the newest; None when the county has
    fewer than MIN_EXAMPLES closed cases (the keyword rules go on answering)."""
    examples = [example for _received, example in closed_cases()]
    if len(examples) < MIN_EXAMPLES:
        return None
    started = time.perf_counter()
    model = train(examples)
    seconds = round(time.perf_counter() - started, 2)
    figures = {
        "examples": len(examples),
        "seconds": seconds,
        "categories": len({e.category for e in examples}),
        "units": len({e.unit for e in examples}),
    }
    with transaction.atomic():
        stored = SuggestionModel.objects.create(
            trained_at=timezone.now(), trained_on=len(examples), blob=model.dumps(), figures=figures
        )
        old = SuggestionModel.objects.order_by("-id").values_list("id", flat=True)[KEEP:]
        SuggestionModel.objects.filter(id__in=list(old)).delete()
        audit_record(
            actor=actor,
            actor_label="" if actor else "insight",
            action="insight.model_train",
            target=stored,
            changes=figures,
        )
    return stored
