"""The households pages: the list with its counts, a household, its forms, the export."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core.admin import add_service_errors
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.households import export, forms, rules, selectors, services
from wenmin.households.models import Household
from wenmin.organisation.models import Person

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 50


def _guard(predicate: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


viewer_page = _guard(rules.household_viewer)
editor_page = _guard(rules.household_editor)
exporter_page = _guard(rules.household_exporter)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)  # the guards let only logged-in users through


def _filters(
    request: HttpRequest, user: User
) -> tuple[forms.HouseholdFilterForm, Any, str, dict[str, str]]:
    """The filter form, the region and care it names, and the place as the query string says it."""
    form = forms.HouseholdFilterForm(request.GET, user=user, auto_id="households-%s")
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    place = {name: data[name].code for name in ("township", "village") if data.get(name)}
    region = data.get("village") or data.get("township")
    return form, region, data.get("care", ""), place


def _query(**values: Any) -> str:
    return urlencode({key: value for key, value in values.items() if value})


@viewer_page
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    """The viewer's households by region and care, with counts that open what they count."""
    user = _viewer(request)
    form, region, care, place = _filters(request, user)
    households = selectors.households_filtered(user=user, region=region, care=care)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    sees_care = rules.can_see_care_categories(user.role)
    codes = (
        selectors.households_care_codes(rows, viewer=user, reason="household.list")
        if sees_care
        else {}
    )
    categories = {c.code: c.name for c in selectors.care_categories(active_only=False)}
    in_region = selectors.households_filtered(user=user, region=region)
    counts = selectors.care_counts(households=in_region)
    count_links: list[tuple[Any, int, str, bool]] = [
        (_("All households"), in_region.count(), _query(**place), care == ""),
        (
            _("On the visit list"),
            counts[rules.VISIT_FILTER],
            _query(**place, care=rules.VISIT_FILTER),
            care == rules.VISIT_FILTER,
        ),
    ]
    if sees_care:
        count_links += [
            (c.name, counts.get(c.code, 0), _query(**place, care=c.code), care == c.code)
            for c in selectors.care_categories()
        ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(h, [categories.get(code, code) for code in codes.get(h.pk, [])]) for h in rows],
        "sees_care": sees_care,
        "count_links": count_links,
        "query": query.urlencode(),
        "may_edit": rules.household_editor(user),
        "may_export": rules.household_exporter(user),
        "export_query": _query(**place, care=care),
        "several_townships": selectors.region_path_of_scope(user) == "",
        "staff": user.role != Role.VOLUNTEER,
    }
    return render(request, "households/list.html", context)


def _detail_context(user: User, household: Household, **extra: Any) -> dict[str, Any]:
    sees_care = rules.can_see_care_categories(user.role)
    names = {c.code: c.name for c in selectors.care_categories(active_only=False)}
    codes = (
        selectors.household_care_codes(household, viewer=user, reason="household.page")
        if sees_care
        else []
    )
    editable = selectors.household_editable_by(user, household)
    context = {
        "household": household,
        "address_masked": rules.mask_address(household.address),
        "members": selectors.household_members(household=household),
        "sees_care": sees_care,
        "care_names": [names.get(code, code) for code in codes],
        "on_visit_list": selectors.households_in_care().filter(pk=household.pk).exists(),
        "may_edit": editable,
        "may_reveal": rules.can_reveal_address(user.role),
        "staff": user.role != Role.VOLUNTEER,
    }
    if editable:
        context.setdefault("member_form", forms.MemberForm(user=user, auto_id="member-%s"))
        context.setdefault("care_form", forms.CareForm(initial={"codes": codes}, auto_id="care-%s"))
    context.update(extra)
    return context


@viewer_page
@require_GET
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    """A household: masked address, members with masked phones, care categories for those who act on them."""
    user = _viewer(request)
    household = selectors.household_get_for(user, household_id)
    return render(request, "households/detail.html", _detail_context(user, household))


@viewer_page
@require_POST
@never_cache
def household_reveal_address(request: HttpRequest, household_id: int) -> HttpResponse:
    """The address in clear, for a role that may reveal personal data; logged each time."""
    user = _viewer(request)
    household = selectors.household_get_for(user, household_id)
    address = services.household_address_reveal(actor=user, household=household)
    return render(
        request, "households/detail.html", _detail_context(user, household, address=address)
    )


@editor_page
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    """Register a household in a village or group of the viewer's township."""
    user = _viewer(request)
    form = forms.HouseholdForm(request.POST or None, user=user, auto_id="household-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.household_create(
                actor=user,
                code=data["code"],
                region=data["region"],
                address=data["address"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Household %(code)s registered.") % {"code": household.code}
            )
            return redirect("households:detail", household.pk)
    return render(request, "households/form.html", {"form": form, "household": None})


@editor_page
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    """Change a household's number, place, address or note."""
    user = _viewer(request)
    household = selectors.household_get_for(user, household_id)
    if not selectors.household_editable_by(user, household):
        raise PermissionDenied
    initial = {"code": household.code, "region": household.region, "note": household.note}
    form = forms.HouseholdForm(
        request.POST or None, user=user, editing=True, initial=initial, auto_id="household-%s"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"code": data["code"], "region": data["region"], "note": data["note"]}
        if data["address"]:
            fields["address"] = data["address"]
        try:
            services.household_update(actor=user, household=household, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Household %(code)s saved.") % {"code": data["code"]})
            return redirect("households:detail", household.pk)
    return render(request, "households/form.html", {"form": form, "household": household})


def _editable(request: HttpRequest, household_id: int) -> tuple[User, Household]:
    user = _viewer(request)
    household = selectors.household_get_for(user, household_id)
    if not selectors.household_editable_by(user, household):
        raise PermissionDenied
    return user, household


@editor_page
@require_POST
def household_member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    """Add a person of the register to the household."""
    user, household = _editable(request, household_id)
    form = forms.MemberForm(request.POST, user=user, auto_id="member-%s")
    if form.is_valid():
        try:
            services.household_member_add(
                actor=user,
                household=household,
                person=form.cleaned_data["person"],
                relation=form.cleaned_data["relation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s added.") % {"name": form.cleaned_data["person"].name}
            )
            return redirect("households:detail", household.pk)
    context = _detail_context(user, household, member_form=form)
    return render(request, "households/detail.html", context, status=400)


@editor_page
@require_POST
def household_member_remove(
    request: HttpRequest, household_id: int, person_id: int
) -> HttpResponse:
    """Take a member off the household."""
    user, household = _editable(request, household_id)
    person = Person.objects.filter(pk=person_id, household_membership__household=household).first()
    if person is None:
        messages.error(request, _("This person is not a member of this household."))
        return redirect("households:detail", household.pk)
    services.household_member_remove(actor=user, household=household, person=person)
    messages.success(request, _("%(name)s removed.") % {"name": person.name})
    return redirect("households:detail", household.pk)


@editor_page
@require_POST
def household_care(request: HttpRequest, household_id: int) -> HttpResponse:
    """Set the household's care categories."""
    user, household = _editable(request, household_id)
    form = forms.CareForm(request.POST, auto_id="care-%s")
    if form.is_valid():
        try:
            services.household_care_set(
                actor=user, household=household, codes=form.cleaned_data["codes"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Care categories saved."))
            return redirect("households:detail", household.pk)
    context = _detail_context(user, household, care_form=form)
    return render(request, "households/detail.html", context, status=400)


@exporter_page
@require_GET
def household_export(request: HttpRequest) -> FileResponse:
    """The listed households as Excel: addresses masked unless the role may reveal them."""
    user = _viewer(request)
    _form, region, care, _place = _filters(request, user)
    households = selectors.households_filtered(user=user, region=region, care=care)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    export.households_workbook(viewer=user, households=households, target=handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename="households.xlsx", content_type=XLSX_CONTENT_TYPE
    )


def list_url(**values: Any) -> str:
    """The list of households under these filters (the counts elsewhere link here)."""
    query = _query(**values)
    return reverse("households:list") + (f"?{query}" if query else "")
