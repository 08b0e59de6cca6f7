"""`wenmin privacy sweep`: anonymise what has outlived its retention period and prune the access
log. Streamed in chunks of cases, each chunk one short transaction, so memory stays flat and
the site keeps working; idempotent (a case done is never done again); audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.core.audit import audit_record
from wenmin.core.models import AuditEvent
from wenmin.privacy.models import Anonymisation
from wenmin.privacy.selectors import cases_expired, cases_held_count
from wenmin.privacy.services.access import access_log_prune
from wenmin.privacy.services.anonymise import case_anonymise, person_anonymise_if_unneeded

CHUNK = 500


@dataclass
class SweepReport:
    cases: int = 0
    people: int = 0
    attachments: int = 0
    held: int = 0
    access_log_pruned: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def privacy_sweep(
    *,
    now: dt.datetime | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> SweepReport:
    """Anonymise every expired case (and the residents no case needs any more), prune the
    access log; `total(n)` is told how many cases are due, `progress(n)` after each chunk."""
    now = now or timezone.now()
    report = SweepReport(held=cases_held_count(now=now))
    due = cases_expired(now=now)
    if total is not None:
        total(due.count())
    last_id = 0
    while True:
        ids = list(due.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        last_id = ids[-1]
        with transaction.atomic():
            people: set[int] = set()
            for case_id in ids:
                requester_id = _requester_of(case_id)
                record = case_anonymise(case_id=case_id, reason=Anonymisation.RETENTION, actor=None)
                if record is None:
                    continue
                report.cases += 1
                report.attachments += record.attachments_deleted
                if requester_id is not None:
                    people.add(requester_id)
            for person_id in sorted(people):
                if person_anonymise_if_unneeded(
                    person_id=person_id, reason=Anonymisation.RETENTION, actor=None
                ):
                    report.people += 1
        if progress is not None:
            progress(len(ids))
    report.access_log_pruned = access_log_prune(now=now)
    audit_record(
        actor=None, actor_label="privacy", action="privacy.sweep", changes=report.as_dict()
    )
    return report


def _requester_of(case_id: int) -> int | None:
    return Case.objects.filter(pk=case_id).values_list("requester_id", flat=True).first()


def last_sweep_at() -> dt.datetime | None:
    """When the sweep last ran to its end (its audit event)."""
    return (
        AuditEvent.objects.filter(action="privacy.sweep")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def privacy_sweep_if_due() -> SweepReport | None:
    """The worker's periodic job: sweep when WENMIN_PRIVACY_SWEEP_HOURS have passed since the
    last sweep (kept in the database, so restarts and several workers agree)."""
    last = last_sweep_at()
    every = dt.timedelta(hours=int(settings.WENMIN_PRIVACY_SWEEP_HOURS))
    if last is not None and timezone.now() - last < every:
        return None
    return privacy_sweep()
