"""What the points' pages share: the year asked for, a 400 for a query they cannot answer, a
service's refusal shown on its form."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wenmin.core import validators
from wenmin.core.models import User
from wenmin.points import access
from wenmin.points.selectors import YEAR_MAX, YEAR_MIN


def reader(request: HttpRequest) -> User:
    """The viewer, who must read members' points (staff of a branch's scope), else 403."""
    user = cast(User, request.user)
    if not access.points_reader(user):
        raise PermissionDenied
    return user


class BadRequest(Exception):
    """A query the page cannot answer (a junk year, a filter out of range): a 400."""


def year_param(request: HttpRequest) -> int:
    """The year of `?year=` (this year when not given); BadRequest for anything but a year."""
    text = request.GET.get("year", "")
    if not text:
        return timezone.localdate().year
    try:
        return validators.check_int(text, minimum=YEAR_MIN, maximum=YEAR_MAX)
    except ValidationError:
        raise BadRequest from None


def bad_request(request: HttpRequest, back: str) -> HttpResponse:
    return render(request, "points/bad_request.html", {"back": back}, status=400)


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form's fields (or above them)."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)
