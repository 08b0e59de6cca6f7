"""The clerk's pages: the list of centres and stations, a centre's desk (queue, walk-ins, a case
instead), a service record, the catalogue; each view calls one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core import validators
from wenmin.core.formfields import search_text
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.organisation.models import Unit, UnitKind
from wenmin.platforms import access, selectors, services
from wenmin.platforms.forms import (
    HoursForm,
    ItemForm,
    RecordExportForm,
    ServiceRecordForm,
    WalkinCaseForm,
)
from wenmin.platforms.models import QueueTicket, ServiceItem, ServiceRecord
from wenmin.platforms.views_common import errors_to_form, rating_qr, served_unit, staff


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The centres and stations the viewer may open, centres first, searchable by name."""
    user = staff(request)
    text, status = search_text(request, "q", max_length=50)
    units = selectors.platforms_visible_to(user).order_by("-kind", "region__path", "code")
    if text:
        units = units.filter(name__icontains=text)
    kind = request.GET.get("kind", "")
    if kind in (UnitKind.SERVICE_CENTRE, UnitKind.WORK_STATION):
        units = units.filter(kind=kind)
    try:
        page_number = validators.check_page(request.GET.get("page", "1"))
    except ValidationError:
        page_number, status = 1, 400
    page = Paginator(units, selectors.PAGE_SIZE).get_page(page_number)
    return render(
        request,
        "platforms/home.html",
        {"page": page, "q": text, "kind": kind, "can_edit": access.may_edit_catalogue(user)},
        status=status,
    )


def _called_tickets(unit_id: int) -> object:
    day = timezone.localdate()
    return QueueTicket.objects.filter(
        unit_id=unit_id, day=day, called_at__isnull=False, record__isnull=True
    ).order_by("number")


def _desk(
    request: HttpRequest,
    unit_id: int,
    form: object = None,
    case_form: object = None,
    status: int = 200,
) -> HttpResponse:
    user, unit = served_unit(request, unit_id)
    today = timezone.localdate()
    tickets = list(selectors.tickets_today(unit, today))
    waiting = [t for t in tickets if t.called_at is None]
    records = list(
        selectors.records_of(unit).filter(started_at__date=today).order_by("-started_at")[:30]
    )
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return render(
        request,
        "platforms/desk.html",
        {
            "unit": unit,
            "waiting": waiting,
            "called": [t for t in tickets if t.called_at is not None][-5:],
            "records": records,
            "form": form
            or ServiceRecordForm(
                unit=unit,
                tickets=_called_tickets(unit.pk),
                initial={"started_at": now, "ended_at": now},
            ),
            "case_form": case_form
            or WalkinCaseForm(
                tickets=_called_tickets(unit.pk), initial={"started_at": now, "ended_at": now}
            ),
            "can_edit": access.may_edit_catalogue(user),
            **_export_context(user, unit),
        },
        status=status,
    )


def _export_context(user: User, unit: Unit) -> dict[str, object]:
    """The service records ledger's form, for those who may export it."""
    if not access.may_export_records(user, unit):
        return {"may_export": False}
    today = timezone.localdate()
    form = RecordExportForm(today=today, initial={"month": today.strftime("%Y-%m")})
    return {"may_export": True, "export_form": form}


@login_required
@require_GET
def desk(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A centre's counter: the queue, a walk-in's service, or a case instead."""
    return _desk(request, unit_id)


@login_required
@require_POST
def record_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    user, unit = served_unit(request, unit_id)
    form = ServiceRecordForm(request.POST, unit=unit, tickets=_called_tickets(unit.pk))
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.service_record(
                actor=user,
                unit=unit,
                item=data["item"],
                resident_name=data["resident_name"],
                resident_phone=data["resident_phone"],
                started_at=data["started_at"],
                ended_at=data["ended_at"],
                result=data["result"],
                note=data["note"],
                ticket=data["ticket"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Service recorded."))
            return redirect("platforms:record_detail", record.pk)
    return _desk(request, unit.pk, form=form, status=400)


@login_required
@require_POST
def case_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    user, unit = served_unit(request, unit_id)
    form = WalkinCaseForm(request.POST, tickets=_called_tickets(unit.pk))
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.walkin_case_open(
                actor=user,
                unit=unit,
                resident_name=data["resident_name"],
                resident_phone=data["resident_phone"],
                content=data["content"],
                kind=data["kind"],
                started_at=data["started_at"],
                ended_at=data["ended_at"],
                ticket=data["ticket"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Case opened: %(number)s.")
                % {"number": record.case.number if record.case else ""},
            )
            return redirect("platforms:record_detail", record.pk)
    return _desk(request, unit.pk, case_form=form, status=400)


@login_required
@require_POST
def ticket_take(request: HttpRequest, unit_id: int) -> HttpResponse:
    user, unit = served_unit(request, unit_id)
    ticket = services.ticket_take(actor=user, unit=unit)
    messages.success(request, _("Number %(number)03d issued.") % {"number": ticket.number})
    return redirect("platforms:desk", unit.pk)


@login_required
@require_POST
def ticket_call(request: HttpRequest, unit_id: int) -> HttpResponse:
    user, unit = served_unit(request, unit_id)
    try:
        ticket = services.ticket_call_next(actor=user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _desk(request, unit.pk, status=400)
    messages.success(request, _("Calling number %(number)03d.") % {"number": ticket.number})
    return redirect("platforms:desk", unit.pk)


@login_required
@require_GET
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    """A service record, with the QR code the resident scans to rate it."""
    user = staff(request)
    record = (
        ServiceRecord.objects.select_related("unit__region", "item", "resident", "ticket", "case")
        .filter(pk=id_or_404(record_id), unit__in=selectors.platforms_visible_to(user))
        .first()
    )
    if record is None:
        raise Http404
    return render(
        request,
        "platforms/record_detail.html",
        {
            "record": record,
            "rated": hasattr(record, "rating"),
            "qr": rating_qr(record.unit, record.rating_code),
            "serving": access.may_serve(user, record.unit),
        },
    )


def _catalogue_page(
    request: HttpRequest,
    unit_id: int,
    form: ItemForm | None = None,
    hours_form: HoursForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff(request)
    unit = selectors.platform_get_for(user, unit_id)
    return render(
        request,
        "platforms/catalogue.html",
        {
            "unit": unit,
            "items": selectors.catalogue(unit, offered_only=False),
            "can_edit": access.may_edit_catalogue(user),
            "form": form or ItemForm(),
            "hours_form": hours_form or HoursForm(initial={"hours": selectors.hours_of(unit)}),
            **_export_context(user, unit),
        },
        status=status,
    )


@login_required
@require_GET
def catalogue(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A centre's services (事项): name, documents, time limit, fee, 代办; editable by the county."""
    return _catalogue_page(request, unit_id)


def _editor(request: HttpRequest) -> User:
    user = staff(request)
    if not access.may_edit_catalogue(user):
        raise PermissionDenied
    return user


@login_required
@require_POST
def item_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = _editor(request)
    unit = selectors.platform_get_for(user, unit_id)
    form = ItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.item_save(
                actor=user,
                unit=unit,
                name=data["name"],
                documents=data["documents"],
                time_limit_days=data["time_limit_days"],
                fee=data["fee"] if data["fee"] is not None else 0,
                errand_allowed=data["errand_allowed"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Service added to the catalogue."))
            return redirect("platforms:catalogue", unit.pk)
    return _catalogue_page(request, unit.pk, form=form, status=400)


def _item_for(request: HttpRequest, item_id: int) -> tuple[User, ServiceItem]:
    user = _editor(request)
    item = (
        ServiceItem.objects.select_related("unit__region")
        .filter(pk=id_or_404(item_id), unit__in=selectors.platforms_visible_to(user))
        .first()
    )
    if item is None:
        raise Http404
    return user, item


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user, item = _item_for(request, item_id)
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.item_save(
                    actor=user,
                    unit=item.unit,
                    item=item,
                    name=data["name"],
                    documents=data["documents"],
                    time_limit_days=data["time_limit_days"],
                    fee=data["fee"] if data["fee"] is not None else 0,
                    errand_allowed=data["errand_allowed"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Service changed."))
                return redirect("platforms:catalogue", item.unit_id)
        status = 400
    else:
        form = ItemForm(
            initial={
                "name": item.name,
                "documents": item.documents,
                "time_limit_days": item.time_limit_days,
                "fee": item.fee,
                "errand_allowed": item.errand_allowed,
            }
        )
        status = 200
    return render(request, "platforms/item_edit.html", {"item": item, "form": form}, status=status)


@login_required
@require_POST
def item_offer(request: HttpRequest, item_id: int) -> HttpResponse:
    user, item = _item_for(request, item_id)
    offered = request.POST.get("offered") == "1"
    services.item_set_offered(actor=user, item=item, offered=offered)
    messages.success(request, _("Service offered again.") if offered else _("Service withdrawn."))
    return redirect("platforms:catalogue", item.unit_id)


@login_required
@require_POST
def hours_set(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = _editor(request)
    unit = selectors.platform_get_for(user, unit_id)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.hours_set(actor=user, unit=unit, hours=form.cleaned_data["hours"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("platforms:catalogue", unit.pk)
    return _catalogue_page(request, unit.pk, hours_form=form, status=400)
