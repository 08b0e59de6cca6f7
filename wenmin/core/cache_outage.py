"""When the shared cache (Redis) cannot be reached, Wenmin keeps serving without it.

A resident's report matters more than a rate limit: while Redis is down the limits let requests
through and the deadline overrides are read from the database, with one log line when the
outage begins and one when it ends, never a 500 or a traceback per request.
"""

from __future__ import annotations

import logging
import threading

logger = logging.getLogger("wenmin.cache")

try:
    from redis import RedisError

    CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover  (redis is a dependency)
    CACHE_ERRORS = (OSError,)

_state = {"down": False}
_lock = threading.Lock()


def cache_failed(error: Exception, *, doing: str) -> None:
    """Note a failed cache call: one warning when the outage begins."""
    with _lock:
        if _state["down"]:
            return
        _state["down"] = True
    logger.warning(
        "the shared cache is unreachable (%s while %s); going on without it", error, doing
    )


def cache_answered() -> None:
    """Note a cache call that worked: one line when an outage ends."""
    if not _state["down"]:
        return
    with _lock:
        if not _state["down"]:
            return
        _state["down"] = False
    logger.warning("the shared cache answers again")
