"""Monthly reports from Excel: the template to fill in, the upload with its errors by row."""

from __future__ import annotations

import tempfile
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core.audit import audit_record
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.models import User
from wenmin.organisation.excel_import import ErrorLine, check_upload, read_rows
from wenmin.organisation.models import Region, RegionLevel
from wenmin.villages import access, selectors, services
from wenmin.villages.excel import REPORTS, write_template
from wenmin.villages.forms import ImportForm, TemplateForm

MAX_ERRORS_SHOWN = 200


def _reporter(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.reporter(user):
        raise PermissionDenied
    return user


def _area_by_code(user: User, code: str) -> Region | None:
    """A township or village of the viewer's part of the county, by its code."""
    return (
        selectors.areas_visible_to(user)
        .filter(code=code.strip(), level__in=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))
        .first()
    )


def _default_area(user: User) -> Region | None:
    area = selectors.home_area(user)
    return area if area is not None and area.level != RegionLevel.COUNTY else None


@login_required
@require_http_methods(["GET", "POST"])
def import_reports(request: HttpRequest) -> HttpResponse:
    """Upload a month's figures of a township's (or a village's) villages; all rows or none."""
    user = _reporter(request)
    default = _default_area(user)
    errors: list[ErrorLine] = []
    more = 0
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            area = _area_by_code(user, form.cleaned_data["area_code"])
            upload = form.cleaned_data["file"]
            if area is None:
                form.add_error("area_code", _("Give the code of a township or village of yours."))
            else:
                try:
                    check_upload(name=upload.name or "", size=upload.size or 0, head=upload.read(8))
                    upload.seek(0)
                    rows = list(read_rows(sheet=REPORTS, source=upload).rows)
                    if not rows:
                        raise ValidationError(_("The sheet has headers but no rows to import."))
                    checked = services.reports_import(actor=user, area=area, rows=rows)
                except ValidationError as error:
                    for text in error.messages:
                        form.add_error("file", text)
                else:
                    if not checked.failed:
                        messages.success(
                            request,
                            _("%(figures)s figures of %(reports)s monthly reports imported.")
                            % {"figures": checked.saved, "reports": checked.reports},
                        )
                        return redirect(reverse("villages:home") + f"?area={area.pk}")
                    for row in checked.failed:
                        for key, texts in row.errors.items():
                            column = REPORTS.column_for(key)
                            errors += [
                                ErrorLine(row.number, column.header if column else "", text)
                                for text in texts
                            ]
                    more = max(len(errors) - MAX_ERRORS_SHOWN, 0)
                    errors = errors[:MAX_ERRORS_SHOWN]
        status = 400
    else:
        form = ImportForm(initial={"area_code": default.code if default else ""})
        status = 200
    today = timezone.localdate()
    return render(
        request,
        "villages/import.html",
        {
            "form": form,
            "errors": errors,
            "more": more,
            "default": default,
            "month": f"{today.year}-{today.month:02d}",
        },
        status=status,
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponseBase:
    """The workbook to fill in: a row per village of the area and indicator, for a month."""
    user = _reporter(request)
    form = TemplateForm(request.GET)
    if not form.is_valid():
        return render(request, "villages/bad_filter.html", status=400)
    code = form.cleaned_data["area_code"] or ""
    area = _area_by_code(user, code) if code else _default_area(user)
    villages = selectors.villages_visible_to(user)
    if area is not None:
        villages = villages.filter(path__startswith=area.path)
    elif code:
        return render(request, "villages/bad_filter.html", status=400)
    today = timezone.localdate()
    year, month = form.cleaned_data["month"] or (today.year, today.month)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    rows = write_template(
        villages=villages.order_by("path").iterator(),
        indicators=selectors.indicators_in_use(),
        year=year,
        month=month,
        target=handle,
    )
    handle.seek(0)
    audit_record(
        actor=user,
        action="villages.template_download",
        target=area,
        changes={"rows": rows, "month": f"{year}-{month:02d}"},
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=REPORTS.filename(f"{year}{month:02d}模板"),
        content_type=XLSX_CONTENT_TYPE,
    )
