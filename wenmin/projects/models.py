"""惠民工程: public-benefit projects, their weighted plans, progress reports, supervision and the
cases raised from problems met on site."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.projects.supervision import Step
from wenmin.projects.workflow import Status


class Category(models.TextChoices):
    WATER = "water", _("Water supply")
    EDUCATION = "education", _("School")
    HEALTH = "health", _("Hospital and health")
    PARK = "park", _("Park and green space")
    ROAD = "road", _("Road works")
    SPORT = "sport", _("Sport venue")
    CULTURE = "culture", _("Museum and culture")
    AGRICULTURE = "agriculture", _("Agriculture")
    INDUSTRY = "industry", _("Industry and e-commerce")
    DEMOLITION = "demolition", _("Demolition and resettlement")
    VILLAGE = "village", _("Village works")


class OriginKind(models.TextChoices):
    """Where a project came from; `origin_id` is the row of the named record, typed by this."""

    COUNTY_PLAN = "county_plan", _("The county's plan")
    COUNCIL_DECISION = "council_decision", _("A villagers' council decision (问计)")
    CASE = "case", _("A suggestion case")
    LEADERS_MEETING = "leaders_meeting", _("A county leaders' meeting")
    BRANCH_MEETING = "branch_meeting", _("A matter decided at a branch meeting")


class QuantityUnit(models.TextChoices):
    BUILDINGS = "buildings", _("buildings")
    SQUARE_METRES = "m2", _("m²")
    KILOMETRES = "km", _("km")
    HOUSEHOLDS = "households", _("households")
    CLASSROOMS = "classrooms", _("classrooms")
    PLACES = "places", _("places")


class ItemKind(models.TextChoices):
    MILESTONE = "milestone", _("Milestone")
    TASK = "task", _("Task")


class FundSource(models.TextChoices):
    CENTRAL = "central", _("Central government")
    PROVINCE = "province", _("Province")
    COUNTY = "county", _("County budget")
    TOWNSHIP = "township", _("Township")
    BONDS = "bonds", _("Special bonds")
    SOCIAL = "social", _("Social capital")
    LOAN = "loan", _("Bank loan")


class WorkKind(models.Model):
    """A kind of work with the normal duration the county keeps for it (and where it comes from)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    normal_days = models.PositiveIntegerField(_("normal duration (days)"))
    unit = models.CharField(
        _("measured in"), max_length=16, choices=QuantityUnit.choices, blank=True
    )
    source = models.CharField(_("source of the normal duration"), max_length=200)

    class Meta:
        verbose_name = _("kind of work")
        verbose_name_plural = _("kinds of work")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("what is built"), blank=True)
    internal_note = models.TextField(_("internal notes"), blank=True)
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    owner = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    patron = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("patron (包联领导)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patron_of_projects",
    )
    # The leader's 包联 post whose subject is this project (organisation.Position): the link
    # that replaced the post's free-text subject.
    patron_position = models.ForeignKey(
        "organisation.Position",
        verbose_name=_("patron's post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    responsible = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("responsible cadre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for_projects",
    )
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    started_on = models.DateField(_("started"), null=True, blank=True)
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    origin_kind = models.CharField(
        _("origin"), max_length=20, choices=OriginKind.choices, default=OriginKind.COUNTY_PLAN
    )
    origin_id = models.PositiveBigIntegerField(_("origin record"), null=True, blank=True)
    origin_label = models.CharField(_("origin (as told)"), max_length=200, blank=True)
    # Computed from the weighted plan by the services (progress.plan_progress), never typed in.
    progress = models.DecimalField(
        _("progress (%)"), max_digits=4, decimal_places=1, default=Decimal(0)
    )
    invested = models.DecimalField(
        _("invested (yuan)"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    # The supervision ladder (supervision.py), cleared when the project is back on plan.
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("supervision order"), null=True, blank=True)
    order_due = models.DateTimeField(_("back on plan by"), null=True, blank=True)
    order_reminded_at = models.DateTimeField(_("order reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
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
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["planned_start", "id"]
        indexes = [models.Index(fields=["origin_kind", "origin_id"], name="projects_origin")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_finish__gte=models.F("planned_start")),
                name="projects_finish_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="projects_progress_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Funding(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="fundings"
    )
    source = models.CharField(_("source of funds"), max_length=16, choices=FundSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("source of funds")
        verbose_name_plural = _("sources of funds")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"


class PlanItem(models.Model):
    """A milestone or a task of a project's plan; the weights of siblings sum to 100."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=120)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    work_kind = models.ForeignKey(
        WorkKind,
        verbose_name=_("kind of work"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    normal_days = models.PositiveIntegerField(_("normal duration (days)"), null=True, blank=True)
    normal_source = models.CharField(_("source of the normal duration"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=16, choices=QuantityUnit.choices, blank=True)
    percent = models.DecimalField(_("done (%)"), max_digits=4, decimal_places=1, default=0)
    quantity_done = models.DecimalField(
        _("quantity done"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    finished_on = models.DateField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["project", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_finish__gte=models.F("planned_start")),
                name="projects_item_finish_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100),
                name="projects_item_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def normal(self) -> int | None:
        """The normal duration: the one entered for this task, else its kind of work's."""
        if self.normal_days:
            return self.normal_days
        return self.work_kind.normal_days if self.work_kind_id and self.work_kind else None


class Report(models.Model):
    """A progress report on one task by the responsible cadre."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    item = models.ForeignKey(
        PlanItem, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_on = models.DateField(_("date"))
    percent = models.DecimalField(_("done (%)"), max_digits=4, decimal_places=1)
    quantity_done = models.DecimalField(
        _("quantity done"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    invested = models.DecimalField(
        _("invested since the last report (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
    )
    problems = models.TextField(_("problems met"), blank=True)
    internal_note = models.TextField(_("internal notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item} · {self.reported_on} · {self.percent}%"


class ReportPhoto(models.Model):
    """A photo of a report, checked and stored as cases store their attachments."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to="projects/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.original_name


class ProjectCase(models.Model):
    """A case raised from a problem met during the project (land, compensation, complaints)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="case_links"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="project_link"
    )
    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_links",
    )
    created_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        verbose_name = _("project case")
        verbose_name_plural = _("project cases")

    def __str__(self) -> str:
        return f"{self.project} · {self.case}"


class SupervisionEvent(models.Model):
    """One step of the supervision ladder taken on a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="supervision"
    )
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    progress = models.DecimalField(_("progress (%)"), max_digits=4, decimal_places=1)
    expected = models.DecimalField(_("expected (%)"), max_digits=4, decimal_places=1)
    due = models.DateTimeField(_("back on plan by"), null=True, blank=True)
    to_person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("supervision step")
        verbose_name_plural = _("supervision steps")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_step_display()}"
