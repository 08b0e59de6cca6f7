"""API keys for the systems that talk to Wenmin (Open311 clients such as FixMyStreet)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_RATE_LIMIT_PER_MINUTE = 60


class ApiKey(models.Model):
    """A key an outside system sends as `api_key`; only its SHA-256 digest is kept."""

    name = models.CharField(_("name"), max_length=100)
    owner_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prefix = models.CharField(
        _("key prefix"),
        max_length=8,
        unique=True,
        editable=False,
        help_text=_("The first eight characters of the key, to recognise it."),
    )
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=64,
        blank=True,
        help_text=_("The jurisdiction_id this client sends; empty: any."),
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=DEFAULT_RATE_LIMIT_PER_MINUTE
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
