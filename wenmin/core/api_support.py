"""What every endpoint of the native API shares: its errors, the viewer and keyset cursors."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import operator
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from ninja import Schema
from pydantic import Field

from wenmin.core import roles, validators
from wenmin.core.models import User

M = TypeVar("M", bound=models.Model)
LANGUAGES = {"message_zh": "zh-hans", "message_en": "en"}

# One stable code per kind of failure; clients branch on the code, people read the message.
MESSAGES: dict[str, Promise] = {
    "invalid_input": _("The input is not valid."),
    "too_large": _("The request is too large."),
    "not_authenticated": _("Authenticate with a bearer token (or a session and its CSRF token)."),
    "token_unknown": _("This token is not known."),
    "token_revoked": _("This token has been revoked."),
    "token_expired": _("This token has expired."),
    "account_inactive": _("The token's account is inactive."),
    "csrf_failed": _("The CSRF check failed: send the X-CSRFToken header with a session."),
    "scope_missing": _("This token lacks the scope “%(scope)s”."),
    "forbidden": _("You may not do this."),
    "staff_only": _("Only staff accounts may do this."),
    "not_found": _("Not found, or not in your scope."),
    "method_not_allowed": _("This method is not allowed here."),
    "transition_not_allowed": _(
        "This case has moved on (it is now “%(state)s”); the action is no longer possible."
    ),
    "conflict": _("Someone acted on this case first; the action is no longer possible."),
    "throttled": _("Too many requests; try again later."),
    "unavailable": _(
        "The service cannot reach its database at the moment; try again after Retry-After seconds."
    ),
}


class ApiError(Exception):
    """A refusal with an HTTP status, a stable code and a message rendered in both languages."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        params: Mapping[str, Any] | None = None,
        fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = dict(params or {})
        self.fields = dict(fields or {})


def invalid(field: str, message: Any) -> ApiError:
    """A 400 for one bad field."""
    return ApiError(400, "invalid_input", fields={field: [str(message)]})


def _render(message: Promise, params: Mapping[str, Any], language: str | None) -> str:
    with override(language):
        text = str(message)
        return text % {key: str(value) for key, value in params.items()} if params else text


def error_body(
    code: str,
    *,
    params: Mapping[str, Any] | None = None,
    fields: Mapping[str, list[str]] | None = None,
) -> dict[str, Any]:
    """{"error": {code, message (the request's language), message_zh, message_en, fields}}."""
    message = MESSAGES.get(code, MESSAGES["invalid_input"])
    body: dict[str, Any] = {"code": code, "message": _render(message, params or {}, None)}
    for key, language in LANGUAGES.items():
        body[key] = _render(message, params or {}, language)
    body["fields"] = {key: [str(m) for m in found] for key, found in (fields or {}).items()}
    return {"error": body}


def viewer(request: HttpRequest) -> User:
    """The account the request acts as (the token's, or the session's)."""
    return cast(User, getattr(request, "auth", None) or request.user)


def require_staff(user: User) -> None:
    """The staff pages' rule: the organisation and the configuration are for the staff roles."""
    if not roles.can_use_staff_pages(user.role):
        raise ApiError(403, "staff_only")


# Keyset pagination ----------------------------------------------------------------------------

Order = Sequence[tuple[str, Callable[[Any], Any]]]  # (field, parse a cursor value back)


def cursor_encode(values: Sequence[Any]) -> str:
    """An opaque cursor for the position after a row."""
    plain = [v.isoformat() if isinstance(v, dt.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def cursor_decode(cursor: str, order: Order) -> list[Any]:
    """The values a cursor holds, or a 400 naming the cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        plain = json.loads(raw)
        if not isinstance(plain, list) or len(plain) != len(order):
            raise ValueError
        values = [parse(value) for (_field, parse), value in zip(order, plain, strict=True)]
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, OverflowError):
        raise invalid("cursor", _("Not a cursor from this API.")) from None
    for value in values:
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise invalid("cursor", _("Not a cursor from this API."))
    return values


def aware_datetime(value: Any) -> dt.datetime:
    """An ISO datetime with its time zone, within the validators' range (cursors never hold
    naive times)."""
    if not isinstance(value, str):
        raise ValueError
    try:
        return validators.parse_datetime(value)
    except ValidationError:
        raise ValueError from None


def strict_int(value: Any) -> int:
    """An integer that really is one (not a bool, not a string), and a database id."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError
    try:
        return validators.check_id(value)
    except ValidationError:
        raise ValueError from None


def strict_str(value: Any) -> str:
    """A string cursor value: one line of text."""
    if not isinstance(value, str) or validators.text_problem(value) is not None:
        raise ValueError
    return value


def _after(order: Order, values: Sequence[Any], descending: bool) -> Q:
    lookup = "lt" if descending else "gt"
    branches = []
    for index, (field, _parse) in enumerate(order):
        equal = {name: values[i] for i, (name, _p) in enumerate(order[:index])}
        branches.append(Q(**equal, **{f"{field}__{lookup}": values[index]}))
    return reduce(operator.or_, branches)


def keyset_page(
    queryset: QuerySet[M],
    *,
    order: Order,
    descending: bool,
    cursor: str | None,
    limit: int,
) -> tuple[list[M], str | None]:
    """One page in a stable total order, and the cursor of the next page (None at the end)."""
    sign = "-" if descending else ""
    queryset = queryset.order_by(*[sign + field for field, _parse in order])
    if cursor:
        queryset = queryset.filter(_after(order, cursor_decode(cursor, order), descending))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, cursor_encode([_value(last, field) for field, _parse in order])


def _value(row: models.Model, field: str) -> Any:
    value: Any = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


# The error in the OpenAPI schema ----------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(description="Stable: clients branch on it.")
    message: str = Field(description="In the request's language (Accept-Language).")
    message_zh: str
    message_en: str
    fields: dict[str, list[str]] = Field(description="Messages per input field, if any.")


class ErrorOut(Schema):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses of an operation, for `response=`."""
    return dict.fromkeys(statuses, ErrorOut)
