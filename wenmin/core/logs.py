"""Logging helpers."""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """Drop the traceback from Django's log line of a refused request (status below 500): a
    PermissionDenied or Http404 is the application working, not failing."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True


class DatabaseOutageWithoutTraceback(logging.Filter):
    """Drop Django's log line of each request answered 503 because the database is unreachable
    ("Service Unavailable: /path", perhaps with a traceback): wenmin.core.outage says it once
    per outage, not once per request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 503:
            return True
        from wenmin.core.outage import OUTAGE_ERRORS, marked_reported

        request = getattr(record, "request", None)
        if request is not None and marked_reported(request):
            return False
        return not (record.exc_info and isinstance(record.exc_info[1], OUTAGE_ERRORS))
