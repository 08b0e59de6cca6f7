"""What a scoped read does with an id from a path: junk names no record, so it is a 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from wenmin.core import validators


def id_or_404(value: Any) -> int:
    """A valid id, or Http404 for anything else (junk, NUL, huge numbers, negatives)."""
    try:
        return validators.check_id(str(value))
    except Exception:  # noqa: BLE001  (any junk id is a page that does not exist)
        raise Http404 from None
