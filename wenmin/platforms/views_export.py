"""A centre's service records ledger as an Excel download, from its staff pages."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.replica import use_replica
from wenmin.platforms import access, selectors
from wenmin.platforms.export import filename, records_workbook
from wenmin.platforms.forms import RecordExportForm
from wenmin.platforms.views_common import staff


@login_required
@never_cache
@require_GET
@use_replica
def records_export(request: HttpRequest, unit_id: int) -> FileResponse | HttpResponse:
    """The centre's service records of a month or span (and a result) as .xlsx."""
    user = staff(request)
    unit = selectors.platform_get_for(user, unit_id)
    if not access.may_export_records(user, unit):
        raise PermissionDenied
    form = RecordExportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        # Never a workbook of other filters than those asked for: the form and its errors.
        return render(
            request,
            "platforms/records_export.html",
            {"unit": unit, "export_form": form},
            status=400,
        )
    span = form.span()
    # An unnamed temporary file: the workbook never sits in memory and is gone once sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        records_workbook(
            viewer=user,
            unit_id=unit.pk,
            span=span,
            result=form.cleaned_data["result"],
            target=handle,
        )
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename(unit, *span),
        content_type=XLSX_CONTENT_TYPE,
    )
