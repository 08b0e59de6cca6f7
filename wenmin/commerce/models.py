"""支部+电商: party branches helping farmers sell their produce — the farmers, their produce, where it
is sold and the sales achieved. No farmer's phone is kept: buyers reach the branch's office."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BranchContact(models.Model):
    """How buyers reach a branch: its office number (never a farmer's or a member's mobile)."""

    branch = models.OneToOneField(
        "organisation.Unit",
        verbose_name=_("party branch"),
        on_delete=models.CASCADE,
        related_name="commerce_contact",
    )
    office_phone = models.CharField(_("office number"), max_length=20)
    intro = models.CharField(_("introduction"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("branch contact")
        verbose_name_plural = _("branch contacts")

    def __str__(self) -> str:
        return f"{self.branch} · {self.office_phone}"


class Farmer(models.Model):
    """A resident farmer a branch helps sell (shown with a masked name)."""

    branch = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("party branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        "organisation.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    since = models.DateField(_("helped since"))

    class Meta:
        verbose_name = _("farmer helped")
        verbose_name_plural = _("farmers helped")
        ordering = ["branch", "id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "person"], name="commerce_farmer_once")
        ]
        indexes = [models.Index(fields=["township", "branch"])]

    def __str__(self) -> str:
        return f"{self.branch} · {self.pk}"


class Produce(models.Model):
    """What a farmer has to sell: quantity in a unit, price per unit, season (months)."""

    farmer = models.ForeignKey(
        Farmer, verbose_name=_("farmer"), on_delete=models.PROTECT, related_name="produce"
    )
    branch = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("party branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("produce"), max_length=64)
    unit = models.CharField(_("unit"), max_length=16)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    price = models.DecimalField(_("price per unit (yuan)"), max_digits=10, decimal_places=2)
    season_from = models.PositiveSmallIntegerField(_("season from (month)"))
    season_to = models.PositiveSmallIntegerField(_("season to (month)"))
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("produce")
        verbose_name_plural = _("produce")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["township", "name"])]

    def __str__(self) -> str:
        return self.name


class OutletKind(models.TextChoices):
    SHOP = "shop", _("The branch's shop on a platform")
    MARKET = "market", _("A market")
    BUYER = "buyer", _("A buyer")


class Outlet(models.Model):
    """Where a branch sells: its online shop (a checked web address), a market, a buyer."""

    branch = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("party branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OutletKind.choices)
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("web address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("where it is sold")
        verbose_name_plural = _("where it is sold")
        ordering = ["branch", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Sale(models.Model):
    """Produce sold in a month through an outlet: quantity and income."""

    produce = models.ForeignKey(
        Produce, verbose_name=_("produce"), on_delete=models.PROTECT, related_name="sales"
    )
    outlet = models.ForeignKey(
        Outlet, verbose_name=_("sold through"), on_delete=models.PROTECT, related_name="sales"
    )
    branch = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("party branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    township = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    income = models.DecimalField(_("income (yuan)"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        "core.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-month", "-id"]
        indexes = [
            models.Index(fields=["township", "month"]),
            models.Index(fields=["branch", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.produce} · {self.month:%Y-%m}"
