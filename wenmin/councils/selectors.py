"""The only door for reads of councils and proposals: the public's and the staff's."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.councils.models import (
    Comment,
    CommentState,
    CouncilMember,
    Objection,
    ObjectionState,
    ProcedureConfig,
    Proposal,
    ProposalPhoto,
    StageMeeting,
    Support,
    VillagersCouncil,
)
from wenmin.councils.procedure import DECIDED_STATES, DEFAULT_RULES, Rules, State
from wenmin.organisation.models import Region, RegionLevel
from wenmin.organisation.selectors import regions_visible_to
from wenmin.residents.selectors import verified_person

# Who keeps a village's councils: its branch secretary, its township's staff, the administrator.
MANAGING_ROLES = frozenset({Role.ADMINISTRATOR, Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY})
# Who may read the staff pages (a county leader follows every village's decisions).
VIEWING_ROLES = MANAGING_ROLES | {Role.COUNTY_LEADER}
COUNCIL_LEVELS = frozenset({RegionLevel.VILLAGE, RegionLevel.GROUP})


def _role(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", ""))


def can_view_councils(user: Any) -> bool:
    """The staff pages of councils (menu and views ask the same)."""
    return _role(user) in VIEWING_ROLES


def can_manage_councils(user: Any) -> bool:
    return _role(user) in MANAGING_ROLES


def council_regions_for(user: User) -> QuerySet[Region]:
    """Villages and groups whose councils the viewer may read on the staff pages."""
    if not can_view_councils(user):
        return Region.objects.none()
    return regions_visible_to(user).filter(level__in=COUNCIL_LEVELS)


def may_manage_region(user: User | None, region: Region) -> bool:
    """Whether the viewer keeps councils and decisions of this village or group."""
    if user is None or not can_manage_councils(user):
        return False
    return council_regions_for(user).filter(pk=region.pk).exists()


def rules_for(region: Region) -> Rules:
    """The procedure of the region's county: its ProcedureConfig, else 四议两公开's defaults."""
    county_code = region.path.split("/", 1)[0]
    config = ProcedureConfig.objects.filter(county__code=county_code).first()
    if config is None:
        return DEFAULT_RULES
    return Rules(
        stages=tuple(config.stages),
        quorum=Fraction(config.quorum_numerator, config.quorum_denominator),
        majority=Fraction(config.majority_numerator, config.majority_denominator),
        notice_working_days=config.notice_working_days,
    )


def councils_visible_to(user: User) -> QuerySet[VillagersCouncil]:
    regions = council_regions_for(user).values("id")
    return (
        VillagersCouncil.objects.filter(region_id__in=regions)
        .select_related("region", "chair")
        .annotate(
            member_count=Count("members", filter=Q(members__end_date__isnull=True), distinct=True),
            proposal_count=Count("proposals", distinct=True),
        )
        .order_by("region__path", "name", "id")
    )


def council_get_for(user: User, council_id: Any) -> VillagersCouncil:
    """One council the viewer may read on the staff pages, or 404."""
    try:
        return councils_visible_to(user).get(pk=id_or_404(council_id))
    except VillagersCouncil.DoesNotExist:
        raise Http404 from None


def member_get_for(user: User, member_id: Any) -> CouncilMember:
    """A membership of a council the viewer may read, or 404."""
    try:
        return CouncilMember.objects.select_related("council", "council__region").get(
            pk=id_or_404(member_id), council__in=councils_visible_to(user).values("id")
        )
    except CouncilMember.DoesNotExist:
        raise Http404 from None


def council_members(council: VillagersCouncil) -> QuerySet[CouncilMember]:
    return council.members.select_related("person").order_by("end_date", "kind", "person__name")


def proposals_public() -> QuerySet[Proposal]:
    """Every proposal but the withdrawn, with its support count; no personal data needed."""
    return (
        Proposal.objects.exclude(state=State.WITHDRAWN)
        .select_related("region", "region__parent", "council")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("-raised_at", "-id")
    )


def proposals_visible_to(user: User) -> QuerySet[Proposal]:
    """Proposals of the villages and groups the viewer may read on the staff pages."""
    regions = council_regions_for(user).values("id")
    return (
        Proposal.objects.filter(region_id__in=regions)
        .select_related("region", "council")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("-raised_at", "-id")
    )


def proposal_counts_by_state(user: User) -> dict[str, int]:
    """{state: number} of the proposals the viewer may read on the staff pages."""
    regions = council_regions_for(user).values("id")
    rows = (
        Proposal.objects.filter(region_id__in=regions)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    return dict(rows.values_list("state", "n"))


def proposals_supported_by(person_id: int) -> QuerySet[Proposal]:
    """The proposals a person supports, newest support first (for a resident's "my supports")."""
    return (
        proposals_public()
        .filter(supports__person_id=person_id)
        .order_by("-supports__created_at", "-id")
    )


def supports_count_for(user: Any) -> int:
    """How many proposals the signed-in resident supports (0 until their phone is verified)."""
    person = verified_person(user=user)
    if person is None:
        return 0
    return Support.objects.filter(person=person).exclude(proposal__state=State.WITHDRAWN).count()


def proposal_id_from_case(case_id: int) -> int | None:
    """The id of the proposal a suggestion case was made, or None."""
    return Proposal.objects.filter(source_case_id=case_id).values_list("pk", flat=True).first()


def proposal_get_public(proposal_id: Any) -> Proposal:
    try:
        return proposals_public().get(pk=id_or_404(proposal_id))
    except Proposal.DoesNotExist:
        raise Http404 from None


def proposal_get_for(user: User, proposal_id: Any) -> Proposal:
    try:
        return proposals_visible_to(user).get(pk=id_or_404(proposal_id))
    except Proposal.DoesNotExist:
        raise Http404 from None


def proposal_meetings(proposal: Proposal) -> QuerySet[StageMeeting]:
    return proposal.meetings.order_by("held_on", "id")


def comments_published(proposal: Proposal) -> QuerySet[Comment]:
    """What the public reads: published comments with the writer's name only."""
    return (
        proposal.comments.filter(state=CommentState.PUBLISHED)
        .select_related("person")
        .only("text", "created_at", "person__name", "proposal_id")
        .order_by("created_at", "id")
    )


def comments_for_moderation(proposal: Proposal) -> QuerySet[Comment]:
    return proposal.comments.select_related("person", "moderated_by").order_by("state", "-id")


def comment_get_for(user: User, comment_id: Any) -> Comment:
    try:
        return Comment.objects.select_related("proposal", "proposal__region").get(
            pk=id_or_404(comment_id), proposal__in=proposals_visible_to(user).values("id")
        )
    except Comment.DoesNotExist:
        raise Http404 from None


def objections_of(proposal: Proposal) -> QuerySet[Objection]:
    return proposal.objections.select_related("person", "handled_by").order_by("filed_at", "id")


def objection_get_for(user: User, objection_id: Any) -> Objection:
    try:
        return Objection.objects.select_related("proposal", "proposal__region").get(
            pk=id_or_404(objection_id), proposal__in=proposals_visible_to(user).values("id")
        )
    except Objection.DoesNotExist:
        raise Http404 from None


def objection_counts(proposal: Proposal) -> tuple[int, int]:
    """(pending, upheld) objections of a proposal."""
    counts = proposal.objections.aggregate(
        pending=Count("id", filter=Q(state=ObjectionState.PENDING)),
        upheld=Count("id", filter=Q(state=ObjectionState.UPHELD)),
    )
    return counts["pending"], counts["upheld"]


def photo_get_public(photo_id: Any) -> ProposalPhoto:
    try:
        return ProposalPhoto.objects.exclude(proposal__state=State.WITHDRAWN).get(
            pk=id_or_404(photo_id)
        )
    except ProposalPhoto.DoesNotExist:
        raise Http404 from None


def notice_running(proposal: Proposal) -> bool:
    """The notice period is open now: published, and its last working day not yet over."""
    return (
        proposal.state == State.IN_NOTICE
        and proposal.notice_until is not None
        and timezone.now() <= proposal.notice_until
    )


def villages_with_proposals() -> QuerySet[Region]:
    """The villages the public list can be filtered by: with proposals of their own or of
    their groups."""
    regions = Proposal.objects.exclude(state=State.WITHDRAWN).values("region_id")
    groups_of = Region.objects.filter(pk__in=regions, level=RegionLevel.GROUP).values("parent_id")
    return (
        Region.objects.filter(level=RegionLevel.VILLAGE)
        .filter(Q(pk__in=regions) | Q(pk__in=groups_of))
        .select_related("parent")
        .order_by("path")
    )


def proposals_waiting_after_adjournment() -> QuerySet[Proposal]:
    """Proposals whose last meeting was adjourned for want of its quorum (流会)."""
    last = StageMeeting.objects.filter(proposal=OuterRef("pk")).order_by("-held_on", "-id")
    return Proposal.objects.annotate(last_quorum=Subquery(last.values("quorum")[:1])).filter(
        last_quorum=False
    )


def stats() -> dict[str, Any]:
    """Figures for `wenmin stats --json`."""
    by_state = dict(
        Proposal.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return {
        "councils": {
            "councils": VillagersCouncil.objects.count(),
            "members": CouncilMember.objects.filter(end_date__isnull=True).count(),
            "proposals": sum(by_state.values()),
            "by_state": {state: by_state.get(state, 0) for state in State.values},
            "decisions": sum(by_state.get(state, 0) for state in DECIDED_STATES),
            # Proposals waiting at a stage whose last meeting was adjourned (流会).
            "failed_quorum": proposals_waiting_after_adjournment().count(),
            "adjourned_meetings": StageMeeting.objects.filter(quorum=False).count(),
            "supports": Proposal.objects.aggregate(n=Count("supports"))["n"],
        }
    }
