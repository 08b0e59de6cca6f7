"""The residents' pages: prove a phone with a one-time code (and sign in with it), and the
resident's own page ("mine"). Phone first."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wenmin.core import nav
from wenmin.core.crypto import mask_phone
from wenmin.core.middleware import client_ip
from wenmin.core.models import User
from wenmin.organisation.validation import phone_or_empty
from wenmin.residents import mine, selectors, services
from wenmin.residents.forms import CodeForm, PhoneForm

NEXT_MAX = 2000
# The session backend is named: the code, not a password, proved who this is.
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _viewer(request: HttpRequest) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: a local path of this site, or ''."""
    candidate = str(request.POST.get("next") or request.GET.get("next") or "")
    local = candidate.startswith("/") and not candidate.startswith(("//", "/\\"))
    if not local or len(candidate) > NEXT_MAX:
        return ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else ""


def _onward(request: HttpRequest, next_url: str) -> HttpResponse:
    return redirect(next_url or reverse(nav.landing_for(request.user)))


def _messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _page(
    request: HttpRequest, *, form: PhoneForm, next_url: str, phone: str = "", status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "step": "code" if isinstance(form, CodeForm) else "phone",
        "next": next_url,
        "phone_masked": mask_phone(phone),
        "minutes": settings.WENMIN_RESIDENT_CODE_MINUTES,
        "login_url": reverse("login")
        + "?"
        + urlencode({"next": reverse("residents:verify") + _query(next_url)}),
    }
    return render(request, "residents/verify.html", context, status=status)


def _query(next_url: str) -> str:
    return "?" + urlencode({"next": next_url}) if next_url else ""


def _refused(
    request: HttpRequest, error: ValidationError, *, form: PhoneForm, next_url: str, phone: str
) -> HttpResponse:
    form.add_service_errors(_messages_of(error))
    if not isinstance(error, services.SendLimited):
        return _page(request, form=form, next_url=next_url, phone=phone, status=400)
    response = _page(request, form=form, next_url=next_url, phone=phone, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def _send(request: HttpRequest, *, next_url: str, resend: bool) -> HttpResponse:
    """Step 1's button, or step 2's "send again" (which stays on step 2 whatever happens)."""
    form = CodeForm(request.POST) if resend else PhoneForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, next_url=next_url, status=400)
    phone = phone_or_empty(form.cleaned_data["phone"])
    try:
        services.code_send(
            phone=form.cleaned_data["phone"], actor=_viewer(request), ip_address=client_ip(request)
        )
    except services.SendLimited as error:
        # A code was probably sent a moment ago: let it be entered while the limit lasts.
        code_step = CodeForm({"phone": form.cleaned_data["phone"]})
        code_step.is_valid()
        return _refused(request, error, form=code_step, next_url=next_url, phone=phone)
    except ValidationError as error:
        return _refused(request, error, form=form, next_url=next_url, phone=phone)
    messages.info(
        request,
        _("A code was sent to %(phone)s. It is valid for %(minutes)s minutes.")
        % {"phone": mask_phone(phone), "minutes": settings.WENMIN_RESIDENT_CODE_MINUTES},
    )
    return _page(request, form=CodeForm(initial={"phone": phone}), next_url=next_url, phone=phone)


def _verify(request: HttpRequest, *, next_url: str) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, next_url=next_url, status=400)
    phone = phone_or_empty(form.cleaned_data["phone"])
    try:
        verified = services.code_verify(
            phone=form.cleaned_data["phone"],
            code=form.cleaned_data["code"],
            viewer=_viewer(request),
            ip_address=client_ip(request),
        )
    except ValidationError as error:
        return _refused(request, error, form=form, next_url=next_url, phone=phone)
    if verified.sign_in:
        login(request, verified.user, backend=SIGN_IN_BACKEND)
        messages.success(request, _("Your phone is verified and you are signed in."))
    else:
        messages.success(request, _("Your phone is verified."))
    return _onward(request, next_url)


@require_http_methods(["GET", "POST"])
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Prove a phone: enter it, get a code, enter the code; then on to `next` (local only)."""
    next_url = _next_url(request)
    if selectors.verified_person(user=request.user) is not None:
        return _onward(request, next_url)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("send", "resend"):
        return _send(request, next_url=next_url, resend=action == "resend")
    if action == "verify":
        return _verify(request, next_url=next_url)
    return _page(request, form=PhoneForm(), next_url=next_url)


@require_http_methods(["GET"])
@never_cache
def me(request: HttpRequest) -> HttpResponse:
    """A signed-in resident's own page: their phone's state and the sections apps register."""
    if not request.user.is_authenticated:
        return redirect(reverse("residents:verify") + _query(reverse("residents:me")))
    if not nav.may_open(request.user, "residents:me"):
        raise PermissionDenied
    person = selectors.verified_person(user=request.user)
    context = {
        "person": person,
        "verified_at": selectors.verified_at(user=request.user),
        "sections": mine.sections_for(request.user),
        "verify_url": reverse("residents:verify") + _query(reverse("residents:me")),
    }
    return render(request, "residents/me.html", context)
