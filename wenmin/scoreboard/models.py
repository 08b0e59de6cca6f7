"""Per-subject, per-day counts kept in step with every workflow step, and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    UNIT = "unit", _("Unit")
    REGION = "region", _("Region")
    PERSON = "person", _("Person")


DEFAULT_MINIMUM_SAMPLE = 5  # who has fewer cases in a period is not ranked

COUNTERS = (
    "received",
    "dispatched",
    "signed",
    "signed_on_time",
    "returned",
    "handled",
    "callbacks",
    "resolved",
    "rated",
    "satisfied",
    "reworked",
    "closed",
    "closed_on_time",
    "escalated",
)


class DailyStat(models.Model):
    """What happened on one day to the cases of one unit, region or person."""

    subject_type = models.CharField(max_length=8, choices=Subject.choices)
    subject_id = models.BigIntegerField()
    day = models.DateField()
    received = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)
    signed_on_time = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    handling_days = models.FloatField(default=0.0)
    callbacks = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "day"], name="daily_stat_unique"
            )
        ]
        indexes = [models.Index(fields=["subject_type", "day", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.day}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted: the case no longer counts against the unit")
    REJECTED = "rejected", _("Rejected: the case still counts")


class Appeal(models.Model):
    """A unit contests how a case counts against it (申诉); a reviewer decides."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="appeals",
        null=True,
        blank=True,
    )
    # Any other source's record (a project's milestone, a branch meeting…): its key and id.
    source = models.CharField(_("source"), max_length=24, default="cases")
    record = models.BigIntegerField(_("record"), null=True, blank=True)
    record_label = models.CharField(_("record"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="appeals/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=models.Q(status="pending"),
                name="one_pending_appeal",
            ),
            models.UniqueConstraint(
                fields=["source", "record", "unit"],
                condition=models.Q(status="pending", record__isnull=False),
                name="one_pending_record_appeal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case or self.record_label} · {self.unit}"

    @property
    def about(self) -> str:
        """What is appealed: the case's number or the record's label."""
        return self.case.number if self.case_id and self.case else self.record_label


class Exclusion(models.Model):
    """A case that no longer counts for a unit (and the people acting for it): an accepted appeal."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    appeal = models.ForeignKey(
        Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="exclusion_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} × {self.unit_id}"


class ScoreSettings(models.Model):
    """The composite score's weights, the strength of the pull toward the group mean, and the
    smallest sample that is ranked."""

    response_weight = models.DecimalField(
        _("response weight"), max_digits=4, decimal_places=2, default=0.30
    )
    resolution_weight = models.DecimalField(
        _("resolution weight"), max_digits=4, decimal_places=2, default=0.35
    )
    satisfaction_weight = models.DecimalField(
        _("satisfaction weight"), max_digits=4, decimal_places=2, default=0.35
    )
    prior_weight = models.PositiveIntegerField(
        _("prior weight"),
        default=10,
        help_text=_(
            "How many cases' worth of the group mean each rate starts from (Bayesian average)."
        ),
    )
    minimum_sample = models.PositiveIntegerField(
        _("minimum sample"),
        default=DEFAULT_MINIMUM_SAMPLE,
        help_text=_(
            "Who has fewer cases than this in a period is listed apart as “insufficient sample”"
            " and not ranked."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score settings")
        verbose_name_plural = _("score settings")

    def __str__(self) -> str:
        return f"{self.response_weight}/{self.resolution_weight}/{self.satisfaction_weight}"


class TreeGroup(models.TextChoices):
    TOWNSHIP = "township", _("Townships")
    DEPARTMENT = "department", _("Departments")
    BRANCH = "branch", _("Party branches")
    CADRE = "cadre", _("Cadres")
    MEMBER = "member", _("Party members")


class Half(models.TextChoices):
    QUALITY = "quality", _("Compare quality, see results (比素质看成效)")
    EFFICIENCY = "efficiency", _("Compare efficiency, see work style (比效能看作风)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndicatorTree(models.Model):
    """One version of a group's indicator system (指标体系), in force from the first day of a
    month until the next version's; a month is always scored with the version in force then."""

    group = models.CharField(_("group"), max_length=16, choices=TreeGroup.choices)
    valid_from = models.DateField(_("in force from"))
    minimum_sample = models.PositiveIntegerField(
        _("minimum sample"), default=DEFAULT_MINIMUM_SAMPLE
    )
    prior_weight = models.PositiveIntegerField(_("prior weight"), default=10)
    note = models.TextField(_("why it changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator system")
        verbose_name_plural = _("indicator systems")
        ordering = ["group", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["group", "valid_from"], name="tree_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.valid_from:%Y-%m}"


class TreeIndicator(models.Model):
    """An indicator of a tree version: a source's measure, its half, weight and direction."""

    tree = models.ForeignKey(IndicatorTree, on_delete=models.CASCADE, related_name="indicators")
    measure = models.CharField(_("indicator"), max_length=64)
    half = models.CharField(_("half"), max_length=16, choices=Half.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["tree", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tree", "measure"], name="tree_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure} × {self.weight}"
