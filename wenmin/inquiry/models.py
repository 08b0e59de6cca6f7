"""问政: county leaders' reception days, field visits and mailboxes.

Every matter a resident raises with a leader — at a reception day, on a visit, or in a letter to
the leader's mailbox — becomes a case (channel reception, visit or mailbox) coordinated by that
leader; the Matter row keeps the link from the conversation, visit or letter to its case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.inquiry.rules import BookingState, VisitKind


class Mailbox(models.Model):
    """A leader's public mailbox (书记信箱, 县长信箱): letters become cases the leader's office
    sees first."""

    leader = models.OneToOneField(
        "organisation.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="mailbox",
    )
    title = models.CharField(_("title"), max_length=64)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("leader's mailbox")
        verbose_name_plural = _("leaders' mailboxes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ReceptionDay(models.Model):
    """A leader's reception day (接访日): a place, a time and slots residents book."""

    leader = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="reception_days",
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "starts", "id"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "date"], name="reception_day_one_a_day")
        ]
        indexes = [models.Index(fields=["is_published", "date"], name="reception_day_public")]

    def __str__(self) -> str:
        return f"{self.leader} {self.date:%Y-%m-%d}"


class ReceptionSlot(models.Model):
    """A time on a reception day for `capacity` residents; `booked` counts the live bookings
    (raised and lowered only by a conditional UPDATE, so two residents never take the last
    place at once)."""

    day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.CASCADE,
        related_name="slots",
    )
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("reception slot")
        verbose_name_plural = _("reception slots")
        ordering = ["day", "starts", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")),
                name="reception_slot_not_overbooked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(models.Model):
    """A resident's booking of a slot; one live booking per resident per reception day."""

    slot = models.ForeignKey(
        ReceptionSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings"
    )
    day = models.ForeignKey(  # the slot's day, kept for the one-a-day constraint
        ReceptionDay, verbose_name=_("reception day"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="reception_bookings",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reception_bookings",
    )
    topic = models.CharField(_("topic"), max_length=120)
    state = models.CharField(
        _("state"), max_length=16, choices=BookingState.choices, default=BookingState.BOOKED
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "resident"],
                condition=~models.Q(state="cancelled"),
                name="booking_one_per_resident_a_day",
            )
        ]
        indexes = [models.Index(fields=["account", "-created_at"], name="booking_mine")]

    def __str__(self) -> str:
        return f"{self.slot_id}: {self.topic}"


class Conversation(models.Model):
    """What the leader's office recorded of one visitor at a reception day: who came (booked or
    walked in), and the matters they raised (each a case)."""

    day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    booking = models.OneToOneField(
        Booking,
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversation",
    )
    visitor = models.ForeignKey(
        "organisation.Person", verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("reception conversation")
        verbose_name_plural = _("reception conversations")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.day} · {self.visitor}"


class Visit(models.Model):
    """A leader's field visit (下访, 走访, 调研): where, whom they met, what was raised."""

    leader = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="inquiry_visits",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VisitKind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    met = models.CharField(_("whom they met"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["leader", "-date"], name="visit_leader_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.place} {self.date:%Y-%m-%d}"


class Matter(models.Model):
    """One matter raised with a leader, and the case it became (the case's coordinator is the
    leader). It came from exactly one of: a reception conversation, a visit, a mailbox letter."""

    leader = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="inquiry_matters",
    )
    channel = models.CharField(_("channel"), max_length=32)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="inquiry_matter",
    )
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("reception conversation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("field visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    mailbox = models.ForeignKey(
        Mailbox,
        verbose_name=_("mailbox"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now)

    class Meta:
        verbose_name = _("matter raised")
        verbose_name_plural = _("matters raised")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["leader", "channel"], name="matter_leader_channel")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(conversation__isnull=False, visit__isnull=True, mailbox__isnull=True)
                    | models.Q(conversation__isnull=True, visit__isnull=False, mailbox__isnull=True)
                    | models.Q(conversation__isnull=True, visit__isnull=True, mailbox__isnull=False)
                ),
                name="matter_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.case_id}"
