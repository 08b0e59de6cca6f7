"""Hotspots (clusters and spikes of similar cases) and the monthly topics (每月一题)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HotspotKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster of similar cases")
    SPIKE = "spike", _("Spike above the usual level")


class Hotspot(models.Model):
    """A group of cases worth a leader's attention, found by `wenmin topics detect` and kept so
    the pages read it instead of computing it."""

    kind = models.CharField(_("kind"), max_length=16, choices=HotspotKind.choices)
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    township = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(_("label"), max_length=200)
    words = models.JSONField(_("shared words"), default=list, blank=True)
    case_count = models.PositiveIntegerField(_("cases"))
    # Spikes: the mean count of the same topic and place over the previous periods.
    baseline = models.FloatField(_("usual level"), default=0.0)
    score = models.FloatField(_("score"), default=0.0)
    # WGS-84 centre of its cases with a location (or of their villages).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    detected_at = models.DateTimeField(_("detected"))
    notified_at = models.DateTimeField(_("sent to the supervisors"), null=True, blank=True)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        ordering = ["-period_end", "-score", "id"]
        indexes = [models.Index(fields=["period_end", "kind"])]

    def __str__(self) -> str:
        return self.label


class TopicCandidate(models.Model):
    """A recurring problem of one month, ranked for the county leader who picks 每月一题."""

    month = models.DateField(_("month"), db_index=True)
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    case_count = models.PositiveIntegerField(_("cases"))
    residents = models.PositiveIntegerField(_("residents"))
    townships = models.PositiveIntegerField(_("townships"))
    villages = models.PositiveIntegerField(_("villages"))
    months_seen = models.PositiveSmallIntegerField(_("months raised of the last six"))
    unsolved_days = models.FloatField(_("mean days unsolved"))
    unhappy_share = models.FloatField(_("unhappy callbacks share"))
    rated = models.PositiveIntegerField(_("callbacks"))
    words = models.JSONField(_("frequent words"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("topic candidate")
        verbose_name_plural = _("topic candidates")
        ordering = ["month", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["month", "category"], name="topic_candidate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category}"


class MonthlyTopic(models.Model):
    """每月一题: a problem a county leader picked for the month, tracked case by case."""

    month = models.DateField(_("month"), db_index=True)
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    note = models.TextField(_("note"), blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("picked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    picked_at = models.DateTimeField(_("picked"))
    # The public-benefit project that will solve it at the root (projects.Project's id): a typed
    # reference, not a foreign key, until the projects app exists below this one.
    project_id = models.PositiveBigIntegerField(_("project"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly topic")
        verbose_name_plural = _("monthly topics")
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "category"], name="monthly_topic_unique")
        ]

    def __str__(self) -> str:
        return self.title


class LinkHow(models.TextChoices):
    MATCHED = "matched", _("Matched automatically")
    MANUAL = "manual", _("Linked by hand")


class TopicCase(models.Model):
    """A case tracked under a monthly topic; an unlinked one stays as a row so that the automatic
    matching never links it again."""

    topic = models.ForeignKey(
        MonthlyTopic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="links"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    how = models.CharField(_("how"), max_length=16, choices=LinkHow.choices)
    linked_at = models.DateTimeField(_("linked"))
    unlinked = models.BooleanField(_("unlinked"), default=False)

    class Meta:
        verbose_name = _("topic case")
        verbose_name_plural = _("topic cases")
        constraints = [models.UniqueConstraint(fields=["topic", "case"], name="topic_case_unique")]
        indexes = [models.Index(fields=["topic", "unlinked"])]

    def __str__(self) -> str:
        return f"{self.topic_id}:{self.case_id}"
