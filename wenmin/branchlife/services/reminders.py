"""The worker's daily reminders: to a secretary before a required meeting's deadline, and to the
township when its branches fall behind. Each is sent once (ReminderSent)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.branchlife import rules
from wenmin.branchlife.models import MeetingCredit, MeetingType, ReminderSent
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.core.notify import Notification, notify
from wenmin.core.roles import Role
from wenmin.organisation.models import Unit, UnitKind

REMIND_WORKING_DAYS = 2


def _once(key: str) -> bool:
    """Claim a reminder's key; False when it was already sent."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key[:96])
    except IntegrityError:
        return False
    return True


def _working_days_until(today: dt.date, due: dt.date, working: object) -> int:
    days, day = 0, today
    while day < due:
        day += dt.timedelta(days=1)
        if working(day):  # type: ignore[operator]
            days += 1
    return days


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send today's reminders (once a day, whatever the number of ticks); how many were sent."""
    from wenmin.branchlife.compliance import _working_day

    today = today or timezone.localdate()
    if not _once(f"run:{today.isoformat()}"):
        return 0
    working = _working_day()
    sent = 0
    branches: dict[int | None, list[tuple[int, str, int | None]]] = defaultdict(list)
    for branch_id, name, township_id, fixed_day in Unit.objects.filter(
        kind=UnitKind.PARTY_BRANCH
    ).values_list("id", "name", "region__township_id", "branchlife_fixed_day__day"):
        branches[fixed_day].append((branch_id, name, township_id))
    for meeting_type in MeetingType.objects.filter(required=True):
        rule = rules.Rule(
            meeting_type.pk, meeting_type.code, meeting_type.frequency, meeting_type.due_working_day
        )
        # The life day's deadline is each branch's fixed day: branches grouped by that day.
        groups: list[tuple[int | None, list[tuple[int, str, int | None]]]]
        if meeting_type.code == rules.LIFE_DAY:
            groups = list(branches.items())
        else:
            groups = [(None, [b for group in branches.values() for b in group])]
        current = rules.period_of(meeting_type.frequency, today)
        previous = rules.period_of(meeting_type.frequency, current[0] - dt.timedelta(days=1))
        for period in (previous, current):
            held = set(
                MeetingCredit.objects.filter(
                    type=meeting_type, held_on__gte=period[0], held_on__lte=period[1]
                ).values_list("branch_id", flat=True)
            )
            behind: list[tuple[int, str, int | None]] = []
            for day, group in groups:
                due = rules.branch_deadline(rule, period, working, day)
                missing = [b for b in group if b[0] not in held]
                if period is current and today <= due:
                    if _working_days_until(today, due, working) <= REMIND_WORKING_DAYS:
                        sent += _remind_secretaries(meeting_type, period[0], due, missing)
                elif today > due:
                    behind += missing
            if behind:
                sent += _tell_townships(meeting_type, period[0], behind)
    return sent


def _remind_secretaries(
    meeting_type: MeetingType,
    start: dt.date,
    due: dt.date,
    missing: list[tuple[int, str, int | None]],
) -> int:
    accounts: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        role=Role.BRANCH_SECRETARY, is_active=True, unit_id__in=[b[0] for b in missing]
    ):
        accounts[int(user.unit_id or 0)].append(user)
    sent = 0
    for branch_id, name, _township in missing:
        if not accounts.get(branch_id) or not _once(f"sec:{branch_id}:{meeting_type.pk}:{start}"):
            continue
        for user in accounts[branch_id]:
            notify(
                Notification(
                    subject=_("%(type)s due by %(due)s") % {"type": meeting_type.name, "due": due},
                    text=_(
                        "%(branch)s has not yet held its %(type)s for this period (due by %(due)s)."
                    )
                    % {"branch": name, "type": meeting_type.name, "due": due},
                    user=user,
                )
            )
            sent += 1
    if sent:
        audit_record(actor=None, action="branchlife.remind", changes={"secretaries": sent})
    return sent


def _tell_townships(
    meeting_type: MeetingType, start: dt.date, missing: list[tuple[int, str, int | None]]
) -> int:
    behind: dict[int, list[str]] = defaultdict(list)
    for _branch_id, name, township_id in missing:
        if township_id:
            behind[township_id].append(name)
    sent = 0
    for township_id, names in behind.items():
        if not _once(f"town:{township_id}:{meeting_type.pk}:{start}"):
            continue
        for user in User.objects.filter(
            role=Role.TOWNSHIP_STAFF, is_active=True, unit__region__township_id=township_id
        ):
            notify(
                Notification(
                    subject=_("%(n)s branches behind on %(type)s")
                    % {"n": len(names), "type": meeting_type.name},
                    text=_("Not held by the deadline (period from %(start)s): %(names)s")
                    % {"start": start, "names": "、".join(names[:30])},
                    user=user,
                )
            )
            sent += 1
    if sent:
        audit_record(actor=None, action="branchlife.remind", changes={"townships": sent})
    return sent
