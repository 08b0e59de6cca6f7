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
