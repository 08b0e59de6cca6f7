"""The workbench's filtered case list as an Excel download."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wenmin.cases.export import cases_workbook, filename
from wenmin.cases.forms_staff import WorkbenchFilterForm
from wenmin.cases.views_staff import workbench
from wenmin.core import roles
from wenmin.core.models import User
from wenmin.core.replica import use_replica
from wenmin.organisation.excel import XLSX_CONTENT_TYPE


@login_required
@never_cache
@require_GET
@use_replica
def case_export(request: HttpRequest) -> FileResponse | HttpResponse:
    """The cases of the workbench's current tab and filters as .xlsx, phones masked (staff only)."""
    user = request.user
    if not isinstance(user, User) or not roles.can_export(user.role):
        raise PermissionDenied
    if not WorkbenchFilterForm(request.GET, user=user).is_valid():
        # Never a workbook of other filters than those asked for: the workbench shows the
        # refused filter with its error, answering 400.
        return workbench(request)
    # An unnamed temporary file: the workbook never sits in memory and is gone once sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        cases_workbook(viewer=user, params=request.GET, target=handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle, as_attachment=True, filename=filename(), content_type=XLSX_CONTENT_TYPE
    )
