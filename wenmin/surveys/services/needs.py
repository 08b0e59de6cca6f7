"""A need that waited for a volunteer activity, resolved later: on the spot, by an activity (the
practical deed recorded once the deeds register exists), or sent to the county as a case."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.surveys import access, rules
from wenmin.surveys.models import Need, NeedState, Resolution
from wenmin.surveys.services.visits import need_case

MAX_NOTE = 1000


def need_resolve(*, need: Need, actor: User | None, resolution: str, note: str = "") -> Need:
    """Resolve a waiting need (on the spot, by an activity) or make it a case, with the note
    saying what was done; refused for a need that does not wait any more."""
    if actor is not None and not access.surveys_user(actor):
        raise PermissionDenied(_("Only the surveys' staff resolve needs."))
    errors: dict[str, list[str]] = {}
    if resolution not in rules.LATER:
        errors["resolution"] = [
            _("Say what became of the need: resolved on the spot, by an activity, or a case.")
        ]
    try:
        text = validators.check_text(note, max_length=MAX_NOTE, multiline=True).strip()
    except ValidationError as error:
        errors["note"], text = error.messages, ""
    if resolution != Resolution.CASE and not text and "note" not in errors:
        errors["note"] = [_("Say how the need was resolved.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            Need.objects.select_for_update(of=("self",))
            .select_related("visit__household", "visit__respondent", "kind")
            .get(pk=need.pk)
        )
        if locked.resolution != Resolution.WAITING or locked.state != NeedState.OPEN:
            raise ValidationError(
                {
                    "resolution": [
                        _("This need does not wait any more: it is “%(now)s”.")
                        % {"now": locked.get_resolution_display()}
                    ]
                }
            )
        before = locked.resolution
        if resolution == Resolution.CASE:
            locked.case = need_case(
                need_kind=locked.kind,
                text=locked.text,
                content=f"{locked.text}\n\n{text}" if text else locked.text,
                visit=locked.visit,
                actor=actor,
            )
            locked.state = NeedState.OPEN
        else:
            locked.state = NeedState.RESOLVED
        locked.resolution = resolution
        locked.resolved_at = timezone.now()
        locked.resolved_by = actor
        locked.resolution_note = text
        locked.save(
            update_fields=[
                "resolution", "state", "case", "resolved_at", "resolved_by", "resolution_note"
            ]
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="surveys.need_resolve",
            target=locked,
            changes={"resolution": [before, resolution], "case": locked.case_id},
        )
    return locked
