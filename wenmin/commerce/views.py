"""支部+电商 pages: the staff's figures and lists, a branch's farmers, produce, outlets and sales,
and the public produce page of each township (phones: the branch's office number only)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.commerce import access, rules, selectors, services
from wenmin.commerce.forms import (
    CommerceFilterForm,
    ContactForm,
    FarmerForm,
    OutletForm,
    ProduceForm,
    SaleForm,
)
from wenmin.commerce.models import Outlet
from wenmin.core.models import User

PAGE = 50


def _staff(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.commerce_user(user):
        raise PermissionDenied
    return user


def _errors_to_form(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not record this."))
    elif hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _filter(request: HttpRequest) -> selectors.CommerceFilter | None:
    form = CommerceFilterForm(request.GET)
    if not form.is_valid():
        return None
    return selectors.CommerceFilter(
        branch=form.cleaned_data.get("branch"), township=form.cleaned_data.get("township")
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Farmers helped, sales and income by branch and by township; each figure opens its list."""
    user = _staff(request)
    return render(
        request,
        "commerce/home.html",
        {
            "by_branch": selectors.figures(user, "branch"),
            "by_township": selectors.figures(user, "township"),
            "may_write": selectors.branches_visible_to(user).exists()
            and user.role != "county_leader",
        },
    )


@login_required
@require_GET
def farmers(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    f = _filter(request)
    if f is None:
        return render(request, "commerce/bad_filter.html", status=400)
    rows = (
        selectors.filtered(selectors.farmers_visible_to(user), f)
        .select_related("person", "village", "branch")
        .order_by("branch__code", "id")
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    for farmer in page.object_list:
        farmer.masked = rules.masked_name(farmer.person.name)  # type: ignore[attr-defined]
    return render(request, "commerce/farmers.html", {"page": page, "query": f.query()})


@login_required
@require_GET
def sales(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    f = _filter(request)
    if f is None:
        return render(request, "commerce/bad_filter.html", status=400)
    rows = selectors.filtered(selectors.sales_visible_to(user), f)
    count, income = selectors.totals(rows)
    page = Paginator(
        rows.select_related("produce", "outlet", "branch").order_by("-month", "-id"), PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "commerce/sales.html", {"page": page, "count": count, "income": income})


def _write_page(
    request: HttpRequest, form_class: type[Any], template: str, save: Any, extra: Any
) -> HttpResponse:
    user = _staff(request)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, user=user)
        if form.is_valid():
            try:
                save(user, form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
        status = 400
    else:
        own = access.own_branch(user)
        form = form_class(initial={"branch": own} if own else {}, user=user)
    return render(request, template, {"form": form, **extra(user)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def farmer_new(request: HttpRequest) -> HttpResponse:
    """A branch adds a resident farmer it helps."""

    def save(user: User, data: dict[str, Any]) -> None:
        services.farmer_add(
            actor=user, branch=data["branch"], person=data["person"], since=data["since"]
        )

    return _write_page(request, FarmerForm, "commerce/farmer_new.html", save, lambda user: {})


@login_required
@require_http_methods(["GET", "POST"])
def outlets(request: HttpRequest) -> HttpResponse:
    """Where the viewer's branches sell, and a new one."""

    def save(user: User, data: dict[str, Any]) -> None:
        services.outlet_add(
            actor=user, branch=data["branch"], kind=data["kind"], name=data["name"], url=data["url"]
        )

    def extra(user: User) -> dict[str, Any]:
        rows = Outlet.objects.filter(branch__in=selectors.branches_visible_to(user))
        return {
            "outlets": list(rows.select_related("branch").order_by("branch__code", "kind")[:500])
        }

    return _write_page(request, OutletForm, "commerce/outlets.html", save, extra)


@login_required
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """The branch's office number buyers call."""

    def save(user: User, data: dict[str, Any]) -> None:
        services.contact_set(
            actor=user,
            branch=data["branch"],
            office_phone=data["office_phone"],
            intro=data["intro"],
        )

    return _write_page(request, ContactForm, "commerce/contact.html", save, lambda user: {})


@login_required
@require_http_methods(["GET", "POST"])
def farmer_detail(request: HttpRequest, farmer_id: int) -> HttpResponse:
    """A farmer (masked) with their produce, and a new produce."""
    user = _staff(request)
    farmer = selectors.farmer_get_for(user, farmer_id)
    form = ProduceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.produce_record(actor=user, farmer=farmer, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("commerce:farmer", farmer.pk)
    return render(
        request,
        "commerce/farmer.html",
        {
            "farmer": farmer,
            "masked": rules.masked_name(farmer.person.name),
            "produce": list(farmer.produce.order_by("name", "id")),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def produce_detail(request: HttpRequest, produce_id: int) -> HttpResponse:
    """A produce with its sales, and a new sale."""
    user = _staff(request)
    produce = selectors.produce_get_for(user, produce_id)
    form = SaleForm(request.POST or None, branch_id=produce.branch_id)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.sale_record(actor=user, produce=produce, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("commerce:produce", produce.pk)
    return render(
        request,
        "commerce/produce.html",
        {
            "produce": produce,
            "masked": rules.masked_name(produce.farmer.person.name),
            "sales": list(produce.sales.select_related("outlet").order_by("-month", "-id")),
            "form": form,
        },
        status=status,
    )


@require_GET
def market(request: HttpRequest) -> HttpResponse:
    """Public: the townships whose branches offer produce."""
    return render(
        request, "commerce/market.html", {"townships": selectors.townships_with_produce()}
    )


@require_GET
def market_township(request: HttpRequest, township_id: int) -> HttpResponse:
    """Public: a township's produce by branch, with where to buy and the branch's office number."""
    township = selectors.public_township(township_id)
    return render(
        request,
        "commerce/market_township.html",
        {"township": township, "offers": selectors.public_offers(township)},
    )
