"""The county's regions, units, people and positions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wenmin.core.crypto import EncryptedTextField, mask_id_number, mask_phone


class RegionLevel(models.TextChoices):
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township level")
    VILLAGE = "village", _("Village or community")
    GROUP = "group", _("Villagers' group")


class RegionKind(models.TextChoices):
    COUNTY = "county", _("County (县)")
    TOWN = "town", _("Town (镇)")
    TOWNSHIP = "township", _("Township (乡)")
    FARM = "farm", _("State farm (场)")
    SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")
    OFFICE = "office", _("Sub-district office (办事处)")
    VILLAGE = "village", _("Village (村)")
    COMMUNITY = "community", _("Community (社区)")
    GROUP = "group", _("Villagers' group (村民小组)")


KINDS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    RegionLevel.COUNTY: (RegionKind.COUNTY,),
    RegionLevel.TOWNSHIP: (
        RegionKind.TOWN,
        RegionKind.TOWNSHIP,
        RegionKind.FARM,
        RegionKind.SUBDISTRICT,
        RegionKind.OFFICE,
    ),
    RegionLevel.VILLAGE: (RegionKind.VILLAGE, RegionKind.COMMUNITY),
    RegionLevel.GROUP: (RegionKind.GROUP,),
}
PARENT_LEVEL: dict[str, str | None] = {
    RegionLevel.COUNTY: None,
    RegionLevel.TOWNSHIP: RegionLevel.COUNTY,
    RegionLevel.VILLAGE: RegionLevel.TOWNSHIP,
    RegionLevel.GROUP: RegionLevel.VILLAGE,
}


class Region(models.Model):
    """A node of the tree county → township → village/community → villagers' group."""

    code = models.CharField(
        _("administrative code"),
        max_length=15,
        unique=True,
        help_text=_(
            "12 digits (GB/T 2260 and the statistical division code); a villagers' "
            "group adds 3 digits to its village's code."
        ),
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The codes from the root down, "/"-joined: a subtree is one prefix query on an index.
    path = models.CharField(_("path"), max_length=80, db_index=True, editable=False)
    township = models.ForeignKey(
        "self",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"]), models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    LEADERSHIP_BODY = "leadership_body", _("Leadership body (四套班子)")
    DEPARTMENT = "department", _("Government department")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    TOWNSHIP_GOVERNMENT = "township_government", _("Township government")
    PARTY_BRANCH = "party_branch", _("Party branch")
    SERVICE_CENTRE = "service_centre", _("Convenience service centre")
    WORK_STATION = "work_station", _("Mass work station")
    VOLUNTEER_TEAM = "volunteer_team", _("Party volunteer team")
    VILLAGERS_COUNCIL = "villagers_council", _("Villagers' council")
    OFFICIAL_ACCOUNT = "official_account", _("WeChat official account")
    WORK_GROUP = "work_group", _("WeChat work group")
    SENTIMENT_GROUP = "sentiment_group", _("Residents' sentiment group")


WECHAT_KINDS = frozenset({UnitKind.OFFICIAL_ACCOUNT, UnitKind.WORK_GROUP, UnitKind.SENTIMENT_GROUP})


class Unit(models.Model):
    """An organisation in a region, optionally under a parent unit (its owner, for WeChat)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    member_count = models.PositiveIntegerField(_("members or followers"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Person(models.Model):
    """One human being, whatever roles they hold. Phone and ID number are encrypted."""

    name = models.CharField(_("name"), max_length=64, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    region = models.ForeignKey(
        Region,
        verbose_name=_("place of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    is_resident = models.BooleanField(_("resident"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["id"]
        indexes = [
            # The oldest person with a mobile number (every intake asks): with the index on the
            # digest alone PostgreSQL walks the whole table in id order when nobody has it yet.
            models.Index(fields=["phone_digest", "id"], name="person_phone_digest_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class CadreRank(models.TextChoices):
    CLERK = "clerk", _("Clerk (科员)")
    DEPUTY_SECTION = "deputy_section", _("Deputy section level (副科级)")
    SECTION = "section", _("Section level (正科级)")
    DEPUTY_DIVISION = "deputy_division", _("Deputy division level (副处级)")
    DIVISION = "division", _("Division level (正处级)")


class Cadre(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="cadre"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadres"
    )
    position = models.CharField(_("position"), max_length=64)
    rank = models.CharField(
        _("rank"), max_length=32, choices=CadreRank.choices, default=CadreRank.CLERK
    )

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")

    def __str__(self) -> str:
        return f"{self.person} · {self.position}"


class MembershipStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class PartyMember(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="party_membership"
    )
    branch = models.ForeignKey(
        Unit,
        verbose_name=_("party branch"),
        on_delete=models.PROTECT,
        related_name="party_members",
        limit_choices_to={"kind": UnitKind.PARTY_BRANCH},
    )
    joined_on = models.DateField(_("date joined"))
    status = models.CharField(
        _("status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.FULL
    )

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")

    def __str__(self) -> str:
        return str(self.person)


class Volunteer(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="volunteer"
    )
    post = models.CharField(_("post"), max_length=64, blank=True)
    team = models.ForeignKey(
        Unit,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteers",
        limit_choices_to={"kind": UnitKind.VOLUNTEER_TEAM},
    )

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return str(self.person)


class PositionKind(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    TOWNSHIP_PARTY_SECRETARY = "township_party_secretary", _("Township party secretary")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COUNTY_LEADER_LIAISON = "county_leader_liaison", _("County leader responsible for (包联)")
    DISPATCHER = "dispatcher", _("Dispatcher")
    CASE_HANDLER = "case_handler", _("Case handler")


class Position(models.Model):
    """A post someone holds for a time: a branch secretary, a county leader's 包联, a dispatcher…"""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="positions"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PositionKind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("township responsible for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
    )
    subject = models.CharField(_("project responsible for"), max_length=200, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["kind", "start_date"]
        indexes = [models.Index(fields=["kind", "unit"]), models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"
