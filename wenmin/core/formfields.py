"""Django form fields over wenmin.core.validators: the forms of every page parse dates,
date-times, coordinates, numbers and text with the same functions as the API and Open311."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wenmin.core import validators


class DateField(forms.DateField):
    """A date within validators.DATE_MIN … DATE_MAX."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            validators.check_date(value)


class DateTimeField(forms.DateTimeField):
    """An aware date-time (a naive one is taken in the current time zone) within the range."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            validators.check_datetime(value)

    def to_python(self, value: Any) -> dt.datetime | None:
        try:
            return super().to_python(value)
        except OverflowError:  # the time-zone conversion of a date at the calendar's edge
            raise ValidationError(
                _("Enter a date between %(min)s and %(max)s."),
                code="date_range",
                params={
                    "min": validators.DATE_MIN.isoformat(),
                    "max": validators.DATE_MAX.isoformat(),
                },
            ) from None


class CoordinateField(forms.Field):
    """A WGS-84 latitude or longitude as a Decimal with the models' precision; empty is None."""

    widget = forms.TextInput

    def __init__(self, *, axis: Literal["latitude", "longitude"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if self.axis == "latitude":
            return validators.check_latitude(value)
        return validators.check_longitude(value)


class NumberField(forms.Field):
    """A finite, bounded decimal number; empty is None."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        return validators.check_number(value)


class TextField(forms.CharField):
    """Text without control characters (multi-line: newlines and tabs allowed), at most
    max_length characters."""

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs: Any) -> None:
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(max_length=max_length, **kwargs)
        self.multiline = multiline

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in self.empty_values:
            validators.check_text(value, max_length=self.max_length or 0, multiline=self.multiline)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id; an id the database cannot hold is refused before any query (Django
    looks up `pk__in` with whatever it is given)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            try:
                validators.check_id(str(pk))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:32]},
                ) from None
        return super()._check_values(value)  # type: ignore[misc]


def search_text(request: HttpRequest, name: str, *, max_length: int) -> tuple[str, int]:
    """One line of search text from the query string and the page's HTTP status: text with
    control characters is left out, its error shown among the page's messages, status 400."""
    text = request.GET.get(name, "").strip()[:max_length]
    try:
        return validators.check_text(text, max_length=max_length), 200
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return "", 400
