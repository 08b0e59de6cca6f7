"""一线考察: the organisation department's field inspections of cadres at the front line (on a
project's site, in a township or village), each rated, and every later change with its reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    GOOD = "good", _("Good (好)")
    FAIRLY_GOOD = "fairly_good", _("Fairly good (较好)")
    FAIR = "fair", _("Fair (一般)")
    POOR = "poor", _("Poor (差)")


class FieldInspection(models.Model):
    """One visit of the organisation department to see a cadre at work: when, where (a township
    or village, a project, or both), what was observed, and the rating given."""

    cadre = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="field_inspections",
    )
    inspected_on = models.DateField(_("date"))
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_inspections",
    )
    observed = models.TextField(_("what was observed"))
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    inspector_name = models.CharField(_("inspected by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("field inspection")
        verbose_name_plural = _("field inspections")
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["cadre", "inspected_on"], name="frontline_cadre_day"),
            models.Index(fields=["inspected_on"], name="frontline_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(project__isnull=False),
                name="frontline_place_or_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspected_on:%Y-%m-%d} · {self.cadre_id}"


class InspectionChange(models.Model):
    """A change made to an inspection after it was recorded: what it said before, and why."""

    inspection = models.ForeignKey(
        FieldInspection,
        verbose_name=_("field inspection"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    reason = models.TextField(_("reason for the change"))
    before = models.JSONField(_("before"), default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_by_name = models.CharField(_("changed by"), max_length=150, blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("change of a field inspection")
        verbose_name_plural = _("changes of field inspections")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.inspection_id} · {self.changed_at:%Y-%m-%d}"

    @property
    def before_rating(self) -> str:
        """The rating the inspection had before, in words."""
        value = self.before.get("rating", "")
        return str(Rating(value).label) if value in Rating.values else str(value)
