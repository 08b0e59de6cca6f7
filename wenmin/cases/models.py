"""Cases (诉求) and everything the five steps record about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wenmin.cases.deadlines import Kind, Urgency
from wenmin.cases.deadlines import Unit as DurationUnit
from wenmin.cases.workflow import State


class Channel(models.TextChoices):
    COUNTER = "counter", _("Service centre counter")
    WORK_STATION = "work_station", _("Mass work station")
    PHONE = "phone", pgettext_lazy("case channel", "Phone")  # 电话, not a person's 手机号
    WEB = "web", _("Web or phone portal")
    WECHAT = "wechat", _("WeChat")
    SENTIMENT_GROUP = "sentiment_group", _("Residents' WeChat group (民情微群)")
    SMS = "sms", _("Text message (SMS)")
    GOVERNANCE_INQUIRY = "governance_inquiry", _("Leader's governance inquiry (问政)")
    # 问政's three doors: a matter raised at a leader's reception day, on a field visit, or
    # written to a leader's mailbox (the case's coordinator is that leader).
    RECEPTION = "reception", _("Leader's reception day (接访)")
    VISIT = "visit", _("Leader's field visit (下访)")
    MAILBOX = "mailbox", _("Leader's mailbox (领导信箱)")
    IDEA_SOLICITATION = "idea_solicitation", _("Cadre's idea solicitation (问计)")
    NEEDS_SURVEY = "needs_survey", _("Volunteer's needs survey (问需)")
    MEETING = "meeting", _("Meeting")
    API = "api", _("API")


class RejectionReason(models.TextChoices):
    OUTSIDE_DUTY = "outside_duty", _("Outside the government's duty")
    LEGAL_PROCESS = "legal_process", _("A matter for litigation, arbitration or petitions (信访)")
    UNREASONABLE = "unreasonable", _("Unreasonable request")


class Category(models.Model):
    """A topic in an editable tree, with optional extra fields asked for its cases."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    # [{"code", "label", "datatype", "required", "values": [{"key", "name"}], "order", "description"}]
    extra_fields = models.JSONField(_("extra fields"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class DispatchRule(models.Model):
    """The dispatch catalogue: a category (and optionally a region) proposes a lead unit."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="rules"
    )
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: anywhere in the county."),
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch catalogue")
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="dispatch_rule_unique"),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(region__isnull=True),
                name="dispatch_rule_default_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"


class DeadlineOverride(models.Model):
    """An administrator's replacement for a default time limit."""

    clock = models.CharField(
        _("clock"),
        max_length=16,
        choices=[("sign_for", _("Sign for")), ("result", _("Result")), ("callback", _("Callback"))],
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, blank=True)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=16, choices=DurationUnit.choices)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "kind", "urgency"], name="deadline_override_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.clock} {self.kind} {self.urgency}: {self.amount} {self.unit}"


class WorkdayOverride(models.Model):
    """A day the administrator declares a working day or a day off, over the official calendar."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}"


class Case(models.Model):
    """One suggestion, request or complaint, whatever the channel."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    requester = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CONSULT)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"))
    extra = models.JSONField(_("extra fields"), default=dict, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    lead_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    co_units = models.ManyToManyField(
        "organisation.Unit",
        verbose_name=_("co-handling units"),
        blank=True,
        related_name="co_handled_cases",
    )
    coordinator = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("coordinating county leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_cases",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.COLLECTED
    )
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    sign_for_due = models.DateTimeField(_("sign for by"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for"), null=True, blank=True)
    result_due = models.DateTimeField(_("result due"), null=True, blank=True)
    plan = models.TextField(_("intended solution"), blank=True)
    planned_due = models.DateTimeField(_("unit's own due date"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply = models.TextField(_("reply to the requester"), blank=True)
    callback_due = models.DateTimeField(_("call back by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_cases",
    )
    return_count = models.PositiveSmallIntegerField(_("returns"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("reworks"), default=0)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=16, choices=RejectionReason.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    # Why the requester's personal data is processed (cases.purposes.Purpose codes), as told
    # at intake; empty on cases registered before purposes were recorded.
    purposes = models.JSONField(_("purposes of processing"), default=list, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["lead_unit", "state", "result_due"]),
            models.Index(fields=["lead_unit", "state", "sign_for_due"]),
            models.Index(fields=["region", "received_at"]),
            models.Index(fields=["category", "received_at"]),
            models.Index(fields=["state", "result_due"]),
            models.Index(fields=["escalated_to", "state"]),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """One step taken on a case: who, when, what, and the state before and after."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    state_before = models.CharField(
        _("state before"), max_length=16, choices=State.choices, blank=True
    )
    state_after = models.CharField(_("state after"), max_length=16, choices=State.choices)
    note = models.TextField(_("note"), blank=True)
    public_note = models.TextField(_("note for the requester"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Attachment(models.Model):
    """A photo or document attached to a case, optionally to one of its events."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        CaseEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CaseSequence(models.Model):
    """The last number given out per county and day, for readable case numbers."""

    prefix = models.CharField(max_length=24, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last}"


class ResponseTemplate(models.Model):
    """A reusable text for replies and notes, per unit or county-wide."""

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=64)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
