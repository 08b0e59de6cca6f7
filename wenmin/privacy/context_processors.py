from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def privacy(request: HttpRequest) -> dict[str, Any]:
    """How long personal data is kept, in words, for the portal's privacy notice (lazy: only a
    page that shows it reads the retention periods)."""
    return {"privacy_retention": SimpleLazyObject(_retention_words)}


def _retention_words() -> str:
    from wenmin.privacy.selectors import retention_table

    table = retention_table()
    years = {row.years for row in table}
    if len(years) == 1:
        count = years.pop()
        return ngettext(
            "Kept for %(years)s year after the case is closed.",
            "Kept for %(years)s years after the case is closed.",
            count,
        ) % {"years": count}
    parts = [
        _("%(kind)s: %(years)s years") % {"kind": row.label, "years": row.years} for row in table
    ]
    return _("Kept after the case is closed — %(periods)s.") % {"periods": "；".join(parts)}
