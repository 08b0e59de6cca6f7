"""实事好事: the practical deeds done for residents, who did them, for whom, and who confirmed them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DoerKind(models.TextChoices):
    BRANCH = "branch", _("A party branch")
    MEMBER = "member", _("A party member")
    TEAM = "team", _("A volunteer team")
    CADRE = "cadre", _("A cadre")


class BeneficiaryKind(models.TextChoices):
    HOUSEHOLD = "household", _("A household")
    GROUP = "group", _("A group of residents")


class SourceKind(models.TextChoices):
    DIRECT = "direct", _("Entered directly")
    SURVEY_NEED = "survey_need", _("A survey visit's need solved on the spot")
    VOLUNTEER_ACTIVITY = "volunteer_activity", _("A volunteer activity")


class ConfirmerKind(models.TextChoices):
    VILLAGE = "village", _("The village")
    RESIDENT = "resident", _("The resident")


class DeedState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")


class Deed(models.Model):
    """One practical thing done for residents (实事好事), counted in the county's ledger."""

    title = models.CharField(_("what was done"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    done_on = models.DateField(_("done on"), db_index=True)
    beneficiary_kind = models.CharField(
        _("for whom"), max_length=16, choices=BeneficiaryKind.choices
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deeds",
    )
    # A group is described, never listed by name: "12 left-behind elderly of group 3".
    group_text = models.CharField(_("group of residents"), max_length=200, blank=True)
    village = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The village's township, kept on the row: counts by township are one indexed group-by.
    township = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    doer_kind = models.CharField(_("done by"), max_length=16, choices=DoerKind.choices)
    # The branch of the deed: the branch itself, or the branch of the party member who did it.
    branch = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("party branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("volunteer team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The party member or the cadre who did it.
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("party member or cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_kind = models.CharField(
        _("source"), max_length=24, choices=SourceKind.choices, default=SourceKind.DIRECT
    )
    # The id of the survey need or the volunteer activity the deed records (typed by source_kind).
    source_id = models.PositiveBigIntegerField(_("source record"), null=True, blank=True)
    author = models.ForeignKey(
        "core.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"))
    state = models.CharField(
        _("state"), max_length=16, choices=DeedState.choices, default=DeedState.PENDING
    )
    confirmer_kind = models.CharField(
        _("confirmed by"), max_length=16, choices=ConfirmerKind.choices, blank=True
    )
    confirmed_by = models.ForeignKey(
        "core.User",
        verbose_name=_("confirming account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirm_note = models.CharField(_("confirmation note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("practical deed")
        verbose_name_plural = _("practical deeds")
        ordering = ["-done_on", "-id"]
        indexes = [
            models.Index(fields=["township", "done_on"]),
            models.Index(fields=["branch", "done_on"]),
            models.Index(fields=["team", "done_on"]),
            models.Index(fields=["person", "done_on"]),
            models.Index(fields=["village", "done_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="deed_one_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.done_on:%Y-%m-%d} · {self.title[:40]}"


class DeedPhoto(models.Model):
    """A photo of a deed, checked as case attachments are."""

    deed = models.ForeignKey(
        Deed, verbose_name=_("practical deed"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to="deeds/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("deed photo")
        verbose_name_plural = _("deed photos")

    def __str__(self) -> str:
        return self.original_name
