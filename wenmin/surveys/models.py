"""问需: needs survey forms and their versions, visit plans, door-to-door visits and the needs raised."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyForm(models.Model):
    """A questionnaire built by the organisation department, a county unit or a township."""

    title = models.CharField(_("title"), max_length=120)
    owner = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="survey_forms",
    )
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey form")
        verbose_name_plural = _("survey forms")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SurveyVersion(models.Model):
    """One version of a form's questions: a draft until published, frozen from then on.
    Each answer keeps the version it was given on."""

    form = models.ForeignKey(
        SurveyForm, verbose_name=_("survey form"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["form", "number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="survey_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def is_open(self) -> bool:
        """Published and not retired: visits may be answered on it."""
        return self.published_at is not None and self.retired_at is None


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes or no")
    PHOTO = "photo", _("Photo")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


class Question(models.Model):
    """One question of a version."""

    version = models.ForeignKey(
        SurveyVersion,
        verbose_name=_("survey version"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    min_value = models.DecimalField(
        _("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"], name="survey_question_order_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text


class VisitPlan(models.Model):
    """Which volunteer teams visit which households, on one version, by when (a survey round)."""

    version = models.ForeignKey(
        SurveyVersion,
        verbose_name=_("survey version"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    regions = models.ManyToManyField(
        "organisation.Region", verbose_name=_("regions"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Residents may answer the round's survey themselves, on their phone, until this day
    # (included); empty: only the volunteers answer, at the door.
    residents_until = models.DateField(
        _("residents may answer online until"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class VisitAssignment(models.Model):
    """One household a team must visit by a date, in one plan."""

    plan = models.ForeignKey(
        VisitPlan,
        verbose_name=_("visit plan"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    team = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("volunteer team"),
        on_delete=models.PROTECT,
        related_name="visit_assignments",
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="visit_assignments",
    )
    # The household's village when planned: coverage by village is one indexed group-by.
    village = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("due"))

    class Meta:
        verbose_name = _("visit assignment")
        verbose_name_plural = _("visit assignments")
        ordering = ["plan", "due", "household"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "household"], name="survey_assignment_household_unique"
            )
        ]
        indexes = [
            models.Index(fields=["plan", "team"]),
            models.Index(fields=["plan", "village"]),
            models.Index(fields=["team", "due"]),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.household}"


class VisitSource(models.TextChoices):
    DOOR = "door", _("Door-to-door visit")
    RESIDENT = "resident", _("Answered online by a resident")


class Visit(models.Model):
    """One set of answers, stored once: a door-to-door visit a volunteer recorded at a household,
    or a resident's own answer online (one per resident and round)."""

    plan = models.ForeignKey(
        VisitPlan, verbose_name=_("visit plan"), on_delete=models.PROTECT, related_name="visits"
    )
    assignment = models.ForeignKey(
        VisitAssignment,
        verbose_name=_("visit assignment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    source = models.CharField(
        _("answered"), max_length=16, choices=VisitSource.choices, default=VisitSource.DOOR
    )
    # Empty for a resident the households register does not list as a member.
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # The resident who answered online (empty for a door-to-door visit).
    respondent = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_answers",
    )
    version = models.ForeignKey(
        SurveyVersion,
        verbose_name=_("survey version"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    volunteer = models.ForeignKey(
        "core.User",
        verbose_name=_("volunteer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="survey_visits",
    )
    team = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("volunteer team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Empty only for a resident whose place of residence nobody recorded.
    village = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_at = models.DateTimeField(_("visited"))
    submitted_at = models.DateTimeField(_("received"), auto_now_add=True)
    # Made by the phone when the visit starts: a resent submission finds the stored visit.
    idempotency_key = models.CharField(_("submission key"), max_length=64, unique=True)
    content_digest = models.CharField(max_length=64, editable=False)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["plan", "village"]),
            models.Index(fields=["plan", "team"]),
            models.Index(fields=["plan", "household"]),
            models.Index(fields=["plan", "source"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="survey_one_answer_per_resident",
            )
        ]

    def __str__(self) -> str:
        who = self.household or self.respondent_id or ""
        return f"{who} · {self.visited_at:%Y-%m-%d}"


class VisitPhoto(models.Model):
    """A photo answering a photo question of a visit."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="surveys/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.original_name


class NeedKind(models.Model):
    """A type of need (the county's own short list: care, repairs, medical help…)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("need type")
        verbose_name_plural = _("need types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Resolution(models.TextChoices):
    ON_THE_SPOT = "resolved_on_spot", _("Resolved on the spot")
    CASE = "case", _("Became a case")
    WAITING = "waiting_for_activity", _("Waits for a volunteer activity")
    ACTIVITY = "resolved_by_activity", _("Resolved by a volunteer activity")


class NeedState(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Need(models.Model):
    """One need a household raised at a visit, and what became of it."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="needs"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    village = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.ForeignKey(
        NeedKind, verbose_name=_("type"), on_delete=models.PROTECT, related_name="needs"
    )
    text = models.TextField(_("need"))
    resolution = models.CharField(_("resolution"), max_length=24, choices=Resolution.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=NeedState.choices, default=NeedState.OPEN
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_needs",
    )
    # The practical deed (实事好事) that records a need resolved on the spot: the platforms
    # issue brings the deeds register; until then the id stays empty.
    deed_ref = models.PositiveBigIntegerField(_("practical deed"), null=True, blank=True)
    # A need that waited, resolved later (need_resolve): when, by whom, how.
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "core.User",
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.TextField(_("how it was resolved"), blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["visit", "id"]
        indexes = [
            models.Index(fields=["kind", "village"]),
            models.Index(fields=["resolution"]),
            models.Index(fields=["resolution", "state", "village"]),
        ]

    def __str__(self) -> str:
        return self.text[:40]
