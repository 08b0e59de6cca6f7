"""Households (户): their members and care categories, kept as personal data; who a needs survey must visit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.core.crypto import EncryptedTextField


class CareCategory(models.Model):
    """A care category (关爱对象) the county keeps: 低保户, 留守老人… and whether needs surveys
    must visit the households in it. The code never changes once used: digests are keyed on it."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    must_visit = models.BooleanField(
        _("must be visited"),
        default=True,
        help_text=_("Households in this category are on the needs surveys' visit list."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("care category")
        verbose_name_plural = _("care categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """One household (户) of a village or villagers' group."""

    code = models.CharField(_("household number"), max_length=32, unique=True)
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("village or villagers' group"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    address = EncryptedTextField(_("address"), blank=True)
    head = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("head of household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members: models.ManyToManyField[models.Model, models.Model] = models.ManyToManyField(
        "organisation.Person",
        through="HouseholdMember",
        verbose_name=_("members"),
        related_name="+",
    )
    # The care categories are sensitive personal data, stored twice and never in clear:
    # - here, the sorted codes as Fernet ciphertext, which is what a page shows (decrypted,
    #   with an access log entry);
    # - in HouseholdCare, one row per (household, category) holding a keyed digest of the code
    #   (core.crypto.digest, keyed by FIELD_DIGEST_KEY which lives outside the database), indexed,
    #   so "households in category X in region R" is one index lookup, as Person.phone_digest is.
    # The database alone shows only that some households share an opaque tag, never which
    # category a tag is; the digest is of the code alone (not of household + code) because a
    # per-household digest could only be matched by hashing every household of the county.
    care_codes = EncryptedTextField(_("care categories"), blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class MemberRelation(models.TextChoices):
    """A member's relation to the head of household."""

    HEAD = "head", _("Head of household (户主)")
    SPOUSE = "spouse", _("Spouse (配偶)")
    CHILD = "child", _("Child (子女)")
    PARENT = "parent", _("Parent (父母)")
    GRANDCHILD = "grandchild", _("Grandchild (孙子女)")
    GRANDPARENT = "grandparent", _("Grandparent (祖父母)")
    SIBLING = "sibling", _("Brother or sister (兄弟姐妹)")
    OTHER = "other", _("Other (其他)")


class HouseholdMember(models.Model):
    """A person of a household; a person belongs to one household at most."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    # One-to-one: the database itself refuses a person in two households.
    person = models.OneToOneField(
        "organisation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="household_membership",
    )
    relation = models.CharField(
        _("relation to the head"), max_length=16, choices=MemberRelation.choices
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "id"]

    def __str__(self) -> str:
        return f"{self.household} · {self.person}"


class HouseholdCare(models.Model):
    """The keyed digest of one care category of one household (see Household.care_codes)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="care_marks", editable=False
    )
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "digest"], name="household_care_once")
        ]
        indexes = [models.Index(fields=["digest", "household"], name="household_care_digest")]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.digest[:8]}"
