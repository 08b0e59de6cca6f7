"""The real URLs, plus /bench/bare/: a view that INSERTs the same case row and nothing else."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.urls import urlpatterns as real_urlpatterns


def bare_intake(request: HttpRequest) -> HttpResponse:
    """The baseline: read the form, INSERT one case row, redirect. No validation, no routing,
    no deadline, no audit, no acknowledgement."""
    code = secrets.token_hex(8).upper()
    Case.objects.create(
        number=f"BENCH-{code}",
        tracking_code=code[:16],
        channel="web",
        received_at=timezone.now(),
        kind=request.POST.get("kind", "help"),
        urgency="normal",
        title=request.POST.get("content", "")[:30],
        content=request.POST.get("content", ""),
        address=request.POST.get("address", ""),
        state="collected",
    )
    return HttpResponseRedirect(f"/portal/submitted/{code}/")


urlpatterns = [path("bench/bare/", bare_intake), *real_urlpatterns]
