"""What each action on a case is called: on the staff timeline, and on the public one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from wenmin.cases.workflow import Action

EVENT_LABELS: dict[str, Any] = {
    **dict(Action.choices),
    "intake": gettext_lazy("Registered"),
    "escalate": gettext_lazy("Escalated for supervision"),
    "remind": gettext_lazy("Reminder sent"),
    "external_update": gettext_lazy("Update from an external system"),
}

# What each step on a case is called on the public timeline; actions not listed (reminders,
# reclassification) are internal and shown only when staff wrote a note for the requester.
PUBLIC_ACTIONS: dict[str, Any] = {
    "intake": gettext_lazy("Received"),
    Action.MERGE: gettext_lazy("Merged with a case about the same matter"),
    Action.REJECT: gettext_lazy("Not taken up"),
    Action.DISPATCH: gettext_lazy("Passed to the responsible unit"),
    Action.SIGN_FOR: gettext_lazy("Accepted by the responsible unit"),
    Action.RETURN: gettext_lazy("Sent back to be passed to another unit"),
    Action.PLAN: gettext_lazy("Solution decided"),
    Action.NOTE: gettext_lazy("Progress"),
    Action.SUPERVISE: gettext_lazy("Supervision order issued"),
    Action.REPLY: gettext_lazy("Reply"),
    Action.CALLBACK_RESOLVED: gettext_lazy("Confirmed solved; closed"),
    Action.CALLBACK_REWORK: gettext_lazy("Not solved or not satisfied; sent back for rework"),
    "escalate": gettext_lazy("Escalated for supervision at a higher level"),
}
