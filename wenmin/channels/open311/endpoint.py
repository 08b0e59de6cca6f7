"""What every Open311 view shares: the format, errors in the spec's shape, the api_key check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from wenmin.channels.limits import apikey_rate_allowed
from wenmin.channels.models import ApiKey
from wenmin.channels.open311.params import Open311Error, text_problems
from wenmin.channels.open311.serializers import render_errors
from wenmin.channels.selectors import apikey_by_plain
from wenmin.channels.services import apikey_touch

View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Allow these methods; turn Open311Error and oversized bodies into the spec's errors.

    POSTs authenticate with `api_key`, not a session, so CSRF does not apply.
    """

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, format: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return render_errors(
                    format,
                    405,
                    [_("Method %(method)s is not allowed here.") % {"method": request.method}],
                    headers={"Allow": ", ".join(methods)},
                )
            try:
                if problems := _text_problems(request, kwargs):
                    raise Open311Error(400, *problems)
                return view(request, *args, format=format, **kwargs)
            except Open311Error as error:
                return render_errors(
                    format, error.status, error.descriptions, headers=error.headers
                )
            except RequestDataTooBig:
                return render_errors(format, 400, [_("The request body is too large.")])
            except TooManyFieldsSent:
                return render_errors(format, 400, [_("The request has too many fields.")])

        return wrapped

    return decorate


def _text_problems(request: HttpRequest, path: dict[str, Any]) -> list[str]:
    """NUL or control characters anywhere in the path, the query or the form (never stored,
    never looked up: PostgreSQL refuses NUL)."""
    problems = text_problems({k: [v] for k, v in path.items() if isinstance(v, str)})
    problems += text_problems(dict(request.GET.lists()))
    if request.method == "POST":
        problems += text_problems(dict(request.POST.lists()))
    return problems


def param(request: HttpRequest, name: str) -> str:
    """A form field of a POST, else a query parameter; '' when absent."""
    if request.method == "POST" and name in request.POST:
        return str(request.POST.get(name, ""))
    return str(request.GET.get(name, ""))


def api_key_check(request: HttpRequest, *, required: bool) -> ApiKey | None:
    """The caller's key: 403 when it is required and missing, or given and unknown or revoked;
    429 over its rate; its use noted."""
    plain = param(request, "api_key").strip()
    if not plain:
        if required:
            raise Open311Error(403, _("api_key was not provided."))
        return None
    key = apikey_by_plain(key=plain)
    if key is None:
        raise Open311Error(403, _("api_key is invalid or has been revoked."))
    allowed, retry_after = apikey_rate_allowed(key=key)
    if not allowed:
        raise Open311Error(
            429,
            _("Too many requests with this api_key: at most %(n)s a minute.")
            % {"n": key.rate_limit_per_minute},
            headers={"Retry-After": str(retry_after)},
        )
    apikey_touch(key=key)
    return key


def api_key_required(request: HttpRequest) -> ApiKey:
    """The caller's key, which this resource requires (see api_key_check)."""
    key = api_key_check(request, required=True)
    if key is None:  # pragma: no cover  (required=True raises instead)
        raise Open311Error(403, _("api_key was not provided."))
    return key


def jurisdiction_check(request: HttpRequest, key: ApiKey | None) -> None:
    """A key bound to a jurisdiction refuses another one (404, as the spec says); else accepted."""
    given = param(request, "jurisdiction_id").strip()
    if key is not None and key.jurisdiction and given and given != key.jurisdiction:
        raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": given[:64]})
