"""The Excel page: export what the viewer may see; the administrator imports and gets templates."""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core import roles
from wenmin.core.models import User
from wenmin.core.replica import use_replica
from wenmin.organisation.excel import MAX_UPLOAD_BYTES, SHEETS, XLSX_CONTENT_TYPE, Sheet
from wenmin.organisation.excel_export import export_workbook, write_template
from wenmin.organisation.excel_import import (
    ExcelFileError,
    ImportResult,
    check_upload,
    import_workbook,
    write_error_report,
)

View = Callable[..., HttpResponseBase]
SHOWN_ERRORS = 200  # the page lists this many; the downloadable report has them all
DESCRIPTIONS = {
    "regions": _("Administrative codes, names, levels, parent regions, population and location."),
    "units": _("Unit codes, names, kinds, their regions and parent units, member counts."),
    "people": _("People with their residence, party membership, cadre post and volunteer post."),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Workbook (.xlsx, at most %(mb)s MB and %(rows)s rows)") % {
            "mb": MAX_UPLOAD_BYTES // 1024 // 1024,
            "rows": f"{settings.WENMIN_IMPORT_MAX_ROWS:,}",
        }

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        head = upload.read(4)
        upload.seek(0)
        check_upload(name=upload.name or "", size=upload.size or 0, head=head)
        return upload


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (login_required ran first)
    return user


def exporter_page(view: View) -> View:
    """Log in first (302 to the login page), then only the roles that may export (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not roles.can_export(_viewer(request).role):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _sheet(key: str) -> Sheet:
    try:
        return SHEETS[key]
    except KeyError:
        raise Http404 from None


def _render(
    request: HttpRequest,
    *,
    forms_by_sheet: dict[str, ImportForm] | None = None,
    result: ImportResult | None = None,
) -> HttpResponse:
    user = _viewer(request)
    can_import = roles.can_manage_reference_data(user.role)
    cards = [
        {
            "sheet": sheet,
            "description": DESCRIPTIONS[sheet.key],
            "form": (forms_by_sheet or {}).get(sheet.key) or ImportForm(auto_id=f"{sheet.key}-%s"),
        }
        for sheet in SHEETS.values()
    ]
    context: dict[str, Any] = {
        "cards": cards,
        "can_import": can_import,
        "unmasked": roles.can_reveal_personal_data(user.role),
        "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        "max_rows": f"{settings.WENMIN_IMPORT_MAX_ROWS:,}",
    }
    if result is not None:
        lines = result.error_lines()
        report = io.BytesIO()
        write_error_report(result, report)
        context["report"] = {
            "sheet": result.sheet,
            "rows": len(result.outcome.rows),
            "failed": len(result.outcome.failed),
            "lines": lines[:SHOWN_ERRORS],
            "more": max(len(lines) - SHOWN_ERRORS, 0),
            # The report holds the uploader's own data: hand it back inline rather than keep
            # personal data on the server for a later download.
            "href": f"data:{XLSX_CONTENT_TYPE};base64,{base64.b64encode(report.getvalue()).decode()}",
            "filename": result.sheet.filename("错误报告"),
        }
    return render(request, "organisation/excel_home.html", context)


@exporter_page
@require_GET
def excel_home(request: HttpRequest) -> HttpResponse:
    """Three cards (regions, units, people): export, and for the administrator import."""
    return _render(request)


def _xlsx_response(write: Callable[[Any], Any], filename: str) -> FileResponse:
    # An unnamed temporary file: the workbook never sits in memory and is gone once sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        write(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


@exporter_page
@never_cache
@require_GET
@use_replica
def excel_export(request: HttpRequest, sheet: str) -> FileResponse:
    """The viewer's regions, units or people as .xlsx; personal data masked unless allowed."""
    spec = _sheet(sheet)
    user = _viewer(request)
    unmasked = roles.can_reveal_personal_data(user.role)
    return _xlsx_response(
        lambda handle: export_workbook(viewer=user, sheet=spec, target=handle, unmasked=unmasked),
        spec.filename(),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def excel_import(request: HttpRequest, sheet: str) -> HttpResponseBase:
    """GET: an empty template; POST: import a workbook, all rows or none (administrator only)."""
    spec = _sheet(sheet)
    user = _viewer(request)
    if not roles.can_manage_reference_data(user.role):
        raise PermissionDenied
    if request.method == "GET":
        return _xlsx_response(
            lambda handle: write_template(sheet=spec, target=handle), spec.filename("模板")
        )
    form = ImportForm(request.POST, request.FILES, auto_id=f"{spec.key}-%s")
    if not form.is_valid():
        return _render(request, forms_by_sheet={spec.key: form})
    try:
        result = import_workbook(actor=user, sheet=spec, source=form.cleaned_data["file"].file)
    except ExcelFileError as error:
        form.add_error("file", error)
        return _render(request, forms_by_sheet={spec.key: form})
    if not result.ok:
        return _render(request, result=result)
    messages.success(
        request,
        ngettext(
            "%(sheet)s: %(count)s row imported.",
            "%(sheet)s: %(count)s rows imported.",
            result.created,
        )
        % {"sheet": spec.label, "count": result.created},
    )
    return redirect("organisation:excel_home")
