"""The native REST API at /api/v1/: its routers, its docs, and one error shape for every refusal.

Every error answers {"error": {"code", "message", "message_zh", "message_en", "fields"}}: the
code is stable, the message is in the request's language and in both of Wenmin's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.renderers import JSONRenderer

from wenmin.cases.api import router as cases_router
from wenmin.cases.api_actions import router as case_actions_router
from wenmin.cases.api_config import router as config_router
from wenmin.cases.workflow import TransitionNotAllowed
from wenmin.core import outage
from wenmin.core.api_auth import SESSION, BearerToken
from wenmin.core.api_support import ApiError, error_body
from wenmin.insight.api import router as insight_router
from wenmin.organisation.api import router as organisation_router
from wenmin.scoreboard.api import router as scoreboard_router

# For developers, like the rest of the OpenAPI document: English only.
DESCRIPTION = (
    "Cases, the organisation and the case configuration of Wenmin (问民). Authenticate with "
    "`Authorization: Bearer <token>` (`wenmin apitoken create USERNAME NAME --scopes …`); each "
    "operation names the scope it needs, and a token sees only what its account sees. A "
    "logged-in browser session works too (unsafe methods need the CSRF token). Errors answer "
    '`{"error": {"code", "message", "message_zh", "message_en", "fields"}}`.'
)
ROUTERS = (
    ("/cases", cases_router),
    ("/cases", case_actions_router),
    ("", config_router),
    ("", organisation_router),
    ("/insight", insight_router),
    ("/scoreboard", scoreboard_router),
)


class Utf8JSON(JSONRenderer):
    """Chinese text as UTF-8 characters, not \\u escapes: readable and a third of the size."""

    json_dumps_params = {"ensure_ascii": False}


class WenminAPI(NinjaAPI):
    """Short operation ids (the view's name) and each operation's scope in its description."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        scopes = {
            operation.view_func.__name__: callback.scope
            for _prefix, router in ROUTERS
            for view in router.path_operations.values()
            for operation in view.operations
            for callback in operation.auth_callbacks
            if isinstance(callback, BearerToken)
        }
        for methods in schema["paths"].values():
            for details in methods.values():
                scope = scopes.get(details.get("operationId", ""))
                if scope:
                    details["x-scope"] = scope
                    text = details.get("description", "")
                    details["description"] = f"Scope: `{scope}`.\n\n{text}".strip()
        return schema


api = WenminAPI(
    title="Wenmin API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # Every operation names its own authentication (auth_for); this default only tells the docs
    # page to hand Swagger UI the CSRF token, so "Try it out" works in a logged-in session.
    auth=[SESSION],
    renderer=Utf8JSON(),
)
for _prefix, _router in ROUTERS:
    api.add_router(_prefix, _router)

STATUS_CODES = {
    400: "invalid_input",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "throttled",
    503: "unavailable",
}


def _answer(
    request: HttpRequest,
    status: int,
    code: str,
    *,
    params: dict[str, Any] | None = None,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body = error_body(code, params=params, fields=fields)
    return api.create_response(request, body, status=status)


def _field_name(location: Any) -> str:
    # ninja's locations: ("body", "payload", "content"), ("query", "filters", "limit")…
    parts = [str(p) for p in location] if isinstance(location, list | tuple) else [str(location)]
    return ".".join(parts[2:] or parts[1:] or parts) or "__all__"


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _answer(request, exc.status, exc.code, params=exc.params, fields=exc.fields)
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="wenmin"'
    return response


@api.exception_handler(NinjaValidationError)
def _schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return _answer(request, 400, "invalid_input", fields=fields)


@api.exception_handler(ValidationError)
def _service_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _answer(request, 400, "invalid_input", fields=fields)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _answer(request, 403, "forbidden")


@api.exception_handler(TransitionNotAllowed)
def _transition(request: HttpRequest, exc: TransitionNotAllowed) -> HttpResponse:
    # The row lock showed someone acted between our check and the step.
    return _answer(request, 409, "conflict")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _answer(request, 404, "not_found")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _answer(request, 401, "not_authenticated")
    response["WWW-Authenticate"] = 'Bearer realm="wenmin"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    fields = {"__all__": [str(exc)]} if status == 400 else None  # e.g. a body that is not JSON
    return _answer(request, status, STATUS_CODES.get(status, "invalid_input"), fields=fields)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    too_large = isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent)
    return _answer(request, 400, "too_large" if too_large else "invalid_input")


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unreachable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """503 with Retry-After while the database cannot be reached (wenmin.core.outage); any other
    database error goes on to Django's 500."""
    response = outage.response_for(request, exc)
    if response is None:
        raise exc
    return response
