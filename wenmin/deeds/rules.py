"""The deeds' rules as pure functions: who may not confirm a deed. No I/O."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SELF_CONFIRMED = _("A deed cannot be confirmed by the one who recorded it.")
DOER_CONFIRMED = _("A deed cannot be confirmed by the one who did it.")


def confirm_refusal(
    *,
    author_id: int | None,
    doer_person_id: int | None,
    confirmer_id: int,
    confirmer_person_id: int | None,
) -> str | None:
    """Why this account may not confirm the deed, or None: never its own author, never its doer."""
    if author_id is not None and author_id == confirmer_id:
        return str(SELF_CONFIRMED)
    if doer_person_id is not None and doer_person_id == confirmer_person_id:
        return str(DOER_CONFIRMED)
    return None
