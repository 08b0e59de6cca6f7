"""The only door for reads of households that need permission, and the visit list of needs surveys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from wenmin.core.crypto import personal_data_viewed
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.households import rules
from wenmin.households.models import CareCategory, Household, HouseholdCare, HouseholdMember
from wenmin.organisation.models import Person, Region
from wenmin.organisation.selectors import scope_for, volunteer_of


def region_path_of_scope(user: User) -> str | None:
    """The region prefix whose households a scoped viewer sees ("" for everything, None for
    none); see rules for the decisions."""
    if not rules.household_viewer(user):
        return None
    scope = scope_for(user)
    if scope.everything:
        return ""
    if user.role in (Role.TOWNSHIP_STAFF, Role.BRANCH_SECRETARY):
        return scope.region_path or None
    if user.role == Role.VOLUNTEER:
        volunteer = volunteer_of(user)
        if volunteer is not None and volunteer.team is not None:
            return str(volunteer.team.region.path)
    return None


def households_visible_to(user: User) -> QuerySet[Household]:
    """Households in the viewer's scope."""
    path = region_path_of_scope(user)
    households = Household.objects.all()
    if path is None:
        return households.none()
    if path:
        households = households.filter(region__path__startswith=path)
    return households


def household_get_for(user: User, household_id: object) -> Household:
    """One household the viewer may see, or 404."""
    try:
        households = households_visible_to(user).select_related("region", "head")
        return households.get(pk=household_id)  # type: ignore[misc]  # junk ids answer 404
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def regions_editable_by(user: User) -> QuerySet[Region]:
    """The villages and groups where the viewer may create or move households."""
    regions = Region.objects.filter(level__in=rules.HOUSEHOLD_LEVELS)
    if not rules.household_editor(user):
        return regions.none()
    scope = scope_for(user)
    if scope.everything:
        return regions
    if user.role == Role.TOWNSHIP_STAFF and scope.region_path:
        return regions.filter(path__startswith=scope.region_path)
    return regions.none()


def household_editable_by(user: User, household: Household) -> bool:
    return regions_editable_by(user).filter(pk=household.region_id).exists()


# Care categories -------------------------------------------------------------------------------


def care_categories(*, active_only: bool = True) -> QuerySet[CareCategory]:
    """The county's care categories in their order."""
    categories = CareCategory.objects.all()
    return categories.filter(active=True) if active_only else categories


def must_visit_codes() -> list[str]:
    """The codes of the active categories whose households needs surveys must visit."""
    return list(
        CareCategory.objects.filter(active=True, must_visit=True).values_list("code", flat=True)
    )


def _marked(codes: Iterable[str]) -> QuerySet[HouseholdCare]:
    return HouseholdCare.objects.filter(digest__in=[rules.care_digest(code) for code in codes])


def households_in_care(
    *, regions: Iterable[Region] | None = None, categories: Iterable[str] | None = None
) -> QuerySet[Household]:
    """Households with at least one care category that must be visited (or one of `categories`,
    by code) in those regions and the regions under them; not scoped (the caller scopes)."""
    codes = must_visit_codes() if categories is None else list(categories)
    households = Household.objects.filter(pk__in=_marked(codes).values("household_id"))
    if regions is not None:
        paths = [region.path for region in regions]
        if not paths:
            return households.none()
        within = Q()
        for path in paths:
            within |= Q(region__path__startswith=path)
        households = households.filter(within)
    return households


def household_member_ids(household: Household) -> list[int]:
    return list(household.memberships.values_list("person_id", flat=True))


def household_care_codes(
    household: Household, *, viewer: Any = None, reason: str = "household.care"
) -> list[str]:
    """The household's care category codes, decrypted; the members' access log says who saw them."""
    codes = rules.care_codes_split(household.care_codes)
    if codes:
        personal_data_viewed(
            viewer=viewer,
            person_ids=household_member_ids(household),
            fields=["care_categories"],
            reason=reason,
        )
    return codes


def households_care_codes(
    households: list[Household], *, viewer: Any, reason: str
) -> dict[int, list[str]]:
    """The care codes of several households (a page, an export chunk), logged in one write."""
    codes = {h.pk: rules.care_codes_split(h.care_codes) for h in households}
    shown = [pk for pk, found in codes.items() if found]
    if shown:
        personal_data_viewed(
            viewer=viewer,
            person_ids=HouseholdMember.objects.filter(household_id__in=shown).values_list(
                "person_id", flat=True
            ),
            fields=["care_categories"],
            reason=reason,
        )
    return codes


def households_addresses_viewed(households: list[Household], *, viewer: Any, reason: str) -> None:
    """Several households' addresses went out in clear (an export chunk): one log write."""
    shown = [h.pk for h in households if h.address]
    if shown:
        personal_data_viewed(
            viewer=viewer,
            person_ids=HouseholdMember.objects.filter(household_id__in=shown).values_list(
                "person_id", flat=True
            ),
            fields=["address"],
            reason=reason,
        )


def household_address(household: Household, *, viewer: Any, reason: str) -> str:
    """The household's address in clear; the members' access log says who saw it."""
    if household.address:
        personal_data_viewed(
            viewer=viewer,
            person_ids=household_member_ids(household),
            fields=["address"],
            reason=reason,
        )
    return str(household.address)


# Lists -----------------------------------------------------------------------------------------


def households_filtered(
    *,
    user: User,
    region: Region | None = None,
    care: str = "",
) -> QuerySet[Household]:
    """The viewer's households under a region, on the visit list (care="visit") or in one care
    category (only for roles that see categories), with what a list row shows."""
    households = households_visible_to(user)
    if region is not None:
        households = households.filter(region__path__startswith=region.path)
    if care == rules.VISIT_FILTER:
        households = households.filter(pk__in=_marked(must_visit_codes()).values("household_id"))
    elif care and rules.can_see_care_categories(user.role):
        households = households.filter(pk__in=_marked([care]).values("household_id"))
    return with_row_facts(households)


def with_row_facts(households: QuerySet[Household]) -> QuerySet[Household]:
    """What each list row shows, in the list's one query: region, head, members, visit list."""
    return (
        households.select_related("region", "head")
        .annotate(
            member_count=Count("memberships", distinct=True),
            on_visit_list=Exists(_marked(must_visit_codes()).filter(household_id=OuterRef("pk"))),
        )
        .order_by("code")
    )


def care_counts(*, households: QuerySet[Household]) -> dict[str, int]:
    """How many of these households are in each active category, and on the visit list."""
    ids = households.order_by().values("pk")
    by_digest = dict(
        HouseholdCare.objects.filter(household_id__in=ids)
        .order_by()
        .values("digest")
        .annotate(n=Count("household_id"))
        .values_list("digest", "n")
    )
    counts = {code: by_digest.get(rules.care_digest(code), 0) for code in care_category_codes()}
    counts[rules.VISIT_FILTER] = (
        Household.objects.filter(pk__in=ids)
        .filter(pk__in=_marked(must_visit_codes()).values("household_id"))
        .count()
    )
    return counts


def care_category_codes() -> list[str]:
    return list(care_categories().values_list("code", flat=True))


def household_members(*, household: Household) -> QuerySet[HouseholdMember]:
    """A household's members with their person, the head first."""
    return (
        household.memberships.select_related("person")
        .annotate(is_head=ExpressionWrapper(Q(relation="head"), output_field=BooleanField()))
        .order_by("-is_head", "id")
    )


def households_stats() -> dict[str, Any]:
    """Counts for `wenmin stats --json`: every household, on the visit list, by category."""
    by_digest = dict(
        HouseholdCare.objects.order_by()
        .values("digest")
        .annotate(n=Count("household_id"))
        .values_list("digest", "n")
    )
    return {
        "total": Household.objects.count(),
        "in_care": households_in_care().count(),
        "by_category": {
            code: by_digest.get(rules.care_digest(code), 0)
            for code in care_categories(active_only=False).values_list("code", flat=True)
        },
    }


def household_subject_sheet(person: Person) -> tuple[str, list[str], list[list[Any]]]:
    """The person's household for their own export (privacy): in clear, as it is theirs."""
    from django.utils.translation import gettext as _

    membership = (
        HouseholdMember.objects.filter(person=person).select_related("household__region").first()
    )
    headers = [_("household number"), _("village or villagers' group"), _("address")]
    headers += [_("relation to the head"), _("care categories")]
    if membership is None:
        return _("Household"), headers, []
    household = membership.household
    names = dict(CareCategory.objects.values_list("code", "name"))
    care = [names.get(code, code) for code in rules.care_codes_split(household.care_codes)]
    row = [household.code, household.region.name, household.address]
    row += [membership.get_relation_display(), "、".join(care)]
    return _("Household"), headers, [row]
