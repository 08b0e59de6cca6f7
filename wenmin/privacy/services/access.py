"""The access log: who saw whose personal data in clear, where and why; pruned, never edited."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from wenmin.core.audit import audit_record
from wenmin.core.crypto import PersonalDataView
from wenmin.core.middleware import current_ip
from wenmin.privacy.middleware import current_path
from wenmin.privacy.models import AccessLogEntry

PRUNE_CHUNK = 5000


def access_record(view: PersonalDataView) -> None:
    """One row per person shown (core.crypto.ACCESS_HOOKS calls this wherever data is unmasked)."""
    viewer = view.viewer
    label = view.viewer_label or (viewer.get_username() if viewer is not None else "") or "system"
    path = current_path.get() or ""
    address = current_ip.get()
    now = timezone.now()
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                at=now,
                viewer=viewer,
                viewer_label=label[:150],
                person_id=person_id,
                fields=",".join(view.fields)[:64],
                reason=view.reason[:32],
                case_id=view.case_id,
                path=path[:255],
                ip_address=address,
            )
            for person_id in view.person_ids
        ],
        batch_size=1000,
    )


def access_log_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Entries older than this are pruned (WENMIN_ACCESS_LOG_DAYS, at least 183)."""
    days = max(int(settings.WENMIN_ACCESS_LOG_DAYS), int(settings.ACCESS_LOG_MINIMUM_DAYS))
    return (now or timezone.now()) - dt.timedelta(days=days)


def access_log_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the entries past the kept period, in chunks; one audit event says how many."""
    cutoff = access_log_cutoff(now)
    deleted = 0
    while True:
        ids = list(
            AccessLogEntry.objects.filter(at__lt=cutoff)
            .order_by("id")
            .values_list("pk", flat=True)[:PRUNE_CHUNK]
        )
        if not ids:
            break
        deleted += AccessLogEntry.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        audit_record(
            actor=None,
            actor_label="privacy",
            action="privacy.access_log_prune",
            changes={"deleted": deleted, "before": cutoff.isoformat()},
        )
    return deleted
