# Placeholder: a helper replaces this module with the real pages.
from __future__ import annotations

from django.http import HttpResponse


def _todo(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


workbench = supervision = case_new = bulk = case_detail = case_act = attachment_download = _todo
case_export = submit = submitted = track_lookup = track = rate = _todo
