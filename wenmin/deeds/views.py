"""The deeds ledger's pages: figures, lists, the Excel ledger, recording (on a phone too), a
deed's page with its photos and confirmation, a need solved on the spot recorded as a deed."""

from __future__ import annotations

import tempfile
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core import roles
from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.deeds import access, selectors, services
from wenmin.deeds.export import beneficiary, doer_name, ledger_workbook
from wenmin.deeds.forms import ConfirmForm, DeedFilterForm, DeedForm
from wenmin.deeds.models import ConfirmerKind, Deed, DeedState
from wenmin.deeds.services.sources import need_deed_input, need_recordable
from wenmin.surveys.models import Need
from wenmin.surveys.selectors import visit_get_for

PAGE = 50


def _staff(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.deeds_user(user):
        raise PermissionDenied
    return user


def _errors_to_form(form: DeedForm | ConfirmForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _filtered(request: HttpRequest) -> tuple[DeedFilterForm, selectors.DeedFilter | None]:
    form = DeedFilterForm(request.GET)
    return form, (form.deed_filter() if form.is_valid() else None)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The ledger's figures in the viewer's part of the county: each links to its list."""
    user = _staff(request)
    form, f = _filtered(request)
    if f is None:
        return render(request, "deeds/bad_filter.html", {"form": form}, status=400)
    figures = selectors.deed_figures(selectors.deeds_visible_to(user), f)
    return render(
        request,
        "deeds/home.html",
        {"figures": figures, "filter": f, "may_record": access.recording_user(user)},
    )


@login_required
@require_GET
def deed_list(request: HttpRequest) -> HttpResponse:
    """The deeds a figure counts, with how many there are."""
    user = _staff(request)
    form, f = _filtered(request)
    if f is None:
        return render(request, "deeds/bad_filter.html", {"form": form}, status=400)
    deeds = selectors.deeds_filtered(selectors.deeds_visible_to(user), f)
    rows = deeds.select_related(*selectors.LIST_RELATED).order_by("-done_on", "-id")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    for deed in page.object_list:
        deed.for_whom = beneficiary(deed)  # type: ignore[attr-defined]
        deed.doer = doer_name(deed)  # type: ignore[attr-defined]
    return render(
        request,
        "deeds/list.html",
        {"page": page, "filter": f, "query": f.query(), "may_export": roles.can_export(user.role)},
    )


@login_required
@never_cache
@require_GET
def export(request: HttpRequest) -> FileResponse:
    """The listed deeds as the Excel ledger offices keep (staff who may export)."""
    user = _staff(request)
    if not roles.can_export(user.role):
        raise PermissionDenied
    form, f = _filtered(request)
    if f is None:
        raise Http404
    deeds = selectors.deeds_filtered(selectors.deeds_visible_to(user), f)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        count = ledger_workbook(deeds=deeds, title=_("Ledger of practical deeds"), target=handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    audit_record(actor=user, action="deeds.export", changes={"deeds": count, "filter": f.query()})
    return FileResponse(
        handle, as_attachment=True, filename="deeds-ledger.xlsx", content_type=XLSX_CONTENT_TYPE
    )


def _record(request: HttpRequest, user: User, need: Need | None) -> HttpResponse:
    initial = {}
    if need is not None:
        start = need_deed_input(need)
        initial = {
            "title": start.title,
            "done_on": start.done_on,
            "beneficiary_kind": start.beneficiary_kind,
            "household": start.household.code if start.household else "",
            "village": start.village,
            "doer_kind": start.doer_kind,
            "team": start.team,
        }
    elif user.role == roles.Role.BRANCH_SECRETARY and user.unit is not None:
        initial = {"doer_kind": "branch", "branch": user.unit, "beneficiary_kind": "household"}
    if request.method == "POST":
        form = DeedForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.deed_input(request.FILES.getlist("photos"))
            try:
                if need is not None:
                    deed = services.deed_from_need(need=need, actor=user, data=data)
                else:
                    deed = services.deed_record(actor=user, data=data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The deed is recorded."))
                return redirect("deeds:detail", deed.pk)
        status = 400
    else:
        form = DeedForm(initial=initial, user=user)
        status = 200
    return render(request, "deeds/new.html", {"form": form, "need": need}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def deed_new(request: HttpRequest) -> HttpResponse:
    """Record a deed (a phone page: photos from the camera)."""
    user = _staff(request)
    if not access.recording_user(user):
        raise PermissionDenied
    return _record(request, user, None)


@login_required
@require_http_methods(["GET", "POST"])
def from_need(request: HttpRequest, need_id: int) -> HttpResponse:
    """Record a survey need solved on the spot as a deed, starting from what the visit said."""
    user = _staff(request)
    if not access.recording_user(user):
        raise PermissionDenied
    need = (
        Need.objects.select_related("visit", "kind", "household", "village")
        .filter(pk=id_or_404(need_id))
        .first()
    )
    if need is None:
        raise Http404
    visit_get_for(user, need.visit_id)  # 404 unless the viewer may read the visit
    if not need_recordable(need):
        raise Http404
    return _record(request, user, need)


def _confirm_choices(user: User, deed: Deed) -> list[str]:
    if deed.state == DeedState.CONFIRMED or deed.author_id == user.pk:
        return []
    if access.resident_user(user):
        return [ConfirmerKind.RESIDENT]
    if access.speaks_for_village(user):
        return [ConfirmerKind.VILLAGE]
    return []


@login_required
@require_GET
def deed_detail(request: HttpRequest, deed_id: int) -> HttpResponse:
    """One deed: what, for whom (a household's number, never a name), photos, confirmation."""
    user = cast(User, request.user)
    if access.resident_user(user):
        deed = selectors.deeds_for_resident(user).filter(pk=id_or_404(deed_id)).first()
        if deed is None:
            raise Http404
    else:
        deed = selectors.deed_get_for(_staff(request), deed_id)
    return _detail(request, user, deed, None)


def _detail(
    request: HttpRequest, user: User, deed: Deed, form: ConfirmForm | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "deeds/detail.html",
        {
            "deed": deed,
            "for_whom": beneficiary(deed),
            "doer": doer_name(deed),
            "photos": list(deed.photos.all()),
            "confirm_as": _confirm_choices(user, deed),
            "form": form or ConfirmForm(),
            "is_author": deed.author_id == user.pk,
        },
        status=status,
    )


@login_required
@require_POST
def deed_confirm(request: HttpRequest, deed_id: int) -> HttpResponse:
    """The village or the resident confirms a deed (never its author)."""
    user = cast(User, request.user)
    if access.resident_user(user):
        deed = selectors.deeds_for_resident(user).filter(pk=id_or_404(deed_id)).first()
        if deed is None:
            raise Http404
    else:
        deed = selectors.deed_get_for(_staff(request), deed_id)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.deed_confirm(
                deed=deed,
                actor=user,
                confirmer_kind=form.cleaned_data["confirmer_kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not confirm this deed."))
        else:
            messages.success(request, _("The deed is confirmed."))
            return redirect("deeds:detail", deed.pk)
    return _detail(request, user, deed, form, status=400)


@login_required
@require_GET
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A deed's photo, for a viewer who may see the deed."""
    found = selectors.photo_get_for(cast(User, request.user), photo_id)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, filename=found.original_name, content_type=found.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A resident's page: the deeds done for their household, to confirm."""
    user = cast(User, request.user)
    if not access.resident_user(user):
        raise PermissionDenied
    deeds = list(selectors.deeds_for_resident(user).select_related(*selectors.LIST_RELATED)[:200])
    for deed in deeds:
        deed.doer = doer_name(deed)  # type: ignore[attr-defined]
    return render(request, "deeds/mine.html", {"deeds": deeds, "count": len(deeds)})


def need_link(user: User, need: Need) -> str | None:
    """The "record as a deed" link next to a need solved on the spot (surveys.need_actions)."""
    if not access.recording_user(user) or not need_recordable(need):
        return None
    return reverse("deeds:from_need", args=[need.pk])


def dashboard_figure(user: User) -> tuple[int, str] | None:
    """The county's running total of deeds (the viewer's part of it) on the staff's home."""
    if not access.deeds_user(user):
        return None
    return selectors.deed_total_for(user), reverse("deeds:list")
