"""The deadline policy in force: defaults, the administrator's overrides, the working calendar.

Every intake and several steps need it, while the overrides change a few times a year: they are
cached, and any save or delete of an override drops the cache (see `CasesConfig.ready`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache

from wenmin.cases.deadlines import DeadlinePolicy, Limit
from wenmin.cases.models import DeadlineOverride, WorkdayOverride
from wenmin.core.workdays import Calendar

_CACHE_KEY = "wenmin:cases:deadline-overrides:v1"
_CACHE_SECONDS = 600


def _overrides() -> tuple[list[tuple[str, str, str, int, str]], dict[dt.date, bool]]:
    cached: Any = cache.get(_CACHE_KEY)
    if cached is None:
        limits = list(
            DeadlineOverride.objects.values_list("clock", "kind", "urgency", "amount", "unit")
        )
        days = dict(WorkdayOverride.objects.values_list("date", "is_working_day"))
        cached = (limits, days)
        cache.set(_CACHE_KEY, cached, _CACHE_SECONDS)
    return cached  # type: ignore[no-any-return]


def policy_forget(**_kwargs: Any) -> None:
    """Drop the cached overrides (connected to saves and deletes of both override models)."""
    cache.delete(_CACHE_KEY)


def calendar_current() -> Calendar:
    """The official calendar with the administrator's working-day overrides."""
    return Calendar(overrides=dict(_overrides()[1]))


def policy_current() -> DeadlinePolicy:
    """Default time limits with the administrator's overrides on top."""
    limits, days = _overrides()
    result: dict[tuple[str, str], Limit] = {}
    sign_for: dict[str, Limit] = {}
    callback: Limit | None = None
    for clock, kind, urgency, amount, unit in limits:
        limit = Limit(amount, unit)
        if clock == "result":
            result[(kind, urgency)] = limit
        elif clock == "sign_for":
            sign_for[urgency or "normal"] = limit
        elif clock == "callback":
            callback = limit
    return DeadlinePolicy(
        calendar=Calendar(overrides=dict(days)),
        result_overrides=result,
        sign_for_overrides=sign_for,
        callback_override=callback,
    )
