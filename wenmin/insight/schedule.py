"""The worker's job (core.periodic): index cases the index lacks, snapshot the index for the
processes' memory when it has grown, and retrain the model every
WENMIN_INSIGHT_TRAIN_HOURS (the newest model's date, in the database, says when it is due)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from wenmin.insight.models import SuggestionModel
from wenmin.insight.services import cases_index_missing, model_train
from wenmin.insight.services.snapshot import snapshot_build, snapshot_due

INDEX_PER_TICK = 20_000


def training_due(now: dt.datetime | None = None) -> bool:
    newest = SuggestionModel.objects.order_by("-id").values_list("trained_at", flat=True).first()
    hours = settings.WENMIN_INSIGHT_TRAIN_HOURS
    return newest is None or (now or timezone.now()) - newest >= dt.timedelta(hours=hours)


def insight_periodic() -> None:
    """One tick: catch the index up, snapshot it when due (services/snapshot.py), then train
    when due (nothing when too few closed cases)."""
    cases_index_missing(limit=INDEX_PER_TICK)
    if snapshot_due():
        snapshot_build(actor=None)
    if training_due():
        model_train(actor=None)
