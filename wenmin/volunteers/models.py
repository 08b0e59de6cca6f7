"""Volunteers: profiles with a number and consent, teams with a number, activities, the hours
each volunteer served (recorded and certified by the organiser, 民政部令第67号) and certificates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.organisation.models import UnitKind


class TeamKind(models.TextChoices):
    POST = "post", _("Post volunteers")
    PARTY = "party", _("Party volunteer team")


class Skill(models.TextChoices):
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    MEDICAL = "medical", _("Medical help")
    REPAIRS = "repairs", _("Repairs")
    POLICY = "policy", _("Explaining policies")
    TUTORING = "tutoring", _("Tutoring")
    DRIVING = "driving", _("Driving")
    CLEANING = "cleaning", _("Cleaning")
    ERRANDS = "errands", _("Errands on a resident's behalf")


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekday daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Weekends")
    HOLIDAYS = "holidays", _("Holidays")


class Team(models.Model):
    """A volunteer team of the register (a unit of kind volunteer_team), with its number: post
    volunteers by post, a party volunteer team by its branch."""

    unit = models.OneToOneField(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="volunteer_team",
        limit_choices_to={"kind": UnitKind.VOLUNTEER_TEAM},
    )
    number = models.CharField(_("team number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TeamKind.choices)
    branch = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("party branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": UnitKind.PARTY_BRANCH},
    )

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.unit.name}"


class Profile(models.Model):
    """A volunteer's registration: number, consent, skills and when they are available."""

    volunteer = models.OneToOneField(
        "organisation.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    number = models.CharField(_("volunteer number"), max_length=20, unique=True)
    consent_at = models.DateTimeField(_("consent given"))
    skills = models.JSONField(_("skills"), default=list, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    registered_by = models.ForeignKey(
        "core.User",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Membership(models.Model):
    """A volunteer in a team (several teams allowed), with their post and whether they lead it."""

    profile = models.ForeignKey(
        Profile, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    post = models.CharField(_("post"), max_length=64, blank=True)
    is_leader = models.BooleanField(_("team leader"), default=False)
    joined_on = models.DateField(_("joined"))

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["profile", "team"], name="volunteers_one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.team}"


class ActivityState(models.TextChoices):
    PUBLISHED = "published", _("Open for sign-up")
    CONFIRMED = "confirmed", _("Hours confirmed")


class Activity(models.Model):
    """What a team does, where and when, for how many, with which skills."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("what"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("where"), max_length=120)
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("how many volunteers"))
    skills = models.CharField(_("skills wanted"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ActivityState.choices, default=ActivityState.PUBLISHED
    )
    # Where it came from: a need that waited for an activity, or a help case.
    need = models.ForeignKey(
        "surveys.Need",
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("hours confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "core.User",
        verbose_name=_("hours confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["state", "starts_at"]),
            models.Index(fields=["team", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="volunteers_activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """One volunteer at one activity: signed up, checked in and out at the place, and the hours
    the organiser confirmed (true, complete and unpaid)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    profile = models.ForeignKey(
        Profile,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    signed_up_at = models.DateTimeField(_("signed up"))
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    check_in_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_in_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    check_out_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    check_out_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    confirmed_at = models.DateTimeField(_("hours confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "core.User",
        verbose_name=_("hours confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "profile"], name="volunteers_one_participation"
            )
        ]
        indexes = [models.Index(fields=["profile", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.activity}"


class HoursCorrection(models.Model):
    """A change of confirmed hours: never silent, the old value and the reason kept."""

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    old_hours = models.DecimalField(_("hours before"), max_digits=6, decimal_places=2)
    new_hours = models.DecimalField(_("hours after"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        "core.User",
        verbose_name=_("corrected by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected"))

    class Meta:
        verbose_name = _("hours correction")
        verbose_name_plural = _("hours corrections")
        ordering = ["corrected_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_hours} → {self.new_hours}"


class Certificate(models.Model):
    """志愿服务记录证明: the confirmed hours one team recorded for a volunteer, certified by that
    team (谁记录谁证明); its figures are kept as issued."""

    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    profile = models.ForeignKey(
        Profile,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("issuing organisation"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2)
    services = models.JSONField(_("services"), default=list)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        "core.User",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("why it was revoked"), blank=True)

    class Meta:
        verbose_name = _("volunteer certificate")
        verbose_name_plural = _("volunteer certificates")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
