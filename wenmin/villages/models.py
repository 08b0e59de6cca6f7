"""秀美乡村: the county's catalogue of village indicators, each village's targets for the year,
and the monthly reports of what was done, with photos as evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """One indicator of the campaign (拆除危旧房, 道路硬化, 改厕…), with its unit and how its
    months add up: a cumulative indicator's monthly figures are amounts done that month and add
    up over the year; any other states a level each month (households on the new network), and
    the year's figure is the latest month's."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    group = models.CharField(_("group"), max_length=32, blank=True)
    unit = models.CharField(_("unit"), max_length=16)
    cumulative = models.BooleanField(
        _("cumulative"),
        default=True,
        help_text=_(
            "Yes: each month reports what was done that month and the months add up. No: each "
            "month reports the level reached; the year's figure is the latest month's."
        ),
    )
    whole = models.BooleanField(_("whole numbers only"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("village indicator")
        verbose_name_plural = _("village indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class VillageTarget(models.Model):
    """What a village is to reach on one indicator in one year."""

    village = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("village target")
        verbose_name_plural = _("village targets")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "indicator", "year"], name="villages_one_target_a_year"
            ),
            models.CheckConstraint(
                condition=models.Q(target__gte=0), name="villages_target_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["year", "indicator"])]

    def __str__(self) -> str:
        return f"{self.village_id} {self.indicator_id} {self.year}: {self.target}"


class MonthlyReport(models.Model):
    """A village's report for one month: a figure per indicator, a note and photos."""

    village = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    imported = models.BooleanField(_("imported from Excel"), default=False)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-year", "-month", "village_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "month"], name="villages_one_report_a_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="villages_month_1_12"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}-{self.month:02d}"


class ReportLine(models.Model):
    """One indicator's figure in a monthly report (in the indicator's unit)."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="lines"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="lines"
    )
    value = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="villages_one_line_an_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="villages_line_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "report"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.indicator_id}: {self.value}"


class ReportPhoto(models.Model):
    """A photo of the work, evidence of a monthly report."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to="villages/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.original_name
