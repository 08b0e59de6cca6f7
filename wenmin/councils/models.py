"""问计: villagers' councils, their proposals and the meetings that decide them (四议两公开)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.councils.procedure import MEETING_STAGES, Stage, State


def default_stages() -> list[str]:
    return list(MEETING_STAGES)


class ProcedureConfig(models.Model):
    """A county's own procedure (default 四议两公开); counties without one use the defaults."""

    county = models.OneToOneField(
        "organisation.Region",
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="council_procedure",
        limit_choices_to={"level": "county"},
    )
    stages = models.JSONField(
        _("meetings, in order"),
        default=default_stages,
        help_text=_("Meeting stages held before the decision is made public, in their order."),
    )
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum: more than (numerator)"), default=1
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: more than (denominator)"), default=2
    )
    majority_numerator = models.PositiveSmallIntegerField(
        _("majority: more than (numerator)"), default=1
    )
    majority_denominator = models.PositiveSmallIntegerField(
        _("majority: more than (denominator)"), default=2
    )
    notice_working_days = models.PositiveSmallIntegerField(
        _("notice period (working days)"), default=5
    )

    class Meta:
        verbose_name = _("decision procedure")
        verbose_name_plural = _("decision procedures")

    def __str__(self) -> str:
        return str(self.county)


class VillagersCouncil(models.Model):
    """A villagers' council (村民理事会) of a village or a natural village (villagers' group)."""

    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village or group"),
        on_delete=models.PROTECT,
        related_name="councils",
    )
    name = models.CharField(_("name"), max_length=100)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)
    chair = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("villagers' council")
        verbose_name_plural = _("villagers' councils")
        ordering = ("region__path", "name")

    def __str__(self) -> str:
        return self.name


class MemberKind(models.TextChoices):
    ELECTED = "elected", _("Elected villager")
    ELDER = "elder", _("Respected elder (乡贤)")
    PARTY_MEMBER = "party_member", _("Party member")


class CouncilMember(models.Model):
    council = models.ForeignKey(
        VillagersCouncil,
        verbose_name=_("council"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="council_memberships",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MemberKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.UniqueConstraint(
                fields=("council", "person"),
                condition=models.Q(end_date__isnull=True),
                name="councils_one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} · {self.person}"


class RaisedBy(models.TextChoices):
    RESIDENT = "resident", _("A resident")
    COUNCIL_MEMBER = "council_member", _("A council member")
    CADRE = "cadre", _("A cadre")
    CASE = "case", _("A suggestion case")


class ProjectRefType(models.TextChoices):
    """What a proposal sent on points to. The projects register comes in a later issue: until
    then `project_ref_id` holds the id the register will give the project proposal."""

    PROJECT = "project", _("Project proposal in the projects register")


class Proposal(models.Model):
    """A proposal (议题): what to build and how, decided by the village's procedure."""

    council = models.ForeignKey(
        VillagersCouncil,
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village or group"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    raised_by = models.CharField(_("raised by"), max_length=16, choices=RaisedBy.choices)
    raised_by_person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("raised by (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("from the case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_proposal",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RAISED, db_index=True
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    published_at = models.DateTimeField(_("decision made public"), null=True, blank=True)
    notice_until = models.DateTimeField(_("notice period until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent to projects"), null=True, blank=True)
    # A typed reference to the projects register (a later issue): proposal_send_to_projects sets
    # the type; the id is the register's row, given when the register takes the proposal in
    # (null until then: queued for the register). An id never stands without its type.
    project_ref_type = models.CharField(
        _("project reference type"), max_length=16, choices=ProjectRefType.choices, blank=True
    )
    project_ref_id = models.PositiveBigIntegerField(_("project reference"), null=True, blank=True)
    result = models.TextField(_("result of carrying it out"), blank=True)
    result_published_at = models.DateTimeField(_("result made public"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=("region", "state"), name="councils_proposal_region")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project_ref_id__isnull=True) | ~models.Q(project_ref_type=""),
                name="councils_project_ref_typed",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProposalPhoto(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to="councils/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.original_name


class Support(models.Model):
    """One verified resident's support for a proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="supports"
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="council_supports",
    )
    created_at = models.DateTimeField(_("supported"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=("proposal", "person"), name="councils_one_support")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.person_id}"


class CommentState(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")


class Comment(models.Model):
    """A resident's comment; shown only once published. A moderator's edit changes `text`; what
    the resident wrote stays in `original_text`."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="council_comments",
    )
    text = models.TextField(_("text"))
    original_text = models.TextField(_("text as written"), editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=CommentState.choices, default=CommentState.PENDING
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        "core.User",
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderation_note = models.CharField(_("moderation note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=("proposal", "state"), name="councils_comment_state")]

    def __str__(self) -> str:
        return self.text[:40]


class StageMeeting(models.Model):
    """One meeting of the procedure: attendance (应到/实到), minutes and votes. A meeting without
    its quorum is adjourned (流会): it decided nothing, and the same stage is held again."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="meetings"
    )
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    expected = models.PositiveIntegerField(_("members expected (应到)"))
    present = models.PositiveIntegerField(_("members present (实到)"))
    minutes = models.TextField(_("minutes"))
    votes_for = models.PositiveIntegerField(_("in favour"))
    votes_against = models.PositiveIntegerField(_("against"))
    abstentions = models.PositiveIntegerField(_("abstentions"))
    quorum = models.BooleanField(_("quorum reached"))
    passed = models.BooleanField(_("adopted"))
    recorded_by = models.ForeignKey(
        "core.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("stage meeting")
        verbose_name_plural = _("stage meetings")
        ordering = ("held_on", "id")
        constraints = [
            # A stage may be adjourned any number of times, but decides once.
            models.UniqueConstraint(
                fields=("proposal", "stage"),
                condition=models.Q(quorum=True),
                name="councils_one_quorate_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.get_stage_display()}"

    @property
    def adjourned(self) -> bool:
        """流会: the meeting missed its quorum and decided nothing."""
        return not self.quorum


class ObjectionState(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    DISMISSED = "dismissed", _("Answered, decision stands")
    UPHELD = "upheld", _("Upheld, decision set aside")


class Objection(models.Model):
    """An objection to a published decision, filed during its notice period (公示)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="objections"
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="council_objections",
    )
    text = models.TextField(_("objection"))
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ObjectionState.choices,
        default=ObjectionState.PENDING,
    )
    handled_note = models.TextField(_("answer"), blank=True)
    handled_at = models.DateTimeField(_("answered"), null=True, blank=True)
    handled_by = models.ForeignKey(
        "core.User",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return self.text[:40]
