"""Households (户): their members and care categories, kept as personal data; who a needs survey must visit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Household(models.Model):
    """One household (户) of a village or villagers' group."""

    code = models.CharField(_("household number"), max_length=32, unique=True)
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village or villagers' group"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
