"""A resident's rating of the service they just had: one per service record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.platforms.models import Rating, ServiceRecord
from wenmin.platforms.services.common import now_or, texts
from wenmin.platforms.tally import SOURCE
from wenmin.tallies.services import record_changed

RATING_DAYS = 30  # a service may be rated this long after it ended


def rating_submit(
    *,
    code: str,
    score: Any,
    comment: str = "",
    unit_id: int | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """Rate the service whose slip carries this code (1–5, a comment); refused a second time."""
    moment = now_or(now)
    errors: dict[str, list[str]] = {}
    clean = texts(errors, code=(code, 12, False, True), comment=(comment, 300, False, False))
    try:
        value = validators.check_int(score, minimum=1, maximum=5)
    except ValidationError:
        errors["score"], value = [_("Give a score from 1 to 5.")], 0
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        records = ServiceRecord.objects.select_for_update().filter(
            rating_code=clean["code"].upper()
        )
        if unit_id is not None:
            records = records.filter(unit_id=unit_id)
        record = records.first()
        if record is None:
            raise ValidationError({"code": [_("No service of this centre has this code.")]})
        if Rating.objects.filter(record=record).exists():
            raise ValidationError({"code": [_("This service has already been rated.")]})
        if moment - record.ended_at > dt.timedelta(days=RATING_DAYS):
            raise ValidationError(
                {
                    "code": [
                        _("This service is too long ago to be rated (%(days)s days).")
                        % {"days": RATING_DAYS}
                    ]
                }
            )
        rating = Rating.objects.create(
            record=record,
            unit_id=record.unit_id,
            score=value,
            comment=clean["comment"],
            rated_at=moment,
        )
        audit_record(
            actor=None,
            action="platforms.rating",
            target=rating,
            changes={"record": record.pk, "score": value},
        )
        record_changed(SOURCE, record.pk)
    return rating
