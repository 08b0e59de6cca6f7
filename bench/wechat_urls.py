"""The real URLs, plus /bench/wechat-bare/: a view that reads the posted body, INSERTs one case
row and answers "success", the baseline of the WeChat callback bench."""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from wenmin.cases.models import Case
from wenmin.urls import urlpatterns as real_urlpatterns


@csrf_exempt
def bare_wechat(request: HttpRequest) -> HttpResponse:
    """The baseline: no signature, no decryption, no XML parsing, no intake; one INSERT."""
    body = request.body.decode("utf-8", "replace")
    code = secrets.token_hex(8).upper()
    Case.objects.create(
        number=f"BENCH-{code}",
        tracking_code=code[:16],
        channel="wechat",
        received_at=timezone.now(),
        kind="help",
        urgency="normal",
        title="WeChat",
        content=body[:200],
        state="collected",
    )
    return HttpResponse("success", content_type="text/plain")


urlpatterns = [path("bench/wechat-bare/", bare_wechat), *real_urlpatterns]
