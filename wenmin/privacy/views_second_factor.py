"""The second factor: enrol an authenticator (QR code shown once), give a code at login, get
new recovery codes. Open to an account that still owes its second factor (the middleware lets
/privacy/2fa/ through)."""

from __future__ import annotations

from typing import Any, cast

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wenmin.core import nav, roles
from wenmin.core.models import User
from wenmin.privacy.forms import TokenForm
from wenmin.privacy.middleware import second_factor_required
from wenmin.privacy.services.second_factor import (
    manual_key,
    qr_code,
    recovery_codes_left,
    recovery_codes_new,
    second_factor_enrol_confirm,
    second_factor_enrol_start,
    second_factor_verify,
    totp_confirmed,
    totp_pending,
)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


def _staff(request: HttpRequest) -> User:
    user = _viewer(request)
    if not roles.can_use_staff_pages(user.role):
        raise PermissionDenied
    return user


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(nav.landing_for(request.user))


@login_required
@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """The account's second factor: on or off, required or not, recovery codes left."""
    user = _staff(request)
    context = {
        "enrolled": totp_confirmed(user) is not None,
        "required": second_factor_required(user),
        "verified": _verified(request),
        "codes_left": recovery_codes_left(user),
    }
    return render(request, "privacy/second_factor.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """A new secret as a QR code, confirmed by the app's first code; recovery codes follow."""
    user = _staff(request)
    if totp_confirmed(user) is not None:
        messages.info(request, _("Your authenticator is already set up."))
        return redirect("privacy:second_factor")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = second_factor_enrol_confirm(user=user, token=form.cleaned_data["token"])
        if confirmed is not None:
            device, codes = confirmed
            django_otp.login(request, device)
            shown = {"codes": codes, "next": _next(request)}
            return render(request, "privacy/recovery_codes.html", shown)
        form.add_error("token", _("The code is wrong or has expired. Try the app's current code."))
    device = totp_pending(user) if request.method == "POST" else None
    if device is None:
        device = second_factor_enrol_start(user=user)
    context = {
        "form": form,
        "qr": qr_code(device),
        "key": manual_key(device),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "privacy/enrol.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the authenticator's code, or one recovery code."""
    user = _staff(request)
    if totp_confirmed(user) is None:
        query = request.GET.urlencode()
        return redirect(reverse("privacy:second_factor_enrol") + (f"?{query}" if query else ""))
    if _verified(request):
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("The code is wrong, used up or has expired."))
    context: dict[str, Any] = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "privacy/verify.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_POST
def recovery(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, shown once; only in a session verified by the second factor."""
    user = _staff(request)
    if not _verified(request):
        raise PermissionDenied
    codes = recovery_codes_new(user=user)
    return render(
        request,
        "privacy/recovery_codes.html",
        {"codes": codes, "next": reverse("privacy:second_factor")},
    )
