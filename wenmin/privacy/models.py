"""Personal data's whole life: how long it is kept, who saw it, and what was anonymised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import Kind


class RetentionRule(models.Model):
    """How long the personal data of a closed case of one kind is kept (an administrator's
    replacement for WENMIN_RETENTION_YEARS)."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, unique=True)
    years = models.PositiveSmallIntegerField(
        _("years kept after closing"),
        help_text=_("From 1 to 30 years after the case was closed, rejected or merged."),
    )

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.years}"


class LegalHold(models.Model):
    """A case whose personal data must be kept whatever its age: litigation, a petition, an
    investigation. Neither the sweep nor an erasure touches it until the hold is lifted."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="legal_hold"
    )
    reason = models.CharField(_("reason"), max_length=255)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"{self.case} · {self.reason}"


class Anonymisation(models.TextChoices):
    RETENTION = "retention", _("Retention period over")
    ERASURE = "erasure", _("The person asked for erasure")


class AnonymisedCase(models.Model):
    """A case whose personal data was replaced: the sweep and erasure skip it (idempotence)."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="anonymised"
    )
    # Whose link was cut: the person's page still lists the case (the person may be anonymised
    # in turn; the number of the row stays, never the name).
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("requester before"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("anonymised"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=16, choices=Anonymisation.choices)
    attachments_deleted = models.PositiveIntegerField(_("attachments deleted"), default=0)

    class Meta:
        verbose_name = _("anonymised case")
        verbose_name_plural = _("anonymised cases")

    def __str__(self) -> str:
        return str(self.case)


class AnonymisedPerson(models.Model):
    """A resident whose name and contact data were replaced once no case needed them."""

    person = models.OneToOneField(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="anonymised",
    )
    at = models.DateTimeField(_("anonymised"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=16, choices=Anonymisation.choices)

    class Meta:
        verbose_name = _("anonymised person")
        verbose_name_plural = _("anonymised people")

    def __str__(self) -> str:
        return f"#{self.person_id}"


class AccessReason(models.TextChoices):
    PERSON_REVEAL = "person.reveal", _("Shown in full on a person's page or in the admin")
    CASE_REQUESTER_PHONE = "case.requester_phone", _("Requester's phone on a case page or the API")
    PERSON_EXPORT_UNMASKED = "person.export_unmasked", _("Unmasked export of people")
    SUBJECT_EXPORT = "privacy.subject_export", _("Export for the person's own request")
    PLATFORM_RECORDS_EXPORT = (
        "platforms.records_export",
        _("Unmasked export of a centre's service records"),
    )


class AccessLogEntry(models.Model):
    """One view of a person's personal data in clear (PIPL). Its own table, not the append-only
    audit log: it is pruned after WENMIN_ACCESS_LOG_DAYS (at least six months, Cybersecurity
    Law art. 21) by the privacy sweep, and by nothing else."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    viewer_label = models.CharField(_("viewer name"), max_length=150, blank=True)
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("whose data"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fields = models.CharField(_("fields"), max_length=64)
    reason = models.CharField(_("why"), max_length=32)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    path = models.CharField(_("page"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "at"]),
            models.Index(fields=["viewer", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer_label} → #{self.person_id} {self.fields}"
