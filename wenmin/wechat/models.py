"""WeChat: official accounts as a channel (WeChat's server protocol, plaintext and safe mode), the outbound adapter, menus, and residents' WeChat groups brought in by their cadres."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.core.crypto import EncryptedTextField


class MessageMode(models.TextChoices):
    PLAINTEXT = "plaintext", _("Plaintext (明文模式)")
    COMPATIBLE = "compatible", _("Compatible (兼容模式)")
    SAFE = "safe", _("Safe (安全模式)")


def callback_key_new() -> str:
    """The unguessable part of an account's callback URL."""
    return secrets.token_urlsafe(16)


class OfficialAccount(models.Model):
    """A WeChat official account (公众号) pointed at Wenmin. Its token, EncodingAESKey and
    AppSecret are secrets, encrypted at rest."""

    name = models.CharField(_("name"), max_length=100)
    app_id = models.CharField(_("AppID"), max_length=32, unique=True)
    token = EncryptedTextField(_("token"))
    aes_key = EncryptedTextField(_("EncodingAESKey"), blank=True)
    app_secret = EncryptedTextField(_("AppSecret"), blank=True)
    mode = models.CharField(
        _("message mode"), max_length=16, choices=MessageMode.choices, default=MessageMode.SAFE
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wechat_accounts",
    )
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("region served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wechat_accounts",
    )
    callback_key = models.CharField(
        max_length=32, unique=True, default=callback_key_new, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat official account")
        verbose_name_plural = _("WeChat official accounts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
