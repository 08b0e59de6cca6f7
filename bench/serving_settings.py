"""bench/serving.py's baseline: the real settings without the request log, the request id, the
metrics and the database-outage check."""

from wenmin.settings import *  # noqa: F403

_OBSERVING = {
    "wenmin.core.requestlog.RequestLogMiddleware",
    "wenmin.core.outage.DatabaseOutageMiddleware",
}
MIDDLEWARE = [m for m in MIDDLEWARE if m not in _OBSERVING]  # noqa: F405
