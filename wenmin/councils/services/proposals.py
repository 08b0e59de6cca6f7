"""Proposals: raised, promoted from a suggestion case, supported and commented on."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case
from wenmin.cases.selectors import case_action_refusal, case_get_for
from wenmin.cases.services import case_note
from wenmin.cases.services.attachments import attachments_check
from wenmin.cases.workflow import Action as CaseAction
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.councils.models import (
    Comment,
    CommentState,
    CouncilMember,
    Proposal,
    ProposalPhoto,
    RaisedBy,
    Support,
    VillagersCouncil,
)
from wenmin.councils.procedure import (
    COMMENT_STATES,
    SUPPORT_STATES,
    Action,
    State,
    TransitionNotAllowed,
    next_state,
)
from wenmin.councils.selectors import COUNCIL_LEVELS, may_manage_region
from wenmin.councils.services.common import (
    LOCATION_MAX,
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    refuse,
    require_manager,
    text,
)
from wenmin.councils.tally import SOURCE
from wenmin.organisation.models import Person, Region
from wenmin.residents.selectors import verified_person
from wenmin.tallies.services import record_changed

MAX_PHOTOS = 6
COMMENT_MAX = 1000


def _photos(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """Photos only, checked as the cases' attachments are (type, content, size)."""
    if len(files) > MAX_PHOTOS:
        refuse("photos", _("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    try:
        checked = attachments_check(files)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None
    for upload, content_type in checked:
        if not content_type.startswith("image/"):
            refuse("photos", _("“%(name)s” is not a photo.") % {"name": upload.name or ""})
    return checked


def _coordinates(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if (latitude is None) != (longitude is None):
        refuse("latitude", _("Give both latitude and longitude, or neither."))
    if latitude is None:
        return None, None
    try:
        return validators.check_latitude(latitude), validators.check_longitude(longitude)
    except ValidationError as error:
        raise ValidationError({"latitude": error.messages}) from None


def _current_council(region: Region) -> VillagersCouncil | None:
    today = timezone.localdate()
    return (
        VillagersCouncil.objects.filter(region=region, term_start__lte=today)
        .exclude(term_end__lt=today)
        .order_by("-term_start", "-id")
        .first()
    )


def _raiser(
    actor: User | None, region: Region, council: VillagersCouncil | None
) -> tuple[str, Person | None]:
    """Who raises: the village's keepers as cadres, a verified resident (a council member when
    they sit on the council); anybody else is refused."""
    manager = may_manage_region(actor, region)
    person = verified_person(user=actor) or (getattr(actor, "person", None) if manager else None)
    if person is not None and council is not None:
        member = CouncilMember.objects.filter(
            council=council, person=person, end_date__isnull=True
        ).exists()
        if member:
            return RaisedBy.COUNCIL_MEMBER, person
    if manager:
        return RaisedBy.CADRE, person
    if person is not None:
        return RaisedBy.RESIDENT, person
    raise PermissionDenied(_("Verify your phone before raising a proposal."))


def proposal_raise(
    *,
    actor: User | None,
    region: Region,
    title: str,
    description: str,
    location: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Sequence[UploadedFile] = (),
) -> Proposal:
    """A proposal for a village or group, by a verified resident, a council member or a cadre."""
    if region.level not in COUNCIL_LEVELS:
        refuse("region", _("Choose the village or villagers' group the proposal is for."))
    title = text(title, field="title", max_length=TITLE_MAX, required=True)
    description = text(
        description, field="description", max_length=TEXT_MAX, required=True, multiline=True
    )
    location = text(location, field="location", max_length=LOCATION_MAX, required=False)
    lat, lng = _coordinates(latitude, longitude)
    checked = _photos(photos)
    council = _current_council(region)
    raised_by, person = _raiser(actor, region, council)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            council=council,
            region=region,
            title=title,
            description=description,
            location=location,
            latitude=lat,
            longitude=lng,
            raised_by=raised_by,
            raised_by_person=person,
        )
        for upload, content_type in checked:
            ProposalPhoto.objects.create(
                proposal=proposal,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=content_type,
                size=upload.size or 0,
            )
        audit_record(
            actor=actor,
            action="councils.proposal_raise",
            target=proposal,
            changes={"region": region.code, "raised_by": raised_by, "photos": len(checked)},
        )
    return proposal


def proposal_promote_from_case(*, case: Case, actor: User) -> Proposal:
    """A suggestion case (建议) becomes a proposal of its village; the link to the case stays."""
    case = case_get_for(actor, case.pk)  # the case as the viewer may read it, or 404
    if case.kind != Kind.SUGGESTION:
        refuse("case", _("Only a suggestion can become a proposal."))
    region = case.region
    if region is None or region.level not in COUNCIL_LEVELS:
        refuse("case", _("The case names no village or villagers' group."))
    require_manager(actor, region)
    if Proposal.objects.filter(source_case=case).exists():
        refuse("case", _("This case is already a proposal."))
    try:
        lat, lng = _coordinates(case.latitude, case.longitude)
    except ValidationError:
        lat, lng = None, None
    with transaction.atomic():
        try:
            proposal = Proposal.objects.create(
                council=_current_council(region),
                region=region,
                title=case.title[:TITLE_MAX],
                description=case.content[:TEXT_MAX],
                location=case.address[:LOCATION_MAX],
                latitude=lat,
                longitude=lng,
                raised_by=RaisedBy.CASE,
                raised_by_person=case.requester,
                source_case=case,
            )
        except IntegrityError:  # promoted at the same moment by somebody else
            refuse("case", _("This case is already a proposal."))
        noted = _case_note_promoted(case=case, actor=actor, proposal=proposal)
        audit_record(
            actor=actor,
            action="councils.proposal_promote",
            target=proposal,
            changes={"case": case.number, "case_note": noted},
        )
    return proposal


def _case_note_promoted(*, case: Case, actor: User, proposal: Proposal) -> bool:
    """The case's timeline says where the suggestion went, through the cases' own progress note,
    when the promoter may note this case now (its lead unit or a supervisor, while it is being
    handled); otherwise only the councils' audit event keeps the trace."""
    if case_action_refusal(actor, case, CaseAction.NOTE) is not None:
        return False
    note = _("Made a village proposal: “%(title)s” (%(url)s).") % {
        "title": proposal.title,
        "url": reverse("councils:proposal_manage", args=[proposal.pk]),
    }
    case_note(case=case, actor=actor, note=note)
    return True


def proposal_support(*, proposal: Proposal, actor: User | None) -> Support:
    """One support per verified resident while the proposal is being decided."""
    person = verified_person(user=actor)
    if person is None:
        raise PermissionDenied(_("Verify your phone to support a proposal."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state not in SUPPORT_STATES:
            refuse("proposal", _("This proposal is no longer open for support."))
        if Support.objects.filter(proposal=locked, person=person).exists():
            refuse("proposal", _("You already support this proposal."))
        support = Support.objects.create(proposal=locked, person=person)
        audit_record(actor=actor, action="councils.support", target=locked)
    return support


def comment_post(*, proposal: Proposal, actor: User | None, body: str) -> Comment:
    """A verified resident's comment, shown once a moderator publishes it."""
    person = verified_person(user=actor)
    if person is None:
        raise PermissionDenied(_("Verify your phone to comment."))
    body = text(body, field="text", max_length=COMMENT_MAX, required=True, multiline=True)
    if proposal.state not in COMMENT_STATES:
        refuse("text", _("This proposal takes no more comments."))
    with transaction.atomic():
        comment = Comment.objects.create(
            proposal=proposal, person=person, text=body, original_text=body
        )
        audit_record(actor=actor, action="councils.comment_post", target=comment)
    return comment


def comment_moderate(
    *,
    comment: Comment,
    actor: User,
    publish: bool,
    body: str | None = None,
    note: str = "",
) -> Comment:
    """Publish (optionally edited) or hide a comment; what the resident wrote is kept."""
    require_manager(actor, comment.proposal.region)
    note = text(note, field="moderation_note", max_length=NOTE_MAX, required=False)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        fields = ["state", "moderated_at", "moderated_by", "moderation_note"]
        changes: dict[str, Any] = {"state": [locked.state, ""]}
        if body is not None:
            edited = text(body, field="text", max_length=COMMENT_MAX, required=True, multiline=True)
            if edited != locked.text:
                changes["edited"] = True
                locked.text = edited
                fields.append("text")
        locked.state = CommentState.PUBLISHED if publish else CommentState.HIDDEN
        changes["state"][1] = locked.state
        locked.moderated_at = timezone.now()
        locked.moderated_by = actor
        locked.moderation_note = note
        locked.save(update_fields=fields)
        audit_record(
            actor=actor, action="councils.comment_moderate", target=locked, changes=changes
        )
    return locked


def proposal_withdraw(*, proposal: Proposal, actor: User, note: str = "") -> Proposal:
    """Withdraw a proposal not yet made public."""
    require_manager(actor, proposal.region)
    note = text(note, field="note", max_length=NOTE_MAX, required=False)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = locked.state
        try:
            locked.state = next_state(before, Action.WITHDRAW)
        except TransitionNotAllowed:
            refuse(
                "proposal",
                _("This proposal is now “%(state)s”; it can no longer be withdrawn.")
                % {"state": State(before).label},
            )
        locked.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="councils.proposal_withdraw",
            target=locked,
            changes={"state": [before, locked.state], "note": note},
        )
        record_changed(SOURCE, locked.pk)
    return locked
