# Placeholder: the web helper replaces this module with the real pages.
from __future__ import annotations

from django.http import HttpResponse


def _todo(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


home = tree_children = region_detail = unit_detail = people_search = person_detail = person_reveal = _todo
