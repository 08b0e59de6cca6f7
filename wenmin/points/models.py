"""党员积分: the county's points rules for each year, and the bonuses and penalties decided for a
member. The points themselves are never stored: they are computed from the daily counts of the
sources (wenmin.tallies) with the year's own rules (wenmin.points.scoring)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STAR_FIELDS = ("star_1", "star_2", "star_3", "star_4", "star_5")


class PointsYear(models.Model):
    """A year's base points per member and its star thresholds; its rules hang from it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    base = models.DecimalField(_("base points"), max_digits=7, decimal_places=2, default=0)
    star_1 = models.DecimalField(_("one star from"), max_digits=7, decimal_places=2)
    star_2 = models.DecimalField(_("two stars from"), max_digits=7, decimal_places=2)
    star_3 = models.DecimalField(_("three stars from"), max_digits=7, decimal_places=2)
    star_4 = models.DecimalField(_("four stars from"), max_digits=7, decimal_places=2)
    star_5 = models.DecimalField(_("five stars from"), max_digits=7, decimal_places=2)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("points year")
        verbose_name_plural = _("points years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def thresholds(self) -> tuple[float, ...]:
        return tuple(float(getattr(self, name)) for name in STAR_FIELDS)


class PointsRule(models.Model):
    """Each `per` of a source's counter for a member gives `points` (negative: a penalty), at
    most `cap` points gained or lost in the year. With `less_counter`, the amount is the counter
    less that one (missed meetings: expected less attended)."""

    year = models.ForeignKey(
        PointsYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="rules"
    )
    label = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=24)
    counter = models.CharField(_("counter"), max_length=32)
    less_counter = models.CharField(_("less counter"), max_length=32, blank=True)
    per = models.DecimalField(_("for each"), max_digits=8, decimal_places=2, default=1)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    cap = models.DecimalField(
        _("at most a year"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["year", "order", "id"]

    def __str__(self) -> str:
        return f"{self.year_id}: {self.label}"


class Adjustment(models.Model):
    """A bonus or a penalty decided for a member on a day, with its reason and who decided it.
    Withdrawn, it stays listed but no longer counts."""

    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        related_name="points_adjustments",
    )
    day = models.DateField(_("date"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why withdrawn"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("points bonus or penalty")
        verbose_name_plural = _("points bonuses and penalties")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["person", "day"], name="points_adjustment_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.points:+}"

    @property
    def counts(self) -> bool:
        return self.withdrawn_at is None
