"""Message channels around the cases: who follows a case where (a WeChat account and openid, a
phone), the SMS gateways that post residents' texts in, and the log of what went out."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.core.crypto import EncryptedTextField, digest


class CaseFollower(models.Model):
    """Where the requester of a case follows it: the channel they used and, for WeChat, the
    official account and their openid on it. The openid is personal data: encrypted, found by
    its keyed digest, never shown to units nor exported."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="followers"
    )
    channel = models.CharField(_("channel"), max_length=32)
    account = models.ForeignKey(
        "wechat.OfficialAccount",
        verbose_name=_("WeChat official account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_followers",
    )
    openid = EncryptedTextField(_("WeChat openid"), blank=True)
    openid_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("case follower")
        verbose_name_plural = _("case followers")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "channel"], name="case_follower_one_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.channel}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.openid_digest = digest(self.openid) if self.openid else ""
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SmsGateway(models.Model):
    """An SMS gateway that posts residents' texts to /messaging/sms/<slug>/, each signed with
    the secret shared with the administrator (HMAC-SHA256)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address name"), max_length=40, unique=True)
    secret = EncryptedTextField(_("shared secret"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS gateway")
        verbose_name_plural = _("SMS gateways")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SmsAction(models.TextChoices):
    OPENED = "opened", _("Opened a case")
    ADDED = "added", _("Added to a case")
    QUERY = "query", _("Asked for the state of their cases")


class SmsInbound(models.Model):
    """One text a gateway posted, kept by its message id so that a replay is refused. The
    sender is kept only as a keyed digest."""

    gateway = models.ForeignKey(
        SmsGateway, verbose_name=_("SMS gateway"), on_delete=models.CASCADE, related_name="texts"
    )
    message_id = models.CharField(_("message id"), max_length=64)
    sender_digest = models.CharField(max_length=64, db_index=True, editable=False)
    action = models.CharField(_("what it did"), max_length=16, choices=SmsAction.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent by the resident"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("text received")
        verbose_name_plural = _("texts received")
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "message_id"], name="sms_inbound_once_per_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway_id} · {self.message_id}"


class OutboundKind(models.TextChoices):
    TEMPLATE = "template", _("Template message to a follower")
    MENU = "menu", _("Menu push")


class OutboundStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded, not sent (development)")
    SENT = "sent", _("Sent to WeChat")
    FAILED = "failed", _("Refused by WeChat or not reached")


class WechatOutbound(models.Model):
    """What Wenmin sent (or, in development, recorded instead of sending) through an official
    account. The openid is kept only as a digest; the payload holds no openid."""

    account = models.ForeignKey(
        "wechat.OfficialAccount",
        verbose_name=_("WeChat official account"),
        on_delete=models.CASCADE,
        related_name="outbound_messages",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OutboundKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=OutboundStatus.choices)
    openid_digest = models.CharField(max_length=64, blank=True, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payload = models.JSONField(_("what was sent"), default=dict, blank=True)
    errcode = models.IntegerField(_("WeChat error code"), null=True, blank=True)
    msgid = models.BigIntegerField(_("WeChat message id"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("WeChat message sent")
        verbose_name_plural = _("WeChat messages sent")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"


class AccountOutbound(models.Model):
    """What an official account sends: the template of case updates and its custom menu."""

    account = models.OneToOneField(
        "wechat.OfficialAccount",
        verbose_name=_("WeChat official account"),
        on_delete=models.CASCADE,
        related_name="outbound",
    )
    template_id = models.CharField(
        _("template of case updates"),
        max_length=64,
        blank=True,
        help_text=_("The template (模板消息) the account chose in WeChat's console."),
    )
    template_fields = models.JSONField(
        _("fields of the template"),
        default=dict,
        blank=True,
        help_text=_(
            'Which field of the template gets what, e.g. {"number": "character_string1", '
            '"state": "phrase2", "time": "time3", "text": "thing4"}; among subject, '
            "number, state, time and text. Empty: first, keyword1, keyword2, keyword3, remark."
        ),
    )
    menu = models.JSONField(_("account menu"), default=list, blank=True)
    menu_pushed_at = models.DateTimeField(_("menu pushed"), null=True, blank=True)

    class Meta:
        verbose_name = _("WeChat account's messages and menu")
        verbose_name_plural = _("WeChat accounts' messages and menus")

    def __str__(self) -> str:
        return str(self.account_id)
