"""The deadline policy in force: defaults, the administrator's overrides, the working calendar."""

from __future__ import annotations

from wenmin.cases.deadlines import DeadlinePolicy, Limit
from wenmin.cases.models import DeadlineOverride, WorkdayOverride
from wenmin.core.workdays import Calendar


def calendar_current() -> Calendar:
    """The official calendar with the administrator's working-day overrides."""
    return Calendar(overrides=dict(WorkdayOverride.objects.values_list("date", "is_working_day")))


def policy_current() -> DeadlinePolicy:
    """Default time limits with the administrator's overrides on top."""
    result: dict[tuple[str, str], Limit] = {}
    sign_for: dict[str, Limit] = {}
    callback: Limit | None = None
    for row in DeadlineOverride.objects.all():
        limit = Limit(row.amount, row.unit)
        if row.clock == "result":
            result[(row.kind, row.urgency)] = limit
        elif row.clock == "sign_for":
            sign_for[row.urgency or "normal"] = limit
        elif row.clock == "callback":
            callback = limit
    return DeadlinePolicy(
        calendar=calendar_current(),
        result_overrides=result,
        sign_for_overrides=sign_for,
        callback_override=callback,
    )
