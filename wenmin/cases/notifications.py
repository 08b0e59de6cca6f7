"""Who hears about a step taken on a case, and what they are told.

One task per notified event is queued with the step: its row written in the step's own
transaction when the queue is the database's (one commit makes both visible), else once the
step's transaction has committed (`services.events.ON_COMMIT`). The task
(`tasks.case_event_notify`) builds the notifications from the event and sends them, so a slow SMS
gateway never slows the request, and no phone number sits in the task queue.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.services import events
from wenmin.cases.services.rating import rating_link_token
from wenmin.cases.workflow import Action, State
from wenmin.core.models import User
from wenmin.core.notify import Notification
from wenmin.core.roles import Role
from wenmin.organisation.models import Unit

logger = logging.getLogger("wenmin.notify")
REPLY_EXCERPT = 120  # characters of the reply quoted in the SMS


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


# Other apps reach a requester where they follow the case (a WeChat account): each route gets
# the requester's notification and gives it back, readdressed when it takes it over.
REQUESTER_ROUTES: list[Callable[[Case, CaseEvent, Notification], Notification]] = []


def _requester_email(case: Case) -> str:
    """The e-mail address of the requester's own account, if they have one."""
    if case.requester_id is None:
        return ""
    return (
        User.objects.filter(person_id=case.requester_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .first()
        or ""
    )


def _requester(
    case: Case,
    event: CaseEvent,
    subject: str,
    text: str,
    secrets: tuple[str, ...] = (),
    link: str = "",
) -> list[Notification]:
    """To the requester: a text to their phone, an e-mail to their account's address, or where
    a route says they follow the case; the tracking code and any other secret masked in logs."""
    phone = case.requester.phone if case.requester is not None else ""
    notification = Notification(
        subject=subject,
        text=text,
        phone=phone,
        email=_requester_email(case),
        case_id=case.pk,
        secrets=(case.tracking_code, *secrets),
        link=link,
    )
    for route in REQUESTER_ROUTES:
        notification = route(case, event, notification)
    if not (notification.phone or notification.email or notification.follower):
        return []
    return [notification]


def _accounts(
    users: QuerySet[User], event: CaseEvent, subject: str, text: str
) -> list[Notification]:
    # Nobody is told about a step they took themselves.
    users = users.filter(is_active=True).exclude(pk=event.actor_id or 0).order_by("pk")
    return [
        Notification(subject=subject, text=text, user=user, case_id=event.case_id) for user in users
    ]


def _unit_accounts(
    unit: Unit | None, event: CaseEvent, subject: str, text: str
) -> list[Notification]:
    if unit is None:
        return []
    return _accounts(User.objects.filter(unit=unit), event, subject, text)


def _intake(case: Case, event: CaseEvent) -> list[Notification]:
    return _requester(
        case,
        event,
        _("Case received"),
        _(
            "Wenmin: your case %(number)s has been received. Follow it with the tracking code "
            "%(code)s."
        )
        % {"number": case.number, "code": case.tracking_code},
    )


def _dispatch(case: Case, event: CaseEvent) -> list[Notification]:
    # The unit the case went to, even if it has been returned since.
    unit = Unit.objects.filter(code=event.data.get("unit", "")).first() or case.lead_unit
    return _unit_accounts(
        unit,
        event,
        _("New case %(number)s to sign for") % {"number": case.number},
        _("%(title)s. Sign for it or return it by %(due)s.")
        % {"title": case.title, "due": _when(case.sign_for_due)},
    )


def _reply(case: Case, event: CaseEvent) -> list[Notification]:
    reply = case.reply if len(case.reply) <= REPLY_EXCERPT else case.reply[:REPLY_EXCERPT] + "…"
    token = rating_link_token(case_id=case.pk, reply_event_id=event.pk)
    link = settings.WENMIN_SITE_URL + reverse("portal:rate_link", args=[token])
    return _requester(
        case,
        event,
        _("Your case has been answered"),
        _(
            "Wenmin: your case %(number)s has been answered: %(reply)s Tell us whether it is "
            "solved (this link works once): %(link)s"
        )
        % {"number": case.number, "reply": reply, "link": link},
        secrets=(token,),
        link=link,
    )


def _close(case: Case, event: CaseEvent) -> list[Notification]:
    if event.action == Action.REJECT:
        text = _("Wenmin: your case %(number)s was not taken up: %(reason)s") % {
            "number": case.number,
            "reason": event.public_note or event.note or "—",
        }
    else:
        text = _("Wenmin: your case %(number)s is closed. Thank you.") % {"number": case.number}
    return _requester(case, event, _("Your case is closed"), text)


def _remind(case: Case, event: CaseEvent) -> list[Notification]:
    due = case.sign_for_due if case.state == State.DISPATCHED else case.result_due
    return _unit_accounts(
        case.lead_unit,
        event,
        _("Reminder: case %(number)s") % {"number": case.number},
        _("Most of the time for case %(number)s (%(title)s) is used: it is due %(due)s.")
        % {"number": case.number, "title": case.title, "due": _when(due)},
    )


def _escalate(case: Case, event: CaseEvent) -> list[Notification]:
    reasons = {
        "overdue": _("its deadline has passed"),
        Action.RETURN: _("it was returned three times"),
        Action.CALLBACK_REWORK: _("it was sent back for rework three times"),
    }
    subject = _("Escalated: case %(number)s") % {"number": case.number}
    text = _("Case %(number)s (%(title)s, lead unit %(unit)s) is escalated because %(reason)s.") % {
        "number": case.number,
        "title": case.title,
        "unit": case.lead_unit.name if case.lead_unit else "—",
        "reason": reasons.get(event.data.get("reason", ""), _("it needs supervision")),
    }
    if case.escalated_to is not None:
        return _unit_accounts(case.escalated_to, event, subject, text)
    return _accounts(User.objects.filter(role=Role.COUNTY_LEADER), event, subject, text)


def _rework(case: Case, event: CaseEvent) -> list[Notification]:
    return _unit_accounts(
        case.lead_unit,
        event,
        _("Rework: case %(number)s") % {"number": case.number},
        _(
            "The requester of case %(number)s is not satisfied with the result: handle it again "
            "by %(due)s."
        )
        % {"number": case.number, "due": _when(case.result_due)},
    )


RULES: dict[str, Callable[[Case, CaseEvent], list[Notification]]] = {
    "intake": _intake,
    Action.DISPATCH: _dispatch,
    Action.REPLY: _reply,
    "remind": _remind,
    "escalate": _escalate,
    Action.CALLBACK_REWORK: _rework,
    Action.CALLBACK_RESOLVED: _close,
    Action.REJECT: _close,
}


def notifications_for(event: CaseEvent) -> list[Notification]:
    """The notifications one case event causes (none for most steps)."""
    rule = RULES.get(event.action)
    return rule(event.case, event) if rule is not None else []


def _queue_in_database() -> bool:
    """Whether the task queue is a table of this database (django-tasks' DatabaseBackend)."""
    from django_tasks.backends.database import DatabaseBackend

    from wenmin.cases.tasks import case_event_notify  # the task module imports this one

    return isinstance(case_event_notify.get_backend(), DatabaseBackend)


def case_event_enqueue_in_step(case: Case, event: CaseEvent) -> None:
    """In the step's transaction, when the queue is a table of the same database: the task's row
    is written with the step and seen by the worker at the same commit (one commit, not two;
    a step that rolls back leaves no task, as before)."""
    if event.action not in RULES or not _queue_in_database():
        return
    from wenmin.cases.tasks import case_event_notify

    try:
        # The savepoint keeps a queue table that cannot be written from failing the step.
        with transaction.atomic():
            replace(case_event_notify, enqueue_on_commit=False).enqueue(event_id=event.pk)
    except Exception:
        logger.exception("could not queue the notifications of case event %s", event.pk)


def case_event_enqueue(case: Case, event: CaseEvent) -> None:
    """After the commit: queue the delivery of a notified event's notifications (any other
    queue: one that runs tasks at once must not run them before the commit)."""
    if event.action not in RULES or _queue_in_database():
        return
    from wenmin.cases.tasks import case_event_notify  # the task module imports this one

    try:
        case_event_notify.enqueue(event_id=event.pk)
    except Exception:
        # The step is committed; a queue that cannot be written must not turn it into an error.
        logger.exception("could not queue the notifications of case event %s", event.pk)


def connect() -> None:
    """Hear every case event: in its step's transaction, and once committed (called once from
    CasesConfig.ready)."""
    if case_event_enqueue_in_step not in events.AFTER_EVENT:
        events.AFTER_EVENT.append(case_event_enqueue_in_step)
    if case_event_enqueue not in events.ON_COMMIT:
        events.ON_COMMIT.append(case_event_enqueue)
