"""The deadline policy in force: defaults, the administrator's overrides, the working calendar.

Every intake and several steps need it, while the overrides change a few times a year: they are
cached in the shared cache (Redis, or the database cache: every server sees the same), under a
generation number that any save or delete of an override raises (see `CasesConfig.ready`), once
at once and once more when its transaction commits. A server that read the old overrides just
before the commit files them under the old generation, which nobody reads any more; a
per-process copy would keep serving the old ones on every other server.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction

from wenmin.cases.deadlines import DeadlinePolicy, Limit
from wenmin.cases.models import DeadlineOverride, WorkdayOverride
from wenmin.core.cache_outage import CACHE_ERRORS, cache_failed
from wenmin.core.workdays import Calendar

_CACHE_KEY = "wenmin:cases:deadline-overrides:v2:%s"
_GENERATION_KEY = "wenmin:cases:deadline-overrides:generation"
_CACHE_SECONDS = 600


def _generation() -> int:
    generation: int | None = cache.get(_GENERATION_KEY)
    if generation is None:
        # A lost generation (evicted, flushed) starts again from a number never used before,
        # so no entry of an earlier generation can be read again.
        cache.add(_GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(_GENERATION_KEY, 0)
    return int(generation or 0)


def _generation_raise() -> None:
    try:
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # no generation yet: any new one is new
            cache.add(_GENERATION_KEY, time.time_ns(), timeout=None)
    except CACHE_ERRORS as error:
        # The servers may serve the old overrides until their entry expires (_CACHE_SECONDS).
        cache_failed(error, doing="raising the deadline overrides' generation")


def _read() -> tuple[list[tuple[str, str, str, int, str]], dict[dt.date, bool]]:
    limits = list(
        DeadlineOverride.objects.values_list("clock", "kind", "urgency", "amount", "unit")
    )
    days = dict(WorkdayOverride.objects.values_list("date", "is_working_day"))
    return limits, days


def _overrides() -> tuple[list[tuple[str, str, str, int, str]], dict[dt.date, bool]]:
    try:
        key = _CACHE_KEY % _generation()
        cached: Any = cache.get(key)
        if cached is None:
            cached = _read()
            cache.set(key, cached, _CACHE_SECONDS)
    except CACHE_ERRORS as error:
        cache_failed(error, doing="reading the deadline overrides")
        return _read()
    return cached  # type: ignore[no-any-return]


def policy_forget(**_kwargs: Any) -> None:
    """Make every server read the overrides afresh (connected to saves and deletes of both
    override models): now, and again once the change has committed."""
    _generation_raise()
    transaction.on_commit(_generation_raise)


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
