"""支部生活日 and 三会一课: meeting types and their rules, the county's monthly themes, each
branch's meeting records with attendance, leave and sign-in, and what a meeting decided."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.organisation.models import PartyMember, Unit


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class MeetingType(models.Model):
    """A kind of branch meeting and its rule: how often it is required and by when."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=40)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    # Due by this working day of its period (the life day early in the month); None: by the
    # period's last day.
    due_working_day = models.PositiveSmallIntegerField(
        _("due by working day"), null=True, blank=True
    )
    required = models.BooleanField(_("required"), default=True)
    # A life day may count as other meetings held the same day (党课, 支部党员大会…).
    counts_as_others = models.BooleanField(_("may count as other meetings"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("meeting type")
        verbose_name_plural = _("meeting types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class MonthlyTheme(models.Model):
    """The organisation department's theme for a month, that every branch's plan starts from."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("monthly theme")
        verbose_name_plural = _("monthly themes")
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.title


class ThemeMaterial(models.Model):
    theme = models.ForeignKey(MonthlyTheme, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to="branchlife/themes/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.original_name


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


HELD_STATES = (MeetingState.HELD, MeetingState.CLOSED)


class Meeting(models.Model):
    """One meeting of a branch: planned, held (sign-in open, record being written), closed."""

    branch = models.ForeignKey(
        Unit, verbose_name=_("party branch"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.ForeignKey(
        MeetingType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="meetings"
    )
    also_counts_as = models.ManyToManyField(
        MeetingType, verbose_name=_("also counts as"), blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    held_on = models.DateField(_("date"))
    # The month of held_on as yyyymm: the grid groups on it without a date function per row.
    month_key = models.PositiveIntegerField(default=0, editable=False)
    place = models.CharField(_("place"), max_length=120, blank=True)
    host = models.CharField(_("host"), max_length=64, blank=True)
    recorder = models.CharField(_("recorder"), max_length=64, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    theme = models.ForeignKey(
        MonthlyTheme,
        verbose_name=_("monthly theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    # 应到 / 实到 (in the room) / online (流动党员) / 请假 / 缺席, kept with the attendance rows.
    expected = models.PositiveIntegerField(_("expected"), default=0)
    present = models.PositiveIntegerField(_("present"), default=0)
    online = models.PositiveIntegerField(_("online"), default=0)
    on_leave = models.PositiveIntegerField(_("on leave"), default=0)
    absent = models.PositiveIntegerField(_("absent"), default=0)
    # Changed to void every sign-in code shown before.
    signin_key = models.CharField(max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("branch meeting")
        verbose_name_plural = _("branch meetings")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["branch", "held_on"]),
            models.Index(fields=["held_on", "state"]),
            models.Index(fields=["month_key", "branch"]),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.type}"

    @property
    def attended(self) -> int:
        return self.present + self.online


def month_key_of(day: Any) -> int:
    return int(day.year) * 100 + int(day.month)


class MeetingCredit(models.Model):
    """A held meeting counted for a type: its own, and each it also counts as (one row each).
    The compliance grid is a few GROUP BYs over this table."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="credits")
    branch = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    # held_on as yyyymm and its day: the grid's GROUP BY and MIN work on plain integers.
    month_key = models.PositiveIntegerField()
    day = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "type"], name="branchlife_credit_once")
        ]
        indexes = [models.Index(fields=["month_key", "branch", "type", "day"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.type_id}"


class AttendanceStatus(models.TextChoices):
    ABSENT = "absent", _("Absent")
    PRESENT = "present", _("Present")
    ONLINE = "online", _("Online (member working away)")
    LEAVE = "leave", _("On leave")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.ONLINE)


class SignedBy(models.TextChoices):
    CODE = "code", _("Scanned the code")
    LINK = "link", _("Online link")
    SECRETARY = "secretary", _("Ticked by the secretary")


class Attendance(models.Model):
    """One member expected at one held meeting, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.ABSENT
    )
    signed_by = models.CharField(max_length=16, choices=SignedBy.choices, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="branchlife_attend_once")
        ]
        indexes = [models.Index(fields=["member", "meeting"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}:{self.status}"


class LeaveState(models.TextChoices):
    PENDING = "pending", _("Waiting for the secretary")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LeaveRequest(models.Model):
    """A member's request, in advance, to be excused from a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="leave_requests")
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=16, choices=LeaveState.choices, default=LeaveState.PENDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="branchlife_leave_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}:{self.state}"


class MeetingPhoto(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="branchlife/photos/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class MeetingOutcome(models.Model):
    """A matter decided at a meeting that opened a record elsewhere (a case, a 问计 proposal…):
    the kind names an entry of the outcome registry (branchlife.outcomes)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=120)
    target_id = models.PositiveBigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """A reminder already sent (its key names kind, branch or township, type and period), so
    the daily job never sends it twice."""

    key = models.CharField(max_length=96, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class BranchLifeDay(models.Model):
    """A branch's fixed day of the month for its life day (1-28); no row: the county's rule."""

    branch = models.OneToOneField(
        Unit,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="branchlife_fixed_day",
        verbose_name=_("branch"),
    )
    day = models.PositiveSmallIntegerField(_("life day (day of the month)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.branch_id}: {self.day}"


class AwayPeriod(models.Model):
    """A member working away from the branch (流动党员登记): where, since when, until they came
    back. A member's periods never overlap; the open one (no return date) says they are away."""

    member = models.ForeignKey(
        PartyMember, verbose_name=_("party member"), on_delete=models.PROTECT, related_name="+"
    )
    whereabouts = models.CharField(_("working in (province, city)"), max_length=80)
    # Work or a contact note; no phone number here (the person's record keeps it).
    work_note = models.CharField(_("work or contact note"), max_length=200, blank=True)
    left_on = models.DateField(_("away since"))
    expected_back = models.DateField(_("expected back"), null=True, blank=True)
    returned_on = models.DateField(_("came back on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("period working away")
        verbose_name_plural = _("members working away")
        ordering = ["-left_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(returned_on__isnull=True),
                name="branchlife_away_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(returned_on__isnull=True)
                | models.Q(returned_on__gte=models.F("left_on")),
                name="branchlife_away_back_after_leaving",
            ),
            models.CheckConstraint(
                condition=models.Q(expected_back__isnull=True)
                | models.Q(expected_back__gte=models.F("left_on")),
                name="branchlife_away_expected_after_leaving",
            ),
        ]
        indexes = [models.Index(fields=["member", "left_on"])]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.whereabouts} {self.left_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None
