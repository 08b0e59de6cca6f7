"""Residents' verified phones: one-time codes, sign-in, the resident's own pages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerifiedPhone(models.Model):
    """An account whose phone was proved by a one-time code: the door to supporting a proposal,
    booking a leader's reception slot and answering a survey as a resident.

    The digest is the one of the phone that was proved: when the person's phone changes, the
    account is no longer verified until a code to the new phone is entered.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="verified_phone",
    )
    phone_digest = models.CharField(max_length=64, editable=False)
    verified_at = models.DateTimeField(_("verified"))

    class Meta:
        verbose_name = _("verified phone")
        verbose_name_plural = _("verified phones")

    def __str__(self) -> str:
        return str(self.user)


class OneTimeCode(models.Model):
    """A code sent by SMS to prove a phone. Only a keyed hash of the code is kept, and the phone
    only as its keyed digest: the row tells nobody which number or which code it was."""

    phone_digest = models.CharField(max_length=64, editable=False)
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent"), db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [
            models.Index(fields=["phone_digest", "-created_at"], name="onetimecode_phone_latest")
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
