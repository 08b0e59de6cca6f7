"""Background tasks (django-tasks): notification delivery and the deadline sweep.

`wenmin worker` runs them (db_worker in a child process) and sweeps on a timer.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from wenmin.cases.models import CaseEvent
from wenmin.cases.notifications import notifications_for
from wenmin.cases.services.automation import sweep_deadlines
from wenmin.core.notify import notify


@task()
def case_event_notify(event_id: int) -> int:
    """Send the notifications of one case event; how many reached at least one backend."""
    event = (
        CaseEvent.objects.select_related("case__requester", "case__lead_unit", "case__escalated_to")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    sent = 0
    # Recipients read Wenmin in the county's language, whatever the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        for notification in notifications_for(event):
            sent += bool(notify(notification))
    return sent


@task()
def sweep_deadlines_task() -> dict[str, int]:
    """Remind and escalate the open cases whose deadlines call for it."""
    return sweep_deadlines().as_dict()
