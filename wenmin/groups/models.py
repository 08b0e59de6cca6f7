"""Residents' WeChat groups (民情微群) and work groups: the conversations their cadres bring in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SourceKind(models.TextChoices):
    PASTE = "paste", _("Pasted from WeChat")
    CSV = "csv", _("CSV export")
    TXT = "txt", _("Text export")


class RequestRule(models.TextChoices):
    """Why a message was (or was not) marked as looking like a request (marking.py)."""

    KEYWORDS = "keywords", _("Words people use to ask for help")
    QUESTION = "question", _("Asks a question")
    MEDIA = "media", _("A picture, sticker or other attachment")
    SHORT = "short", _("Too short to be a request")
    NONE = "none", _("No sign of a request")


class GroupProfile(models.Model):
    """What Wenmin knows of a registered group (an organisation unit of kind work_group or
    sentiment_group) beyond the register: the cadre who runs it and the place it serves."""

    unit = models.OneToOneField(
        "organisation.Unit",
        verbose_name=pgettext_lazy("groups", "group"),
        on_delete=models.CASCADE,
        related_name="group_profile",
    )
    cadre = models.ForeignKey(
        "organisation.Person",
        verbose_name=pgettext_lazy("groups", "cadre who runs it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups_run",
    )
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=pgettext_lazy("groups", "village or place served"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = pgettext_lazy("groups", "WeChat group")
        verbose_name_plural = pgettext_lazy("groups", "WeChat groups")

    def __str__(self) -> str:
        return str(self.unit)


class GroupImport(models.Model):
    """One paste or upload of a group's conversation, with what it brought in."""

    group = models.ForeignKey(
        "organisation.Unit",
        verbose_name=pgettext_lazy("groups", "group"),
        on_delete=models.CASCADE,
        related_name="group_imports",
    )
    uploaded_by = models.ForeignKey(
        "core.User",
        verbose_name=pgettext_lazy("groups", "brought in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(pgettext_lazy("groups", "brought in at"), auto_now_add=True)
    source = models.CharField(
        pgettext_lazy("groups", "source"), max_length=8, choices=SourceKind.choices
    )
    file_name = models.CharField(pgettext_lazy("groups", "file name"), max_length=255, blank=True)
    read_count = models.PositiveIntegerField(pgettext_lazy("groups", "messages read"), default=0)
    new_count = models.PositiveIntegerField(pgettext_lazy("groups", "new messages"), default=0)
    skipped_count = models.PositiveIntegerField(
        pgettext_lazy("groups", "already brought in"), default=0
    )
    notice_count = models.PositiveIntegerField(
        pgettext_lazy("groups", "notices skipped"), default=0
    )
    marked_count = models.PositiveIntegerField(
        pgettext_lazy("groups", "marked as requests"), default=0
    )

    class Meta:
        verbose_name = pgettext_lazy("groups", "group chat import")
        verbose_name_plural = pgettext_lazy("groups", "group chat imports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.group} · {self.uploaded_at:%Y-%m-%d %H:%M}"


class GroupMessage(models.Model):
    """One message of a group's conversation. `fingerprint` (normalised sender, minute and text)
    is unique per group, so bringing the same conversation in again adds nothing."""

    group = models.ForeignKey(
        "organisation.Unit",
        verbose_name=pgettext_lazy("groups", "group"),
        on_delete=models.CASCADE,
        related_name="group_messages",
    )
    sender = models.CharField(pgettext_lazy("groups", "sender's nickname"), max_length=64)
    sent_at = models.DateTimeField(pgettext_lazy("groups", "sent at"))
    text = models.TextField(_("text"))
    fingerprint = models.CharField(max_length=64, editable=False)
    looks_like_request = models.BooleanField(
        pgettext_lazy("groups", "looks like a request"), default=False
    )
    request_rule = models.CharField(
        _("why"), max_length=16, choices=RequestRule.choices, default=RequestRule.NONE
    )
    request_words = models.CharField(
        pgettext_lazy("groups", "words found"), max_length=200, blank=True
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_messages",
    )
    imported = models.ForeignKey(
        GroupImport,
        verbose_name=pgettext_lazy("groups", "import"),
        on_delete=models.CASCADE,
        related_name="messages",
    )

    class Meta:
        verbose_name = pgettext_lazy("groups", "group message")
        verbose_name_plural = pgettext_lazy("groups", "group messages")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "fingerprint"], name="group_message_fingerprint_unique"
            )
        ]
        indexes = [
            models.Index(fields=["group", "sent_at"], name="group_message_sent"),
            models.Index(
                fields=["group", "looks_like_request", "sent_at"], name="group_message_marked"
            ),
            models.Index(fields=["group", "case"], name="group_message_case"),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"
