"""WeChat: official accounts as a channel (WeChat's server protocol, plaintext and safe mode), the outbound adapter, menus, and residents' WeChat groups brought in by their cadres."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
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
    welcome = models.TextField(
        _("welcome message"),
        blank=True,
        help_text=_("Sent to a resident who follows the account; empty: the standard welcome."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat official account")
        verbose_name_plural = _("WeChat official accounts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Follower(models.Model):
    """A resident who wrote to an account. The openid is personal data: encrypted, found by its
    keyed digest, never shown to units, never exported; linked to a person once they prove
    their phone with a one-time code."""

    account = models.ForeignKey(
        OfficialAccount,
        verbose_name=_("official account"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    openid = EncryptedTextField(_("openid"), editable=False)
    openid_digest = models.CharField(max_length=64, editable=False)
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wechat_followers",
    )
    subscribed = models.BooleanField(_("subscribed"), default=True)
    first_seen_at = models.DateTimeField(_("first message"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last message"), default=timezone.now)
    linked_at = models.DateTimeField(_("phone verified"), null=True, blank=True)
    # The phone being verified and until when; the code itself is the residents app's one-time
    # code (only its keyed hash is kept there).
    link_phone = EncryptedTextField(blank=True, editable=False)
    link_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("WeChat follower")
        verbose_name_plural = _("WeChat followers")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "openid_digest"], name="wechat_follower_account_openid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.openid_masked}"

    @property
    def openid_masked(self) -> str:
        """The first two and last two characters: enough to tell followers apart, no more."""
        openid = self.openid or ""
        if len(openid) < 8:
            return "*" * len(openid)
        return openid[:2] + "*" * 6 + openid[-2:]


class Outcome(models.TextChoices):
    OPENED = "opened", _("Opened a case")
    ADDED = "added", _("Added to a case")
    PENDING = "pending", _("Kept for the next case")
    ATTACHED = "attached", _("Attached to a case")
    QUERY = "query", _("Asked for their cases")
    WELCOME = "welcome", _("Welcomed")
    LINK = "link", _("Phone verification")
    REFUSED = "refused", _("Answered, nothing done")
    OTHER = "other", _("Recorded")


class InboundMessage(models.Model):
    """One message or event an account received, once: WeChat's retries find this row by its
    key (MsgId, or sender and CreateTime for events) and get the same reply."""

    account = models.ForeignKey(
        OfficialAccount,
        verbose_name=_("official account"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    follower = models.ForeignKey(
        Follower, verbose_name=_("follower"), on_delete=models.CASCADE, related_name="messages"
    )
    dedupe_key = models.CharField(max_length=100, editable=False)
    msg_type = models.CharField(_("message type"), max_length=16)
    event = models.CharField(_("event"), max_length=32, blank=True)
    created_time = models.BigIntegerField(_("WeChat CreateTime"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    content = EncryptedTextField(_("content"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wechat_messages",
    )
    # The reply holds the tracking code: encrypted like the rest.
    reply = EncryptedTextField(_("reply"), blank=True)

    class Meta:
        verbose_name = _("WeChat message received")
        verbose_name_plural = _("WeChat messages received")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "dedupe_key"], name="wechat_message_account_key"
            )
        ]
        indexes = [
            models.Index(fields=["follower", "outcome", "received_at"], name="wechat_msg_follower"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.msg_type}:{self.pk}"
