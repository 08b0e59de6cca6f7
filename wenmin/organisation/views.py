"""The staff pages: the organisation tree, regions, units, people and the reveal of personal data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wenmin.core import formfields, roles
from wenmin.core.models import User
from wenmin.organisation import pickers, selectors, services, tree
from wenmin.organisation.models import WECHAT_KINDS, Person, RegionLevel, Unit, UnitKind

View = Callable[..., HttpResponse]
PAGE_SIZE = 50
# A real deployment has one county, shown with its townships; a city or province of demo
# counties is shown county by county, each opened on demand, so the page stays small.
INLINE_COUNTIES = 3
CADRE_KINDS = frozenset(
    {
        UnitKind.LEADERSHIP_BODY,
        UnitKind.DEPARTMENT,
        UnitKind.PARTY_COMMITTEE,
        UnitKind.TOWNSHIP_GOVERNMENT,
    }
)
REVEALABLE = ("phone", "id_number")


def staff_page(view: View) -> View:
    """Log in first (302 to the login page), then only the staff roles (403 for the others)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles.can_use_staff_pages(_viewer(request).role):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)  # staff_page has let only logged-in users through


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@staff_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The organisation tree of the viewer's scope, with totals."""
    user = _viewer(request)
    roots = tree.tree_roots_for(user=user)
    context: dict[str, Any] = {"roots": roots}
    if not roots:
        context["no_regions"] = not tree.regions_exist()
        return render(request, "organisation/home.html", context)
    context["summary"] = tree.scope_summary(user=user)
    counties = [root for root in roots if root.level == RegionLevel.COUNTY]
    if len(counties) > INLINE_COUNTIES:
        townships_per_county = tree.sub_region_counts(user=user, regions=counties)
        context["county_rows"] = [(county, townships_per_county[county.pk]) for county in counties]
    elif selectors.scope_for(user).everything:
        townships = tree.townships_under(user=user, roots=counties)
        rows = tree.region_rows(user=user, regions=[t for c in counties for t in townships[c.pk]])
        by_county: dict[int, list[tree.RegionRow]] = {county.pk: [] for county in counties}
        for row in rows:
            by_county[row.region.parent_id or 0].append(row)
        context["counties"] = [(county, by_county[county.pk]) for county in counties]
    else:
        context["rows"] = tree.region_rows(user=user, regions=roots)
        context["unit_tree"] = selectors.unit_tree_for(user=user)
    return render(request, "organisation/home.html", context)


@staff_page
@require_GET
def tree_children(request: HttpRequest, region_id: int) -> HttpResponse:
    """The fragment of a region's child regions with counts, loaded when a tree row opens."""
    user = _viewer(request)
    region = selectors.region_get_for(user, region_id)
    rows = tree.region_children_for(user=user, region=region)
    return render(request, "organisation/_tree_rows.html", {"rows": rows, "parent": region})


@staff_page
@require_GET
def region_detail(request: HttpRequest, region_id: int) -> HttpResponse:
    """A region: where it sits, its facts, child regions and units, with counts."""
    user = _viewer(request)
    region = selectors.region_get_for(user, region_id)
    counts = tree.region_counts(user=user, regions=[region])[region.pk]
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors_for(user=user, region=region),
        "counts": counts,
        "children": tree.region_children_for(user=user, region=region),
        "units": selectors.region_units_for(user=user, region=region),
    }
    return render(request, "organisation/region_detail.html", context)


@staff_page
@require_GET
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit: its facts, parent and sub-units, and its members, volunteers or cadres."""
    user = _viewer(request)
    unit = selectors.unit_get_for(user, unit_id)
    context: dict[str, Any] = {
        "unit": unit,
        "parent_visible": _unit_visible(user, unit.parent),
        "children": selectors.unit_children_for(user=user, unit=unit),
        "is_wechat": unit.kind in WECHAT_KINDS,
    }
    people: Any = None
    if unit.kind == UnitKind.PARTY_BRANCH:
        context["secretary"] = selectors.unit_secretary(unit=unit, on=timezone.localdate())
        people = selectors.unit_party_members(unit=unit)
        context["people_kind"] = "members"
    elif unit.kind == UnitKind.VOLUNTEER_TEAM:
        people = selectors.unit_volunteers(unit=unit)
        context["people_kind"] = "volunteers"
    elif unit.kind in CADRE_KINDS:
        people = selectors.unit_cadres(unit=unit)
        context["people_kind"] = "cadres"
    if people is not None:
        context["page"] = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisation/unit_detail.html", context)


def _unit_visible(user: User, unit: Unit | None) -> bool:
    return unit is not None and selectors.units_visible_to(user).filter(pk=unit.pk).exists()


class TownshipForm(django_forms.Form):
    township = pickers.PickerField("township", label=_("Township"), required=False, help_text="")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pickers.scope_pickers(self, user)


@staff_page
@require_GET
def people_search(request: HttpRequest) -> HttpResponse:
    """Find people in scope by part of a name or a whole mobile number, by role and township."""
    user = _viewer(request)
    text, status = formfields.search_text(request, "q", max_length=64)
    role = request.GET.get("role", "")
    if role not in selectors.PeopleRole.values:
        role = ""
    # A township picked as one types (a province has 1,500): a code out of scope finds nothing.
    form = TownshipForm(request.GET, user=user, auto_id="people-%s")
    township = form.cleaned_data.get("township") if form.is_valid() else None
    context: dict[str, Any] = {
        "text": text,
        "role": role,
        "township": township,
        "township_field": form["township"],
        "several_townships": pickers.townships_for(user)[:2].count() > 1,
        "role_choices": selectors.PeopleRole.choices,
        "searched": bool(text or role or township),
    }
    if context["searched"]:
        people = selectors.people_search(user=user, text=text, role=role, township=township)
        context["page"] = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
    return render(request, "organisation/people_search.html", context, status=status)


@staff_page
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person: masked contact data and every role they hold."""
    user = _viewer(request)
    person = selectors.person_get_for(user, person_id)
    return render(request, "organisation/person_detail.html", _person_context(user, person, {}))


def _person_context(user: User, person: Person, revealed: dict[str, str]) -> dict[str, Any]:
    return {
        "person": person,
        "positions": selectors.person_positions(person=person),
        "can_reveal": roles.can_reveal_personal_data(user.role),
        "revealed": revealed,
    }


@staff_page
@require_POST
@never_cache
def person_reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    """Show one phone or ID number in clear to a role that may see it; every reveal is audited."""
    user = _viewer(request)
    if field not in REVEALABLE:
        raise Http404
    person = selectors.person_get_for(user, person_id)
    value = services.personal_data_reveal(actor=user, person=person, field=field)
    if _is_htmx(request):
        context = {"person": person, "field": field, "revealed_value": value}
        return render(request, "organisation/_reveal.html", context)
    context = _person_context(user, person, {field: value})
    return render(request, "organisation/person_detail.html", context)


@staff_page
@require_GET
def pick(request: HttpRequest, kind: str) -> HttpResponse:
    """A picker's matches as datalist options: at most PICK_LIMIT, from the viewer's scope. The
    typed text comes under the field's own name (`field`), as htmx sends it, or as `q`."""
    if kind not in pickers.KINDS:
        raise Http404
    field = request.GET.get("field", "")
    text = request.GET.get(field, "") if field and field != "field" else ""
    text = text or request.GET.get("q", "")
    before = ""
    if "," in text:  # a field of several codes searches its last one and keeps the others
        head, text = text.rsplit(",", 1)
        before = f"{head.strip()}, "
    options = [
        (f"{before}{value}", label)
        for value, label in pickers.pick_search(user=_viewer(request), kind=kind, text=text)
    ]
    response = render(request, "organisation/_pick_options.html", {"options": options})
    response["Cache-Control"] = "private, no-store"
    return response
