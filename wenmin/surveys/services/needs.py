"""The needs raised at a visit or in a resident's answer: stored (a case when sent to the county),
and a need that waited for a volunteer activity resolved later: on the spot, by an activity (the
practical deed recorded once the deeds register exists), or sent to the county as a case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case, Channel
from wenmin.cases.services import case_intake
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.surveys import access, rules
from wenmin.surveys.models import Need, NeedKind, NeedState, Resolution, Visit
from wenmin.surveys.tally import SOURCE
from wenmin.tallies.services import record_changed

MAX_NOTE = 1000


def need_case(
    *, need_kind: NeedKind, text: str, visit: Visit, actor: User | None, content: str = ""
) -> Case:
    """The case (channel 问需) a need becomes: in the household's place, else the resident's."""
    household = visit.household
    respondent = visit.respondent
    region = household.region if household is not None else None
    if region is None and respondent is not None:
        region = respondent.region
    data: dict[str, Any] = {"survey_visit": visit.pk}
    if household is not None:
        data["household"] = household.code
    return case_intake(
        channel=Channel.NEEDS_SURVEY,
        kind=Kind.HELP,
        title=" ".join(f"{need_kind.name}：{text}".split())[:120],
        content=content or text,
        region=region,
        requester=respondent,
        actor=actor,
        data=data,
    )


def needs_save(visit: Visit, actor: User, needs: list[tuple[NeedKind, str, str]]) -> None:
    """Each need of a stored visit, made a case when it was sent to the county (call inside the
    visit's transaction: the needs' daily counts move with it)."""
    created = []
    for kind, text, resolution in needs:
        case = None
        if resolution == Resolution.CASE:
            case = need_case(need_kind=kind, text=text, visit=visit, actor=actor)
        need = Need.objects.create(
            visit=visit,
            household=visit.household,
            village=visit.village,
            kind=kind,
            text=text,
            resolution=resolution,
            state=NeedState.RESOLVED if resolution == Resolution.ON_THE_SPOT else NeedState.OPEN,
            case=case,
        )
        created.append(need.pk)
    record_changed(SOURCE, *created)


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
        record_changed(SOURCE, locked.pk)
    return locked
