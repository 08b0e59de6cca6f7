"""What each action on a case is called: on the staff timeline, and on the public one; who took
it, in words; and the states in the resident's own words."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy

from wenmin.cases.workflow import Action, State

EVENT_LABELS: dict[str, Any] = {
    **dict(Action.choices),
    "intake": gettext_lazy("Registered"),
    "escalate": gettext_lazy("Escalated for supervision"),
    "remind": gettext_lazy("Reminder sent"),
    "external_update": gettext_lazy("Update from an external system"),
    "requester_addition": gettext_lazy("Added by the requester"),
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

# The states as a resident would say them (the staff labels speak of sign-for and callbacks).
RESIDENT_STATES: dict[str, Any] = {
    State.COLLECTED: gettext_lazy("Received; being passed to the right unit"),
    State.DISPATCHED: gettext_lazy("Passed to the responsible unit"),
    State.SIGNED: gettext_lazy("Accepted; the unit is working out a solution"),
    State.IN_PROGRESS: gettext_lazy("Being dealt with"),
    State.REPLIED: gettext_lazy("Answered; waiting for your rating"),
    State.CLOSED: gettext_lazy("Closed"),
    State.REJECTED: gettext_lazy("Not taken up"),
    State.MERGED: gettext_lazy("Dealt with together with a case about the same matter"),
}

# How events written without a person were labelled before names were stored ("system").
_MACHINE_LABELS = frozenset({"", "system"})


def person_with_post(name: str, unit: str, post: str) -> str:
    """A person as the timeline names them: 王芳（象店镇人民政府·办事员）."""
    if unit and post:
        return gettext("%(name)s (%(unit)s · %(post)s)") % {
            "name": name,
            "unit": unit,
            "post": post,
        }
    if unit or post:
        return gettext("%(name)s (%(post)s)") % {"name": name, "post": unit or post}
    return name


def actor_display(*, action: str, actor_label: str, has_actor: bool) -> str:
    """Who took a step, for the staff timeline: the stored name, the requester, or 系统."""
    if actor_label not in _MACHINE_LABELS:
        return actor_label
    if action == "intake" and not has_actor:
        return gettext("Requester")  # sent through the portal or an integration by the resident
    return gettext("System")
