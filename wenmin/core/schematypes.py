"""Pydantic (django-ninja) types over wenmin.core.validators: the native API's schemas parse
dates, date-times, coordinates, ids and text with the same functions as the forms and Open311.

The types add checks only; lengths and descriptions stay in each schema's Field(...), and the
OpenAPI document is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from wenmin.core import validators


def _adapt(check: Callable[[Any], Any]) -> AfterValidator:
    """A pydantic validator that runs `check` and reports its message as the field's error."""

    def run(value: Any) -> Any:
        try:
            return check(value)
        except ValidationError as error:
            raise PydanticCustomError(
                "wenmin_invalid", "{message}", {"message": " ".join(error.messages)}
            ) from None

    return AfterValidator(run)


def _line(value: str) -> str:
    return validators.check_text(value, max_length=len(value))


def _paragraph(value: str) -> str:
    return validators.check_text(value, max_length=len(value), multiline=True)


# One line of text (names, codes, search words): no control characters at all.
Line = Annotated[str, _adapt(_line)]
# Multi-line text (contents, notes, replies): newlines and tabs allowed.
Paragraph = Annotated[str, _adapt(_paragraph)]
Date = Annotated[dt.date, _adapt(validators.check_date)]
AwareDateTime = Annotated[dt.datetime, _adapt(validators.check_datetime)]
Latitude = Annotated[float, _adapt(lambda value: float(validators.check_latitude(value)))]
Longitude = Annotated[float, _adapt(lambda value: float(validators.check_longitude(value)))]
Id = Annotated[int, _adapt(validators.check_id)]
