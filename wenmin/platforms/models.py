"""Service centres and mass work stations: their catalogue of services (事项), walk-in service
records, queue tickets, errands run on a resident's behalf (代办), duty rosters, visitor logs and
residents' ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.organisation.models import Person, Unit, UnitKind

PLATFORM_KINDS = (UnitKind.SERVICE_CENTRE, UnitKind.WORK_STATION)


class PlatformHours(models.Model):
    """A centre's or station's opening hours as residents read them on its page."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("centre or station"), on_delete=models.CASCADE, related_name="+"
    )
    hours = models.CharField(_("opening hours"), max_length=200)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.unit} · {self.hours}"


class ServiceItem(models.Model):
    """One service (事项) a centre handles, as the county's catalogue lists it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("centre or station"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    documents = models.TextField(_("documents required"), blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"), default=0)
    fee = models.DecimalField(_("fee (yuan)"), max_digits=9, decimal_places=2, default=0)
    errand_allowed = models.BooleanField(_("may be done on the resident's behalf (代办)"))
    active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="platform_item_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Result(models.TextChoices):
    DONE = "done", _("Done")
    NEEDS_DOCUMENTS = "needs_documents", _("Needs documents")
    REFERRED = "referred", _("Referred elsewhere")
    CASE = "case", _("A problem: opened as a case")


# The results that count as a service given (a case opened instead is a problem, not a service).
SERVICE_RESULTS = (Result.DONE, Result.NEEDS_DOCUMENTS, Result.REFERRED)


class QueueCounter(models.Model):
    """The last number issued and the last called at one centre on one day."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_issued = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="platform_queue_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.day}:{self.last_issued}"


class QueueTicket(models.Model):
    """A number taken at a centre: issued, then called to a counter."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("centre or station"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    issued_at = models.DateTimeField(_("issued"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["day", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "number"], name="platform_ticket_number_once"
            )
        ]
        indexes = [models.Index(fields=["unit", "day", "called_at"])]

    def __str__(self) -> str:
        return f"{self.number:03d}"

    @property
    def waiting_seconds(self) -> int | None:
        if self.called_at is None:
            return None
        return int((self.called_at - self.issued_at).total_seconds())


class ServiceRecord(models.Model):
    """One walk-in served at a centre's counter: who, which service, when, and how it ended."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("centre or station"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    resident = models.ForeignKey(
        Person, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    ticket = models.OneToOneField(
        QueueTicket,
        verbose_name=_("queue ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="record",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the resident types (or scans) to rate this service once: unguessable, not personal.
    rating_code = models.CharField(_("rating code"), max_length=12, unique=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["unit", "started_at"])]

    def __str__(self) -> str:
        return f"{self.item or self.get_result_display()} · {self.started_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """A resident's rating of one service record (1–5), given once."""

    record = models.OneToOneField(
        ServiceRecord,
        verbose_name=_("service record"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("rated"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["unit", "rated_at"])]

    def __str__(self) -> str:
        return f"{self.score}/5"


SATISFIED_FROM = 4  # a score of 4 or 5 counts as satisfied


class ErrandStep(models.TextChoices):
    RECEIVED = "received", _("Taken from the resident")
    AT_OFFICE = "at_office", _("Handed to the office")
    COLLECTED = "collected", _("Collected from the office")
    RETURNED = "returned", _("Returned to the resident")


# The hand-overs of an errand, in the only order they can happen.
ERRAND_STEPS = (
    ErrandStep.RECEIVED,
    ErrandStep.AT_OFFICE,
    ErrandStep.COLLECTED,
    ErrandStep.RETURNED,
)


class Errand(models.Model):
    """A service done on a resident's behalf (代办): a post volunteer carries it there and back."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("centre or station"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service"), on_delete=models.PROTECT, related_name="errands"
    )
    resident = models.ForeignKey(
        Person, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.CharField(_("what is asked"), max_length=500)
    office = models.CharField(_("office it goes to"), max_length=100)
    created_at = models.DateTimeField(_("requested"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"))
    volunteer = models.ForeignKey(
        "organisation.Volunteer",
        verbose_name=_("post volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    step = models.CharField(
        _("last hand-over"), max_length=16, choices=ErrandStep.choices, blank=True
    )

    class Meta:
        verbose_name = _("errand")
        verbose_name_plural = _("errands")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.item} · {self.created_at:%Y-%m-%d}"

    @property
    def done(self) -> bool:
        return self.step == ErrandStep.RETURNED


class Handover(models.Model):
    """One hand-over of an errand's papers: who gave them to whom, where, when."""

    errand = models.ForeignKey(
        Errand, verbose_name=_("errand"), on_delete=models.CASCADE, related_name="handovers"
    )
    step = models.CharField(_("hand-over"), max_length=16, choices=ErrandStep.choices)
    at = models.DateTimeField(_("at"))
    volunteer = models.ForeignKey(
        "organisation.Volunteer",
        verbose_name=_("post volunteer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    counterpart = models.CharField(_("handed to or received from"), max_length=100)
    note = models.CharField(_("note"), max_length=300, blank=True)
    resident_told = models.BooleanField(_("resident told"), default=False)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["errand", "step"], name="platform_handover_once")
        ]

    def __str__(self) -> str:
        return self.get_step_display()


class DutyShift(models.Model):
    """A cadre on duty at a work station (or a centre) on one day: the duty roster (值班表)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("centre or station"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    cadre = models.ForeignKey(
        "organisation.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "cadre"], name="platform_duty_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.cadre}"


class VisitOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered on the spot")
    CASE = "case", _("Opened as a case")


class StationVisit(models.Model):
    """A visitor at a work station (the visitor log): who came, what they raised, what became
    of it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("centre or station"), on_delete=models.PROTECT, related_name="+"
    )
    visitor = models.ForeignKey(
        Person, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    arrived_at = models.DateTimeField(_("arrived"))
    matter = models.CharField(_("matter raised"), max_length=1000)
    outcome = models.CharField(_("outcome"), max_length=16, choices=VisitOutcome.choices)
    answer = models.CharField(_("answer given"), max_length=1000, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("station visit")
        verbose_name_plural = _("visitor log")
        ordering = ["-arrived_at"]
        indexes = [models.Index(fields=["unit", "arrived_at"])]

    def __str__(self) -> str:
        return f"{self.arrived_at:%Y-%m-%d %H:%M}"
