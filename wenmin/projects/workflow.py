"""A project's status and the moves between them: a small pure table (no database)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", _("Completed")
    ACCEPTED = "accepted", _("Accepted")
    SUSPENDED = "suspended", _("Suspended")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PLANNED: frozenset({Status.APPROVED, Status.SUSPENDED}),
    Status.APPROVED: frozenset({Status.UNDER_CONSTRUCTION, Status.SUSPENDED}),
    Status.UNDER_CONSTRUCTION: frozenset({Status.COMPLETED, Status.SUSPENDED}),
    Status.COMPLETED: frozenset({Status.ACCEPTED, Status.UNDER_CONSTRUCTION}),
    Status.ACCEPTED: frozenset(),
    Status.SUSPENDED: frozenset({Status.PLANNED, Status.APPROVED, Status.UNDER_CONSTRUCTION}),
}
# Statuses in which the works run and progress is reported and supervised.
RUNNING = frozenset({Status.UNDER_CONSTRUCTION})
# Statuses of a project whose works are finished.
FINISHED = frozenset({Status.COMPLETED, Status.ACCEPTED})
# Reports may come in while the works run, and before: the first report starts the works.
REPORTING = frozenset({Status.APPROVED, Status.UNDER_CONSTRUCTION})


def may_move(current: str, target: str) -> bool:
    """Whether a project may go from `current` to `target`."""
    return target in TRANSITIONS.get(current, frozenset())


def next_statuses(current: str) -> list[str]:
    """The statuses a project may go to next, in the order of the choices."""
    allowed = TRANSITIONS.get(current, frozenset())
    return [value for value in Status.values if value in allowed]


def may_complete(*, progress_percent: float) -> bool:
    """A project is completed only when its plan is done (100 %)."""
    return progress_percent >= 100
